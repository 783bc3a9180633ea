"""Per-person figures the pages share: conversations, status, company, referrers."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from .model import Note, Person

NOT_CONTACTED = "not contacted"


class PersonStats(NamedTuple):
    key: str
    name: str
    note: str | None  # contact note path
    company: str | None
    role: str | None
    referred_by: tuple[str, ...]  # names, "Me" included
    conversations: int  # interview notes with status done
    last_conversation: date | None  # date of the latest done conversation
    last_contact: date | None  # the last day the notes show you in touch (see `rules.interactions`)
    status: str  # latest interview status, or "not contacted"
    latest: tuple[date | None, str, str] | None  # their latest interview note: date, path, status

    @property
    def met(self) -> bool:
        return self.conversations > 0

    @property
    def group(self) -> str:
        """Map style: met, requested, declined or not-contacted."""
        if self.met:
            return "met"
        if self.status == "declined":
            return "declined"
        if self.status == NOT_CONTACTED:
            return "not-contacted"
        return "requested"


def _order(note: Note) -> tuple[date, str]:
    return (note.date or date.min, note.path)


def _status(note: Note) -> str:
    if note.status is not None:
        return note.status
    return "met" if note.date is not None else "no status"


def stats_of(
    person: Person, referred_by: tuple[str, ...], mine: list[Note], last_contact: date | None
) -> PersonStats:
    """One person's figures from their conversations."""
    notes = sorted(mine, key=_order)
    done = [n for n in notes if n.held]
    last = notes[-1] if notes else None
    company, role = person.company, person.role
    for n in reversed(notes):
        company = company or n.company
        role = role or n.role
    return PersonStats(
        key=person.key,
        name=person.name,
        note=person.note,
        company=company,
        role=role,
        referred_by=referred_by,
        conversations=len(done),
        last_conversation=max((n.date for n in done if n.date), default=None),
        last_contact=last_contact,
        status=_status(last) if last else NOT_CONTACTED,
        latest=None if last is None else (last.date, last.path, _status(last)),
    )
