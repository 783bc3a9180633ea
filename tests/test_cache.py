"""The cache makes a sync faster, never different: pages from a cached run are
byte-identical to a cache-less run, and a damaged cache (notes or people) is detected
and rebuilt."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from notesync import cache, ledger
from notesync.config import STATE_DIR
from notesync.pipeline import sync
from notesync.read import read_notes
from notesync.render import PAGE_NAMES
from notesync.scan import scan

from .conftest import EXAMPLE, ROOT

DAY = date(2026, 11, 26)


def age(vault: Path, seconds: float = 10) -> None:
    """Make every note look saved a while ago (past the cache's race window)."""
    past = time.time() - seconds
    for path in vault.rglob("*.md"):
        os.utime(path, (past, past))


def pages(vault: Path) -> dict[str, bytes]:
    return {name: (vault / "notesync" / name).read_bytes() for name in PAGE_NAMES}


def parsed_count(vault: Path) -> int:
    entries, _ = scan(vault, "notesync")
    return read_notes(vault, entries, save_cache=False)[2]


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    vault = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_vault.py"), str(vault), "--notes", "600"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return vault


@pytest.mark.parametrize("which", ["example", "generated"])
def test_cached_and_uncached_runs_give_the_same_bytes(
    which: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if which == "example":
        vault = tmp_path / "example"
        shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    else:
        vault = request.getfixturevalue("generated")
    age(vault)
    twin = tmp_path / f"{which}-twin"
    shutil.copytree(vault, twin)
    sync(vault, today=DAY)  # fills the cache
    assert parsed_count(vault) == 0  # ... and the next read takes every note from it
    shutil.rmtree(vault / "notesync")
    cached = sync(vault, today=DAY)
    assert cached.analysis is not None and cached.analysis.parsed == 0
    uncached = sync(twin, today=DAY, use_cache=False)
    assert pages(vault) == pages(twin)
    assert [str(d) for d in cached.diagnostics] == [str(d) for d in uncached.diagnostics]


def shard_files(vault: Path) -> list[Path]:
    return sorted((vault / STATE_DIR / cache.CACHE_DIR).glob("[0-9]*.json"))


def damaged(raw: bytes, damage: str, version_key: str) -> bytes:
    head, _, body = raw.partition(b"\n")
    header = json.loads(head)
    if damage == "truncated":
        return raw[: len(raw) // 2]
    if damage == "garbage":
        return os.urandom(len(raw))
    if damage == "flipped byte":
        return head + b"\n" + body[:-2] + bytes([body[-2] ^ 1]) + body[-1:]
    if damage == "old version":
        return json.dumps({**header, "format": cache.FORMAT - 1}).encode() + b"\n" + body
    if damage == "other code":
        return json.dumps({**header, version_key: "0" * 16}).encode() + b"\n" + body
    if damage == "wrong types":  # a well-formed file whose records are not what they should be
        bad = json.dumps({"x.md": [1, 2, ["not", "a", "note"], []], "people": [[1]]}).encode()
        header["sha256"] = __import__("hashlib").sha256(bad).hexdigest()
        return json.dumps(header).encode() + b"\n" + bad
    return b""


DAMAGES = ["truncated", "garbage", "flipped byte", "old version", "other code", "wrong types", "empty"]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_cache_is_detected_and_rebuilt(tmp_path: Path, damage: str) -> None:
    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    age(vault)
    sync(vault, today=DAY)
    good = pages(vault)
    files = shard_files(vault)
    assert files
    for file in files:
        file.write_bytes(damaged(file.read_bytes(), damage, "parser"))
    assert parsed_count(vault) == 23  # nothing trusted: every note read again
    shutil.rmtree(vault / "notesync")
    result = sync(vault, today=DAY)  # no crash, same pages
    assert pages(vault) == good
    assert result.analysis is not None and result.analysis.parsed == 23
    assert parsed_count(vault) == 0  # and the cache is whole again


def test_a_note_saved_during_a_sync_is_read_again(tmp_path: Path) -> None:
    """mtime and size alone can miss an edit made in the same instant as the cache was
    written; such notes are never trusted from the cache."""
    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    age(vault, seconds=0)  # saved just now
    sync(vault, today=DAY)  # ... so inside the race window of the cache it writes
    assert parsed_count(vault) == 23
    age(vault)  # once they are older than that, the cache is trusted
    read_notes(vault, scan(vault, "notesync")[0])  # (a sync might not read them: see the ledger)
    assert parsed_count(vault) == 0


@pytest.mark.parametrize("damage", DAMAGES)
def test_damaged_people_are_detected_and_made_again(
    tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    first = sync(vault, today=DAY)
    good = pages(vault)
    people = vault / STATE_DIR / cache.CACHE_DIR / cache.PEOPLE_FILE
    people.write_bytes(damaged(people.read_bytes(), damage, "code"))
    loaded: list[bool] = []
    load = cache.load_people

    def spy(*args: Any) -> Any:
        found = load(*args)
        loaded.append(found is not None)
        return found

    monkeypatch.setattr(cache, "load_people", spy)
    shutil.rmtree(vault / "notesync")
    result = sync(vault, today=DAY)  # no crash, the same pages and diagnostics
    assert pages(vault) == good
    assert [str(d) for d in result.diagnostics] == [str(d) for d in first.diagnostics]
    shutil.rmtree(vault / "notesync")
    sync(vault, today=DAY)
    assert loaded == [False, True]  # not trusted, then whole again


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("which", ["ledger", "changes"])
def test_a_damaged_ledger_is_not_trusted(tmp_path: Path, damage: str, which: str) -> None:
    from notesync import ledger

    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    age(vault)
    sync(vault, today=DAY)
    tom = vault / "Interviews" / "2026-11-20 Tom Lee.md"
    tom.write_text(tom.read_text("utf-8").replace("status: done\n", "status: done\nthanked: 2026-11-21\n"))
    assert sync(vault, today=DAY).analysis is None  # from the ledger: the changes file is written
    name = ledger.LEDGER_FILE if which == "ledger" else ledger.CHANGES_FILE
    file = vault / STATE_DIR / cache.CACHE_DIR / name
    file.write_bytes(damaged(file.read_bytes(), damage, "scope" if which == "ledger" else "base"))
    ann = vault / "Interviews" / "2026-11-24 Ann Chu.md"
    ann.write_text(ann.read_text("utf-8") + "\nMore notes.\n- [ ] Write to Ann 📅 2026-11-20\n")
    result = sync(vault, today=DAY)  # no crash
    twin = tmp_path / "twin"
    shutil.copytree(vault, twin, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    fresh = sync(twin, today=DAY, use_cache=False)
    assert pages(vault) == pages(twin)
    assert [str(d) for d in result.diagnostics] == [str(d) for d in fresh.diagnostics]


def rewrite(file: Path, change: Callable[[Any], Any]) -> None:
    """Change a cache file's body and give it a matching checksum: damage no checksum catches."""
    head, _, body = file.read_bytes().partition(b"\n")
    header = json.loads(head)
    new = json.dumps(change(json.loads(body))).encode()
    header["sha256"] = hashlib.sha256(new).hexdigest()
    file.write_bytes(json.dumps(header).encode() + b"\n" + new)


def short_figures(body: Any) -> Any:
    body["persons"][0][-1] = [1, 2]
    return body


def stranger(body: Any) -> Any:
    body["persons"].append(["nobody at all", "nobody at all", "nobody at all", "| x ", False, "", "", []])
    return body


def unknown_key(body: Any) -> Any:
    body["keys"][0][2] = "nobody at all"
    return body


def fewer_nodes(body: Any) -> Any:
    body["graph"][0] = body["graph"][0][:1]
    return body


@pytest.mark.parametrize(
    ("name", "change"),
    [
        (ledger.LEDGER_FILE, short_figures),
        (ledger.LEDGER_FILE, stranger),
        (cache.PEOPLE_FILE, unknown_key),
        (cache.PEOPLE_FILE, fewer_nodes),
    ],
)
def test_cache_files_that_check_out_but_do_not_add_up_are_not_trusted(
    tmp_path: Path, name: str, change: Callable[[Any], Any]
) -> None:
    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    age(vault)
    sync(vault, today=DAY)
    rewrite(vault / STATE_DIR / cache.CACHE_DIR / name, change)
    tom = vault / "Interviews" / "2026-11-20 Tom Lee.md"  # a thank-you: Follow-ups and Contacts change
    ann = vault / "Interviews" / "2026-11-24 Ann Chu.md"  # her only note: the map changes too
    edits = [(tom, "status: done\n", "status: done\nthanked: 2026-11-21\n"), (ann, "requested", "declined")]
    for step, (note, old, new) in enumerate(edits):
        note.write_text(note.read_text("utf-8").replace(old, new, 1))
        result = sync(vault, today=DAY)  # no crash
        twin = tmp_path / f"twin{step}"
        shutil.copytree(vault, twin, ignore=shutil.ignore_patterns("notesync", ".notesync"))
        fresh = sync(twin, today=DAY, use_cache=False)
        assert pages(vault) == pages(twin)
        assert [str(d) for d in result.diagnostics] == [str(d) for d in fresh.diagnostics]


def test_json_nested_too_deep_in_any_file_it_keeps_is_not_trusted(tmp_path: Path) -> None:
    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    age(vault)
    sync(vault, today=DAY)
    good = pages(vault)
    kept = [vault / STATE_DIR / "state.json", *(vault / STATE_DIR / cache.CACHE_DIR).glob("*.json")]
    for file in kept:
        file.write_bytes(b"[" * 200_000 + b"\n" + b"[" * 200_000)
    shutil.rmtree(vault / "notesync")
    sync(vault, today=DAY)  # no crash
    assert pages(vault) == good
