"""Pages as strings: pure functions of the resolved vault and today's date."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from ..config import Config
from ..graph import PlainGraph, Referrals
from ..model import FollowUp, Note
from ..resolve import Network
from ..stats import PersonStats, person_stats

if TYPE_CHECKING:
    import networkx as nx

FOLLOWUPS = "Follow-ups.md"
CONTACTS = "Contacts.md"
COMPANIES = "Companies.md"
MAP = "Referral Map.md"
CANVAS = "Referral Map.canvas"
PAGE_NAMES = (FOLLOWUPS, CONTACTS, COMPANIES, MAP, CANVAS)


@dataclass(frozen=True)
class View:
    """Everything a page may show."""

    net: Network
    referrals: Referrals
    items: list[FollowUp]  # every follow-up with a due date, sorted
    today: date
    config: Config
    # Rendered lines by their inputs, kept by the watcher between passes; valid only for
    # one set of people, one day and one config (the caller clears it when they change).
    fragments: dict[object, str] | None = None
    stats_memo: dict[str, tuple[list[Note], PersonStats]] | None = None  # the same scope
    # A person is named on many lines: their link is made once per view.
    links: dict[tuple[str, bool], str] = field(default_factory=dict, repr=False, compare=False)
    known_stats: dict[str, PersonStats] | None = None  # figures made elsewhere (the ledger's)

    def fragment(self, key: object, make: Callable[[], str]) -> str:
        """`make()`, or the line made last time from the same `key`."""
        if self.fragments is None:
            return make()
        found = self.fragments.get(key)
        if found is None:
            found = self.fragments[key] = make()
        return found

    @property
    def graph(self) -> nx.DiGraph | PlainGraph:
        return self.referrals.drawn

    @cached_property
    def stats(self) -> dict[str, PersonStats]:
        """Per-person figures, computed once for all the pages."""
        if self.known_stats is not None:
            return self.known_stats
        return person_stats(self.net, self.referrals.referrers, self.stats_memo)

    @cached_property
    def tree(self) -> tuple[dict[str, str], dict[str, int], list[str]]:
        """The breadth-first referral tree from "Me": parent, depth, order."""
        from ..graph import referral_tree

        return referral_tree(self.graph, self.net.me.key)


def page_inputs(view: View, version: int | str) -> dict[str, object]:
    """For Companies, the map and the canvas: a value that is equal between two views
    exactly when the page would come out the same (what the watcher's memo compares).
    `version` stands for the people and the graph (it changes whenever they do); the
    rest is what each page reads besides them."""
    stats = tuple(view.stats.values())
    common = (version, view.config)
    groups = tuple((s.key, s.group, s.conversations) for s in stats)
    drawn = (common, groups)
    return {  # Follow-ups and Contacts change with nearly any edit: their lines are memoised instead
        COMPANIES: (common, tuple(_company_facts(s) for s in stats)),
        MAP: drawn,
        CANVAS: drawn,
    }


def person_facts(s: PersonStats) -> tuple[str, str]:
    """What Companies.md, and what the map and canvas, show of a person: as text, so
    that a run can keep it for the next."""
    return repr(_company_facts(s)), repr((s.key, s.group, s.conversations))


def digests_of(version: str, config: Config, facts: list[tuple[str, str]]) -> dict[str, str]:
    """Page digests from every person's `person_facts`, in person-key order."""
    common = repr((version, config))
    companies = "\n".join([common, *(f[0] for f in facts)])
    drawn = hashlib.sha256("\n".join([common, *(f[1] for f in facts)]).encode("utf-8", "surrogatepass"))
    return {
        COMPANIES: hashlib.sha256(companies.encode("utf-8", "surrogatepass")).hexdigest(),
        MAP: drawn.hexdigest(),
        CANVAS: drawn.hexdigest(),
    }


def _company_facts(s: PersonStats) -> tuple[object, ...]:
    """What Companies.md shows of a person (not, say, whether a thank-you was sent)."""
    latest = s.latest
    last = None
    if latest is not None:  # the page names whom the latest note is with: its contact, not the line
        who = None if latest.contact is None else (latest.contact.target, latest.contact.bare)
        last = (latest.date, latest.path, latest.status, who, latest.title)
    return (s.key, s.name, s.note, s.company, s.role, s.conversations, s.last_conversation, s.status, last)


def render_pages(
    view: View,
    memo: dict[str, tuple[object, str]] | None = None,
    version: int | str = "",
    skip: Collection[str] = (),
) -> dict[str, str]:
    """Page name -> full text, for every page of the output folder but those in `skip`.

    With a memo (kept by the watcher) a page whose inputs are unchanged is not rendered
    again; without one every page is rendered.
    """
    from .canvas import render_canvas
    from .pages import render_companies, render_contacts, render_followups
    from .referral_map import render_map

    renderers = {
        FOLLOWUPS: render_followups,
        CONTACTS: render_contacts,
        COMPANIES: render_companies,
        MAP: render_map,
        CANVAS: render_canvas,
    }
    if memo is None:
        return {name: render(view) for name, render in renderers.items() if name not in skip}
    inputs = page_inputs(view, version)
    out: dict[str, str] = {}
    for name, render in renderers.items():
        if name in skip:
            continue
        if name not in inputs:
            out[name] = render(view)
            continue
        known = memo.get(name)
        if known is not None and known[0] == inputs[name]:
            out[name] = known[1]
        else:
            out[name] = render(view)
            memo[name] = (inputs[name], out[name])
    return out
