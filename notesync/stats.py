"""Per-person figures shared by the pages: conversations, status, company, referrers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Note, Person
from .resolve import Network

NOT_CONTACTED = "not contacted"


@dataclass(frozen=True)
class PersonStats:
    key: str
    name: str
    note: str | None  # contact note path
    company: str | None
    role: str | None
    referred_by: tuple[str, ...]  # person keys, "Me" included
    conversations: int  # interview notes with status done
    last_conversation: date | None  # date of the latest done conversation
    status: str  # latest interview status, or "not contacted"
    latest: Note | None  # latest interview note

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


def person_stats(
    net: Network,
    referrers: dict[str, tuple[str, ...]],
    memo: dict[str, tuple[list[Note], PersonStats]] | None = None,
) -> dict[str, PersonStats]:
    """Stats for every person except "Me", keyed and ordered by person key.

    `referrers` is `graph.Referrals.referrers`. `memo` (the watcher's, for one set of
    people and one graph) holds each person's notes and stats from last time: a person
    whose notes are the same is not redone."""
    notes_of: dict[str, list[Note]] = {}
    for note in net.interviews():
        key = net.key(note.contact)
        if key is not None and key != net.me.key:
            notes_of.setdefault(key, []).append(note)
    out: dict[str, PersonStats] = {}
    for key, person in net.people.items():
        mine = notes_of.get(key, [])
        if memo is not None:
            known = memo.get(key)
            if known is not None and known[0] == mine:
                out[key] = known[1]
                continue
        out[key] = stats_of(person, referrers[key], mine)
        if memo is not None:
            memo[key] = (mine, out[key])
    return out


def stats_of(person: Person, referred_by: tuple[str, ...], mine: list[Note]) -> PersonStats:
    """One person's figures from their interview notes."""
    notes = sorted(mine, key=_order)
    done = [n for n in notes if n.status == "done"]
    latest = notes[-1] if notes else None
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
        status=(latest.status or "no status") if latest else NOT_CONTACTED,
        latest=latest,
    )
