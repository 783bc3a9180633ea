"""Golden pages of the example vault, for --today 2026-11-26.

After an intended change to a page, regenerate the goldens and review the diff:

    NOTESYNC_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
    git diff tests/golden
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from notesync.pipeline import sync
from notesync.render import PAGE_NAMES

GOLDEN = Path(__file__).resolve().parent / "golden" / "example"
UPDATE = os.environ.get("NOTESYNC_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    import shutil

    from .conftest import EXAMPLE

    vault = tmp_path_factory.mktemp("golden") / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    sync(vault, today=date(2026, 11, 26))
    return {name: (vault / "notesync" / name).read_bytes() for name in PAGE_NAMES}


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_matches_golden(pages: dict[str, bytes], name: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(pages[name])
    assert golden.exists(), f"no golden for {name}; run with NOTESYNC_UPDATE_GOLDEN=1"
    assert pages[name].decode("utf-8") == golden.read_text("utf-8")
