"""Pages as strings: pure functions of the resolved vault and today's date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from ..config import Config
from ..model import FollowUp
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
    graph: nx.DiGraph
    items: list[FollowUp]  # every follow-up with a due date, sorted
    today: date
    config: Config

    @cached_property
    def stats(self) -> dict[str, PersonStats]:
        """Per-person figures, computed once for all the pages."""
        return person_stats(self.net, self.graph)

    @cached_property
    def tree(self) -> tuple[dict[str, str], dict[str, int], list[str]]:
        """The breadth-first referral tree from "Me": parent, depth, order."""
        from ..graph import referral_tree

        return referral_tree(self.graph, self.net.me.key)


def render_pages(view: View) -> dict[str, str]:
    """Page name -> full text, for every page of the output folder."""
    from .canvas import render_canvas
    from .pages import render_companies, render_contacts, render_followups
    from .referral_map import render_map

    return {
        FOLLOWUPS: render_followups(view),
        CONTACTS: render_contacts(view),
        COMPANIES: render_companies(view),
        MAP: render_map(view),
        CANVAS: render_canvas(view),
    }
