"""The one edit from the terminal (`notesync done ID`, `--undo`, `--dry-run`), with the IDs
`notesync followups --json` shows, and from a `watch` pass when a box is ticked."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notesync.cli import main
from notesync.pipeline import sync
from notesync.watch import Pass, Watcher

from .test_ticks import CASES, Case, expected_text
from .ticking import (
    DAY,
    EVE,
    FAY,
    ISO,
    JANE,
    PAGE,
    MakeVault,
    backups,
    changed_lines,
    item_id,
    note_bytes,
    page_items,
    read_page,
    snapshot,
    tick,
    tick_vault,
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def followups(vault: Path, today: str = ISO) -> list[dict[str, object]]:
    out = run("followups", str(vault), "--today", today, "--json", "--upcoming", "7")
    assert out.exit_code == 0, out.output
    rows: list[dict[str, object]] = json.loads(out.stdout)
    return rows


def cli_id(vault: Path, fragment: str) -> str:
    """The id `followups --json` gives the one item whose text has `fragment`."""
    plain = fragment.replace("[[", "").replace("]]", "")
    found = [str(r["id"]) for r in followups(vault) if plain in str(r["text"])]
    assert len(found) == 1, (fragment, found)
    return found[0]


def done(vault: Path, *args: str, day: str = ISO) -> Result:
    return run("done", *args, "--vault", str(vault), "--date", day)


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_done_records_exactly_what_a_tick_records_and_undo_restores_the_bytes(
    make_vault: MakeVault, case: Case
) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = cli_id(vault, case.fragment)
    assert short == item_id(vault, case.fragment)  # the page and the terminal agree
    original = snapshot(vault)

    out = done(vault, short)

    assert out.exit_code == 0, out.output
    assert f"in {case.path}" in out.stdout and out.stdout.startswith("recorded ")
    after = snapshot(vault)
    assert after[case.path] == note_bytes(expected_text(case), "\r\n", True)
    assert {p: b for p, b in after.items() if p != case.path} == {
        p: b for p, b in original.items() if p != case.path
    }
    assert short not in [r["id"] for r in followups(vault)]
    assert short not in page_items(read_page(vault))

    undone = done(vault, "--undo", short)

    assert undone.exit_code == 0, undone.output
    assert undone.stdout.startswith("took back ") and f" in {case.path}\n" in undone.stdout
    assert snapshot(vault) == original  # the exact bytes, BOM and CRLF included
    assert short in [r["id"] for r in followups(vault)]  # the same item, the same id
    assert short in page_items(read_page(vault))
    assert backups(vault) == []


def test_done_on_a_referral_creates_the_request_and_undo_removes_it(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = cli_id(vault, "Reach out to Dana Lee")
    original = snapshot(vault)
    out = done(vault, short)
    assert out.exit_code == 0, out.output
    rel = f"Networking/{ISO} Dana Lee.md"
    assert f"created a request to Dana Lee on {ISO}: {rel}" in out.stdout
    assert set(snapshot(vault)) - set(original) == {rel}
    undone = done(vault, "--undo", short)
    assert undone.exit_code == 0, undone.output
    assert f"removed {rel}" in undone.stdout
    assert snapshot(vault) == original


def test_undo_refuses_when_the_note_changed_since(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    assert done(vault, short).exit_code == 0
    note = vault / JANE
    mine = note.read_bytes() + b"Sent it by post.\r\n"
    note.write_bytes(mine)

    undone = done(vault, "--undo", short)

    assert undone.exit_code == 1
    assert "changed" in undone.output and JANE in undone.output
    assert note.read_bytes() == mine


def test_undo_refuses_to_remove_a_created_note_changed_since(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = cli_id(vault, "Reach out to Dana Lee")
    assert done(vault, short).exit_code == 0
    created = vault / f"Networking/{ISO} Dana Lee.md"
    mine = created.read_bytes() + b"She answered the same day.\n"
    created.write_bytes(mine)
    undone = done(vault, "--undo", short)
    assert undone.exit_code == 1 and "changed since notesync created it" in undone.output
    assert created.read_bytes() == mine


def test_undo_of_an_id_notesync_never_recorded_is_an_error(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    before = snapshot(vault)
    undone = done(vault, "--undo", cli_id(vault, "Send the deck"))
    assert undone.exit_code == 1 and "recorded no item with that id" in undone.output
    assert snapshot(vault) == before


def test_done_twice_records_once_and_says_so(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = cli_id(vault, "Send the slides")
    assert done(vault, short).exit_code == 0
    once = snapshot(vault)
    again = done(vault, short)
    assert again.exit_code == 1
    assert f"{short}: no open item has this id (done already?" in again.stderr
    assert snapshot(vault) == once


def test_done_dry_run_changes_nothing(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    ids = [cli_id(vault, c.fragment) for c in CASES]
    page = (vault / PAGE).read_bytes()
    before = snapshot(vault)
    out = done(vault, *ids, "--dry-run")
    assert out.exit_code == 0, out.output
    assert out.stdout.count("would record ") == len(CASES)
    assert f"would record thanked: {ISO} in {JANE}" in out.stdout
    assert out.stdout.splitlines()[-1] == "dry run: nothing recorded, no page written"
    assert snapshot(vault) == before and (vault / PAGE).read_bytes() == page


def test_a_note_that_cannot_be_written_refuses_its_item_and_the_rest_syncs(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only note (or a full disk) is that item's refusal, not the run's failure:
    the other item is recorded and the pages are made."""
    from notesync import done as done_module
    from notesync.edit import Edit, Refusal, apply_edit

    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    first, second = (cli_id(vault, c.fragment) for c in (CASES[0], CASES[2]))

    def read_only(path: Path, edit: Edit) -> Refusal | None:
        if path.name == Path(CASES[0].path).name:
            raise PermissionError(13, "Permission denied", str(path))
        return apply_edit(path, edit)

    monkeypatch.setattr(done_module, "apply_edit", read_only)
    out = done(vault, first, second)
    assert out.exit_code == 1
    assert f"cannot write {CASES[0].path}: Permission denied" in out.stderr
    assert out.stdout.count("recorded ") == 1 and "wrote " in out.stdout


def test_done_with_an_unknown_id_is_reported(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    before = snapshot(vault)
    out = done(vault, "0123abcd")
    assert out.exit_code == 1 and "0123abcd: no open item has this id" in out.stderr
    assert "tick it again" not in out.stderr  # (what a box ticked on the page is told)
    assert snapshot(vault) == before


def test_the_id_is_the_same_whatever_the_day_and_wherever_the_item_sits(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    before = {r["text"]: r["id"] for r in followups(vault, "2026-11-28")}
    later = {r["text"]: r["id"] for r in followups(vault, "2026-11-29")}
    assert {t: i for t, i in later.items() if t in before} == {t: i for t, i in before.items() if t in later}
    fay = vault / FAY
    fay.write_bytes(fay.read_bytes().replace(b"---\r\n", b"---\r\n# a line above\r\n", 1))
    moved = {r["text"]: r["id"] for r in followups(vault, "2026-11-28")}
    assert moved == before


def test_done_with_write_back_off_says_it_did_nothing(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault, config="write_back = false\n")
    sync(vault, today=DAY)
    short = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    before = snapshot(vault)
    out = done(vault, short)
    assert snapshot(vault) == before  # nothing edited: the setting is respected
    assert out.exit_code != 0 or "write_back" in out.output  # and the user is told why


def test_done_with_an_earlier_date_keeps_the_pages_as_of_today(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault)
    short = cli_id(vault, "Send the deck")
    back = (date.today() - timedelta(days=2)).isoformat()
    out = done(vault, short, day=back)
    assert out.exit_code == 0, out.output
    assert f"✅ {back}" in (vault / "Networking/2026-11-10 Eve Task.md").read_text("utf-8")
    assert f"As of {date.today().isoformat()}" in read_page(vault)


# --- a watch pass ---------------------------------------------------------------------


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def quiet(passes: list[Pass], for_seconds: float, timeout: float = 15.0) -> int:
    """Wait until no pass has started for `for_seconds`; the number of passes then."""
    end = time.monotonic() + timeout
    count, since = len(passes), time.monotonic()
    while time.monotonic() < end:
        if len(passes) != count:
            count, since = len(passes), time.monotonic()
        elif time.monotonic() - since >= for_seconds:
            return count
        time.sleep(0.02)
    raise AssertionError(f"the watcher never went quiet: {[p.reason for p in passes]}")


@pytest.fixture
def watching(make_vault: MakeVault) -> Iterator[tuple[Path, list[Pass]]]:
    vault = tick_vault(make_vault)
    passes: list[Pass] = []
    watcher = Watcher(vault, passes.append, today=lambda: DAY, tick=0.05)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(passes) >= 1)
        assert passes[0].reason == "start" and passes[0].error is None
        yield vault, passes
    finally:
        watcher.stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_a_watch_pass_records_a_ticked_box_and_does_not_loop(watching: tuple[Path, list[Pass]]) -> None:
    vault, passes = watching
    case = CASES[0]
    short = item_id(vault, case.fragment)
    before = snapshot(vault)
    started = quiet(passes, 0.5)

    tick(vault, short, done_on="2026-11-28")

    want = note_bytes(expected_text(case), "\r\n", True)
    wait_for(lambda: (vault / case.path).read_bytes() == want)
    wait_for(lambda: short not in page_items(read_page(vault)))
    settled = quiet(passes, 1.0)
    assert all(p.error is None for p in passes), [p.error for p in passes]
    recorded = [r for p in passes if p.result for r in p.result.recorded]
    assert [(r.path, r.refusal) for r in recorded] == [(case.path, None)]
    assert 1 <= settled - started <= 3  # the tick's pass, and perhaps one or two for the note it edited
    after = snapshot(vault)
    assert changed_lines(before[case.path], after[case.path]) == [
        ((b"thanked:\r\n",), (f"thanked: {ISO}\r\n".encode(),))
    ]
    assert {p: b for p, b in after.items() if p != case.path} == {
        p: b for p, b in before.items() if p != case.path
    }
    assert backups(vault) == []
    assert not any(c.edited for p in passes if p.result for c in p.result.changes)
    time.sleep(2.0)  # idle: its own writes of the pages and of the note start no pass
    assert len(passes) == settled


def test_a_watch_pass_ignores_its_own_rewrites_of_follow_ups(watching: tuple[Path, list[Pass]]) -> None:
    """An edit of a note rewrites Follow-ups.md; that write is not taken for a tick."""
    vault, passes = watching
    started = quiet(passes, 0.5)
    note = vault / "Networking/2026-11-01 Carl Req.md"
    note.write_bytes(note.read_bytes().replace(b"Asked.", b"Asked again."))
    wait_for(lambda: len(passes) > started)
    settled = quiet(passes, 1.5)
    assert 1 <= settled - started <= 2, [p.reason for p in passes]  # one save may be two events
    assert all(p.result is not None and p.result.recorded == [] and p.result.dropped == [] for p in passes)
    assert not any(c.edited for p in passes if p.result for c in p.result.changes)


def test_undo_takes_back_an_edit_a_tick_made(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "Send the deck")
    original = snapshot(vault)
    tick(vault, short, done_on="2026-11-28")
    sync(vault, today=DAY)
    assert snapshot(vault) != original
    undone = done(vault, "--undo", short)
    assert undone.exit_code == 0, undone.output
    assert snapshot(vault) == original
    assert short in page_items(read_page(vault)) and "- [x]" not in read_page(vault)


def test_two_edits_of_one_note_are_undone_newest_first(make_vault: MakeVault) -> None:
    """`--undo` needs the note exactly as the edit left it: after a second edit of the
    same note, the first is taken back only once the second is."""
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    update = cli_id(vault, "how the conversation with Jane Smith went")
    original = (vault / JANE).read_bytes()
    assert done(vault, thanks).exit_code == 0
    assert done(vault, update).exit_code == 0
    both = (vault / JANE).read_bytes()

    refused = done(vault, "--undo", thanks)
    assert refused.exit_code == 1 and "changed" in refused.output
    assert (vault / JANE).read_bytes() == both

    assert done(vault, "--undo", update).exit_code == 0
    assert done(vault, "--undo", thanks).exit_code == 0
    assert (vault / JANE).read_bytes() == original


def test_several_ids_are_taken_back_newest_first_whatever_their_order(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    update = cli_id(vault, "how the conversation with Jane Smith went")
    deck = cli_id(vault, "Send the deck")
    original = snapshot(vault)
    assert done(vault, thanks, deck).exit_code == 0
    assert done(vault, update).exit_code == 0
    undone = done(vault, "--undo", thanks, deck, update, thanks)
    assert undone.exit_code == 0, undone.output
    assert undone.output.count("took back") == 3
    assert snapshot(vault) == original
    assert done(vault, "--undo", thanks).exit_code == 1  # (taken back already: no longer in the log)


def test_an_undo_refused_for_one_note_still_takes_back_the_others(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    deck = cli_id(vault, "Send the deck")
    eve = (vault / EVE).read_bytes()  # (the deck is Eve's)
    assert done(vault, thanks, deck).exit_code == 0
    edited = (vault / JANE).read_bytes() + b"\nA line of my own.\n"
    (vault / JANE).write_bytes(edited)
    undone = done(vault, "--undo", thanks, deck)
    assert undone.exit_code == 1
    assert "changed since it was read" in undone.output and undone.output.count("took back") == 1
    assert (vault / JANE).read_bytes() == edited and (vault / EVE).read_bytes() == eve


def test_a_dry_run_referral_reads_as_one_sentence(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    out = done(vault, cli_id(vault, "Reach out to Dana Lee"), "--dry-run")
    assert out.exit_code == 0, out.output
    assert f"would create a request to Dana Lee on {ISO}" in out.stdout
    assert "would record would" not in out.stdout


def test_an_undo_dry_run_says_what_it_would_take_back_and_changes_nothing(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    referral = cli_id(vault, "Reach out to Dana Lee")
    assert done(vault, thanks, referral).exit_code == 0
    recorded = snapshot(vault)
    page = read_page(vault)
    dry = done(vault, "--undo", "--dry-run", thanks, referral)
    assert dry.exit_code == 0, dry.output
    assert "would take back thanked" in dry.output and "would remove " in dry.output
    assert "dry run: nothing recorded, no page written" in dry.output
    assert snapshot(vault) == recorded and read_page(vault) == page
    assert done(vault, "--undo", thanks, referral).exit_code == 0  # (the dry run kept them in the log)


def test_undo_takes_an_id_that_names_one_item_and_says_why_it_took_no_other(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    deck = cli_id(vault, "Send the deck")
    original = (vault / JANE).read_bytes()
    assert done(vault, thanks, deck).exit_code == 0
    eve = (vault / EVE).read_bytes()
    undone = done(vault, "--undo", "ffffffffff", thanks)
    assert undone.exit_code == 1
    assert "ffffffffff: notesync recorded no item with that id here" in undone.output
    assert (vault / JANE).read_bytes() == original and (vault / EVE).read_bytes() == eve


def test_an_id_that_starts_two_recorded_ids_takes_neither_back(make_vault: MakeVault) -> None:
    from notesync.edit import Edit
    from notesync.pipeline import DONE_LOG, Session

    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    (vault / "a.md").write_bytes(b"after a")
    (vault / "b.md").write_bytes(b"after b")
    session = Session(vault)
    assert session.store is not None
    log = [
        (f"abc{n}" + "0" * 28, f"{n}.md", Edit(b"before", f"after {n}".encode(), (1,), "x"), None)
        for n in "ab"
    ]
    session.store.set_meta(DONE_LOG, log)
    session.store.db.commit()
    session.close()
    undone = done(vault, "--undo", "ABC")
    assert undone.exit_code == 1 and "ABC: it names several items recorded" in undone.output
    assert (vault / "a.md").read_bytes() == b"after a" and (vault / "b.md").read_bytes() == b"after b"
    assert done(vault, "--undo", "abcb").exit_code == 0 and (vault / "b.md").read_bytes() == b"before"


def test_undo_of_a_note_gone_says_so(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    deck = cli_id(vault, "Send the deck")
    assert done(vault, deck).exit_code == 0
    (vault / EVE).rename(vault / "Networking" / "Eve, renamed.md")
    undone = done(vault, "--undo", deck)
    assert undone.exit_code == 1 and f"{deck}: {EVE} is gone (moved or deleted)" in undone.output


def test_a_sync_without_the_cache_keeps_what_undo_takes_back(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    original = (vault / JANE).read_bytes()
    assert done(vault, thanks).exit_code == 0
    assert run("sync", str(vault), "--today", ISO, "--no-cache").exit_code == 0
    assert done(vault, "--undo", thanks).exit_code == 0
    assert (vault / JANE).read_bytes() == original


def test_the_undo_log_keeps_the_last_items_within_its_size() -> None:
    from notesync.edit import Edit
    from notesync.pipeline import DONE_BYTES, DONE_KEPT, _latest

    big = Edit(b"x" * (DONE_BYTES // 5), b"y" * (DONE_BYTES // 5), (1,), "thanked")
    small = Edit(b"a", b"b", (1,), "thanked")
    log = [(f"{n:032x}", "a.md", big, None) for n in range(5)] + [("f" * 32, "b.md", small, None)]
    assert _latest(log) == log[-3:]  # two big ones and the small one: a third big one is over
    huge = [("0" * 32, "c.md", None, b"z" * (DONE_BYTES + 1))]
    assert _latest(log + huge) == huge  # the newest is always kept
    many = [(f"{n:032x}", "a.md", small, None) for n in range(DONE_KEPT + 50)]
    assert _latest(many) == many[-DONE_KEPT:]


def test_an_undo_dry_run_of_two_edits_of_one_note_says_both_as_the_undo_does(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = cli_id(vault, "a thank-you note for the conversation of 2026-11-20")
    update = cli_id(vault, "how the conversation with Jane Smith went")
    assert done(vault, thanks).exit_code == 0
    assert done(vault, update).exit_code == 0
    both = (vault / JANE).read_bytes()
    dry = done(vault, "--undo", "--dry-run", thanks, update)
    assert dry.exit_code == 0, dry.output
    assert dry.output.count("would take back") == 2 and (vault / JANE).read_bytes() == both
    assert done(vault, "--undo", thanks, update).exit_code == 0


def test_an_empty_id_takes_nothing_back_even_with_one_item_recorded(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    assert done(vault, cli_id(vault, "Send the deck")).exit_code == 0
    eve = (vault / EVE).read_bytes()
    for empty in ("", " "):
        undone = done(vault, "--undo", empty)
        assert undone.exit_code == 1 and "an empty id names no item" in undone.output
    assert (vault / EVE).read_bytes() == eve
