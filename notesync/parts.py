"""What one bucket of notes adds to the pages: its follow-ups with their text, its
person's figures and Contacts row, and the misspelt names in it.

A bucket is one person's notes (see `rules.bucket_of`), and all it reads of the other
notes is its `Slice` of the people: so its part is made once and kept until one of
its notes or its slice changes (see `pipeline`).
"""

from __future__ import annotations

import pickle
from datetime import date
from typing import Any, NamedTuple

from .checks import misspelling_diagnostics
from .config import Rules
from .diagnostics import Diagnostic
from .memo import digest_value
from .model import FollowUp, Note
from .people import Slice
from .render.pages import contact_cells, item_text
from .rules import bucket_follow_ups, conversations_with, finished, interactions
from .stats import PersonStats, stats_of


class Finished:
    """A bucket's items recorded done, each with its day, packed: a run wants only the
    last month's (the calendar's cancelled events), and most are older. Decoding all of
    them (20,000 at 10,000 notes) would be a twentieth of a one-note sync."""

    __slots__ = ("latest", "packed")

    def __init__(self, latest: int, packed: bytes) -> None:
        self.latest = latest  # the latest day's ordinal (0: none)
        self.packed = packed

    @classmethod
    def of(cls, done: list[tuple[FollowUp, date]]) -> Finished:
        latest = max((day.toordinal() for _, day in done), default=0)
        return cls(latest, pickle.dumps(tuple(done), protocol=pickle.HIGHEST_PROTOCOL))

    def between(self, first: date, last: date) -> list[tuple[FollowUp, date]]:
        """The items recorded done from `first` to `last`, in the order the notes give."""
        if self.latest < first.toordinal():
            return []
        return [(item, day) for item, day in pickle.loads(self.packed) if first <= day <= last]

    def __reduce__(self) -> tuple[Any, ...]:
        return Finished, (self.latest, self.packed)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finished) or self.latest != other.latest:
            return False
        return self.packed == other.packed or pickle.loads(self.packed) == pickle.loads(other.packed)

    def __hash__(self) -> int:
        return hash(self.latest)

    def __repr__(self) -> str:
        return f"Finished.of({list(pickle.loads(self.packed))!r})"


class Part(NamedTuple):
    items: tuple[tuple[FollowUp, str], ...]  # each with its `render.pages.item_text`
    candidates: tuple[tuple[str, FollowUp, str], ...]  # referrals, by referred person key
    person: PersonStats | None  # None for a note about nobody known
    cells: str  # the person's Contacts row but its last cell ("" without a person)
    diagnostics: tuple[Diagnostic, ...]  # misspelt names in its notes
    finished: Finished  # items recorded done, with the day (`rules.finished`)
    person_digest: str  # stands for `person` in a page's key (see `render.pages.PeopleFigures`)


def make_part(part_of: Slice, bucket: str, notes: list[Note], rules: Rules) -> Part:
    """The part of the bucket made of `notes` (in path order)."""
    net = part_of.net
    items, candidates = bucket_follow_ups(net, rules, bucket, notes, frozenset(part_of.contacted))
    person = net.people.get(bucket)
    stats = None
    if person is not None:
        touched = interactions(net, bucket, notes)
        last = touched[-1][0] if touched else None
        stats = stats_of(person, part_of.referrers, conversations_with(net, bucket, notes), last)
    return Part(
        tuple((i, item_text(net, i)) for i in items),
        tuple((k, i, item_text(net, i)) for k, i in candidates),
        stats,
        "" if stats is None else contact_cells(net, stats),
        tuple(misspelling_diagnostics(net, part_of.hints, notes)),
        Finished.of(finished(net, rules, bucket, notes)),
        "" if stats is None else digest_value(stats),
    )
