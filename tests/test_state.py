"""The state layer with two processes, two devices and crashes: one lock per vault, pages
that carry their own digest, backups that are never overwritten, a store that can be
damaged or deleted without harm."""

from __future__ import annotations

import os
import pickle
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from notesync import write
from notesync.cli import main
from notesync.lock import LockedError
from notesync.pipeline import Session, sync
from notesync.scan import TEMP_SUFFIX
from notesync.store import STORE_FILE, vault_folder

from .conftest import tree_hashes
from .test_crash import kill_mid_write, run_sync, set_state
from .test_incremental import ANN, TOM, assert_same_as_fresh, copy_example, edit

DAY = date(2026, 11, 26)


def backups(vault: Path) -> list[Path]:
    return sorted((vault / ".notesync" / "backups").glob("*")) if (vault / ".notesync").exists() else []


def test_a_second_sync_waits_for_the_first_then_syncs_what_changed_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first sync is held just before it writes its pages (a pause point, not a
    race); meanwhile a note changes and a second sync starts. The second waits for the
    lock, then brings the pages up to date: no failure, no backup, a fresh sync's pages."""
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    paused, go = threading.Event(), threading.Event()
    real_apply = write.apply
    calls = []

    def held_apply(*args: Any, **kwargs: Any) -> Any:
        calls.append(threading.current_thread().name)
        if threading.current_thread().name == "first":
            paused.set()
            assert go.wait(10)
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(write, "apply", held_apply)
    edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n")(vault)
    results: dict[str, Any] = {}

    def run(name: str) -> None:
        results[name] = sync(vault, today=DAY)

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert paused.wait(10)
    edit(ANN, "status: requested", "status: declined")(vault)  # while the first is held
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    time.sleep(0.3)
    assert calls == ["first"]  # the second is waiting for the lock, not writing
    go.set()
    first.join(10)
    second.join(10)
    assert calls == ["first", "first", "second", "second"]  # (each: Follow-ups.md, then the rest)
    assert not any(c.edited for r in results.values() for c in r.changes)
    assert backups(vault) == []
    assert_same_as_fresh(vault, tmp_path, "two syncs", DAY, [str(d) for d in results["second"].diagnostics])


def test_a_sync_kept_waiting_too_long_names_the_other_process(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    holder = Session(vault, what="notesync watch")
    holder.lock.acquire(0)
    try:
        with pytest.raises(LockedError, match=r"another notesync \(pid \d+, notesync watch, since"):
            Session(vault).sync(today=DAY, wait=0.2)
        for command in (["sync", str(vault)], ["done", "0123abcd", "--vault", str(vault)]):
            result = CliRunner().invoke(main, [*command, "--today", "2026-11-26", "--wait", "0.2"])
            assert result.exit_code == 1 and "notesync watch" in result.output
    finally:
        holder.lock.release()
        holder.close()
    assert sync(vault, today=DAY).written  # let go: the next one runs


def test_two_sync_processes_at_once_with_edits_between(tmp_path: Path) -> None:
    """Real processes, started together, twelve rounds, a status flipped between rounds."""
    vault = copy_example(tmp_path / "vault")
    note = vault / ANN
    for i in range(12):
        text = note.read_text("utf-8")
        note.write_text(
            text.replace("status: requested", "status: declined")
            if i % 2
            else text.replace("status: declined", "status: requested"),
            "utf-8",
        )
        procs = [run_sync(vault, "2026-11-26", capture=True) for _ in range(2)]
        outs = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert not any(b"edited" in out for out, _ in outs), outs
    assert backups(vault) == []
    assert not [p for p in vault.rglob("*") if p.name.endswith(TEMP_SUFFIX)]
    assert_same_as_fresh(
        vault, tmp_path, "processes", DAY, [str(d) for d in sync(vault, today=DAY).diagnostics]
    )


def test_a_watcher_and_cli_syncs_at_once(tmp_path: Path) -> None:
    from notesync.watch import Pass, Watcher

    vault = copy_example(tmp_path / "vault")
    passes: list[Pass] = []
    watcher = Watcher(vault, passes.append, today=lambda: DAY, tick=0.05)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not passes and time.monotonic() < deadline:
            time.sleep(0.02)
        note = vault / ANN
        for i in range(6):
            text = note.read_text("utf-8")
            flipped = ("requested", "declined") if i % 2 == 0 else ("declined", "requested")
            note.write_text(text.replace(*flipped), "utf-8")
            result = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-11-26"])
            assert result.exit_code == 0, result.output
            assert "edited" not in result.output
    finally:
        time.sleep(0.5)  # let the watcher catch up with the last edit
        watcher.stop.set()
        thread.join(10)
    assert all(p.error is None for p in passes), [p.error for p in passes]
    assert not any(c.edited for p in passes if p.result for c in p.result.changes)
    assert backups(vault) == []
    assert_same_as_fresh(
        vault, tmp_path, "watch+cli", DAY, [str(d) for d in sync(vault, today=DAY).diagnostics]
    )


def test_two_backups_within_one_second_are_both_kept(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    page = vault / "notesync" / "Follow-ups.md"
    versions = []
    for i in range(2):
        text = page.read_text("utf-8") + f"\nMy note {i}.\n"
        page.write_text(text, "utf-8")
        versions.append(text)
        assert [c.page for c in sync(vault, today=DAY).changes if c.edited] == ["notesync/Follow-ups.md"]
    kept = [p.read_text("utf-8") for p in backups(vault)]
    assert sorted(kept) == sorted(versions)


def test_two_crashes_in_a_row_then_a_sync_invent_no_edit(tmp_path: Path) -> None:
    """Two syncs killed in the middle of writing a page, then a normal sync: every page
    is notesync's as it left it, so nothing is backed up as "edited"."""
    vault = copy_example(tmp_path / "vault")
    assert run_sync(vault, set_state(vault, 0)).wait(timeout=60) == 0
    killed = 0
    for state, page in ((1, "Referral Map.canvas"), (0, "Follow-ups.md")):
        killed += kill_mid_write(run_sync(vault, set_state(vault, state)), vault / "notesync", page)
    assert killed >= 1
    result = CliRunner().invoke(main, ["sync", str(vault), "--today", set_state(vault, 1)])
    assert result.exit_code == 0, result.output
    assert "edited" not in result.output and backups(vault) == []


def test_a_killed_writes_temporary_files_are_cleaned_by_the_next_run(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    leftovers = [
        vault / "notesync" / f".Follow-ups.md.4242{TEMP_SUFFIX}",
        vault / ".notesync" / "backups" / f".Contacts 2026-11-26 101010.md.4242{TEMP_SUFFIX}",
        vault / "Interviews" / f".2026-11-20 Tom Lee.md.4242{TEMP_SUFFIX}",  # a tick's edit (see `done`)
        vault_folder(vault) / f".{STORE_FILE}.4242{TEMP_SUFFIX}",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half a file", "utf-8")
    edit(TOM, "## Notes\n", "## Notes\nMore.\n")(vault)
    sync(vault, today=DAY)
    assert [p for p in leftovers if p.exists()] == []


def test_an_edit_with_its_mtime_put_back_is_seen(tmp_path: Path) -> None:
    """Same size, same mtime: the inode's change time still tells (and `--no-cache`
    reads every note whatever the stat says)."""
    vault = copy_example(tmp_path / "vault")
    note = vault / TOM
    sync(vault, today=DAY)
    before = note.stat()
    text = note.read_text("utf-8")
    note.write_text(text.replace("status: done", "status: dune"), "utf-8")  # same size
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert note.stat().st_size == before.st_size and note.stat().st_mtime_ns == before.st_mtime_ns
    result = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-11-26", "--no-cache"])
    assert result.exit_code == 0
    assert "status 'dune' is not a known status" in result.output
    again = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-11-26"])
    assert "status 'dune' is not a known status" in again.output


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "a value", "a note", "other code"])
def test_a_damaged_store_is_dropped_and_made_again(tmp_path: Path, damage: str) -> None:
    vault = copy_example(tmp_path / "vault")
    first = sync(vault, today=DAY)
    good = tree_hashes(vault / "notesync")
    path = vault_folder(vault) / STORE_FILE
    if damage in ("garbage", "truncated", "empty"):
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        data = path.read_bytes()
        path.write_bytes(
            {"garbage": os.urandom(len(data)), "truncated": data[: len(data) // 3], "empty": b""}[damage]
        )
    else:
        db = sqlite3.connect(path)
        if damage == "a value":
            db.execute("UPDATE memo SET value = x'80049501'")
        elif damage == "a note":
            db.execute("UPDATE notes SET note = x'00ff'")
            db.execute("DELETE FROM memo")  # so the notes must be read back
        else:
            db.execute("UPDATE meta SET value = ? WHERE key = 'code'", (pickle.dumps("other code"),))
        db.commit()
        db.close()
    shutil.rmtree(vault / "notesync")
    edit(TOM, "## Notes\n", "## Notes\nMore.\n")(vault)
    result = sync(vault, today=DAY)  # no crash, the same pages and diagnostics
    assert tree_hashes(vault / "notesync") == good
    assert [str(d) for d in result.diagnostics] == [str(d) for d in first.diagnostics]
    shutil.rmtree(vault / "notesync")
    sync(vault, today=DAY)
    assert tree_hashes(vault / "notesync") == good


def test_an_unchanged_sync_right_after_a_save_is_answered_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note saved just before a sync is vouched for by its bytes on the next run: that
    run reads no note and makes nothing again (the racy no-op stays a no-op)."""
    from notesync import pipeline

    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n")(vault)  # saved just now
    sync(vault, today=DAY)
    parsed: list[str] = []
    from notesync.read import parse_all as real

    def spy(vault: Path, paths: list[str], *args: Any, **kwargs: Any) -> Any:
        parsed.extend(paths)
        return real(vault, paths, *args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_all", spy)
    for _ in range(3):
        result = sync(vault, today=DAY)
        assert {c.action for c in result.changes} == {"unchanged"} and len(result.changes) >= 6
    assert parsed == []


def test_a_new_run_after_an_edit_reads_only_the_edited_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `sync()` opens the vault anew, as a new process does: the notes the store
    vouches for are not read again."""
    from notesync import pipeline

    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n")(vault)
    parsed: list[str] = []
    from notesync.read import parse_all as real

    def spy(vault: Path, paths: list[str], *args: Any, **kwargs: Any) -> Any:
        parsed.extend(paths)
        return real(vault, paths, *args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_all", spy)
    sync(vault, today=DAY)
    assert parsed == [TOM]


class Watching:
    """`notesync watch` in a process of its own, its output read line by line."""

    def __init__(self, vault: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "notesync", "watch", str(vault), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.decode("utf-8", "replace"))

    def wait_for(self, needle: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if needle in line:
                return line
        raise AssertionError("".join(self.seen))

    def stop(self) -> float:
        """SIGTERM; how long it took to exit."""
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(timeout=10) == 0
        return time.monotonic() - started


def test_watch_reports_a_note_broken_while_watching(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    watching = Watching(vault, "--debounce", "20")
    try:
        watching.wait_for("watching")
        edit(ANN, 'contact: "[[Ann Chu]]"', 'contact: "[[Ann')(vault)
        line = watching.wait_for("Interviews/2026-11-24 Ann Chu.md:")
        assert ": yaml-invalid: " in line
        assert watching.stop() < 1.0
    finally:
        watching.proc.kill()


def test_watch_stops_within_a_second_with_a_change_pending(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    watching = Watching(vault, "--debounce", "60000")
    try:
        watching.wait_for("watching")
        edit(TOM, "## Notes\n", "## Notes\nMore.\n")(vault)
        time.sleep(0.3)  # the change is waiting out its (minute-long) quiet period
        assert watching.stop() < 1.0
    finally:
        watching.proc.kill()


def test_watch_survives_a_failed_write_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from notesync.watch import Pass, Watcher

    vault = copy_example(tmp_path / "vault")
    passes: list[Pass] = []
    watcher = Watcher(vault, passes.append, today=lambda: DAY, tick=0.05)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not passes and time.monotonic() < deadline:
            time.sleep(0.02)
        real = write.atomic_write

        def full_disk(target: Path, data: bytes) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

        monkeypatch.setattr(write, "atomic_write", full_disk)
        edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n")(vault)
        while len(passes) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        failed = passes[1]
        assert failed.error is None and failed.result is not None
        assert any(d.code == "write-failed" for d in failed.new)
        monkeypatch.setattr(write, "atomic_write", real)
        edit(TOM, "## Notes\n", "## Notes\nMore.\n")(vault)
        while len(passes) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert passes[2].result is not None and not passes[2].result.skipped
    finally:
        watcher.stop.set()
        thread.join(10)


def test_a_page_as_the_last_run_wrote_it_is_updated_and_an_edited_one_backed_up(tmp_path: Path) -> None:
    """`plan` trusts the record of the last run only for the exact bytes it wrote: any
    other bytes go through the page's own digest, so an edit is still backed up."""
    from notesync.owner import front_matter, stamp
    from notesync.read import bytes_digest

    out = tmp_path / "notesync"
    out.mkdir()
    old = stamp("Contacts.md", front_matter() + "# Contacts\n\nold\n")
    new = stamp("Contacts.md", front_matter() + "# Contacts\n\nnew\n")
    (out / "Contacts.md").write_bytes(old)
    written = {"Contacts.md": bytes_digest(old)}
    [change] = write.plan(tmp_path, "notesync", {"Contacts.md": new}, written=written)
    assert (change.action, change.edited) == ("update", False)
    (out / "Contacts.md").write_bytes(old + b"my own line\n")
    [change] = write.plan(tmp_path, "notesync", {"Contacts.md": new}, written=written)
    assert (change.action, change.edited) == ("update", True)


def test_pages_stamped_before_links_were_left_out_of_the_digest_are_still_notesyncs() -> None:
    """Pages written by the version before keep their digests (taken over link targets
    too) until their content changes: they must still read as notesync's own."""
    import json as json_

    from notesync.owner import (
        CANVAS_ID,
        DIGEST_KEY,
        _canvas_digest,
        _md_digest,
        front_matter,
        ownership,
        stamp,
    )

    text = front_matter() + "# Contacts\n\n[[People/Ann Chu|Ann Chu]]\n"
    old = text.replace(f"{DIGEST_KEY}: {'0' * 16}", f"{DIGEST_KEY}: {_md_digest(text, True, targets=True)}")
    assert old != stamp("Contacts.md", text).decode()
    assert ownership("Contacts.md", old.encode()) == "ours"
    assert ownership("Contacts.md", old.replace("Ann Chu]]", "Ann Chu]] mine").encode()) == "edited"
    # and a rename, which Obsidian follows in the page's links, is no edit
    renamed = stamp("Contacts.md", text).decode().replace("People/Ann Chu|", "People/Ann Chu-Lee|")
    assert ownership("Contacts.md", renamed.encode()) == "ours"
    canvas = {
        "nodes": [{"id": CANVAS_ID, "type": "text"}, {"id": "a", "type": "file", "file": "People/Ann.md"}]
    }
    digest = _canvas_digest(canvas, files=True)
    canvas["nodes"][0]["id"] = CANVAS_ID + digest
    assert ownership("Referral Map.canvas", json_.dumps(canvas).encode()) == "ours"


def test_a_note_asked_for_twice_at_once_is_decoded_once(tmp_path: Path) -> None:
    """The watcher's session keeps decoded notes and lets the row's copy go: a note named
    twice in one request (the calendar drafts a message per item, several per note) must
    not then be read from a row that no longer holds it (the store was taken for damaged)."""
    vault = copy_example(tmp_path / "vault")
    session = Session(vault, resident=True)
    try:
        session.sync(today=DAY)
        assert session.store is not None and session.rows is not None
        path = "Interviews/2026-11-20 Tom Lee.md"
        session._notes.clear()  # as after the note changed: its row holds the note just read
        session.rows[path] = session.rows[path]._replace(note=session.store.notes([path])[path])
        first, second = session.notes([path, path])
        assert first == second and first.path == path
        assert session.store is not None and session.rows[path].note is None
    finally:
        session.close()


def test_a_page_deleted_while_the_sync_finishes_is_made_again_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page deleted between its write and the run's record (a watcher beside the user's
    file manager) fails nothing: the run keeps no record, and the next one makes the page."""
    vault = copy_example(tmp_path / "vault")
    real = write.apply

    def apply_then_delete(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        (vault / "notesync" / "Contacts.md").unlink(missing_ok=True)  # (once written: the second call)
        return out

    monkeypatch.setattr(write, "apply", apply_then_delete)
    sync(vault, today=DAY)
    monkeypatch.setattr(write, "apply", real)
    assert not (vault / "notesync" / "Contacts.md").exists()
    result = sync(vault, today=DAY)
    assert [c.action for c in result.changes if c.page.endswith("Contacts.md")] == ["create"]


def _sync_reading_pages(vault: Path) -> tuple[Any, list[str]]:
    """A sync, and the names of the files it read whole (`Path.read_bytes`: the pages)."""
    read: list[str] = []
    real = Path.read_bytes

    def spy(path: Path) -> bytes:
        read.append(path.name)
        return real(path)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "read_bytes", spy)
        return sync(vault, today=DAY), read


def _changed_at(path: Path) -> int:
    st = path.stat()
    return max(st.st_mtime_ns, st.st_ctime_ns)


def test_pages_the_clock_has_passed_are_settled_by_the_run_that_wrote_them(tmp_path: Path) -> None:
    """Right after a sync, the next one reads back only the pages written in the file
    system's last clock tick: the others the writing run read back once the clock had
    moved on, and from then on any change to them changes their stat."""
    from notesync import pipeline
    from notesync.store import open_store

    vault = copy_example(tmp_path / "vault")
    result = sync(vault, today=DAY)
    written = {c.page.rsplit("/", 1)[-1] for c in result.written} - set(pipeline_once())  # (not kept)
    times = {name: _changed_at(vault / "notesync" / name) for name in written}
    latest = max(times.values())
    if list(times.values()).count(latest) == len(times):
        pytest.skip("this file system's clock gave every page the same time")
    store = open_store(vault_folder(vault), vault)
    assert store is not None
    try:
        settled = store.meta(pipeline.RUN)[6]
    finally:
        store.close()
    assert settled == {name for name, t in times.items() if t < latest}
    again, read = _sync_reading_pages(vault)
    assert {c.action for c in again.changes} == {"unchanged"}
    assert set(read) & settled == set()


def pipeline_once() -> tuple[str, ...]:
    from notesync.render import ONCE

    return tuple(ONCE)


def test_a_page_changed_before_the_clock_moved_on_is_not_settled(tmp_path: Path) -> None:
    """Read back, a page must hold what was written; and the last page written (the file
    system's clock not yet seen past it) is left to the next run."""
    from notesync.pipeline import _page_stat, _settled

    out = tmp_path / "out"
    out.mkdir()
    pages = {"a.md": b"first\n", "b.md": b"second\n", "c.md": b"third\n"}
    for name, data in pages.items():
        (out / name).write_bytes(data)
    (out / "a.md").write_bytes(b"FIRST\n")  # someone else's change, same size, before the read-back
    stats = {name: _page_stat(out / name) for name in pages}
    times = sorted(max(s.mtime_ns, s.ctime_ns) for s in stats.values())
    if times[-1] == times[0]:
        pytest.skip("this file system's clock gave every file the same time")
    settled = _settled(out, pages, stats)
    last = [n for n, s in stats.items() if max(s.mtime_ns, s.ctime_ns) == times[-1]]
    assert "a.md" not in settled and not set(last) & settled
    assert settled == {n for n in ("b.md", "c.md") if n not in last}


def _run_record(vault: Path) -> bytes:
    from notesync import pipeline

    db = sqlite3.connect(vault_folder(vault) / STORE_FILE)
    try:
        return bytes(db.execute("SELECT value FROM meta WHERE key = ?", (pipeline.RUN,)).fetchone()[0])
    finally:
        db.close()


def test_a_no_op_writes_the_store_only_when_that_spares_the_next_run_a_read(tmp_path: Path) -> None:
    """Right after a save, a no-op reads back what changed close to the last run; recording
    that would not spare the next run the same read (it is still close), so nothing is
    written. A page touched but unchanged gets its new stat recorded, and is no longer
    settled (nothing shows the clock past its new time): the next run reads it back."""
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n")(vault)  # saved just now
    sync(vault, today=DAY)
    before = _run_record(vault)
    assert {c.action for c in sync(vault, today=DAY).changes} == {"unchanged"}
    assert _run_record(vault) == before
    page = vault / "notesync" / "Companies.md"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns - 10**9))  # same bytes
    assert {c.action for c in sync(vault, today=DAY).changes} == {"unchanged"}
    assert _run_record(vault) != before
    again, read = _sync_reading_pages(vault)
    assert {c.action for c in again.changes} == {"unchanged"}
    assert "Companies.md" in read


def test_follow_ups_is_written_before_the_other_pages_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page a user watches is out as soon as it is made (a watcher's pass rewrites it
    about 100 ms sooner at 10,000 notes); the other pages follow."""
    from notesync import owner

    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    page = vault / "notesync" / "Follow-ups.md"
    before = page.read_bytes()
    edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n")(vault)  # the page changes
    real = owner.stamp
    written_when_made: dict[str, bool] = {}

    def spy(name: str, text: str) -> bytes:
        written_when_made.setdefault(name, page.read_bytes() != before)
        return real(name, text)

    monkeypatch.setattr(owner, "stamp", spy)
    result = sync(vault, today=DAY)
    assert written_when_made["Follow-ups.md"] is False and written_when_made["Contacts.md"] is True
    assert "notesync/Follow-ups.md" in {c.page for c in result.written}


def test_a_tick_while_the_other_pages_are_made_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Follow-ups.md is out before the other pages are made; a box ticked on it meanwhile
    is the user's edit (its stat is taken as written, not after), so it is recorded next."""
    import re

    from notesync import owner

    vault = copy_example(tmp_path / "vault")
    page = vault / "notesync" / "Follow-ups.md"
    real = owner.stamp

    def tick_while_contacts_is_made(name: str, text: str) -> bytes:
        if name == "Contacts.md" and "- [x]" not in page.read_text("utf-8"):
            ticked = re.sub(r"^- \[ \]", "- [x]", page.read_text("utf-8"), count=1, flags=re.M)
            page.write_text(ticked, "utf-8")
        return real(name, text)

    session = Session(vault)
    try:
        session.sync(today=DAY)
        edit(ANN, "status: requested", "status: declined")(vault)  # the next run makes the pages
        monkeypatch.setattr(owner, "stamp", tick_while_contacts_is_made)
        session.sync(today=DAY)
        monkeypatch.setattr(owner, "stamp", real)
        assert "- [x]" in page.read_text("utf-8")
        assert session.page_changed("Follow-ups.md")  # (what wakes the watcher)
    finally:
        session.close()
    result = sync(vault, today=DAY)
    assert len(result.recorded) == 1 and result.recorded[0].refusal is None


def test_settled_pages_go_by_the_change_times_the_system_sets(tmp_path: Path) -> None:
    """An mtime set ahead (a sync service keeping another device's clock, `touch -d`) says
    nothing of the file system's clock: the last page written is never settled for it."""
    from notesync.pipeline import _page_stat, _settled

    out = tmp_path / "out"
    out.mkdir()
    pages = {"a.md": b"first\n", "b.md": b"second\n", "c.md": b"third\n"}
    (out / "a.md").write_bytes(pages["a.md"])
    (out / "b.md").write_bytes(pages["b.md"])
    ahead = time.time_ns() + 3600 * 10**9
    os.utime(out / "b.md", ns=(ahead, ahead))
    (out / "c.md").write_bytes(pages["c.md"])
    stats = {name: _page_stat(out / name) for name in pages}
    if len({s.ctime_ns for s in stats.values()}) < 3:
        pytest.skip("this file system's clock gave two files the same time")
    assert "c.md" not in _settled(out, pages, stats)


def test_a_sync_without_the_cache_survives_an_undo_history_that_does_not_decode(tmp_path: Path) -> None:
    """`--no-cache` is the user's way to mend a store: a damaged undo history costs only
    itself, not the rest of the store (it was dropped whole, and the run kept nothing)."""
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    db = sqlite3.connect(vault_folder(vault) / STORE_FILE)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('done', ?)", (b"not a pickle",))
    db.commit()
    db.close()
    assert sync(vault, today=DAY, use_cache=False).diagnostics is not None
    db = sqlite3.connect(vault_folder(vault) / STORE_FILE)
    (rows,) = db.execute("SELECT count(*) FROM notes").fetchone()
    assert rows > 20 and db.execute("SELECT value FROM meta WHERE key = 'done'").fetchone() is None
    db.close()


def test_a_fresh_session_whose_first_run_failed_still_reads_every_note_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=DAY)
    session = Session(vault, fresh=True)
    real = Session._understand
    calls: list[int] = []

    def failing_once(self: Session, *args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("the disk went away")
        return real(self, *args)

    monkeypatch.setattr(Session, "_understand", failing_once)
    parsed: list[int] = []
    import notesync.read

    real_parse = notesync.read.parse_all

    def parse_all(vault: Path, paths: list[str], *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(paths))
        return real_parse(vault, paths, *args, **kwargs)

    monkeypatch.setattr("notesync.pipeline.parse_all", parse_all)
    try:
        with pytest.raises(OSError):
            session.sync(today=DAY)
        session.sync(today=DAY)
    finally:
        session.close()
    assert parsed and parsed[-1] > 20  # every note read again, not the store's rows
