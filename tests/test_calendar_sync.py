"""Follow-ups.ics as a sync writes it: two independent parsers read it, an item keeps its
UID from day to day, the same notes and day give the same bytes on any machine, an item
done recently stays as a cancelled event with the UID it had while open, and each event
carries the message `notesync draft` writes for it."""

from __future__ import annotations

import json
import shutil
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ics  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner
from icalendar import Calendar

from notesync.cli import main
from notesync.pipeline import sync
from notesync.render.calendar import obsidian_link

from .conftest import EXAMPLE
from .test_ticks import CASES
from .ticking import DAY, MakeVault, item_id, tick, tick_vault

TODAY = date(2026, 11, 26)
TOM = "Interviews/2026-11-20 Tom Lee.md"
ICS = Path("notesync") / "Follow-ups.ics"


def copy_example(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    return dest


def calendar(vault: Path) -> Calendar:
    return Calendar.from_ical((vault / ICS).read_bytes())


def events(vault: Path) -> dict[str, Any]:
    """UID -> VEVENT, as icalendar reads them."""
    found = {str(e["UID"]): e for e in calendar(vault).walk("VEVENT")}
    assert len(found) == len(calendar(vault).walk("VEVENT")), "a UID appears twice"
    return found


def followups(vault: Path, today: str, upcoming: int = 7) -> list[dict[str, Any]]:
    out = CliRunner().invoke(
        main, ["followups", str(vault), "--today", today, "--json", "--upcoming", str(upcoming)]
    )
    assert out.exit_code == 0, out.output
    rows: list[dict[str, Any]] = json.loads(out.stdout)
    return rows


def uid_of(evs: dict[str, Any], short: str) -> str:
    found = [u for u in evs if u.startswith(short)]
    assert len(found) == 1, (short, sorted(evs))
    return found[0]


def test_the_example_vaults_calendar_parses_with_icalendar_and_ics(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=TODAY)
    data = (vault / ICS).read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded at 75 octets
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only

    evs = events(vault)
    rows = followups(vault, TODAY.isoformat())
    assert sorted(uid_of(evs, r["id"]) for r in rows) == sorted(
        u for u, e in evs.items() if "STATUS" not in e
    )  # one open event per item on the page above the fold, and no other
    for row in rows:
        event = evs[uid_of(evs, row["id"])]
        day = max(date.fromisoformat(row["due"]), TODAY)  # overdue: dated today
        assert event.decoded("DTSTART") == day and event.decoded("DTEND") == day + timedelta(days=1)
        assert str(event["URL"]) == obsidian_link("vault", row["source"])
        assert str(event["CATEGORIES"].to_ical().decode()) == row["kind"]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # arrow/ics deprecation noise
        parsed = ics.Calendar(data.decode("utf-8"))
    assert {e.uid for e in parsed.events} == set(evs)
    assert all(e.all_day for e in parsed.events)
    for e in parsed.events:
        assert e.description == str(evs[e.uid]["DESCRIPTION"])
        assert e.begin.date() == evs[e.uid].decoded("DTSTART")


def test_an_item_keeps_its_uid_from_one_day_to_the_next(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=date(2026, 11, 26))
    first = {
        str(e["SUMMARY"]) + str(e.decoded("DTSTART") if "STATUS" in e else ""): u
        for u, e in events(vault).items()
    }
    ids_first = {r["text"]: r["id"] for r in followups(vault, "2026-11-26")}
    sync(vault, today=date(2026, 11, 27))
    second = events(vault)
    ids_second = {r["text"]: r["id"] for r in followups(vault, "2026-11-27")}
    both = set(ids_first) & set(ids_second)
    assert len(both) >= 8
    for text in both:
        assert ids_first[text] == ids_second[text], text
        uid_of(second, ids_second[text])  # still in the calendar, same UID
    linda = next(t for t in both if "Linda Park" in t)
    assert uid_of(second, ids_second[linda]) in first.values()
    assert second[uid_of(second, ids_second[linda])].decoded("DTSTART") == date(
        2026, 11, 27
    )  # moved to today


def test_the_same_notes_and_day_give_the_same_bytes(tmp_path: Path) -> None:
    """Two devices: two copies of the vault in folders of the same name, with stores of
    their own, synced at different times of the wall clock."""
    one = copy_example(tmp_path / "a" / "vault")
    two = copy_example(tmp_path / "b" / "vault")
    sync(one, today=TODAY)
    sync(two, today=TODAY, use_cache=False)
    assert (one / ICS).read_bytes() == (two / ICS).read_bytes()
    (one / ICS).unlink()
    sync(one, today=TODAY)
    assert (one / ICS).read_bytes() == (two / ICS).read_bytes()
    sync(two, today=TODAY + timedelta(days=1))
    assert (one / ICS).read_bytes() != (two / ICS).read_bytes()


def test_an_item_thanked_three_days_ago_is_a_cancelled_event_with_its_uid(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=TODAY)
    short = next(
        r["id"] for r in followups(vault, "2026-11-26") if r["kind"] == "thank-you" and r["source"] == TOM
    )
    uid = uid_of(events(vault), short)
    assert "STATUS" not in events(vault)[uid]
    note = vault / TOM
    note.write_text(
        note.read_text("utf-8").replace("status: done\n", "status: done\nthanked: 2026-11-23\n"), "utf-8"
    )

    sync(vault, today=TODAY)

    event = events(vault)[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "VALARM" not in [c.name for c in event.subcomponents]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = {e.uid: e for e in ics.Calendar((vault / ICS).read_text("utf-8")).events}
    assert parsed[uid].status == "CANCELLED"
    sync(vault, today=date(2026, 12, 23))  # 30 days after: still there
    assert str(events(vault)[uid]["STATUS"]) == "CANCELLED"
    sync(vault, today=date(2026, 12, 24))  # 31 days after: gone
    assert uid not in events(vault)


def test_the_description_holds_the_drafted_thank_you(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=TODAY)
    short = next(
        r["id"] for r in followups(vault, "2026-11-26") if r["kind"] == "thank-you" and r["source"] == TOM
    )
    event = events(vault)[uid_of(events(vault), short)]
    drafted = CliRunner().invoke(
        main, ["draft", "thank-you", "Tom Lee", "--vault", str(vault), "--today", "2026-11-26"]
    )
    assert drafted.exit_code == 0, drafted.output
    message = drafted.stdout.strip("\n")
    assert "Dear Tom" in message
    link = obsidian_link("vault", TOM)
    assert str(event["DESCRIPTION"]) == f"{message}\n\nSource: {link}"
    assert str(event["SUMMARY"]) == "Thank Tom Lee"


@pytest.mark.parametrize(
    "kind",
    [
        c.kind
        for c in CASES
        if c.kind in ("thank-you", "update-referrer", "no-response (first)", "action (task line)")
    ],
)
def test_a_ticked_item_stays_in_the_calendar_as_cancelled(make_vault: MakeVault, kind: str) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    case = next(c for c in CASES if c.kind == kind)
    short = item_id(vault, case.fragment)
    uid = uid_of(events(vault), short)
    assert "STATUS" not in events(vault)[uid]
    tick(vault, short)
    sync(vault, today=DAY)
    assert str(events(vault)[uid]["STATUS"]) == "CANCELLED"


KEEP_IN_TOUCH = {  # met on 2026-08-25: keep in touch by 2026-11-23, shown as 5 days overdue
    "People/Kim Near.md": "---\ntype: contact\ncompany: Acme\n---\n",
    "Networking/2026-08-25 Kim Near.md": (
        '---\ncontact: "[[Kim Near]]"\ndate: 2026-08-25\nstatus: done\nthanked: 2026-08-25\n---\n'
    ),
}


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("prepare", "Prepare 5-10 questions for"),
        ("contact-referral", "Reach out to [[Dana Lee]]"),
        ("keep-in-touch", "Keep in touch with [[People/Kim Near|Kim Near]]"),
    ],
)
def test_a_ticked_dated_item_of_the_new_kinds_stays_as_cancelled(
    make_vault: MakeVault, kind: str, fragment: str
) -> None:
    make_vault(dict(KEEP_IN_TOUCH))
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, fragment)
    uid = uid_of(events(vault), short)
    tick(vault, short)
    result = sync(vault, today=DAY)
    assert [(r.item.kind, r.refusal) for r in result.recorded] == [(kind, None)]
    assert uid in events(vault)
    assert str(events(vault)[uid]["STATUS"]) == "CANCELLED"


def test_long_overdue_items_are_not_in_the_calendar(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    gus = item_id(vault, "Keep in touch with [[People/Gus Old|Gus Old]]")  # in the folded callout
    assert not [u for u in events(vault) if u.startswith(gus)]


def test_calendar_false_writes_no_calendar(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault, config="calendar = false\n")
    result = sync(vault, today=DAY)
    assert not (vault / ICS).exists()
    assert "notesync/Follow-ups.ics" not in [c.page for c in result.changes]


def test_the_move_on_item_does_not_remind_to_follow_up_again(make_vault: MakeVault) -> None:
    vault = tick_vault(make_vault)
    sync(vault, today=DAY)
    short = item_id(vault, "after your follow-up on 2026-11-09")
    event = events(vault)[uid_of(events(vault), short)]
    assert "STATUS" not in event
    assert not str(event["SUMMARY"]).startswith("Follow up")
    assert "following up" not in str(event["DESCRIPTION"]).casefold()
    assert "move on" in (str(event["SUMMARY"]) + str(event["DESCRIPTION"])).casefold()
