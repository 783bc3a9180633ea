"""`notesync watch` end to end, with a real watchdog observer on a temporary vault."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from notesync.watch import Pass, Watcher, relevant

PAGES = Path("notesync")


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


class Running:
    def __init__(self, watcher: Watcher, passes: list[Pass]) -> None:
        self.watcher = watcher
        self.passes = passes

    def page(self, name: str) -> str:
        return (self.watcher.vault / PAGES / name).read_text("utf-8")

    def settle(self, count: int) -> None:
        """Wait until `count` passes have happened, then a little more for stragglers."""
        wait_for(lambda: len(self.passes) >= count)


@pytest.fixture
def vault(example_vault: Path) -> Path:
    return example_vault


@pytest.fixture
def running(vault: Path) -> Iterator[Running]:
    passes: list[Pass] = []
    watcher = Watcher(
        vault, passes.append, today=lambda: date(2026, 11, 26), tick=0.05
    )  # default quiet period
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    wait_for(lambda: len(passes) == 1)
    assert passes[0].reason == "start" and passes[0].result is not None
    yield Running(watcher, passes)
    watcher.stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()


REQUEST = '---\ntype: interview\ncontact: "[[{name}]]"\ndate: 2026-11-01\nstatus: requested\n---\n'


def test_new_note_edit_safe_save_rename_delete_and_folder_move(running: Running, vault: Path) -> None:
    new = vault / "Interviews" / "2026-11-01 Nina Rossi.md"
    new.write_text(REQUEST.format(name="Nina Rossi"), "utf-8")
    wait_for(lambda: "Nina Rossi" in running.page("Contacts.md"))

    new.write_text(REQUEST.format(name="Nina Rossi").replace("requested", "declined"), "utf-8")  # an edit
    wait_for(
        lambda: "| declined |" in running.page("Contacts.md").split("Nina Rossi", 1)[1].split("\n", 1)[0]
    )

    tmp = vault / "Interviews" / ".2026-11-01 Nina Rossi.md.tmp"  # safe-save: temp file, then rename
    tmp.write_text(REQUEST.format(name="Nina Rossi"), "utf-8")
    os.replace(tmp, new)
    wait_for(lambda: "Follow up with [[Nina Rossi]]" in running.page("Follow-ups.md"))

    renamed = vault / "Interviews" / "2026-11-01 Nino Rossi.md"  # rename (a note about someone else now)
    renamed.write_text(new.read_text("utf-8").replace("Nina", "Nino"), "utf-8")
    new.unlink()
    wait_for(
        lambda: (
            "Nino Rossi" in running.page("Contacts.md") and "Nina Rossi" not in running.page("Contacts.md")
        )
    )

    renamed.unlink()  # delete
    wait_for(lambda: "Nino Rossi" not in running.page("Contacts.md"))

    (vault / "People").rename(vault / "Archive People")  # folder move: links now point elsewhere
    wait_for(lambda: "[[Archive People/Jane Smith\\|Jane Smith]]" in running.page("Contacts.md"))
    assert all(p.error is None for p in running.passes)


def test_a_burst_of_saves_is_one_or_two_syncs(vault: Path) -> None:
    """Writes closer together than the quiet period (an editor streaming a note) are one
    sync (two if one starts while they come). The period is 0.3 s here and the writes are
    4 ms apart, so a loaded machine cannot split the burst. (A note closed after a write
    is a save of its own: `watch.SAVED`.)"""
    passes: list[Pass] = []
    watcher = Watcher(vault, passes.append, debounce=0.3, today=lambda: date(2026, 11, 26), tick=0.05)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(passes) == 1)
        note = vault / "Interviews" / "2026-11-20 Tom Lee.md"
        with open(note, "a", encoding="utf-8") as fh:
            for i in range(20):
                fh.write(f"\nline {i}\n")
                fh.flush()
                time.sleep(0.004)
        wait_for(lambda: len(passes) > 1)
        time.sleep(1.0)
        assert 1 <= len(passes) - 1 <= 2
        assert "line 19" in note.read_text("utf-8")
    finally:
        watcher.stop.set()
        thread.join(timeout=10)


def test_idle_watcher_is_not_woken_by_its_own_writes(running: Running, vault: Path) -> None:
    note = vault / "Interviews" / "2026-11-20 Tom Lee.md"
    note.write_text(
        note.read_text("utf-8").replace("status: done", "status: done\nthanked: 2026-11-21"), "utf-8"
    )
    wait_for(lambda: len(running.passes) == 2)
    assert running.passes[1].result is not None and running.passes[1].result.written  # it wrote pages
    time.sleep(2.0)  # (its own writes' events arrive within milliseconds; a pass takes a tenth of a second)
    assert len(running.passes) == 2


@pytest.mark.filterwarnings(
    "ignore:Callback with id:RuntimeWarning"
)  # watchdog, re-watching a folder made again
def test_the_output_folder_deleted_or_moved_out_of_the_vault_is_made_again(
    running: Running, vault: Path
) -> None:
    """Deleting a folder to the system's trash moves it out of the vault: one event, for the
    folder (once the folder is new, as after a first deletion, none for the pages in it)."""
    before = {p.name: p.read_bytes() for p in (vault / PAGES).iterdir()}

    def back() -> bool:
        return all((vault / PAGES / name).exists() for name in before)

    (vault / ".trash").mkdir()
    (vault / PAGES).rename(vault / ".trash" / "notesync")  # Obsidian's delete
    wait_for(back)
    running.settle(2)
    shutil.move(str(vault / ".trash" / "notesync"), str(vault.parent / "emptied"))  # trash emptied
    shutil.rmtree(vault / PAGES)
    wait_for(back)
    running.settle(3)
    (vault / PAGES).rename(vault.parent / "trashed-notesync")  # to the system's trash
    wait_for(back)
    assert {p.name: p.read_bytes() for p in (vault / PAGES).iterdir()} == before


def test_editor_droppings_hidden_folders_and_output_are_not_events(running: Running, vault: Path) -> None:
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "workspace.json").write_text("{}", "utf-8")
    (vault / ".trash").mkdir()
    (vault / ".trash" / "old.md").write_text("x", "utf-8")
    (vault / "Interviews" / ".2026-11-20 Tom Lee.md.swp").write_bytes(b"vim swap")
    (vault / "Interviews" / "2026-11-20 Tom Lee.md~").write_text("backup", "utf-8")
    (vault / "4913").write_text("", "utf-8")  # vim's write test file
    (vault / "picture.png").write_bytes(b"\x89PNG")
    (vault / "notesync" / "scratch.md").write_text("mine", "utf-8")
    time.sleep(1.0)
    assert len(running.passes) == 1


def test_a_failed_sync_is_reported_and_watching_goes_on(running: Running, vault: Path) -> None:
    (vault / ".notesync.toml").write_text("output = 3\n", "utf-8")
    wait_for(lambda: len(running.passes) == 2)
    assert running.passes[1].error is not None and "output" in running.passes[1].error
    (vault / ".notesync.toml").unlink()
    note = vault / "Interviews" / "2026-11-24 Ann Chu.md"
    note.write_text(note.read_text("utf-8").replace("requested", "declined"), "utf-8")
    wait_for(lambda: any(p.error is None and p.reason == "change" for p in running.passes[2:]))


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symbolic_links_made_while_watching_are_reported_not_fatal(running: Running, vault: Path) -> None:
    """A loop of links, and a link out of the vault: the pass says what the walk says of
    them, and watching goes on (a loop once stopped the watcher with a traceback)."""
    os.symlink("loop1", vault / "loop2.md")
    os.symlink("loop2.md", vault / "loop1")
    wait_for(lambda: any(d.code == "symlink-loop" for p in running.passes[1:] for d in p.new))
    (vault.parent / "outside.md").write_text("---\ntype: contact\n---\n", "utf-8")
    os.symlink(str(vault.parent / "outside.md"), vault / "Elsewhere.md")
    wait_for(lambda: any(d.code == "symlink-outside" for p in running.passes[1:] for d in p.new))
    assert all(p.error is None for p in running.passes)
    note = vault / "Interviews" / "2026-11-24 Ann Chu.md"
    note.write_text(note.read_text("utf-8").replace("requested", "declined"), "utf-8")
    wait_for(lambda: "Ann Chu" not in running.page("Follow-ups.md"))


def test_midnight_rollover_rewrites_follow_ups(vault: Path) -> None:
    clock = {"day": date(2026, 11, 26)}
    passes: list[Pass] = []
    watcher = Watcher(
        vault,
        passes.append,
        debounce=0.05,
        today=lambda: clock["day"],
        now=lambda: datetime.combine(clock["day"], datetime.min.time()).replace(
            hour=23, minute=59, second=59
        ),
        tick=0.05,
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(passes) == 1)
        page = vault / "notesync" / "Follow-ups.md"
        assert "As of 2026-11-26" in page.read_text("utf-8")
        clock["day"] = date(2026, 11, 27)  # the clock strikes midnight; no file changes
        wait_for(lambda: len(passes) == 2)
        assert passes[1].reason == "midnight"
        assert "As of 2026-11-27" in page.read_text("utf-8")
        assert passes[1].result is not None
        assert "notesync/Follow-ups.md" in [c.page for c in passes[1].result.written]
    finally:
        watcher.stop.set()
        thread.join(timeout=10)


def test_polling_observer_sees_a_new_note(vault: Path) -> None:
    """--polling: for network drives and containers, where OS events do not arrive."""
    passes: list[Pass] = []
    watcher = Watcher(
        vault, passes.append, polling=True, debounce=0.05, today=lambda: date(2026, 11, 26), tick=0.05
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(passes) == 1)
        (vault / "Interviews" / "polled.md").write_text(REQUEST.format(name="Polly Poll"), "utf-8")
        wait_for(lambda: "Polly Poll" in (vault / "notesync" / "Contacts.md").read_text("utf-8"), timeout=15)
    finally:
        watcher.stop.set()
        thread.join(timeout=10)


@pytest.mark.parametrize(
    ("rel", "is_dir", "want"),
    [
        ("Interviews/a.md", False, True),
        ("Interviews", True, True),
        ("notesync/Contacts.md", False, False),
        ("NoteSync/Contacts.md", False, False),
        (".obsidian/app.json", False, False),
        ("Interviews/.a.md.swp", False, False),
        ("Interviews/a.md~", False, False),
        ("4913", False, False),
        ("picture.png", False, False),
    ],
)
def test_relevant_paths(rel: str, is_dir: bool, want: bool) -> None:
    assert relevant(rel, "notesync", is_dir) is want


def start_watch(vault: Path) -> subprocess.Popen[str]:
    """`notesync watch` as a user runs it, its output (both streams) as text lines."""
    return subprocess.Popen(
        [sys.executable, "-m", "notesync", "watch", str(vault), "--debounce", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_the_watcher_cleanly(vault: Path, sig: signal.Signals) -> None:
    proc = start_watch(vault)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "watching" in line:
            break
    proc.send_signal(sig)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out
    leftovers = [p for p in vault.rglob("*") if p.name.endswith(".notesync-tmp")]
    assert leftovers == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_watch_says_what_a_ticked_box_recorded(vault: Path) -> None:
    """`watch` prints what a tick recorded (or refused, or dropped), as `sync` does."""
    proc = start_watch(vault)
    assert proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in proc.stdout or ():
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()

    def next_line() -> str:
        return lines.get(timeout=20)  # (a watcher that says nothing fails the test, not hangs it)

    try:
        while "watching" not in next_line():
            pass
        page = vault / PAGES / "Follow-ups.md"
        page.write_text(page.read_text("utf-8").replace("- [ ] ", "- [x] ", 1), "utf-8")
        said = [next_line()]  # the pass's line, then what the tick recorded
        said.append(next_line())
        assert " a tick -> " in said[0] and "Follow-ups.md" in said[0], said
        assert said[1].startswith("recorded "), said
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)


def test_a_pass_says_what_caused_it() -> None:
    from notesync.results import Summary, SyncResult

    result = SyncResult(Summary(1, 1, 0, 0), date(2026, 11, 26), [], [], False, [], [], ["0123abcd"])
    notes = tuple(f"n{i}.md" for i in range(5))
    assert Pass("change", notes[:2], None, 0.1).cause() == "n0.md, n1.md"
    assert Pass("change", notes, None, 0.1).cause() == "n0.md, n1.md, n2.md and 2 more"
    assert Pass("midnight", (), None, 0.1).cause() == "a new day"
    assert Pass("change", (), result, 0.1).cause() == "a tick"
    assert Pass("change", (), None, 0.1).cause() == "folders or settings"
