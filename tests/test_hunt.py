"""Bugs a hostile hunt found (and the review after it), each fixed: a test per bug keeps it so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from notesync.importers import read_vcard

from .test_done_command import followups as followups_on
from .test_done_command import run

DAY = "2026-11-28"
MakeVault = Callable[[dict[str, str | bytes]], Path]


def followups(vault: Path, today: str = DAY) -> list[dict[str, object]]:
    return followups_on(vault, today)


def owed(vault: Path) -> list[tuple[str, str]]:
    return sorted((str(r["kind"]), str(r["person"])) for r in followups(vault))


# --- thanked: a list of unquoted links ---------------------------------------------------

MEETING = (
    "---\n"
    'categories: ["[[Meetings]]"]\n'
    "people:\n"
    '  - "[[Jane Smith]]"\n'
    '  - "[[Bob Brown]]"\n'
    "date: 2026-11-22\n"
    "status: done\n"
)


def test_thanked_list_with_quoted_link_leaves_the_other_person_owed(make_vault: MakeVault) -> None:
    """The control case: the quoted form works."""
    vault = make_vault({"Meetings/Lunch.md": MEETING + 'thanked:\n  - "[[Jane Smith]]"\n---\n'})
    assert owed(vault) == [("thank-you", "Bob Brown")]


def test_thanked_list_with_unquoted_link_leaves_the_other_person_owed(make_vault: MakeVault) -> None:
    """`thanked:\\n  - [[Jane Smith]]` (the unquoted-link habit SPEC §2 says to accept) means
    Jane was thanked; Bob, who was at the same meeting, is still owed a thank-you. notesync
    reads it as everyone thanked, so Bob's follow-up silently disappears (and `check` says
    nothing about the unquoted link). edit.add_to_list already reads such an item as Jane."""
    vault = make_vault({"Meetings/Lunch.md": MEETING + "thanked:\n  - [[Jane Smith]]\n---\n"})
    assert owed(vault) == [("thank-you", "Bob Brown")]


# --- status typed as a list --------------------------------------------------------------


def test_tick_records_move_on_when_status_is_a_one_item_list(make_vault: MakeVault) -> None:
    """The reader accepts `status: [requested]` (parse._status: "a property typed as a
    list"), and the follow-up after a second silence is shown. Recording it (`done ID`)
    must set the status to no-response; instead it is refused with "status is already
    ['requested']", so the item can never be ticked off."""
    note = (
        '---\ntype: interview\ncontact: "[[Ann Avery]]"\ndate: 2026-11-01\n'
        "status: [requested]\nfollowed_up: 2026-11-10\n---\n"
    )
    vault = make_vault({"Interviews/Ann.md": note})
    rows = followups(vault)
    assert [r["kind"] for r in rows] == ["no-response"]
    out = run("done", str(rows[0]["id"]), "--vault", str(vault), "--today", DAY, "--date", DAY)
    assert out.exit_code == 0, out.output
    assert "already" not in out.output
    assert followups(vault) == []


# --- vCard 2.1 quoted-printable soft line breaks -----------------------------------------


def test_vcard_21_quoted_printable_soft_break_keeps_the_whole_name() -> None:
    """Android and older phones export vCard 2.1 with QUOTED-PRINTABLE values wrapped at 76
    characters by a soft line break (`=` at the end of the line). A long non-Latin name is
    the usual case. The name must be read whole (or the card reported); notesync reads
    "Иван Ивано" (the last letter lost) without a word, and `import` would create
    `People/Иван Ивано.md`."""
    card = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2;"
        b"=D0=98=D0=B2=D0=B0=D0=BD;;;\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2=D0=B0=D0=BD =D0=98=D0=B2=D0=B0=D0=BD=D0=BE=\r\n"
        b"=D0=B2\r\n"
        b"TEL;CELL:+71234567\r\n"
        b"END:VCARD\r\n"
    )
    result = read_vcard(card)
    names = [p.name for p in result.people]
    assert names == ["Иван Иванов"] or result.problems, (names, result.problems)


# --- keep in touch with one person of a meeting with several ----------------------------


def test_keep_in_touch_with_one_person_of_a_meeting_leaves_the_other_owed(make_vault: MakeVault) -> None:
    """Fay and Gus were at one lunch (kepano's `categories`/`people` shape), neither has a
    contact note, and both are due a keep-in-touch. `last_contact:` in the lunch note would
    count for Gus too, though nobody got in touch with him: the tick is refused, saying
    what to do instead, and the note keeps every byte."""
    note = (
        "---\n"
        'categories: ["[[Meetings]]"]\n'
        'people: ["[[Fay Field]]", "[[Gus Grant]]"]\n'
        "date: 2026-07-02\n"
        "status: done\n"
        "thanked: true\n"
        "---\n"
    )
    vault = make_vault({"Meetings/2026-07-02 Lunch.md": note})
    rows = {str(r["person"]): r for r in followups(vault)}
    assert {(r["kind"], p) for p, r in rows.items()} == {
        ("keep-in-touch", "Fay Field"),
        ("keep-in-touch", "Gus Grant"),
    }
    before = (vault / "Meetings/2026-07-02 Lunch.md").read_bytes()
    out = run("done", str(rows["Fay Field"]["id"]), "--vault", str(vault), "--today", DAY, "--date", DAY)
    assert "would count for everyone it names" in out.output
    assert 'notesync new contact "Fay Field"' in out.output
    assert (vault / "Meetings/2026-07-02 Lunch.md").read_bytes() == before
    assert sorted(owed(vault)) == [("keep-in-touch", "Fay Field"), ("keep-in-touch", "Gus Grant")]


def test_follow_up_with_one_person_of_a_request_to_several_leaves_the_other_waiting(
    make_vault: MakeVault,
) -> None:
    """One request note asked Fay and Gus (`people: [...]`); neither answered, so each has a
    "Follow up with ..." item. `followed_up:` is one day for the whole note: ticking Fay's
    is refused (one request note per person), so Gus's item does not turn into "move on"
    though he was never followed up."""
    note = (
        "---\n"
        'categories: ["[[Meetings]]"]\n'
        'people: ["[[Fay Field]]", "[[Gus Grant]]"]\n'
        "date: 2026-11-10\n"
        "status: requested\n"
        "---\n"
    )
    vault = make_vault({"Meetings/2026-11-10 Ask.md": note})
    rows = {str(r["person"]): r for r in followups(vault)}
    assert str(rows["Gus Grant"]["text"]).startswith("Follow up with Gus Grant")
    out = run("done", str(rows["Fay Field"]["id"]), "--vault", str(vault), "--today", DAY, "--date", DAY)
    assert "write one request note per person" in out.output
    gus = [r for r in followups(vault) if r["person"] == "Gus Grant"]
    assert len(gus) == 1 and str(gus[0]["text"]).startswith("Follow up with Gus Grant"), gus


def test_keep_in_touch_with_someone_whose_contact_note_has_no_properties(make_vault: MakeVault) -> None:
    """A contact note marked only by a #person tag cannot take `last_contact`: the tick is
    recorded in their latest conversation instead (it was refused, and stayed owed for good)."""
    talk = (
        '---\ntype: interview\ncontact: "[[Hal Hart]]"\ndate: 2026-07-02\nstatus: done\n'
        "thanked: 2026-07-02\n---\n"
    )
    vault = make_vault(
        {"People/Hal Hart.md": "Met at a meetup.\n\n#person\n", "Talks/2026-07-02 Hal.md": talk}
    )
    [row] = followups(vault)
    assert row["kind"] == "keep-in-touch"
    out = run("done", str(row["id"]), "--vault", str(vault), "--today", DAY, "--date", DAY)
    assert out.exit_code == 0, out.output
    assert (vault / "People/Hal Hart.md").read_text("utf-8") == "Met at a meetup.\n\n#person\n"
    assert (vault / "Talks/2026-07-02 Hal.md").read_text("utf-8") == talk.replace(
        "---\n", f"last_contact: {DAY}\n---\n", 2
    ).replace(f"last_contact: {DAY}\n---\ntype", "---\ntype", 1)
    assert followups(vault) == []


def test_vcard_21_soft_break_before_a_space_keeps_the_space() -> None:
    card = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Jean-Fran=C3=A7ois=\r\n Dupont\r\n"
        b"END:VCARD\r\n"
    )
    assert [p.name for p in read_vcard(card).people] == ["Jean-François Dupont"]


def test_a_daily_note_listing_people_is_a_day_in_touch_not_a_conversation(make_vault: MakeVault) -> None:
    talk = '---\ntype: interview\ncontact: "[[Jane Smith]]"\ndate: 2026-01-10\nstatus: done\nthanked: 2026-01-10\n---\n'
    vault = make_vault(
        {
            "People/Jane Smith.md": "---\ntype: contact\n---\n",
            "Talks/2026-01-10 Jane Smith.md": talk,
            "Daily/2026-11-20.md": '---\npeople: ["[[Jane Smith]]"]\n---\nLunch with [[Jane Smith]].\n',
        }
    )
    out = run("check", str(vault), "--explain", "Daily/2026-11-20.md")
    assert "neither a person nor a conversation" in out.output
    [row] = followups(vault, today="2027-02-20")  # 90 days after the lunch, not after January
    assert row["kind"] == "keep-in-touch" and "last in touch on 2026-11-20" in str(row["text"])
