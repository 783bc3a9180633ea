"""Ticking an item on Follow-ups.md records it in its source note, byte for byte: the
note differs by exactly the intended line, on notes with CRLF, a BOM, comments and an
unusual key order; the item leaves the page; a tick is a request, so the page is not
backed up. A tick whose item is gone edits nothing and is reported; a save made while
notesync edits is never overwritten; `--dry-run` and `write_back = false` edit nothing;
two devices that both see one tick record it once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner

from notesync import done as done_module
from notesync.cli import main
from notesync.edit import apply_edit
from notesync.new import new_note
from notesync.parse import parse_note
from notesync.pipeline import sync
from notesync.render import CALENDAR, PAGE_NAMES
from notesync.results import SyncResult

from .ticking import (
    CARL,
    DAY,
    DEE,
    EVE,
    GUS,
    HAL,
    IDA,
    ISO,
    JANE,
    NOTES,
    OUTPUT,
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


class Case(NamedTuple):
    """One kind of item: the text that finds it on the page, the note its tick edits, and
    the one line that changes (`old` replaced by `new`) or is added (`new` after `anchor`)."""

    kind: str
    fragment: str
    path: str
    old: str | None
    new: str
    anchor: str | None = None


CASES = [
    Case(
        "thank-you",
        "a thank-you note for the conversation of 2026-11-20",
        JANE,
        "thanked:",
        f"thanked: {ISO}",
    ),
    Case(
        "update-referrer",
        "how the conversation with Jane Smith went",
        JANE,
        None,
        f"referrer_updated: {ISO}",
        "type: interview",
    ),
    Case(
        "no-response (first)",
        "no answer to your request of 2026-11-01",
        CARL,
        None,
        f"followed_up: {ISO}",
        'contact: "[[Carl Req]]"',
    ),
    Case(
        "no-response (second)",
        "after your follow-up on 2026-11-09",
        DEE,
        "status: requested  # by email",
        "status: no-response  # by email",
    ),
    Case(
        "action (task line)",
        "Send the deck",
        EVE,
        "- [ ] Send the deck 📅 2026-11-25",
        f"- [x] Send the deck 📅 2026-11-25 ✅ {ISO}",
    ),
    Case("action (actions list)", "Send the slides", EVE, None, "    done: true", "    due: 2026-11-26"),
    Case("keep-in-touch", "Keep in touch with", GUS, None, f"last_contact: {ISO}", "type: contact"),
    Case("prepare", "Prepare 5-10 questions for", HAL, None, f"prepared: {ISO}", 'contact: "[[Hal Prep]]"'),
    Case(
        "record-outcome",
        "Record how the conversation with",
        IDA,
        "status: scheduled # booked",
        "status: done # booked",
    ),
]

# (line endings, BOM, how the box is ticked: None = Obsidian's `- [x]`, else Tasks' done date)
STYLES = [("\r\n", True, None), ("\n", False, "2026-11-29")]
STYLE_IDS = ["crlf-bom-obsidian", "lf-tasks-plugin"]


def expected_text(case: Case) -> str:
    """The note's text (with "\\n") as the tick must leave it."""
    text = NOTES[case.path]
    if case.old is not None:
        assert text.count(f"\n{case.old}\n") == 1
        return text.replace(f"\n{case.old}\n", f"\n{case.new}\n")
    assert text.count(f"\n{case.anchor}\n") == 1
    return text.replace(f"\n{case.anchor}\n", f"\n{case.anchor}\n{case.new}\n")


def ticked_sync(vault: Path, short: str, done_on: str | None = None, **kwargs: Any) -> SyncResult:
    tick(vault, short, done_on=done_on)
    return sync(vault, today=DAY, **kwargs)


@pytest.mark.parametrize(("eol", "bom", "done_on"), STYLES, ids=STYLE_IDS)
@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_a_tick_changes_exactly_the_intended_line(
    make_vault: MakeVault, tmp_path: Path, case: Case, eol: str, bom: bool, done_on: str | None
) -> None:
    vault = tick_vault(make_vault, eol, bom)
    sync(vault, today=DAY)
    short = item_id(vault, case.fragment)
    before = snapshot(vault)

    result = ticked_sync(vault, short, done_on)

    after = snapshot(vault)
    want = note_bytes(expected_text(case), eol, bom)
    old = (case.old + eol).encode() if case.old is not None else None
    assert changed_lines(before[case.path], after[case.path]) == [
        ((old,) if old is not None else (), ((case.new + eol).encode(),))
    ]
    assert after[case.path] == want
    assert {p: b for p, b in after.items() if p != case.path} == {
        p: b for p, b in before.items() if p != case.path
    }
    assert [(r.path, r.refusal) for r in result.recorded] == [(case.path, None)]
    assert result.recorded[0].item.kind == case.kind.split(" ")[0]
    assert result.dropped == []
    assert short not in page_items(read_page(vault))  # the item is gone from the page
    assert not any(c.edited for c in result.changes)  # a tick is not an edit of the page
    assert not (vault / ".notesync" / "backups").exists()
    assert_pages_as_fresh(vault, tmp_path)


def assert_pages_as_fresh(vault: Path, tmp_path: Path) -> None:
    """The pages after a tick's sync are those a fresh sync of the notes now makes."""
    fresh = tmp_path / "fresh" / vault.name  # the calendar names the vault by its folder
    shutil.copytree(vault, fresh, ignore=shutil.ignore_patterns(OUTPUT, ".notesync"))
    sync(fresh, today=DAY, use_cache=False)
    for name in (*PAGE_NAMES, CALENDAR):
        assert (vault / OUTPUT / name).read_bytes() == (fresh / OUTPUT / name).read_bytes(), name


@pytest.mark.parametrize(("eol", "bom", "done_on"), STYLES, ids=STYLE_IDS)
def test_a_ticked_referral_becomes_a_new_request_note_as_new_makes_it(
    make_vault: MakeVault, tmp_path: Path, eol: str, bom: bool, done_on: str | None
) -> None:
    vault = tick_vault(make_vault, eol, bom)
    sync(vault, today=DAY)
    short = item_id(vault, "Reach out to [[Dana Lee]], referred by Fay Ref")
    twin = tmp_path / "twin"
    shutil.copytree(vault, twin, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    made = new_note(twin, "interview", "Dana Lee", referrer="Fay Ref", date=DAY, status="requested")
    before = snapshot(vault)

    result = ticked_sync(vault, short, done_on)

    after = snapshot(vault)
    rel = f"Networking/{ISO} Dana Lee.md"
    assert sorted(set(after) - set(before)) == [rel]
    assert {p: after[p] for p in before} == before  # the referring note is untouched
    assert after[rel] == made.read_bytes()
    note, _ = parse_note(rel, after[rel])
    assert note is not None and note.kind == "interview"
    assert (note.status, note.date, note.referrer and note.referrer.target) == ("requested", DAY, "Fay Ref")
    assert [(r.path, r.refusal, r.created == after[rel]) for r in result.recorded] == [(rel, None, True)]
    assert short not in page_items(read_page(vault))
    assert "Dana Lee" in read_page(vault)  # now a request: its no-response item will come
    assert backups(vault) == []


def test_a_thank_you_in_a_conversation_with_two_records_that_person_only(make_vault: MakeVault) -> None:
    text = (
        "---\r\n"
        "date: 2026-11-20\r\n"
        "status: done # panel\r\n"
        'contact: ["[[Ann Alder]]", "[[Bo Birch]]"]\r\n'
        "thanked:\r\n"
        "---\r\n"
    )
    rel = "Networking/2026-11-20 Panel.md"
    # Bo's contact note keeps the two people's buckets apart (see test_followup_rules'
    # test_a_conversation_with_two_people_lists_both_on_the_next_sync for why)
    bo_note = "---\ntype: contact\ncompany: Birch & Co\n---\n"
    vault = make_vault({rel: note_bytes(text, "\n", True), "People/Bo Birch.md": bo_note})
    sync(vault, today=DAY)
    ann = item_id(vault, "Send [[Ann Alder]] a thank-you")
    bo = item_id(vault, "Send [[People/Bo Birch|Bo Birch]] a thank-you")
    before = (vault / rel).read_bytes()

    result = ticked_sync(vault, ann)

    assert [r.refusal for r in result.recorded] == [None]
    assert changed_lines(before, (vault / rel).read_bytes()) == [
        ((b"thanked:\r\n",), (b'thanked: ["[[Ann Alder]]"]\r\n',))
    ]
    items = page_items(read_page(vault))
    assert ann not in items and bo in items  # Bo is still owed a thank-you

    result = ticked_sync(vault, bo)
    assert changed_lines(before, (vault / rel).read_bytes()) == [
        ((b"thanked:\r\n",), (b'thanked: ["[[Ann Alder]]", "[[Bo Birch]]"]\r\n',))
    ]
    assert bo not in page_items(read_page(vault))
    assert backups(vault) == []


def test_ticking_every_box_at_once_records_each_in_its_note(make_vault: MakeVault) -> None:
    """All the items ticked before one sync: every note gets its one line, nothing else."""
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    shorts = [item_id(vault, c.fragment) for c in CASES]
    before = snapshot(vault)
    for short in shorts:
        tick(vault, short)
    result = sync(vault, today=DAY)
    assert all(r.refusal is None for r in result.recorded), [r.refusal for r in result.recorded]
    assert len(result.recorded) == len(CASES)
    after = snapshot(vault)
    for case in CASES:
        if case.path not in (JANE, EVE):  # two items each: checked below
            assert changed_lines(before[case.path], after[case.path]) == changed_lines(
                before[case.path], note_bytes(expected_text(case), "\r\n", True)
            ), case.kind
    jane = NOTES[JANE].replace("\nthanked:\n", f"\nthanked: {ISO}\n")
    jane = jane.replace("\ntype: interview\n", f"\ntype: interview\nreferrer_updated: {ISO}\n")
    assert after[JANE] == note_bytes(jane, "\r\n", True)
    eve = NOTES[EVE].replace("\n    due: 2026-11-26\n", "\n    due: 2026-11-26\n    done: true\n")
    eve = eve.replace("- [ ] Send the deck 📅 2026-11-25", f"- [x] Send the deck 📅 2026-11-25 ✅ {ISO}")
    assert after[EVE] == note_bytes(eve, "\r\n", True)
    items = page_items(read_page(vault))
    assert not set(shorts) & set(items)
    assert backups(vault) == []


def test_a_keep_in_touch_tick_for_a_referrer_without_a_contact_note_clears_their_item(
    make_vault: MakeVault,
) -> None:
    vault = make_vault(
        {
            "2026-05-01 Pat Ref.md": (
                '---\ncontact: "[[Pat Ref]]"\ndate: 2026-05-01\nstatus: done\nthanked: 2026-05-01\n---\n'
            ),
            "2026-06-01 Quinn.md": (
                '---\ncontact: "[[Quinn]]"\ndate: 2026-06-01\nstatus: done\nthanked: 2026-06-01\n'
                'referrer: "[[Pat Ref]]"\nreferrer_updated: 2026-06-03\n---\n'
            ),
        }
    )
    sync(vault, today=DAY)
    pat = item_id(vault, "Keep in touch with [[Pat Ref]]")
    quinn = item_id(vault, "Keep in touch with [[Quinn]]")
    result = ticked_sync(vault, pat)
    assert [r.refusal for r in result.recorded] == [None]
    items = page_items(read_page(vault))
    assert quinn in items  # Quinn was not the one we got in touch with
    assert (
        pat not in items and "Keep in touch with [[Pat Ref]]" not in read_page(vault).split("## Overdue")[1]
    )


# --- a tick whose item changed before the sync -------------------------------------


def test_a_tick_whose_item_was_recorded_by_hand_edits_nothing_and_is_reported(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "a thank-you note for the conversation of 2026-11-20")
    tick(vault, short)
    by_hand = (vault / JANE).read_bytes().replace(b"thanked:\r\n", b"thanked: 2026-11-27\r\n")
    (vault / JANE).write_bytes(by_hand)
    before = snapshot(vault)

    result = sync(vault, today=DAY)

    assert snapshot(vault) == before
    reported = result.dropped + [r.item.uid[: len(short)] for r in result.recorded if r.refusal]
    assert reported == [short]
    assert not any(r.refusal is None for r in result.recorded)
    assert short not in page_items(read_page(vault))
    assert backups(vault) == []


def test_the_cli_reports_a_tick_it_dropped(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "Send the deck")
    tick(vault, short)
    path = vault / EVE
    path.write_bytes(path.read_bytes().replace(b"- [ ] Send the deck", b"- [x] Send the deck"))
    before = snapshot(vault)
    out = CliRunner().invoke(main, ["sync", str(vault), "--today", ISO])
    assert out.exit_code == 0, out.output
    assert f"ticked {short}: no such open item any more" in out.stderr
    assert snapshot(vault) == before


def test_a_tick_naming_no_item_is_reported_never_guessed(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "a thank-you note for the conversation of 2026-11-20")
    page = vault / PAGE
    data = page.read_bytes().replace(b"- [ ] **7 days overdue**", b"- [x] **7 days overdue**", 1)
    page.write_bytes(data.replace(f" ^{short}".encode(), b" ^0123abcd"))
    before = snapshot(vault)
    result = sync(vault, today=DAY)
    assert result.dropped == ["0123abcd"] and result.recorded == []
    assert snapshot(vault) == before


def test_a_tick_whose_note_changed_only_elsewhere_is_applied(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "a thank-you note for the conversation of 2026-11-20")
    tick(vault, short)
    mine = (vault / JANE).read_bytes() + b"She also suggested a book.\r\n"
    (vault / JANE).write_bytes(mine)

    result = sync(vault, today=DAY)

    assert [r.refusal for r in result.recorded] == [None]
    assert changed_lines(mine, (vault / JANE).read_bytes()) == [
        ((b"thanked:\r\n",), (f"thanked: {ISO}\r\n".encode(),))
    ]
    assert short not in page_items(read_page(vault))


def test_a_save_between_read_and_replace_is_never_overwritten(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race made certain: the note is saved by the user right after notesync wrote
    its temporary copy and right before the atomic replace."""
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "a thank-you note for the conversation of 2026-11-20")
    tick(vault, short)
    users = (vault / JANE).read_bytes().replace(b"Nice chat.", b"Nice chat. Saved meanwhile.")
    paused: list[Path] = []

    def racing(path: Path, edit: Any, pause: Any = None) -> Any:
        def save() -> None:
            paused.append(path)
            path.write_bytes(users)

        return apply_edit(path, edit, pause=save)

    monkeypatch.setattr(done_module, "apply_edit", racing)

    result = sync(vault, today=DAY)

    assert paused == [vault / JANE]
    assert (vault / JANE).read_bytes() == users
    assert [r.path for r in result.recorded] == [JANE]
    refusal = result.recorded[0].refusal
    assert refusal is not None and "changed" in refusal
    assert not [p for p in (vault / "Networking").iterdir() if p.name.startswith(".")]  # no temp file left
    out = CliRunner().invoke(main, ["sync", str(vault), "--today", ISO])
    assert out.exit_code == 0 and (vault / JANE).read_bytes() == users
    assert short in page_items(read_page(vault))  # still owed: tick it again
    assert_pages_as_fresh(vault, tmp_path)


# --- --dry-run and write_back = false ------------------------------------------------


def test_dry_run_edits_nothing_but_lists_what_it_would_record(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    shorts = {c.kind: item_id(vault, c.fragment) for c in CASES}
    referral = item_id(vault, "Reach out to [[Dana Lee]]")
    for short in [*shorts.values(), referral]:
        tick(vault, short)
    page = (vault / PAGE).read_bytes()
    before = snapshot(vault)

    result = sync(vault, today=DAY, dry_run=True)

    assert snapshot(vault) == before
    assert (vault / PAGE).read_bytes() == page
    assert all(r.refusal is None for r in result.recorded)
    assert sorted(r.item.uid[:8] for r in result.recorded) == sorted([*shorts.values(), referral])
    assert {r.what for r in result.recorded if r.item.kind == "thank-you"} == {f"thanked: {ISO}"}

    out = CliRunner().invoke(main, ["sync", str(vault), "--today", ISO, "--dry-run"])
    assert out.exit_code == 0, out.output
    assert f"would record thanked: {ISO} in {JANE}" in out.stdout
    assert f"would record prepared: {ISO} in {HAL}" in out.stdout
    assert f"would record last_contact: {ISO} in {GUS}" in out.stdout
    assert f"would create a request to Dana Lee on {ISO}" in out.stdout
    assert "the pages recording them would change are not counted" in out.stdout.splitlines()[-1]
    assert snapshot(vault) == before and (vault / PAGE).read_bytes() == page
    assert backups(vault) == []


def test_with_write_back_off_the_page_has_plain_bullets_and_a_typed_tick_edits_nothing(
    make_vault: MakeVault,
) -> None:
    vault = tick_vault(make_vault, config="write_back = false\n")
    sync(vault, today=DAY)
    text = read_page(vault)
    assert "- [ ]" not in text and page_items(text) == {}
    assert "- **7 days overdue** · due 2026-11-21 · Send [[Jane Smith]] a thank-you" in text
    before = snapshot(vault)
    page = vault / PAGE
    page.write_text(text.replace("- **7 days overdue**", "- [x] **7 days overdue**"), "utf-8")
    result = sync(vault, today=DAY)
    assert result.recorded == [] and result.dropped == []
    assert snapshot(vault) == before


def test_write_back_turned_off_ignores_a_box_ticked_before(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    tick(vault, item_id(vault, "a thank-you note for the conversation of 2026-11-20"))
    (vault / ".notesync.toml").write_text("write_back = false\n", "utf-8")
    before = snapshot(vault)
    result = sync(vault, today=DAY)
    assert result.recorded == []
    assert snapshot(vault) == before
    assert "- [ ]" not in read_page(vault) and "- [x]" not in read_page(vault)


# --- two devices that both see one tick ----------------------------------------------

IDEMPOTENT = ["thank-you", "no-response (first)", "action (task line)", "keep-in-touch", "record-outcome"]


@pytest.mark.parametrize("kind", [*IDEMPOTENT, "contact-referral"])
def test_a_tick_seen_twice_is_recorded_once(make_vault: MakeVault, kind: str) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    fragment = next((c.fragment for c in CASES if c.kind == kind), "Reach out to [[Dana Lee]]")
    short = item_id(vault, fragment)
    ticked = tick(vault, short)
    first = sync(vault, today=DAY)
    assert [r.refusal for r in first.recorded] == [None]
    once = snapshot(vault)

    (vault / PAGE).write_bytes(ticked)  # the other device's copy of the page, still ticked
    second = sync(vault, today=DAY)

    assert [r for r in second.recorded if r.refusal is None] == []
    assert second.dropped == [short] or [r.refusal for r in second.recorded] != []
    assert snapshot(vault) == once  # no second edit, no second note
    assert short not in page_items(read_page(vault))
    assert backups(vault) == []


def test_two_actions_with_the_same_text_have_their_own_ids_and_ticks(make_vault: MakeVault) -> None:
    rel = "Networking/2026-11-10 Jo Twin.md"
    text = (
        '---\ncontact: "[[Jo Twin]]"\ndate: 2026-11-10\nstatus: done\nthanked: 2026-11-10\n---\n'
        "- [ ] Send the deck 📅 2026-11-25\n"
        "- [ ] Send the deck 📅 2026-11-20\n"
    )
    vault = make_vault({rel: text})
    sync(vault, today=DAY)
    lines = [line for line in read_page(vault).splitlines() if "Send the deck" in line]
    ids = [line.rsplit(" ^", 1)[1] for line in lines]
    assert len(ids) == 2 and len(set(ids)) == 2, lines
    early = next(i for line, i in zip(lines, ids, strict=True) if "due 2026-11-20" in line)
    ticked_sync(vault, early)
    assert (
        (vault / rel)
        .read_text("utf-8")
        .endswith(f"- [ ] Send the deck 📅 2026-11-25\n- [x] Send the deck 📅 2026-11-20 ✅ {ISO}\n")
    )


def test_two_identical_tasks_are_listed_once_and_ticked_one_at_a_time(make_vault: MakeVault) -> None:
    rel = "Networking/2026-11-10 Jo Twin.md"
    task = "- [ ] Send the deck 📅 2026-11-25\n"
    text = '---\ncontact: "[[Jo Twin]]"\ndate: 2026-11-10\nstatus: done\nthanked: 2026-11-10\n---\n'
    vault = make_vault({rel: text + task + task})
    sync(vault, today=DAY)
    [line] = [line for line in read_page(vault).splitlines() if "Send the deck" in line]  # one id, once
    ticked_sync(vault, line.rsplit(" ^", 1)[1])
    assert (vault / rel).read_text("utf-8") == text + f"- [x] Send the deck 📅 2026-11-25 ✅ {ISO}\n" + task
    [again] = [line for line in read_page(vault).splitlines() if "Send the deck" in line]  # the other
    ticked_sync(vault, again.rsplit(" ^", 1)[1])
    assert (vault / rel).read_text("utf-8") == text + 2 * f"- [x] Send the deck 📅 2026-11-25 ✅ {ISO}\n"
    assert backups(vault) == []


# --- the vault's own property names --------------------------------------------------

SHAPES = [
    pytest.param(
        "",
        '---\nContact: "[[Jane Smith]]"\nDate: 2026-11-20\nStatus: done\nThanked:\n---\n',
        "a thank-you note",
        ("Thanked:\n",),
        (f"Thanked: {ISO}\n",),
        id="capitalised-key-filled",
    ),
    pytest.param(
        '[properties]\nthanked = "Thank you sent"\n',
        '---\ncontact: "[[Jane Smith]]"\ndate: 2026-11-20\nstatus: done\n---\n',
        "a thank-you note",
        (),
        (f"Thank you sent: {ISO}\n",),
        id="vault-name-added",
    ),
    pytest.param(
        '[properties]\nthanked = ["Thank you sent"]\n',
        '---\ncontact: "[[Jane Smith]]"\ndate: 2026-11-20\nstatus: done\nthanked:\n---\n',
        "a thank-you note",
        ("thanked:\n",),
        (f"thanked: {ISO}\n",),
        id="notesync-name-present-filled",
    ),
    pytest.param(
        '[properties]\nstatus = "Stage"\n',
        '---\ncontact: "[[Jane Smith]]"\ndate: 2026-11-25\nStage: scheduled\n---\n',
        "Record how the conversation",
        ("Stage: scheduled\n",),
        ("Stage: done\n",),
        id="vault-status-name",
    ),
]


@pytest.mark.parametrize(("config", "text", "fragment", "removed", "added"), SHAPES)
def test_a_tick_writes_the_property_name_the_vault_uses(
    make_vault: MakeVault,
    config: str,
    text: str,
    fragment: str,
    removed: tuple[str, ...],
    added: tuple[str, ...],
) -> None:
    rel = "Networking/2026-11-20 Jane Smith.md"
    files: dict[str, str | bytes] = {rel: text}
    if config:
        files[".notesync.toml"] = config
    vault = make_vault(files)
    sync(vault, today=DAY)
    before = (vault / rel).read_bytes()
    result = ticked_sync(vault, item_id(vault, fragment))
    assert [r.refusal for r in result.recorded] == [None]
    assert changed_lines(before, (vault / rel).read_bytes()) == [
        (tuple(x.encode() for x in removed), tuple(x.encode() for x in added))
    ]


def test_keep_in_touch_fills_the_last_contacted_key_the_note_has(make_vault: MakeVault) -> None:
    contact = "---\ntype: contact\nlast_contacted:\ncompany: Acme\n---\n"
    vault = make_vault(
        {GUS: contact, "Networking/2026-07-01 Gus Old.md": NOTES["Networking/2026-07-01 Gus Old.md"]}
    )
    sync(vault, today=DAY)
    result = ticked_sync(vault, item_id(vault, "Keep in touch with"))
    assert [(r.path, r.refusal) for r in result.recorded] == [(GUS, None)]
    assert (vault / GUS).read_bytes() == contact.replace("last_contacted:", f"last_contacted: {ISO}").encode()
    assert "Keep in touch with" not in read_page(vault)


# --- the page as editors save it ------------------------------------------------------


def test_a_tick_with_an_upper_case_x_is_recorded(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = item_id(vault, "a thank-you note for the conversation of 2026-11-20")
    tick(vault, thanks, box="X")
    result = sync(vault, today=DAY)
    assert [(r.path, r.refusal) for r in result.recorded] == [(JANE, None)]
    assert thanks not in page_items(read_page(vault))
    assert backups(vault) == []


def test_a_tick_in_a_page_saved_with_crlf_is_recorded(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    thanks = item_id(vault, "a thank-you note for the conversation of 2026-11-20")
    deck = item_id(vault, "Send the deck")
    tick(vault, thanks)
    tick(vault, deck, done_on="2026-11-28")
    page = vault / PAGE
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))  # an editor on Windows
    result = sync(vault, today=DAY)
    assert sorted((r.path, r.refusal) for r in result.recorded) == [(EVE, None), (JANE, None)]
    assert not {thanks, deck} & set(page_items(read_page(vault)))


def test_a_page_saved_with_crlf_is_not_taken_for_an_edit(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    tick(vault, item_id(vault, "a thank-you note for the conversation of 2026-11-20"))
    for name in ("Follow-ups.md", "Contacts.md"):
        page = vault / "notesync" / name
        page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    result = sync(vault, today=DAY)
    assert [c.page for c in result.changes if c.edited] == []
    assert backups(vault) == []


def test_a_tick_with_another_edit_of_the_page_is_recorded_and_the_edit_backed_up(
    make_vault: MakeVault,
) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "a thank-you note for the conversation of 2026-11-20")
    tick(vault, short)
    page = vault / PAGE
    page.write_text(page.read_text("utf-8") + "\nMy own note: call Jane on Monday.\n", "utf-8")
    result = sync(vault, today=DAY)
    assert [(r.path, r.refusal) for r in result.recorded] == [(JANE, None)]
    assert [c.page for c in result.changes if c.edited] == [PAGE]
    kept = [p.read_text("utf-8") for p in backups(vault)]
    assert len(kept) == 1 and "My own note: call Jane on Monday." in kept[0]
    assert "My own note" not in read_page(vault) and short not in page_items(read_page(vault))


def test_unticking_and_other_box_marks_are_not_requests(make_vault: MakeVault) -> None:
    """Only `x` records; `[/]` (in progress) or `[-]` (cancelled) are not ticks."""
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    before = snapshot(vault)
    tick(vault, item_id(vault, "Send the deck"), box="/")
    tick(vault, item_id(vault, "a thank-you note for the conversation of 2026-11-20"), box="-")
    result = sync(vault, today=DAY)
    assert result.recorded == [] and result.dropped == []
    assert snapshot(vault) == before


def test_a_tick_in_the_tasks_dataview_format_is_not_an_edit(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "a thank-you note for the conversation of 2026-11-20")
    page = vault / PAGE
    data = page.read_bytes()
    line = next(x for x in data.split(b"\n") if x.endswith(f" ^{short}".encode()))
    done = (
        line.replace(b"- [ ] ", b"- [x] ", 1)[: -len(short) - 2]
        + f" [completion:: 2026-11-29] ^{short}".encode()
    )
    page.write_bytes(data.replace(line, done))
    result = sync(vault, today=DAY)
    assert [(r.path, r.refusal) for r in result.recorded] == [(JANE, None)]
    assert not any(c.edited for c in result.changes)
    assert backups(vault) == []


def test_a_tick_on_a_page_an_editor_saved_with_a_bom_and_crlf_is_recorded(make_vault: MakeVault) -> None:
    """A Windows editor's save of Follow-ups.md (a BOM, CRLF): still notesync's page, so the
    tick is recorded, once, and nothing says a box was ticked during the sync."""
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, CASES[0].fragment)
    tick(vault, short)
    page = vault / PAGE
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    result = sync(vault, today=DAY)
    assert [r.item.uid[:8] for r in result.recorded if r.refusal is None] == [short]
    assert not any("ticked on it while this sync ran" in str(d) for d in result.diagnostics)
    again = sync(vault, today=DAY)
    assert again.recorded == [] and not any("while this sync ran" in str(d) for d in again.diagnostics)


def test_a_page_saved_with_only_a_bom_added_is_not_an_edit(make_vault: MakeVault) -> None:
    """An editor that adds a BOM changed nothing the user wrote: no backup."""
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    page = vault / PAGE
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes())
    result = sync(vault, today=DAY)
    assert not any(c.edited for c in result.changes) and backups(vault) == []
