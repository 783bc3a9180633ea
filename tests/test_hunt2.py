"""Bugs the second hunt found (watch, daily notes, ticks, calendar), each fixed: a test
per bug keeps it so."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import notesync.write
from notesync.pipeline import Session, sync
from notesync.results import SyncResult
from notesync.watch import Pass, Watcher

DAY = date(2026, 11, 26)


def _wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def watching(example_vault: Path) -> Iterator[tuple[Path, list[Pass]]]:
    passes: list[Pass] = []
    watcher = Watcher(example_vault, passes.append, debounce=0.02, today=lambda: DAY, tick=0.05)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    assert _wait_for(lambda: len(passes) == 1, 10)
    assert passes[0].error is None
    yield example_vault, passes
    watcher.stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_a_tick_made_while_a_sync_runs_is_not_lost(example_vault: Path, monkeypatch: Any) -> None:
    session = Session(example_vault)
    try:
        session.sync(today=DAY)
        page = example_vault / "notesync" / "Follow-ups.md"
        ann = example_vault / "Interviews" / "2026-11-24 Ann Chu.md"  # a change that rewrites the page
        ann.write_text(ann.read_text("utf-8").replace("status: requested", "status: declined"), "utf-8")
        real_apply = notesync.write.apply

        ticks: list[str] = []

        def apply_after_a_tick(*args: Any, **kwargs: Any) -> Any:
            # the user ticks Tom Lee's thank-you in Obsidian while the sync is under way
            if not ticks:
                text = page.read_text("utf-8")
                ticked = re.sub(r"^- \[ \](.*Tom Lee\]\] a thank-you note.*)$", r"- [x]\1", text, flags=re.M)
                assert ticked != text
                page.write_text(ticked, "utf-8")
                ticks.append(ticked)
            return real_apply(*args, **kwargs)

        monkeypatch.setattr(notesync.write, "apply", apply_after_a_tick)
        session.sync(today=DAY)
        assert ticks  # (the tick came while the sync was under way)
        monkeypatch.setattr(notesync.write, "apply", real_apply)
        session.sync(today=DAY)  # the next sync (the watcher's next pass, or a one-off)
    finally:
        session.close()
    tom = (example_vault / "Interviews" / "2026-11-20 Tom Lee.md").read_text("utf-8")
    still_ticked = "- [x]" in page.read_text("utf-8")
    backed_up = (example_vault / ".notesync" / "backups").exists()
    # the tick is recorded, or at least kept (on the page or in a backup): not silently dropped
    assert "thanked:" in tom or still_ticked or backed_up


def test_watch_follows_a_change_of_the_daily_notes_settings(watching: tuple[Path, list[Pass]]) -> None:
    vault, passes = watching
    contacts = vault / "notesync" / "Contacts.md"

    def priya() -> str:
        return next(line for line in contacts.read_text("utf-8").splitlines() if "|Priya Raman]] |" in line)

    journal = vault / "Journal"
    journal.mkdir()
    (journal / "25-11-2026.md").write_text("Coffee with [[Priya Raman]] at Blue Bottle\n", "utf-8")
    assert _wait_for(lambda: len(passes) >= 2, 5)
    assert "| 2026-11-25 |" not in priya()  # not a daily note yet: no setting names that folder
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "daily-notes.json").write_text(
        json.dumps({"folder": "Journal", "format": "DD-MM-YYYY"}), "utf-8"
    )
    # a fresh `notesync sync` now reads Journal/25-11-2026.md as the daily note of 2026-11-25
    assert _wait_for(lambda: "| 2026-11-25 |" in priya(), 1.5), priya()


def test_watch_makes_a_deleted_page_again(watching: tuple[Path, list[Pass]]) -> None:
    vault, _ = watching
    contacts = vault / "notesync" / "Contacts.md"
    contacts.unlink()
    assert _wait_for(contacts.exists, 1.5)


def test_obsidians_link_update_on_a_rename_is_not_an_edit_to_back_up(example_vault: Path) -> None:
    session = Session(example_vault)
    try:
        session.sync(today=DAY)
        old, new = "Interviews/2026-11-20 Tom Lee", "Interviews/2026-11-20 Tom Lee (call)"
        (example_vault / f"{old}.md").rename(example_vault / f"{new}.md")
        # Obsidian ("Automatically update internal links", on by default) rewrites every link to it
        touched = []
        for page in sorted((example_vault / "notesync").glob("*.md")):
            text = page.read_text("utf-8")
            updated = text.replace(f"[[{old}|", f"[[{new}|").replace(f"[[{old}\\|", f"[[{new}\\|")
            if updated != text:
                page.write_text(updated, "utf-8")
                touched.append(page.name)
        assert touched == ["Follow-ups.md"]
        result = session.sync(today=DAY)
    finally:
        session.close()
    assert [c.backup for c in result.changes if c.backup] == []
    assert not (example_vault / ".notesync" / "backups").exists()


def _tick_thank_you_after(vault: Path, change: Callable[[], None], *links: tuple[str, str]) -> SyncResult:
    """Sync; make `change` (a rename or a move); rewrite the page's links `old` to `new`
    for each (old, new) of `links`, as Obsidian does on a rename; tick Tom Lee's thank-you
    there; sync again."""
    session = Session(vault)
    try:
        session.sync(today=DAY)
        change()
        page = vault / "notesync" / "Follow-ups.md"
        text = page.read_text("utf-8")
        for old, new in links:
            text = text.replace(old, new)
        ticked = re.sub(r"^- \[ \](.*Tom Lee\]\] a thank-you note.*)$", r"- [x]\1", text, flags=re.M)
        assert ticked != text
        page.write_text(ticked, "utf-8")
        return session.sync(today=DAY)
    finally:
        session.close()


def _move(vault: Path, old: str, new: str) -> Callable[[], None]:
    def move() -> None:
        (vault / new).parent.mkdir(parents=True, exist_ok=True)
        (vault / old).rename(vault / new)

    return move


TOM = "Interviews/2026-11-20 Tom Lee"


@pytest.mark.parametrize(
    ("old", "new", "link"),
    [
        # renamed in place
        (f"{TOM}.md", "Interviews/Tom Lee call.md", "Interviews/Tom Lee call"),
        # moved into another folder (an archive, say)
        (f"{TOM}.md", "Archive/2026/2026-11-20 Tom Lee.md", "Archive/2026/2026-11-20 Tom Lee"),
        # the whole folder renamed: the notes' old folder is gone from the vault
        ("Interviews", "Talks", "Talks/2026-11-20 Tom Lee"),
        # moved, and Obsidian writing the link in its shortest form (the name alone)
        (f"{TOM}.md", "Archive/2026-11-20 Tom Lee.md", "2026-11-20 Tom Lee"),
    ],
)
def test_a_tick_of_an_item_whose_note_was_renamed_or_moved_is_recorded(
    example_vault: Path, old: str, new: str, link: str
) -> None:
    """Obsidian follows a renamed or moved note in the page's links; the item's id was made
    under the old path, which the note's old title and the vault's folders give back."""
    result = _tick_thank_you_after(example_vault, _move(example_vault, old, new), (f"[[{TOM}|", f"[[{link}|"))
    assert result.dropped == []
    assert [r.item.kind for r in result.recorded] == ["thank-you"]
    note = example_vault / (new if new.endswith(".md") else f"{link}.md")
    assert "thanked: 2026-11-26" in note.read_text("utf-8")


def test_a_tick_is_recorded_after_a_note_at_the_vaults_root_was_renamed(example_vault: Path) -> None:
    """A note at the root is linked with its title as the words too (`[[Tom call|Tom call]]`),
    so that Obsidian's rewrite on a rename keeps its old name on the page."""
    (example_vault / f"{TOM}.md").rename(example_vault / "Tom call.md")
    sync(example_vault, today=DAY)
    assert "from [[Tom call|Tom call]]" in (example_vault / "notesync" / "Follow-ups.md").read_text("utf-8")
    change = _move(example_vault, "Tom call.md", "Coffee with Tom.md")
    result = _tick_thank_you_after(example_vault, change, ("[[Tom call|", "[[Coffee with Tom|"))
    assert result.dropped == []
    assert "thanked: 2026-11-26" in (example_vault / "Coffee with Tom.md").read_text("utf-8")


@pytest.mark.parametrize("moved_too", [False, True])
def test_a_tick_is_recorded_after_the_persons_note_was_renamed(example_vault: Path, moved_too: bool) -> None:
    """Renaming `People/Tom Lee.md` to `Thomas Lee`: Obsidian rewrites every link to it, in
    the notes and on the page, and keeps the page's words (`[[People/Thomas Lee|Tom Lee]]`);
    and, before the next sync, perhaps the conversation moved to an archive as well."""
    conversation = f"Archive/{TOM}" if moved_too else TOM

    def rename() -> None:
        _move(example_vault, "People/Tom Lee.md", "People/Thomas Lee.md")()
        for note in example_vault.rglob("*.md"):
            text = note.read_text("utf-8")
            if "notesync" not in note.parts and "[[Tom Lee]]" in text:
                note.write_text(text.replace("[[Tom Lee]]", "[[Thomas Lee]]"), "utf-8")
        if moved_too:
            _move(example_vault, f"{TOM}.md", f"{conversation}.md")()

    links = [("[[People/Tom Lee|", "[[People/Thomas Lee|"), (f"[[{TOM}|", f"[[{conversation}|")]
    result = _tick_thank_you_after(example_vault, rename, *links)
    assert result.dropped == []
    assert "thanked: 2026-11-26" in (example_vault / f"{conversation}.md").read_text("utf-8")
