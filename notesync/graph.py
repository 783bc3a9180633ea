"""The referral graph: people as nodes, "X introduced me to Y" as the edge X -> Y.

Edges come from an interview note's `referrer` (referrer -> contact), its `referrals`
(contact -> each referred person) and a contact note's `referrer`. Everyone is
reachable from "Me": a person nobody referred is my own contact.

The graph is networkx's. What the pages draw of it (who hangs under whom, in which
order, the chains, who referred whom) is worked out once per set of people, as a
`Layout` of plain values, so a run that only recolours the map needs no graph at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from .diagnostics import Diagnostic
from .links import name_key
from .model import Identity
from .resolve import Network

if TYPE_CHECKING:
    import networkx as nx

MAX_CHAINS = 10

Edge = tuple[date | None, str, str]  # referral date, source note, how it is known


class Layout(NamedTuple):
    """What the map and the canvas draw of the graph, in the order they draw it."""

    order: tuple[str, ...]  # breadth-first from Me, nearest referrer first (canvas rows)
    depth: dict[str, int]  # steps from Me
    drawn: tuple[str, ...]  # depth-first from Me, biggest referral trees first (the map)
    edges: tuple[tuple[str, str, date | None], ...]  # every edge (from, to, referral date)
    chains: tuple[tuple[str, ...], ...]  # the longest referral chains, at most MAX_CHAINS
    more_chains: int  # how many more chains there are
    given: tuple[tuple[str, tuple[str, ...]], ...]  # who referred whom (not Me), by referrer
    parent: dict[str, str]  # whom each person hangs under: the nearest referrer (Targets' paths)


def _keep(edges: dict[tuple[str, str], Edge], src: str, dst: str, edge: Edge) -> None:
    """Keep the earliest dated mention of a referral (then the first by path)."""
    old = edges.get((src, dst))
    if old is None or (edge[0] or date.max, edge[1]) < (old[0] or date.max, old[1]):
        edges[src, dst] = edge


def build_graph(net: Network, notes: Iterable[Identity]) -> nx.DiGraph:
    """A DiGraph keyed by person key, with `name`, `note` and `me` on every node and
    `date`, `source` and `kind` on every edge."""
    import networkx as nx

    edges: dict[tuple[str, str], Edge] = {}
    for note in sorted(notes, key=lambda n: n.path):
        if note.kind == "contact":
            ref, own = net.key(note.referrer), name_key(note.title)
            if ref is not None and own in net.people:
                _keep(edges, ref, own, (None, note.path, "contact"))
            continue
        if note.kind != "interview" or not note.contacts:
            continue
        contacts = [net.key(m) for m in note.contacts]
        ref = net.key(note.referrer)
        for contact in contacts:
            if ref is not None and contact is not None:
                _keep(edges, ref, contact, (note.date, note.path, "referrer"))
        for referral in note.referrals:  # a conversation's referrals are its first person's
            rkey = net.key(referral)
            if rkey is not None and contacts[0] is not None:
                _keep(edges, contacts[0], rkey, (note.date, note.path, "referrals"))
    me = net.me.key
    g = nx.DiGraph()
    g.add_node(me, name=net.me.name, note="", me=True)
    g.add_nodes_from(
        (key, {"name": p.name, "note": p.note or "", "me": False}) for key, p in net.people.items()
    )
    g.add_edges_from(
        (u, v, {"date": when, "source": source, "kind": kind})
        for (u, v), (when, source, kind) in edges.items()
    )
    _root_at_me(g, me)
    return g


def _root_at_me(g: nx.DiGraph, me: str) -> None:
    """Connect every person "Me" cannot reach: no referrer means my own contact."""
    import networkx as nx

    own = {"date": None, "source": "", "kind": "own"}
    g.add_edges_from((me, node, own) for node in sorted(g.nodes) if node != me and g.in_degree(node) == 0)
    reached = nx.descendants(g, me) | {me}
    if len(reached) < g.number_of_nodes():
        for node in sorted(g.nodes):  # loops nobody outside refers into
            if node not in reached:
                g.add_edge(me, node, **own)
                reached |= nx.descendants(g, node) | {node}


def referrers(g: nx.DiGraph, net: Network) -> dict[str, tuple[str, ...]]:
    """Person key -> who referred them: Me first, then by name."""
    me = net.me.key
    names = g.nodes
    return {
        key: tuple(sorted(g.predecessors(key), key=lambda k: (k != me, names[k]["name"].casefold())))
        for key in net.people
    }


def cycle_diagnostics(g: nx.DiGraph) -> list[Diagnostic]:
    """One diagnostic per referral loop (A referred B, B referred A), linear time."""
    import networkx as nx

    out: list[Diagnostic] = []
    for comp in nx.strongly_connected_components(g):
        members = sorted(comp)
        if len(members) == 1 and not g.has_edge(members[0], members[0]):
            continue
        cycle = nx.find_cycle(g.subgraph(members), source=members[0])
        names = [g.nodes[u]["name"] for u, _ in cycle]
        sources = sorted({g.edges[u, v]["source"] for u, v in cycle} - {""})
        where = sources[0] if sources else ""
        if len(members) == 1:
            msg = f"{names[0]} is recorded as referring themselves"
        else:
            msg = "referral loop: " + " -> ".join(names) + f" -> {names[0]}"
        out.append(Diagnostic(where, 1, "referral-cycle", msg))
    return out


def layout(g: nx.DiGraph, me: str) -> Layout:
    """The breadth-first referral tree from "Me" and what the pages draw from it.

    Among several referrers, a person hangs under the nearest one (then the earliest
    referral, then by name), so chains and the canvas are stable from run to run.
    """
    names = {key: data["name"].casefold() for key, data in g.nodes(data=True)}

    def edge_rank(u: str, v: str) -> tuple[date, str, str]:
        return (g.edges[u, v]["date"] or date.max, names[v], v)

    parent: dict[str, str] = {}
    depth = {me: 0}
    order = [me]
    frontier = [me]
    while frontier:
        nxt: list[str] = []
        for u in frontier:
            for v in sorted(g.successors(u), key=lambda v: edge_rank(u, v)):
                if v not in depth:
                    depth[v] = depth[u] + 1
                    parent[v] = u
                    order.append(v)
                    nxt.append(v)
        frontier = nxt
    children: dict[str, list[str]] = {}
    for node in order[1:]:
        children.setdefault(parent[node], []).append(node)
    size = {n: 1 for n in order}
    for node in reversed(order):
        if node in parent:
            size[parent[node]] += size[node]
    drawn: list[str] = []
    stack = [me]
    while stack:  # depth-first, biggest referral trees first: what fits is what matters most
        node = stack.pop()
        drawn.append(node)
        kids = sorted(children.get(node, []), key=lambda k: (-size[k], names[k], k))
        stack.extend(reversed(kids))

    def chain(node: str) -> tuple[str, ...]:
        path = [node]
        while path[-1] in parent:
            path.append(parent[path[-1]])
        return tuple(reversed(path))

    leaves = [n for n in order if n != me and n not in children]
    chains = sorted(
        (chain(n) for n in leaves if depth[n] >= 2), key=lambda c: (-len(c), [names[k] for k in c])
    )
    given: dict[str, list[str]] = {}
    for u, v in g.edges:
        if u != me and u != v:
            given.setdefault(u, []).append(v)
    return Layout(
        order=tuple(order),
        depth=depth,
        drawn=tuple(drawn),
        edges=tuple((u, v, d["date"]) for u, v, d in g.edges(data=True)),
        chains=tuple(chains[:MAX_CHAINS]),
        more_chains=max(0, len(chains) - MAX_CHAINS),
        given=tuple((u, tuple(vs)) for u, vs in given.items()),
        parent=parent,
    )
