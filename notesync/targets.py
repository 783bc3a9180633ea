"""Finding the way in: for each company you want to work for, the people you know there
and the warm path to the nearest of them.

A path follows the referral graph from Me (see `graph.Layout.parent`): each step is a
referral, and a connection you imported (LinkedIn, your address book) is one step from
you. Companies match ignoring case and legal suffixes (`Contoso, Inc.` is `Contoso`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .matching import company_key
from .people import People
from .stats import PersonStats


class Known(NamedTuple):
    """Someone you know at a target company."""

    name: str
    note: str | None  # their contact note
    status: str  # as Contacts.md says it ("met", "requested", "not contacted", ...)
    last_contact: str  # ISO date, or ""
    imported: bool  # only an imported connection


class Target(NamedTuple):
    company: str  # as the user wrote it
    known: tuple[Known, ...]  # by name
    path: tuple[str, ...] | None  # names from Me to the nearest person there, both ends included
    via: tuple[tuple[str, ...], ...]  # other paths: people met who work there or were referred from there
    suggestion: str

    def to_dict(self) -> dict[str, object]:
        return {
            "company": self.company,
            "known": [k.name for k in self.known],
            "path": list(self.path) if self.path is not None else None,
            "suggestion": self.suggestion,
        }


def _path(people: People, key: str) -> tuple[str, ...]:
    """The names from Me to this person along the referral tree."""
    net, parent = people.net, people.layout.parent
    if key in people.connections or key not in parent:
        return (net.me.name, net.name(key))
    chain = [key]
    while chain[-1] in parent and len(chain) < 1000:
        chain.append(parent[chain[-1]])
    return tuple(net.name(k) for k in reversed(chain))


def _suggest(company: str, stats: PersonStats, path: tuple[str, ...], imported: bool) -> str:
    name = stats.name
    if stats.met:
        return f"You have met {name}: ask them for a referral at {company}, and whom else to speak with there"
    if stats.status in ("requested", "scheduled"):
        return f"Your request to {name} is open ({stats.status}): see Follow-ups.md"
    if len(path) > 2 and not imported:
        return f"Ask {path[-2]} to introduce you to {name}"
    return f'Ask {name} for a conversation: notesync draft outreach "{name}"'


def reach(
    people: People, stats: Iterable[PersonStats], targets: Iterable[str], connectors: list[str]
) -> list[Target]:
    """Each target company, most reachable first (a target with no way in last).
    `connectors`: the people to ask when no one you know is there (top connectors first)."""
    by_company: dict[str, list[PersonStats]] = {}
    everyone = {s.key: s for s in stats}
    for s in everyone.values():
        if s.company:
            by_company.setdefault(company_key(s.company), []).append(s)
    out: list[Target] = []
    for company in dict.fromkeys(targets):
        there = sorted(by_company.get(company_key(company), []), key=lambda s: (s.name.casefold(), s.key))
        known = tuple(
            Known(
                s.name,
                s.note,
                s.status,
                s.last_contact.isoformat() if s.last_contact else "",
                s.key in people.connections,
            )
            for s in there
        )
        if not there:
            who = ", ".join(connectors[:3])
            hint = f": ask {who} whom they know there" if who else ""
            out.append(Target(company, (), None, (), f"No one you know is at {company} yet{hint}"))
            continue
        paths = {s.key: _path(people, s.key) for s in there}
        nearest = min(there, key=lambda s: (len(paths[s.key]), not s.met, s.name.casefold()))
        there_keys = {s.key for s in there}
        via = sorted(
            {
                _path(people, k)
                for k, s in everyone.items()
                if s.met and k not in there_keys and there_keys & set(s.referred_by)
            }
            | {paths[s.key] for s in there if s.met and s.key != nearest.key}
        )
        imported = nearest.key in people.connections
        suggestion = _suggest(company, nearest, paths[nearest.key], imported)
        out.append(Target(company, known, paths[nearest.key], tuple(via), suggestion))
    out.sort(key=lambda t: (t.path is None, len(t.path or ()), t.company.casefold()))
    return out
