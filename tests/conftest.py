"""Shared fixtures: copies of the example and fixture vaults, and the compat corpora."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# The property tests draw the same examples on every run, so that a run's verdict is the
# code's, not the draw's; HYPOTHESIS_PROFILE=explore draws afresh to look for new failures.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "vault"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("NOTESYNC_SHARED", ROOT.parent / "shared"))
COMPAT = SHARED / "compat"
TODAY = "2026-11-26"


def needs_compat(sub: str) -> Path:
    """The compat folder `sub`, or a clean skip when ../shared is not beside the clone."""
    path = COMPAT / sub
    if not path.exists():
        pytest.skip(f"{path} not found (the shared compat corpus is not beside this clone)")
    return path


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Stores (see `notesync.store`) in a temporary folder, not the user's cache folder;
    subprocesses the tests start inherit it."""
    os.environ["NOTESYNC_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def example_vault(tmp_path: Path) -> Path:
    dest = tmp_path / "vault"
    # without the pages a sync of the example in the clone may have written
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    return dest


@pytest.fixture
def rules_vault(tmp_path: Path) -> Path:
    dest = tmp_path / "rules_vault"
    shutil.copytree(FIXTURES / "rules_vault", dest)
    return dest


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Build a vault from {relative path: text or bytes}."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "v"
        root.mkdir(exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        return root

    return make


def tree_hashes(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under root, except under the `skip` folders."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not path.is_symlink() and not any(rel.startswith(s + "/") for s in skip):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
