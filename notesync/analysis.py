"""The vault understood (`Analysis`): what `pipeline` makes of the notes before any page,
and the library's answer to `analyse`, `followups`, `check` and `graph`."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .diagnostics import Diagnostic
from .model import FollowUp, Note, identity, short_ids
from .results import Summary

if TYPE_CHECKING:
    import networkx as nx

    from .parts import Part
    from .people import People
    from .render.context import Context
    from .resolve import Network


@dataclass
class Analysis:
    """The vault understood: notes, people, follow-ups and problems."""

    vault: Path
    config: Config
    today: date
    notes: list[Note]  # every note read, by path (a journal page is a note of kind "other")
    people: People
    parts: dict[str, Part]  # what each bucket of notes adds to the pages
    items: list[FollowUp]  # every open item, settled (see `rules.settle`)
    texts: dict[FollowUp, str]  # each item's text on Follow-ups.md
    diagnostics: list[Diagnostic]
    hints: list[str] = field(default_factory=list)  # why a vault yields few people (see `hints`)

    @property
    def net(self) -> Network:
        return self.people.net

    @property
    def networking(self) -> list[Note]:
        """The interview and contact notes, by path."""
        return [n for n in self.notes if n.kind != "other"]

    @property
    def notes_read(self) -> int:
        return len(self.notes)

    @property
    def summary(self) -> Summary:
        return Summary(
            self.notes_read,
            len(self.net.people),
            sum(1 for i in self.items if i.due < self.today),
            sum(1 for i in self.items if i.due == self.today),
        )

    def due(self, upcoming_days: int = 0) -> list[tuple[str, FollowUp]]:
        """What `notesync followups` lists: the items overdue, due today or due within
        `upcoming_days`, each with the short id Follow-ups.md shows it by."""
        from .rules import due_by

        ids = short_ids(self.items)  # (made among every open item, as on the page)
        return [(ids[i.uid], i) for i in due_by(self.items, self.today, upcoming_days)]

    def context(
        self,
        drafts: dict[str, str] | None = None,
        shape: tuple[tuple[str, str], ...] = (),
        unread: tuple[str, ...] = (),
    ) -> Context:
        """What the pages are made from (`drafts`, `shape`, `unread`: see `Session._pages`)."""
        from .render.context import Context

        name = self.config.vault_name or self.vault.resolve().name
        return Context(
            self.today,
            self.config,
            self.people,
            self.parts,
            self.items,
            self.texts,
            name,
            drafts or {},
            shape,
            unread,
        )

    @functools.cached_property
    def graph(self) -> nx.DiGraph:
        """The referral graph (networkx), for exports."""
        from .graph import build_graph

        return build_graph(self.net, [identity(n) for n in self.notes if n.kind != "other"])
