"""Follow-ups.ics: parsed by `icalendar` and by the independent `ics` package, stable UIDs,
identical bytes for the same inputs, all-day and cancelled events, folding, hostile text,
the ownership digest, and the same bytes as `icalendar`'s own writer."""

from __future__ import annotations

import hashlib
import random
import warnings
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import ics  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Alarm, Calendar, Event, vText

from notesync import owner
from notesync.owner import PRODID
from notesync.render.calendar import (
    CalendarItem,
    clean,
    obsidian_link,
    one_line,
    render_calendar,
)

TODAY = date(2026, 11, 26)
VAULT = "Job Search"


def uid(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def item(
    person: str = "Jane Smith",
    due: date = TODAY,
    kind: str = "thank-you",
    summary: str | None = None,
    description: str = "Hi Jane,\n\nThank you for your time on Friday.\n\nBest,\nMe",
    source: str | None = None,
) -> CalendarItem:
    source = source if source is not None else f"Interviews/2026-11-20 {person}.md"
    return CalendarItem(
        uid(kind, source, person),
        kind,
        person,
        due,
        summary if summary is not None else f"Thank {person}",
        description,
        source,
    )


def parse(text: str) -> Calendar:
    return Calendar.from_ical(text)


def events(text: str) -> list[Any]:
    return list(parse(text).walk("VEVENT"))


def ics_events(text: str) -> list[ics.Event]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # arrow/ics deprecation noise, not ours
        return sorted(ics.Calendar(text).events, key=lambda e: (e.begin, e.uid))


def by_uid(text: str) -> dict[str, Any]:
    return {str(e["UID"]): e for e in events(text)}


# -- parsing --------------------------------------------------------------------------


def test_parses_with_icalendar() -> None:
    open_items = [item("Jane Smith", TODAY - timedelta(days=3)), item("Tom Lee", TODAY + timedelta(days=2))]
    done = [item("Ann Chu", TODAY - timedelta(days=5))]
    text = render_calendar(VAULT, TODAY, open_items, done)
    cal = parse(text)
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["VERSION"]) == "2.0"
    evs = by_uid(text)
    assert len(evs) == 3
    jane = evs[f"{open_items[0].uid}@notesync"]
    assert jane.decoded("DTSTART") == TODAY  # overdue: dated today
    assert jane.decoded("DTEND") == TODAY + timedelta(days=1)
    assert str(jane["SUMMARY"]) == "Thank Jane Smith"
    link = obsidian_link(VAULT, open_items[0].source)
    assert str(jane["DESCRIPTION"]) == f"{open_items[0].description}\n\nSource: {link}"
    assert str(jane["URL"]) == link
    assert jane.decoded("DTSTAMP") == datetime(2026, 11, 26, tzinfo=UTC)
    assert "STATUS" not in jane
    tom = evs[f"{open_items[1].uid}@notesync"]
    assert tom.decoded("DTSTART") == TODAY + timedelta(days=2)  # upcoming: its due date
    ann = evs[f"{done[0].uid}@notesync"]
    assert str(ann["STATUS"]) == "CANCELLED"
    assert ann.decoded("DTSTART") == TODAY - timedelta(days=5)  # done: its due date


def test_parses_with_ics() -> None:
    open_items = [item("Jane Smith", TODAY - timedelta(days=3)), item("Tom Lee", TODAY + timedelta(days=2))]
    done = [item("Ann Chu", TODAY - timedelta(days=5))]
    text = render_calendar(VAULT, TODAY, open_items, done)
    evs = ics_events(text)
    assert [e.name for e in evs] == ["Thank Ann Chu", "Thank Jane Smith", "Thank Tom Lee"]
    assert all(e.all_day for e in evs)
    assert [e.status for e in evs] == ["CANCELLED", None, None]
    assert [e.begin.date() for e in evs] == [TODAY - timedelta(days=5), TODAY, TODAY + timedelta(days=2)]
    assert evs[1].uid == f"{open_items[0].uid}@notesync"
    assert (
        evs[1].description
        == f"{open_items[0].description}\n\nSource: {obsidian_link(VAULT, open_items[0].source)}"
    )
    assert evs[1].url == obsidian_link(VAULT, open_items[0].source)


def test_empty_calendar_is_valid() -> None:
    text = render_calendar(VAULT, TODAY, [], [])
    assert events(text) == []
    assert ics_events(text) == []
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")


# -- stability -------------------------------------------------------------------------


def test_uid_stable_across_days() -> None:
    jane = item(due=date(2026, 11, 20))
    day1 = by_uid(render_calendar(VAULT, date(2026, 11, 21), [jane]))
    day2 = by_uid(render_calendar(VAULT, date(2026, 11, 25), [jane]))
    assert list(day1) == list(day2) == [f"{jane.uid}@notesync"]
    # the overdue event follows the day, and each move is a revision
    (e1,), (e2,) = day1.values(), day2.values()
    assert e1.decoded("DTSTART") == date(2026, 11, 21)
    assert e2.decoded("DTSTART") == date(2026, 11, 25)
    assert int(e2["SEQUENCE"]) > int(e1["SEQUENCE"])


def test_sequence_never_goes_down() -> None:
    jane = item(due=date(2026, 11, 20))
    seen: list[int] = []
    for offset in range(-5, 10):
        day = jane.due + timedelta(days=offset)
        (ev,) = events(render_calendar(VAULT, day, [jane]))
        seen.append(int(ev["SEQUENCE"]))
    (cancel,) = events(render_calendar(VAULT, jane.due + timedelta(days=10), [], [jane]))
    assert seen == sorted(seen)
    assert int(cancel["SEQUENCE"]) > seen[-1]


def test_same_inputs_same_bytes() -> None:
    open_items = [item(f"Person {i}", TODAY + timedelta(days=i - 10)) for i in range(30)]
    done = [item(f"Done {i}", TODAY - timedelta(days=i)) for i in range(5)]
    first = render_calendar(VAULT, TODAY, open_items, done)
    shuffled = open_items[:]
    random.Random(1).shuffle(shuffled)
    assert render_calendar(VAULT, TODAY, shuffled, done[::-1]) == first
    assert render_calendar(VAULT, TODAY, open_items, done).encode() == first.encode()
    assert "DTSTAMP:20261126T000000Z\r\n" in first
    assert render_calendar(VAULT, TODAY + timedelta(days=1), open_items, done) != first


def test_events_sorted_by_date_then_uid() -> None:
    open_items = [item(f"P{i}", TODAY + timedelta(days=i % 3)) for i in range(12)]
    evs = events(render_calendar(VAULT, TODAY, open_items))
    keys = [(e.decoded("DTSTART"), str(e["UID"])) for e in evs]
    assert keys == sorted(keys)


# -- all-day and cancelled events ------------------------------------------------------


def test_all_day_events() -> None:
    text = render_calendar(VAULT, TODAY, [item(due=TODAY + timedelta(days=1))], [item("Tom Lee")])
    lines = text.split("\r\n")
    starts = [line for line in lines if line.startswith("DTSTART")]
    ends = [line for line in lines if line.startswith("DTEND")]
    assert starts == ["DTSTART;VALUE=DATE:20261126", "DTSTART;VALUE=DATE:20261127"]
    assert ends == ["DTEND;VALUE=DATE:20261127", "DTEND;VALUE=DATE:20261128"]
    for ev in events(text):
        assert type(ev.decoded("DTSTART")) is date
        assert ev.decoded("DTEND") - ev.decoded("DTSTART") == timedelta(days=1)
    assert "TRANSP:TRANSPARENT" in lines


def test_cancelled_events_keep_the_uid_and_have_no_alarm() -> None:
    jane = item(due=TODAY - timedelta(days=4))
    open_uid = list(by_uid(render_calendar(VAULT, TODAY - timedelta(days=1), [jane])))
    text = render_calendar(VAULT, TODAY, [], [jane])
    (ev,) = events(text)
    assert [str(ev["UID"])] == open_uid
    assert str(ev["STATUS"]) == "CANCELLED"
    assert ev.decoded("DTSTART") == jane.due
    assert ev.walk("VALARM") == []


def test_an_open_item_wins_over_a_done_one_and_uids_are_unique() -> None:
    jane, tom = item("Jane Smith"), item("Tom Lee")
    text = render_calendar(VAULT, TODAY, [jane, jane, tom], [jane])
    evs = events(text)
    assert sorted(str(e["UID"]) for e in evs) == sorted({f"{jane.uid}@notesync", f"{tom.uid}@notesync"})
    assert all("STATUS" not in e for e in evs)


def test_alarm() -> None:
    text = render_calendar(VAULT, TODAY, [item()])
    (alarm,) = events(text)[0].walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(hours=9)
    assert str(alarm["DESCRIPTION"]) == "Thank Jane Smith"
    late = render_calendar(VAULT, TODAY, [item()], remind_at=time(17, 30))
    assert events(late)[0].walk("VALARM")[0].decoded("TRIGGER") == timedelta(hours=17, minutes=30)
    assert "BEGIN:VALARM" not in render_calendar(VAULT, TODAY, [item()], remind_at=None)


# -- folding, non-ASCII, hostile text --------------------------------------------------


def physical_lines(text: str) -> list[bytes]:
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "a bare CR"
    return data[:-2].split(b"\r\n")


def check_folding(text: str) -> None:
    for line in physical_lines(text):
        assert len(line) <= 75, line
        line.decode("utf-8")  # no multi-byte character split across a fold


LONG = "Thank you so much for taking the time to talk with me about " * 6
EMOJI = "🙏🏽 Thanks! 👩‍💻🎉 " * 12
CJK = "ご相談ありがとうございました。田中さんを紹介していただき感謝します。" * 4
MIXED = "Müller Ångström Łucja — Zoë’s “quoted” note, naïve café… " * 4


@pytest.mark.parametrize("text", [LONG, EMOJI, CJK, MIXED])
def test_folding_long_and_non_ascii(text: str) -> None:
    jane = item(person="Jane 田中", summary=text[:150], description=text + "\n" + text)
    out = render_calendar(VAULT, TODAY, [jane])
    check_folding(out)
    assert any(line.startswith(b" ") for line in physical_lines(out))
    (ev,) = events(out)
    assert str(ev["SUMMARY"]) == one_line(text[:150])
    assert str(ev["DESCRIPTION"]).startswith(f"{text}\n{text}\n\nSource: obsidian://")
    (other,) = ics_events(out)
    assert other.name == one_line(text[:150])
    assert other.description == str(ev["DESCRIPTION"])


HOSTILE = [
    "line one\nline two\r\nline three\rline four",
    "semi; colon, comma\\ backslash \\\\ double \\n not a newline",
    "END:VEVENT\nBEGIN:VEVENT\nUID:evil@x\nSUMMARY:injected\nEND:VEVENT",
    "\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\n",
    "X-NOTESYNC-DIGEST:0123456789abcdef\nX-NOTESYNC-DIGEST:0000000000000000",
    "tab\there, NUL\x00, bell\x07, DEL\x7f, vt\x0bff\x0c, sep\u2028para\u2029nel\x85",
    "quotes \" and ' and <html> & %20 and obsidian://open?vault=x&file=y",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text(text: str) -> None:
    evil = item(person="Eve", summary=text, description=text, source=f"Notes/{text[:20]}.md")
    out = render_calendar(VAULT, TODAY, [evil, item("Tom Lee")], [item("Ann Chu")])
    check_folding(out)
    lines = physical_lines(out)
    assert lines.count(b"BEGIN:VEVENT") == 3 == len(events(out))
    assert lines.count(b"BEGIN:VCALENDAR") == 1 and lines.count(b"END:VCALENDAR") == 1
    assert sum(line.startswith(b"X-NOTESYNC-DIGEST") for line in lines) == 1
    assert sum(line.startswith(b"UID:") for line in lines) == 3
    ev = by_uid(out)[f"{evil.uid}@notesync"]
    assert str(ev["SUMMARY"]) == one_line(text)
    description = clean(text).strip("\n")
    assert str(ev["DESCRIPTION"]) == f"{description}\n\nSource: {obsidian_link(VAULT, evil.source)}"
    assert "\x00" not in str(ev["DESCRIPTION"]) and "\u2028" not in str(ev["DESCRIPTION"])
    assert len(ics_events(out)) == 3
    stamped = owner.stamp("Follow-ups.ics", out).decode()
    assert owner.ownership("Follow-ups.ics", stamped.encode()) == "ours"


def test_backslash_n_survives() -> None:
    """`icalendar`'s writer turns `\\N` into a line break; ours writes `\\\\N`, which its parser
    reads back as written. (`ics` 0.7.3 misreads an escaped backslash before `n`: not checked.)"""
    path = "Copy C:\\Notes\\new plan to D:\\N\\"
    out = render_calendar(VAULT, TODAY, [item(summary=path, description=path)])
    assert "SUMMARY:Copy C:\\\\Notes\\\\new plan to D:\\\\N\\\\\r\n" in out
    (ev,) = events(out)
    assert str(ev["SUMMARY"]) == path
    assert str(ev["DESCRIPTION"]).startswith(path + "\n\nSource: ")


def test_lone_surrogates_and_empty_texts() -> None:
    odd = item(person="", summary="", description="", source="People/bad \udcff name.md")
    out = render_calendar("", TODAY, [odd])
    (ev,) = events(out)
    assert str(ev["SUMMARY"]) == "thank-you"
    assert str(ev["DESCRIPTION"]).startswith(
        "Source: obsidian://open?vault=&file=People%2Fbad%20%3F%20name.md"
    )
    assert "X-WR-CALNAME:Follow-ups\r\n" in out


def test_obsidian_link_encoding() -> None:
    link = obsidian_link("My Vault+1", "Interviews/2026/Zoë & Tom #1 50%.md")
    assert link == (
        "obsidian://open?vault=My%20Vault%2B1&file=Interviews%2F2026%2FZo%C3%AB%20%26%20Tom%20%231%2050%25.md"
    )


def test_an_obsidian_link_names_a_vault_or_note_with_a_line_break_as_it_is() -> None:
    """A folder or file name may hold a line separator or a control character: the link
    carries it encoded, as `encodeURIComponent` does, not a stand-in for it."""
    link = obsidian_link("Work\u2028Vault", "People/Tab\there.md")
    assert link == "obsidian://open?vault=Work%E2%80%A8Vault&file=People%2FTab%09here.md"
    out = render_calendar("Work\u2028Vault", TODAY, [item(source="People/Tab\there.md")])
    (ev,) = events(out)
    assert str(ev["URL"]) == link and str(ev["DESCRIPTION"]).endswith(f"Source: {link}")


# -- ownership -------------------------------------------------------------------------


def test_digest_line_and_ownership() -> None:
    out = render_calendar(VAULT, TODAY, [item("Jane Smith"), item("Tom Lee")], [item("Ann Chu")])
    assert "\r\nX-NOTESYNC-DIGEST:0000000000000000\r\n" in out
    stamped = owner.stamp("Follow-ups.ics", out).decode()
    assert stamped != out
    assert "X-NOTESYNC-DIGEST:0000000000000000" not in stamped
    assert owner.ownership("Follow-ups.ics", stamped.encode()) == "ours"
    (digest_line,) = [line for line in stamped.split("\r\n") if line.startswith("X-NOTESYNC-DIGEST")]
    assert len(digest_line) == len("X-NOTESYNC-DIGEST:") + 16
    edited = stamped.replace("SUMMARY:Thank Tom Lee", "SUMMARY:Thank Tom Lee soon", 1)
    assert edited != stamped
    assert owner.ownership("Follow-ups.ics", edited.encode()) == "edited"
    assert owner.ownership("Follow-ups.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") == "foreign"
    # the stamped file still parses everywhere
    assert len(events(stamped)) == 3 and len(ics_events(stamped)) == 3


# -- the same bytes as icalendar's own writer -------------------------------------------


def reference(
    vault: str, today: date, items: list[CalendarItem], done: list[CalendarItem], remind_at: time | None
) -> str:
    """The calendar built with `icalendar`'s object model (its to_ical orders and folds)."""
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    name = f"Follow-ups ({one_line(vault)})" if one_line(vault) else "Follow-ups"
    cal.add("name", vText(name))  # icalendar 7 does not know these are TEXT
    cal.add("x-wr-calname", vText(name))
    cal.add("x-notesync-digest", "0" * 16)
    made: list[tuple[date, str, Event]] = []
    seen: set[str] = set()
    for batch, cancelled in ((items, False), (done, True)):
        for it in batch:
            if one_line(it.uid) in seen:
                continue
            seen.add(one_line(it.uid))
            link = obsidian_link(vault, it.source)
            message = clean(it.description).strip("\n")
            summary = one_line(it.summary) or one_line(f"{it.kind} {it.person}")
            day = it.due if cancelled else max(it.due, today)
            ev = Event()
            ev.add("uid", f"{one_line(it.uid)}@notesync")
            ev.add("dtstamp", datetime.combine(today, time(0), tzinfo=UTC))
            ev.add("dtstart", day)
            ev.add("dtend", day + timedelta(days=1))
            ev.add("summary", summary)
            ev.add("description", f"{message}\n\nSource: {link}" if message else f"Source: {link}")
            ev.add("url", link)
            ev.add("categories", [one_line(it.kind) or "follow-up"])
            ev.add("transp", "TRANSPARENT")
            ev.add("sequence", max(0, (today - it.due).days) + cancelled)
            if cancelled:
                ev.add("status", "CANCELLED")
            elif remind_at is not None:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", summary)
                alarm.add("trigger", timedelta(hours=remind_at.hour, minutes=remind_at.minute))
                ev.add_component(alarm)
            made.append((day, f"{one_line(it.uid)}@notesync", ev))
    for _, _, ev in sorted(made, key=lambda m: (m[0], m[1])):
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data.decode("utf-8")


def test_same_bytes_as_icalendar() -> None:
    pytest.importorskip("icalendar", minversion="7.3")  # the version whose writer this matches
    open_items = [item(f"Person {i}", TODAY + timedelta(days=i - 5)) for i in range(10)]
    open_items += [
        item("Long", summary=LONG, description=LONG),
        item("Emoji", summary=EMOJI, description=CJK),
    ]
    open_items += [item("Backslashes", summary="a\\b;c,d" * 20, description="x\\" * 80 + "^" * 80)]
    done = [item("Ann Chu", TODAY - timedelta(days=2))]
    for remind in (time(9), time(0), time(0, 45), None):
        assert render_calendar(VAULT, TODAY, open_items, done, remind_at=remind) == reference(
            VAULT, TODAY, open_items, done, remind
        )


# A backslash before "N" is where icalendar's writer differs (it makes a line break of it).
texts = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=300),
    st.text("ab \\^,;\né中😀\u200d", max_size=400),  # escapes and multi-byte characters at folds
).filter(lambda t: "\\N" not in t)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    summary=texts,
    description=texts,
    person=texts,
    source=texts,
    vault=texts,
    offset=st.integers(-40, 40),
    cancelled=st.booleans(),
)
def test_same_bytes_as_icalendar_whatever_the_text(
    summary: str, description: str, person: str, source: str, vault: str, offset: int, cancelled: bool
) -> None:
    pytest.importorskip("icalendar", minversion="7.3")
    it = item(
        person=person,
        due=TODAY + timedelta(days=offset),
        summary=summary,
        description=description,
        source=source,
    )
    open_items, done = ([], [it]) if cancelled else ([it], [])
    out = render_calendar(vault, TODAY, open_items, done)
    assert out == reference(vault, TODAY, open_items, done, time(9))
    check_folding(out)
    (ev,) = events(out)
    assert str(ev["SUMMARY"]) == (one_line(summary) or one_line(f"thank-you {person}"))
    message = clean(description).strip("\n")
    assert str(ev["DESCRIPTION"]).startswith(message)
