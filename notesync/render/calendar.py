"""`Follow-ups.ics`: the open follow-ups as all-day calendar events (RFC 5545).

Obsidian cannot raise a phone notification; a calendar can. The file is a pure function
of the items and `today`, so two devices that sync the vault write the same bytes:

* one all-day event per open item, dated its due day, or today while it is overdue (a
  phone shows what is owed today, not a month ago); its UID is the item's own id, so a
  calendar that imports the file again updates the event instead of adding one;
* an item done recently stays as a cancelled event with the same UID, so a calendar that
  imports the file again removes it;
* DTSTAMP and SEQUENCE come from the data (`today`, days overdue), never from the clock;
* an `X-NOTESYNC-DIGEST` line that `owner.stamp` fills with a digest of the content.

Why not `icalendar`'s object model: it costs about 0.3 ms an event (3,000 objects and
a character-by-character fold per 1,000 events), which a 10,000-note vault's 1,500
events would add to every first sync of a day; and its TEXT escaping turns a
backslash followed by `N` (`C:\\Notes`) into a line break. The few lines written here
are the bytes `icalendar` 7.3 writes for the same calendar (same property order, same
folding; the calendar's NAME escaped as the TEXT it is), which the tests check, and both
`icalendar` and `ics` parse them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from ..config import Config
from ..kinds import EVENT, MOVE_ON_EVENT
from ..model import FollowUp
from ..owner import ICS_KEY, PRODID
from ..rules import add_days, due_by, moving_on
from .context import Context

UID_DOMAIN = "notesync"
BLANK_DIGEST = "0" * 16  # what `owner.stamp` replaces with the digest
DEFAULT_REMINDER = time(9, 0)
_FOLD = 74  # octets of content per physical line (the folded ones start with a space: 75)


class CalendarItem(NamedTuple):
    """One follow-up as the calendar shows it: the caller has already drafted its text."""

    uid: str  # the item's full stable id (a hex digest): the event's UID before "@notesync"
    kind: str  # "thank-you", "no-response", ...: the event's category
    person: str  # canonical name of whom to get in touch with
    due: date
    summary: str  # one short line: "Thank Jane Smith"
    description: str  # the drafted message, plain text, any number of lines
    source: str  # vault path of the note the item comes from, "/"-separated


# Line breaks as `str.splitlines` sees them (so no reader splits a value where we did not),
# and the other control characters RFC 5545 forbids in TEXT (all but HTAB).
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text any reader reads back as written: `\\n` for every line break, no other control
    characters, no lone surrogates (a file name read with surrogateescape)."""
    if text.isprintable():  # (most: no line break, control character or surrogate in it)
        return text
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def one_line(text: str) -> str:
    """A summary is one line on a phone's agenda: line breaks and runs of spaces become one space."""
    if text.isprintable() and "  " not in text:  # (its only white space is single spaces)
        return text.strip()
    return _SPACES.sub(" ", clean(text)).strip()


def _escape(text: str) -> str:
    """RFC 5545 TEXT (§3.3.11) of clean text."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> bytes:
    """One content line folded as `icalendar` folds it: at most 74 octets, then CRLF and a
    space; never inside a UTF-8 sequence, never right after a backslash (some clients
    read a fold there as the end of an escape)."""
    data = line.encode("utf-8")
    if len(data) <= _FOLD:
        return data + b"\r\n"
    out: list[bytes] = []
    start, size = 0, len(data)
    while size - start > _FOLD:
        end = start + _FOLD
        while data[end] & 0xC0 == 0x80:  # a continuation byte: the character starts earlier
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        out.append(data[start:end])
        start = end
    out.append(data[start:])
    return b"\r\n ".join(out) + b"\r\n"


def _day(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _duration(t: time) -> str:
    """The time of day as an RFC 5545 duration from the start of the day: `PT9H30M`."""
    hours, minutes = t.hour, t.minute
    if not hours and not minutes:
        return "P0D"
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")


def obsidian_link(vault_name: str, path: str) -> str:
    """`obsidian://open?vault=…&file=…`, every reserved character encoded (`/` too).

    The `.md` is kept: Obsidian opens `Note.md` as it opens `Note`, and a note named
    `Plan.canvas.md` would otherwise open `Plan.canvas`."""
    return f"obsidian://open?vault={_quoted(vault_name)}&file={_quoted(path)}"


@lru_cache(maxsize=1 << 13)
def _quoted(text: str) -> str:
    """Every character as it is, percent-encoded as Obsidian's own links encode it (a line
    break in a name too: the link must name that vault and file); a lone surrogate, which
    no link can carry, as `?` (`%3F`)."""
    return quote(text, safe="", errors="replace")


def _sequence(due: date, today: date, cancelled: bool) -> int:
    """SEQUENCE from the data: an overdue event is moved to today every day, and each move
    is a revision (clients keep the highest SEQUENCE); cancelling is one more."""
    return max(0, (today - due).days) + (1 if cancelled else 0)


@lru_cache(maxsize=1 << 13)  # the watcher's passes draw mostly the events they drew before
def _event(
    item: CalendarItem, vault_name: str, today: date, stamp: str, cancelled: bool, alarm: str | None
) -> tuple[date, str, bytes]:
    """(date, UID, the VEVENT's bytes), its properties in `icalendar`'s order (its
    canonical ones, then the others by name)."""
    link = obsidian_link(vault_name, item.source)
    message = clean(item.description).strip("\n")
    summary = _escape(one_line(item.summary) or one_line(f"{item.kind} {item.person}"))
    day = item.due if cancelled else max(item.due, today)
    uid = _escape(f"{one_line(item.uid)}@{UID_DOMAIN}")
    description = f"{message}\n\nSource: {link}" if message else f"Source: {link}"
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{summary}",
        f"DTSTART;VALUE=DATE:{_day(day)}",  # a date, not a time: an all-day event
        f"DTEND;VALUE=DATE:{_day(day + timedelta(days=1))}",  # exclusive
        f"DTSTAMP:{stamp}",
        f"UID:{uid}",
        f"SEQUENCE:{_sequence(item.due, today, cancelled)}",
        f"CATEGORIES:{_escape(one_line(item.kind) or 'follow-up')}",
        f"DESCRIPTION:{_escape(description)}",
    ]
    if cancelled:
        lines.append("STATUS:CANCELLED")
    lines.append("TRANSP:TRANSPARENT")  # a reminder, not a meeting: the day stays free
    lines.append(f"URL:{link}")
    if alarm is not None and not cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{summary}",
            f"TRIGGER:{alarm}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return day, uid, b"".join(_fold(line) for line in lines)


def render_calendar(
    vault_name: str,
    today: date,
    items: Sequence[CalendarItem],
    done: Sequence[CalendarItem] = (),
    *,
    remind_at: time | None = DEFAULT_REMINDER,
) -> str:
    """The text of Follow-ups.ics, with CRLF line ends as RFC 5545 requires (write it as
    bytes, without newline translation).

    `items`: the open items to show (the caller picks them: those above the folded "long
    overdue" callout, and the upcoming ones). `done`: items recorded done recently, kept
    as cancelled events. A UID appears once: an open item wins over a done one, the first
    of two with one UID wins. `remind_at`: the local time of day of a display alarm on
    each open event (None: no alarm, the calendar's own default applies)."""
    stamp = f"{_day(today)}T000000Z"
    alarm = None if remind_at is None else _duration(remind_at)
    events: list[tuple[date, str, bytes]] = []
    seen: set[str] = set()
    for batch, cancelled in ((items, False), (done, True)):
        for item in batch:
            key = one_line(item.uid)
            if key in seen:
                continue
            seen.add(key)
            events.append(_event(item, vault_name, today, stamp, cancelled, alarm))
    events.sort(key=lambda e: (e[0], e[1]))

    name = f"Follow-ups ({one_line(vault_name)})" if one_line(vault_name) else "Follow-ups"
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"NAME:{_escape(name)}",  # RFC 7986
        f"X-WR-CALNAME:{_escape(name)}",  # what Apple and Google Calendar show
        f"{ICS_KEY}:{BLANK_DIGEST}",
    ]
    out = [_fold(line) for line in head]
    out += [ev for _, _, ev in events]
    out.append(b"END:VCALENDAR\r\n")
    return b"".join(out).decode("utf-8")


RECENT = 30  # days an item recorded done stays in the calendar, cancelled


def window(items: Sequence[FollowUp], today: date, config: Config) -> list[FollowUp]:
    """The items the calendar shows: those Follow-ups.md lists above its folded "long
    overdue" callout (overdue for at most `long_overdue_days`, due today, coming up)."""
    cut = add_days(today, -config.long_overdue_days)
    return [i for i in due_by(list(items), today, config.upcoming_days) if i.due >= cut]


def _calendar_item(item: FollowUp, description: str) -> CalendarItem:
    title = MOVE_ON_EVENT if moving_on(item) else EVENT.get(item.kind)
    summary = title.format(item.person) if title else item.text
    return CalendarItem(item.uid, item.kind, item.person, item.due, summary, description, item.source)


def calendar_inputs(ctx: Context) -> tuple[str, date, tuple[CalendarItem, ...], tuple[CalendarItem, ...]]:
    """What Follow-ups.ics reads: the items in its window with their drafted messages,
    and the items recorded done in the last RECENT days (cancelled events)."""
    today = ctx.today
    shown = tuple(
        _calendar_item(i, ctx.drafts.get(i.uid, i.text)) for i in window(ctx.items, today, ctx.config)
    )
    since = add_days(today, -RECENT)
    done = sorted(pair for part in ctx.parts.values() for pair in part.finished.between(since, today))
    cancelled = tuple(_calendar_item(i, i.text) for i, _ in done)
    return ctx.vault_name, today, shown, cancelled
