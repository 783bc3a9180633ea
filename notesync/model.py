"""The values that flow between the stages: parsed notes, people, follow-ups.

They are named tuples: immutable and compared by value like frozen dataclasses, and
the cheapest Python objects to make, to send between processes and to keep between
runs (a vault of 10,000 notes makes hundreds of thousands of them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Literal, NamedTuple

NoteKind = Literal["interview", "contact", "other"]

STATUSES = ("planned", "requested", "scheduled", "done", "declined", "no-response")


class Mention(NamedTuple):
    """Whom a link or a name points at, without where it was written: what decides who
    is who (a line added above it changes no one)."""

    target: str
    bare: bool


class PersonRef(NamedTuple):
    """A mention of a person in front-matter, as written.

    `target` is the link target without heading or alias (`People/Jane Smith`),
    or the bare text; `line` is where it was written (1-based).
    """

    target: str
    line: int
    bare: bool = False  # plain text, not a link: a "/" in it is part of the name, not a folder

    @property
    def mention(self) -> Mention:
        return Mention(self.target, self.bare)


Day = date  # (a field of `Note` is called `date`)


class Action(NamedTuple):
    """An action item from the `actions` list or a task line in the body."""

    text: str
    due: date | None
    done: bool
    line: int
    status: str = " "  # the task's status character; "x" for done front-matter items
    people: tuple[Mention, ...] = ()  # the [[links]] in its text: in any note, whom it is for
    task: bool = False  # a task line of the body (else an item of the `actions` list)
    done_on: Day | None = None  # when it was done, if the task says (`✅ 2026-11-28`)


class Note(NamedTuple):
    """What notesync reads from one note. Dates are real dates or None.

    `kind` is "interview" for any conversation (notesync's own interview notes, a
    meeting, a call), "contact" for a person's note, "other" for the rest, of which
    daily notes (`day` set) still count: a person linked there was in touch that day."""

    path: str  # vault-relative, "/"-separated
    title: str  # file name without ".md": the name Obsidian links by
    kind: NoteKind
    contacts: tuple[PersonRef, ...] = ()  # whom the conversation was with, one or several
    referrer: PersonRef | None = None
    date: date | None = None
    date_line: int = 1
    status: str | None = None  # None in a conversation: an interaction, not in the pipeline
    status_line: int = 1
    company: str | None = None
    role: str | None = None
    channel: str | None = None
    referrals: tuple[PersonRef, ...] = ()
    thanked: bool = False  # everyone it was with was thanked
    referrer_updated: bool = False
    actions: tuple[Action, ...] = ()
    aliases: tuple[str, ...] = ()
    keep_in_touch: int | None = None
    email: str | None = None
    linkedin: str | None = None
    thanked_people: tuple[Mention, ...] = ()  # or just these (`thanked: ["[[Jane Smith]]"]`)
    thanked_on: Day | None = None
    referrer_updated_on: Day | None = None
    followed_up: Day | None = None  # when the one follow-up of an unanswered request went out
    prepared: bool = False  # questions prepared for a scheduled conversation
    prepared_on: Day | None = None  # ... on this day, when the note says
    last_contact: Day | None = None  # a day in touch recorded by hand (or by ticking keep-in-touch)
    day: Day | None = None  # a daily note's day
    mentions: tuple[PersonRef, ...] = ()  # links in a daily note's text
    shape: tuple[str, ...] = ()  # its property names, as it spells them (hints, Networking.base)
    source: str | None = None  # a contact note made by an import: where from (`linkedin`, ...)
    connected: Day | None = None  # ... and since when you are connected there
    target: str | None = None  # a company note marked `target: true`: the company's name

    @property
    def contact(self) -> PersonRef | None:
        """The first person the conversation was with."""
        return self.contacts[0] if self.contacts else None

    @property
    def held(self) -> bool:
        """The conversation took place: marked done, or a meeting noted with a date and no
        status at all (an interaction, as a plain meeting note records one)."""
        return self.status == "done" or (self.status is None and self.date is not None)

    @property
    def link_target(self) -> str:
        """The vault path without extension: an unambiguous wikilink target."""
        return self.path[:-3] if self.path.endswith(".md") else self.path


class Identity(NamedTuple):
    """What the people, their graph and the checks on them read of a note, and whose
    follow-ups it feeds: a change elsewhere in the note (a status, a thank-you, a task
    without a link) leaves who is who alone."""

    path: str
    title: str
    kind: NoteKind
    contacts: tuple[Mention, ...]
    referrer: Mention | None
    referrals: tuple[Mention, ...]
    date: date | None
    aliases: tuple[str, ...]
    company: str | None
    role: str | None
    keep_in_touch: int | None
    email: str | None
    linkedin: str | None
    links: tuple[Mention, ...]  # people linked in tasks and in a daily note's text
    source: str | None  # an imported contact note's source (see `Note.source`)
    target: str | None  # a target company's name (see `Note.target`)

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Every person the note names as a person, in the order it names them (links
        in its text only point at people named elsewhere: they make no one)."""
        out = [*self.contacts, *([self.referrer] if self.referrer is not None else [])]
        return (*out, *self.referrals)


def _mention(ref: PersonRef | None) -> Mention | None:
    return None if ref is None else Mention(ref.target, ref.bare)


def identity(note: Note) -> Identity:
    contact = note.kind == "contact"
    links = {m: None for a in note.actions for m in a.people}
    links.update((Mention(r.target, r.bare), None) for r in note.mentions)
    links.update((m, None) for m in note.thanked_people)
    return Identity(
        note.path,
        note.title,
        note.kind,
        tuple(Mention(r.target, r.bare) for r in note.contacts),
        _mention(note.referrer),
        tuple(Mention(r.target, r.bare) for r in note.referrals),
        None if contact else note.date,
        note.aliases,
        note.company if contact else None,
        note.role if contact else None,
        note.keep_in_touch,
        note.email,
        note.linkedin,
        tuple(links),
        note.source,
        note.target,
    )


class Person(NamedTuple):
    """A resolved person: one node of the referral graph."""

    key: str  # case-folded canonical name, the identity used everywhere
    name: str  # canonical spelling
    note: str | None = None  # vault path of their contact note, if any
    company: str | None = None
    role: str | None = None
    keep_in_touch: int | None = None
    aliases: tuple[str, ...] = ()
    source: str | None = None  # made by an import (see `Note.source`)


@lru_cache(maxsize=1 << 16)  # asked for several times per item in a run (ids, calendar, ticks)
def _uid(kind: str, source: str, person: str, text: str, due: date | None) -> str:
    parts = (kind, source, person, text) if due is None else (kind, source, person, text, due.isoformat())
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class FollowUp(NamedTuple):
    """One thing the user owes someone."""

    kind: str
    person: str  # canonical name of whom to get in touch with
    due: date
    text: str
    source: str  # vault path of the note it comes from
    line: int

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days

    @property
    def uid(self) -> str:
        """Stands for the item whatever the day and wherever it is listed: from what it is
        (its kind, note, person and text), not from its place on a page or in its note. Two
        tasks of one note may say the same thing: an action's due date tells them apart."""
        return _uid(
            self.kind, self.source, self.person, self.text, self.due if self.kind == "action" else None
        )

    def to_dict(self, today: date, short_id: str = "") -> dict[str, object]:
        return {
            "id": short_id or self.uid[:SHORT_ID],
            "kind": self.kind,
            "person": self.person,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue(today),
            "text": self.text,
            "source": self.source,
            "line": self.line,
        }


SHORT_ID = 8  # hex digits of an item's uid shown for it; more only where two would look alike


def short_ids(items: Iterable[FollowUp]) -> dict[str, str]:
    """uid -> the short id shown for it: its first SHORT_ID digits, or as many more as it
    takes to tell it from every other item listed."""
    uids = sorted({i.uid for i in items})
    out: dict[str, str] = {}
    for n, uid in enumerate(uids):
        length = SHORT_ID
        for other in (uids[n - 1] if n else "", uids[n + 1] if n + 1 < len(uids) else ""):
            while other[:length] == uid[:length]:
                length += 1
        out[uid] = uid[:length]
    return out
