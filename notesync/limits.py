"""How far a value from a note, a setting or the command line may go.

Python's dates end at 9999-12-31 and its `timedelta` at a billion days: a note dated
9999-12-31 or a rule of 99,999,999,999 days would make the date arithmetic of the
rules raise. Values past these bounds are refused where they are read (a diagnostic
for a note, a settings error for `.notesync.toml`), so everything after works on
values whose arithmetic cannot overflow.
"""

from __future__ import annotations

from datetime import date

MAX_DAYS = 3650  # any day count (a rule, upcoming_days, keep_in_touch): ten years
MAX_DEBOUNCE_MS = 60_000  # a quiet period longer than a minute is a typo, not a wish

# Dates notesync reads. A rule reaches at most MAX_DAYS working days (about fourteen
# years) past a note's date; these leave centuries to spare at both ends.
FIRST_DATE = date(1000, 1, 1)
LAST_DATE = date(9899, 12, 31)

# The longest folder or file name most file systems take (in bytes of UTF-8).
MAX_NAME_BYTES = 255


def date_in_range(day: date) -> bool:
    """Is `day` a date the rules can count from without leaving the calendar?"""
    return FIRST_DATE <= day <= LAST_DATE


def parse_day(text: str) -> date:
    """A day given as YYYY-MM-DD (`--today`), refused (ValueError, saying why) when the
    rules could not count from it. (Not strptime: its imports cost every run milliseconds.)"""
    import re

    found = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)  # (not an ISO week date)
    try:
        day = date(*map(int, found.groups())) if found else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"{text!r} is not a date as YYYY-MM-DD.")
    if not date_in_range(day):
        raise ValueError(out_of_range(day))
    return day


def out_of_range(day: date) -> str:
    """Why `day` is refused, for a diagnostic or an error message."""
    return (
        f"{day.isoformat()} is out of range: notesync reads dates from "
        f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"
    )
