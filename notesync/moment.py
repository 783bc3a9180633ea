"""Moment.js date formats, the dialect Obsidian's settings are written in.

Obsidian fills `{{date:dddd D MMMM YYYY}}` and names daily notes (`YYYY-MM-DD`,
`YYYY/MM-MMMM/[Daily Notes]/YYYY-MM-DD-dddd`) with Moment.js formats. Writing a date
and reading one back share one tokenizer, so a name `moment_format` writes is a name
`moment_parse` reads. English names only: Obsidian's default locale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The tokens notesync knows, longest first; `[text]` is literal text.
TOKEN = re.compile(r"\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|Do|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a")
# Letters Moment reads as tokens. One left over once the known tokens are taken (`Q`, `ww`,
# `gggg`) names something notesync does not read: such a format reads no date at all.
_MOMENT_LETTERS = frozenset("YyMDdEeWwQNgGHhkmsSaAxXZz")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_WRITERS: dict[str, Callable[[dt.datetime], str]] = {
    "YYYY": lambda t: f"{t.year:04d}",
    "YY": lambda t: f"{t.year % 100:02d}",
    "MMMM": lambda t: MONTHS[t.month - 1],
    "MMM": lambda t: MONTHS[t.month - 1][:3],
    "MM": lambda t: f"{t.month:02d}",
    "M": lambda t: str(t.month),
    "Do": lambda t: _ordinal(t.day),
    "DD": lambda t: f"{t.day:02d}",
    "D": lambda t: str(t.day),
    "dddd": lambda t: WEEKDAYS[t.weekday()],
    "ddd": lambda t: WEEKDAYS[t.weekday()][:3],
    "HH": lambda t: f"{t.hour:02d}",
    "H": lambda t: str(t.hour),
    "hh": lambda t: f"{(t.hour - 1) % 12 + 1:02d}",
    "h": lambda t: str((t.hour - 1) % 12 + 1),
    "mm": lambda t: f"{t.minute:02d}",
    "m": lambda t: str(t.minute),
    "ss": lambda t: f"{t.second:02d}",
    "s": lambda t: str(t.second),
    "A": lambda t: "AM" if t.hour < 12 else "PM",
    "a": lambda t: "am" if t.hour < 12 else "pm",
}


def moment_format(when: dt.datetime, fmt: str) -> str:
    """`when` written in the Moment.js format `fmt`; a letter it does not know stays as written."""

    def token(m: re.Match[str]) -> str:
        return m.group(1) if m.group(1) is not None else _WRITERS[m.group(0)](when)

    return TOKEN.sub(token, fmt)


# --- reading a date back ------------------------------------------------------------------------


class _Reader(NamedTuple):
    """How one token is read: the field it sets ("" for a time, read and dropped), what
    it matches, and its value (None when out of range)."""

    field: str
    pattern: str
    value: Callable[[str], int | None]


def _number(low: int, high: int) -> Callable[[str], int | None]:
    return lambda text: int(text) if low <= int(text) <= high else None


def _names(names: tuple[str, ...]) -> str:
    return "(?i:" + "|".join(names) + ")"


def _index(names: tuple[str, ...], start: int) -> Callable[[str], int | None]:
    folded = [n.casefold() for n in names]
    return lambda text: folded.index(text.casefold()) + start


_SHORT_MONTHS = tuple(m[:3] for m in MONTHS)
_SHORT_DAYS = tuple(d[:3] for d in WEEKDAYS)
# Moment's strict mode: `MM` is two digits, `M` one or two; names in any case.
_READERS: dict[str, _Reader] = {
    "YYYY": _Reader("year", "[0-9]{4}", int),
    "YY": _Reader("year", "[0-9]{2}", lambda t: int(t) + (1900 if int(t) > 68 else 2000)),
    "MMMM": _Reader("month", _names(MONTHS), _index(MONTHS, 1)),
    "MMM": _Reader("month", _names(_SHORT_MONTHS), _index(_SHORT_MONTHS, 1)),
    "MM": _Reader("month", "[0-9]{2}", _number(1, 12)),
    "M": _Reader("month", "[0-9]{1,2}", _number(1, 12)),
    "Do": _Reader("day", "[0-9]{1,2}(?:st|nd|rd|th)", lambda t: _number(1, 31)(t[:-2])),
    "DD": _Reader("day", "[0-9]{2}", _number(1, 31)),
    "D": _Reader("day", "[0-9]{1,2}", _number(1, 31)),
    "dddd": _Reader("weekday", _names(WEEKDAYS), _index(WEEKDAYS, 0)),
    "ddd": _Reader("weekday", _names(_SHORT_DAYS), _index(_SHORT_DAYS, 0)),
    "HH": _Reader("", "[0-9]{2}", _number(0, 23)),
    "H": _Reader("", "[0-9]{1,2}", _number(0, 23)),
    "hh": _Reader("", "[0-9]{2}", _number(1, 12)),
    "h": _Reader("", "[0-9]{1,2}", _number(1, 12)),
    "mm": _Reader("", "[0-9]{2}", _number(0, 59)),
    "m": _Reader("", "[0-9]{1,2}", _number(0, 59)),
    "ss": _Reader("", "[0-9]{2}", _number(0, 59)),
    "s": _Reader("", "[0-9]{1,2}", _number(0, 59)),
    "A": _Reader("", "(?i:am|pm)", lambda _t: 0),
    "a": _Reader("", "(?i:am|pm)", lambda _t: 0),
}


def _literal(text: str) -> str | None:
    """`text` as a pattern, or None when it holds a letter Moment would read as a token."""
    return None if _MOMENT_LETTERS & set(text) else re.escape(text)


@lru_cache(maxsize=64)
def _compile(fmt: str) -> tuple[re.Pattern[str], tuple[_Reader, ...]] | None:
    """One pattern for the whole format, or None when the format cannot name a day.

    Each token is an atomic group: like Moment, a token takes what it matches first and
    never gives some back to the next one (`YYYYMD` reads `2026111` as 2026-11-1)."""
    parts: list[str] = []
    readers: list[_Reader] = []
    pos = 0
    for m in TOKEN.finditer(fmt):
        between = _literal(fmt[pos : m.start()])
        if between is None:
            return None
        parts.append(between)
        if m.group(1) is not None:
            parts.append(re.escape(m.group(1)))
        else:
            reader = _READERS[m.group(0)]
            parts.append(f"(?>({reader.pattern}))")
            readers.append(reader)
        pos = m.end()
    tail = _literal(fmt[pos:])
    if tail is None or not {"year", "month", "day"} <= {r.field for r in readers}:
        return None
    return re.compile("".join(parts) + tail), tuple(readers)


def moment_parse(text: str, fmt: str) -> dt.date | None:
    """The day `text` names in the Moment.js format `fmt`, read as Moment's strict mode
    reads it: all of `text`, literal text exactly, a weekday that is that day's. None
    when it does not, or when `fmt` does not name a whole day (no year, say)."""
    compiled = _compile(fmt)
    if compiled is None:
        return None
    pattern, readers = compiled
    m = pattern.fullmatch(text)
    if m is None:
        return None
    found: dict[str, int] = {}
    for reader, raw in zip(readers, m.groups(), strict=True):
        value = reader.value(raw)
        if value is None:
            return None
        if reader.field and found.setdefault(reader.field, value) != value:
            return None  # `YYYY` and `YY`, or `MM` and `MMMM`, that disagree
    try:
        day = dt.date(found["year"], found["month"], found["day"])
    except ValueError:  # 30 February, year 0
        return None
    if found.get("weekday", day.weekday()) != day.weekday():
        return None
    return day
