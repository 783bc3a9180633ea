"""The referral graph: people as nodes, "X introduced me to Y" as the edge X -> Y.

Edges come from an interview note's `referrer` (referrer -> contact), its `referrals`
(contact -> each referred person) and a contact note's `referrer`. Everyone is
reachable from "Me": a person nobody referred is my own contact.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic
from .links import name_key
from .resolve import Network

if TYPE_CHECKING:
    import networkx as nx


Edge = tuple[date | None, str, str]  # referral date, source note, how it is known


class Referrals:
    """The referral graph of a set of people, and each person's referrers in the order
    the pages list them.

    The referrers are all a sync needs of the graph unless the map is redrawn, and they
    are small enough to keep between runs; so the networkx graph (and networkx itself,
    a tenth of a second to import) is built only when a page or an export asks for it.
    """

    def __init__(
        self,
        net: Network,
        graph: nx.DiGraph | None = None,
        referrers: dict[str, tuple[str, ...]] | None = None,
        plain: PlainGraph | None = None,
    ) -> None:
        if graph is None and referrers is None:
            graph = build_graph(net)
        self.net = net
        self._graph = graph
        self._referrers = referrers
        self._plain = plain

    @property
    def graph(self) -> nx.DiGraph:
        """The networkx graph (built from the notes on first use)."""
        if self._graph is None:
            self._graph = build_graph(self.net)
        return self._graph

    @property
    def drawn(self) -> nx.DiGraph | PlainGraph:
        """The graph as the pages read it: networkx's when it is built, otherwise the
        plain copy a run kept (for a run without the notes), otherwise built now."""
        if self._graph is None and self._plain is not None:
            return self._plain
        return self.graph

    @property
    def referrers(self) -> dict[str, tuple[str, ...]]:
        """Person key -> who referred them: Me first, then by name."""
        if self._referrers is None:
            g, me = self.graph, self.net.me.key
            self._referrers = {
                key: tuple(
                    sorted(g.predecessors(key), key=lambda k: (k != me, g.nodes[k]["name"].casefold()))
                )
                for key in self.net.people
            }
        return self._referrers

    def with_notes(self, net: Network) -> Referrals:
        """The same people and referrals over another pass's (equivalent) notes."""
        return Referrals(net, self._graph, self._referrers, self._plain)


class PlainGraph:
    """The part of networkx's DiGraph the pages read - `nodes[key][attr]`, `edges`,
    `edges[u, v][attr]`, successors, in- and out-edges, counts - over plain data that
    a run keeps in the cache, so that a run redrawing the map from the ledger (see
    `ledger`) need not import networkx. Nodes, edges and successors come in the order
    networkx gives them; predecessors are not read in order by any page."""

    def __init__(self, nodes: dict[str, dict[str, Any]], edges: dict[tuple[str, str], dict[str, Any]]):
        self.nodes = nodes
        self.edges = edges  # iterating gives (u, v) in networkx's order, as saved by `plain_data`
        self._succ: dict[str, list[str]] = {n: [] for n in nodes}
        self._pred: dict[str, list[str]] = {n: [] for n in nodes}
        for u, v in edges:
            self._succ[u].append(v)
            self._pred[v].append(u)

    def successors(self, node: str) -> Iterator[str]:
        return iter(self._succ[node])

    def in_edges(self, node: str) -> list[tuple[str, str]]:
        return [(u, node) for u in self._pred[node]]

    def out_edges(self, node: str) -> list[tuple[str, str]]:
        return [(node, v) for v in self._succ[node]]

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self.edges)


PlainData = tuple[list[list[Any]], list[list[Any]]]  # nodes, edges, as JSON can hold them


def plain_data(g: nx.DiGraph) -> PlainData:
    """What `PlainGraph` is made from, in networkx's order."""
    nodes = [[key, data["name"], data["note"], data["me"]] for key, data in g.nodes(data=True)]
    edges = [
        [u, v, None if d["date"] is None else d["date"].toordinal(), d["source"], d["kind"]]
        for u, v, d in g.edges(data=True)
    ]
    return nodes, edges


def load_plain(data: PlainData) -> PlainGraph:
    """The inverse of `plain_data`; raises on anything malformed."""
    nodes_in, edges_in = data
    nodes: dict[str, dict[str, Any]] = {}
    for key, name, note, me in nodes_in:
        if type(key) is not str or type(name) is not str or type(note) is not str:
            raise TypeError("bad node")
        nodes[key] = {"name": name, "note": note, "me": me is True}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, when, source, kind in edges_in:
        if u not in nodes or v not in nodes or type(source) is not str or type(kind) is not str:
            raise ValueError("bad edge")
        edges[u, v] = {
            "date": None if when is None else date.fromordinal(when),
            "source": source,
            "kind": kind,
        }
    return PlainGraph(nodes, edges)


def _keep(edges: dict[tuple[str, str], Edge], src: str, dst: str, edge: Edge) -> None:
    """Keep the earliest dated mention of a referral (then the first by path)."""
    old = edges.get((src, dst))
    if old is None or (edge[0] or date.max, edge[1]) < (old[0] or date.max, old[1]):
        edges[src, dst] = edge


def build_graph(net: Network) -> nx.DiGraph:
    """A DiGraph keyed by person key, with `name` and `note` on every node."""
    import networkx as nx

    edges: dict[tuple[str, str], Edge] = {}
    for note in net.notes:
        if note.kind == "contact":
            ref, own = net.key(note.referrer), name_key(note.title)
            if ref is not None and own in net.people:
                _keep(edges, ref, own, (None, note.path, "contact"))
            continue
        contact = net.key(note.contact)
        if contact is None:
            continue
        ref = net.key(note.referrer)
        if ref is not None:
            _keep(edges, ref, contact, (note.date, note.path, "referrer"))
        for referral in note.referrals:
            rkey = net.key(referral)
            if rkey is not None:
                _keep(edges, contact, rkey, (note.date, note.path, "referrals"))
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


def cycle_diagnostics(g: nx.DiGraph, me: str) -> list[Diagnostic]:
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


def referral_tree(g: nx.DiGraph, me: str) -> tuple[dict[str, str], dict[str, int], list[str]]:
    """Breadth-first tree from "Me": parent, depth (Me = 0) and visiting order.

    Among several referrers, a person hangs under the nearest one (then the earliest
    referral, then by name), so chains and the canvas layout are stable.
    """

    def edge_rank(u: str, v: str) -> tuple[date, str, str]:
        data = g.edges[u, v]
        return (data["date"] or date.max, g.nodes[v]["name"].casefold(), v)

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
    return parent, depth, order


def subtree_sizes(parent: dict[str, str], order: list[str]) -> dict[str, int]:
    size = {n: 1 for n in order}
    for node in reversed(order):
        if node in parent:
            size[parent[node]] += size[node]
    return size
