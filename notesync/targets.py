"""Finding the way in: for each company you want to work for, the people you know there
and the warm path to the nearest of them.

A path follows the referral tree from Me (see `graph.Layout.parent`): each step is a
referral, and a connection you imported (LinkedIn, your address book) is one step from
you. Companies match ignoring case and legal suffixes (`Contoso, Inc.` is `Contoso`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .links import company_key
from .people import People, top_connectors
from .stats import PersonStats

TOP_CONNECTORS = 3  # named when no one you know works at a target


class Known(NamedTuple):
    """Someone you know at a target company."""

    key: str
    name: str
    note: str | None  # their contact note
    role: str
    status: str  # as Contacts.md says it ("met", "requested", "not contacted", ...)
    last_contact: str  # ISO date, or ""
    met: bool  # at least one conversation done
    source: str | None  # only an imported connection: where from ("linkedin", ...)


class Target(NamedTuple):
    company: str  # as the user wrote it
    known: tuple[Known, ...]  # by name
    path: tuple[str, ...] | None  # names from Me to the warmest way in (see `reach`), both ends included
    via: tuple[
        tuple[str, ...], ...
    ]  # second degree: paths to people met who work there or were referred from there
    suggestion: str

    def to_dict(self) -> dict[str, object]:
        return {
            "company": self.company,
            "known": sorted(k.name for k in self.known),
            "path": list(self.path) if self.path is not None else None,
            "suggestion": self.suggestion,
            "people": [
                {
                    "name": k.name,
                    "note": k.note,
                    "role": k.role or None,
                    "status": k.status,
                    "last_contact": k.last_contact or None,
                    "imported_from": k.source,
                }
                for k in self.known
            ],
            "second_degree": [list(p) for p in self.via],
        }


def target_names(*lists: Iterable[str]) -> tuple[str, ...]:
    """The target companies, each once (the first spelling of it wins)."""
    seen: dict[str, str] = {}
    for names in lists:
        for name in names:
            seen.setdefault(company_key(name), name)
    return tuple(seen.values())


def connectors(people: People, met: set[str]) -> list[str]:
    """The top connectors (see `people.top_connectors`) who referred you to someone you
    met: people who know people, and whose word has opened a door before (names)."""
    return [people.net.name(u) for u, vs in top_connectors(people, met) if any(v in met for v in vs)]


def _path(people: People, key: str) -> tuple[str, ...]:
    """The names from Me to this person along the referral tree."""
    net, parent = people.net, people.layout.parent
    chain = [key]
    while chain[-1] in parent and chain[-1] != net.me.key:
        chain.append(parent[chain[-1]])
    if chain[-1] != net.me.key:  # an imported connection: one step from Me
        chain.append(net.me.key)
    return tuple(net.name(k) for k in reversed(chain))


def _suggest(company: str, nearest: PersonStats, path: tuple[str, ...]) -> str:
    """The next step, through the warmest way in."""
    name = nearest.name
    if nearest.met:
        return (
            f"You have met {name}: ask them for a referral at {company}, and whom else to speak with there."
        )
    if nearest.status in ("requested", "scheduled"):
        return f"Your request to {name} is open ({nearest.status}): see Follow-ups.md."
    if nearest.status == "declined":
        return f"{name} declined: ask the people you have met whom else they know at {company}."
    if len(path) > 2:
        return f'Ask {path[-2]} to introduce you to {name}, then: notesync draft outreach "{name}"'
    return f'Ask {name} for a conversation: notesync draft outreach "{name}"'


def reach(people: People, stats: Iterable[PersonStats], targets: Iterable[str]) -> list[Target]:
    """Each target company, most reachable first (a target with no way in last). The way
    in is someone you have met there, else someone whose answer you await, else the
    person the fewest steps away: the path leads to them, and the next step goes through them."""
    everyone = {s.key: s for s in stats}
    met = {k for k, s in everyone.items() if s.met}
    by_company: dict[str, list[PersonStats]] = {}
    for s in everyone.values():
        if s.company:
            by_company.setdefault(company_key(s.company), []).append(s)
    out: list[Target] = []
    for company in target_names(targets):
        there = sorted(by_company.get(company_key(company), []), key=lambda s: (s.name.casefold(), s.key))
        known = tuple(
            Known(
                s.key,
                s.name,
                s.note,
                s.role or "",
                s.status,
                s.last_contact.isoformat() if s.last_contact else "",
                s.met,
                people.net.people[s.key].source if s.key in people.connections else None,
            )
            for s in there
        )
        if not there:
            who = connectors(people, met)[:TOP_CONNECTORS]
            ask = (
                f": ask {_join(who)} whom they know there"
                if who
                else ": ask the people you meet whom they know there"
            )
            out.append(Target(company, (), None, (), f"No one you know works at {company} yet{ask}."))
            continue
        paths = {s.key: _path(people, s.key) for s in there}
        # the warmest way in: someone met there, else an open request, else the fewest steps
        nearest = min(
            there,
            key=lambda s: (
                not s.met,
                s.status not in ("requested", "scheduled"),
                s.status == "declined",
                len(paths[s.key]),
                s.name.casefold(),
            ),
        )
        names_there = {s.name for s in there}
        second = {
            _path(people, k)
            for k, s in everyone.items()
            if s.met and k not in paths and names_there & set(s.referred_by)
        }
        second |= {paths[s.key] for s in there if s.met and s.key != nearest.key}
        via = tuple(sorted(second, key=lambda p: (len(p), [n.casefold() for n in p])))
        out.append(
            Target(company, known, paths[nearest.key], via, _suggest(company, nearest, paths[nearest.key]))
        )
    # most reachable first: someone met there, then the shortest path
    out.sort(
        key=lambda t: (
            t.path is None,
            not any(k.met for k in t.known),
            len(t.path or ()),
            t.company.casefold(),
        )
    )
    return out


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]
