"""Who is who: the people of the vault, their referral graph and the checks on them,
made from the notes' identities alone (see `model.identity`), and split into the
buckets of notes that each person's follow-ups come from.

Each bucket's follow-ups read only a `Slice` of the people: the people its notes name,
its own person and their referrers. A slice's digest is what a bucket's work is keyed
by, so a new referral redoes the buckets it touches and no others.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from .checks import people_diagnostics, suggestions
from .diagnostics import Diagnostic
from .graph import Layout, build_graph, cycle_diagnostics, layout, referrers
from .memo import digest_value
from .model import Identity, Person
from .resolve import Network, resolve
from .rules import buckets_of, contacted


@dataclass(frozen=True)
class Slice:
    """What one bucket's follow-ups, figures and lines read of the people."""

    net: Network  # the people its notes name, its own person and their referrers
    referrers: tuple[str, ...]  # who referred its person (keys), as `graph.referrers` orders them
    contacted: tuple[str, ...]  # of the people it names, who has a conversation of their own (sorted:
    # a slice's digest is its repr, which must not follow the process's hash seed as a set's would)
    hints: dict[str, str]  # of the people it names, whose name is probably misspelt, and for whom


@dataclass(frozen=True)
class People:
    """Everything the pages read of who is who. `digest` stands for it in keys: it is
    the digest of the identities it was made from."""

    digest: str
    net: Network
    buckets: dict[str, tuple[str, ...]]  # bucket -> paths of its notes (see `rules.bucket_of`)
    slices: dict[str, str]  # bucket -> digest of its `Slice`
    referrers: dict[str, tuple[str, ...]]  # person key -> who referred them
    contacted: frozenset[str]  # people with a conversation note of their own
    hints: dict[str, str]  # person key -> the known name it is probably a misspelling of
    diagnostics: tuple[Diagnostic, ...]  # the checks on the people (misspellings aside)
    layout: Layout  # what the map and the canvas draw of the graph (connections aside)
    connections: frozenset[str] = frozenset()  # people only imported: no conversation, no referral
    targets: tuple[str, ...] = ()  # companies whose notes say `target: true`


def make_people(notes: list[Identity], me: str, digest: str) -> People:
    """The people stage: `notes` are the identities of every networking note."""
    net, diags = resolve(notes, me)
    g = build_graph(net, notes)
    diags.extend(people_diagnostics(notes))
    diags.extend(cycle_diagnostics(g))
    who = referrers(g, net)
    met = contacted(net, notes)
    # Imported and nothing more (a LinkedIn export's thousands): they stay off the people's
    # pages and the map, and show on Targets.md (see `render.targets`).
    connections = frozenset(
        key
        for key, person in net.people.items()
        if person.source and key not in met and set(who[key]) <= {net.me.key} and not any(g.successors(key))
    )
    drawn = g.subgraph(n for n in g.nodes if n not in connections)
    buckets: dict[str, list[Identity]] = {key: [] for key in net.people}  # everyone has a row
    for note in notes:
        for bucket in buckets_of(net, note):
            buckets.setdefault(bucket, []).append(note)
    everyone = People(
        digest,
        net,
        {b: tuple(n.path for n in members) for b, members in sorted(buckets.items())},
        {},
        who,
        met,
        suggestions(net, notes),
        tuple(sorted(diags)),
        layout(drawn, net.me.key),
        connections,
        tuple(sorted({n.target for n in notes if n.target}, key=str.casefold)),
    )
    slices = {b: digest_value(slice_of(everyone, b, members)) for b, members in sorted(buckets.items())}
    return replace(everyone, slices=slices)


def slice_of(people: People, bucket: str, notes: Iterable[Identity]) -> Slice:
    """The part of `people` that the bucket made of `notes` reads."""
    net = people.net
    mentions = {(m.target, m.bare) for note in notes for m in (*note.mentions, *note.links)}
    index = {mention: net.index[mention] for mention in sorted(mentions) if mention in net.index}
    named = set(index.values())
    own = people.referrers.get(bucket, ())
    keys = sorted({bucket, *named, *own} & net.people.keys())
    return Slice(
        Network({k: net.people[k] for k in keys}, net.me, index),
        own,
        tuple(sorted(named & people.contacted)),
        {k: people.hints[k] for k in sorted(named) if k in people.hints},
    )


def person_of(people: People, bucket: str) -> Person | None:
    """The person a bucket is about; None for a note about nobody known."""
    return people.net.people.get(bucket)


def top_connectors(people: People, met: Collection[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Who referred you to the most people, then to the most of them you met, best first,
    each with whom they referred: the map's top connectors, and whom Targets.md says to
    ask about a company where you know no one."""
    name = people.net.name
    return sorted(
        people.layout.given,
        key=lambda kv: (-len(kv[1]), -sum(v in met for v in kv[1]), name(kv[0]).casefold(), kv[0]),
    )
