"""The values that flow between the stages: parsed notes, people, follow-ups.

All frozen: a parsed note is a pure function of its text, so it can be cached and
shared between processes without defensive copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

NoteKind = Literal["interview", "contact", "other"]

STATUSES = ("planned", "requested", "scheduled", "done", "declined", "no-response")


@dataclass(frozen=True)
class PersonRef:
    """A mention of a person in front-matter, as written.

    `target` is the link target without heading or alias (`People/Jane Smith`),
    or the bare text; `line` is where it was written (1-based).
    """

    target: str
    line: int
    bare: bool = False  # plain text, not a link: a "/" in it is part of the name, not a folder


@dataclass(frozen=True)
class Action:
    """An action item from the `actions` list or a task line in the body."""

    text: str
    due: date | None
    done: bool
    line: int
    status: str = " "  # the task's status character; "x" for done front-matter items


@dataclass(frozen=True)
class Note:
    """What notesync reads from one note. Dates are real dates or None."""

    path: str  # vault-relative, "/"-separated
    title: str  # file name without ".md": the name Obsidian links by
    kind: NoteKind
    contact: PersonRef | None = None
    referrer: PersonRef | None = None
    date: date | None = None
    date_line: int = 1
    status: str | None = None
    status_line: int = 1
    company: str | None = None
    role: str | None = None
    channel: str | None = None
    referrals: tuple[PersonRef, ...] = ()
    thanked: bool = False
    referrer_updated: bool = False
    actions: tuple[Action, ...] = ()
    aliases: tuple[str, ...] = ()
    keep_in_touch: int | None = None
    email: str | None = None
    linkedin: str | None = None

    @property
    def link_target(self) -> str:
        """The vault path without extension: an unambiguous wikilink target."""
        return self.path[:-3] if self.path.endswith(".md") else self.path


@dataclass(frozen=True)
class Person:
    """A resolved person: one node of the referral graph."""

    key: str  # case-folded canonical name, the identity used everywhere
    name: str  # canonical spelling
    note: str | None = None  # vault path of their contact note, if any
    company: str | None = None
    role: str | None = None
    keep_in_touch: int | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FollowUp:
    """One thing the user owes someone."""

    kind: str
    person: str  # canonical name of whom to get in touch with
    due: date
    text: str
    source: str  # vault path of the note it comes from
    line: int

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days

    def to_dict(self, today: date) -> dict[str, object]:
        return {
            "kind": self.kind,
            "person": self.person,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue(today),
            "text": self.text,
            "source": self.source,
            "line": self.line,
        }
