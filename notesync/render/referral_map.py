"""`Referral Map.md`: figures, the Mermaid map, chains, connectors and yield."""

from __future__ import annotations

from ..graph import subtree_sizes
from . import View
from .markdown import FRONT_MATTER, plural, table, text
from .mermaid import flowchart
from .pages import person_link

MAX_CHAINS = 10
MAX_CONNECTORS = 10


def _draw_order(view: View, parent: dict[str, str], order: list[str]) -> list[str]:
    """Depth-first from Me, biggest referral trees first: what fits is what matters most."""
    g = view.graph
    size = subtree_sizes(parent, order)
    children: dict[str, list[str]] = {}
    for node in order[1:]:
        children.setdefault(parent[node], []).append(node)
    out: list[str] = []
    stack = [view.net.me.key]
    while stack:
        node = stack.pop()
        out.append(node)
        kids = sorted(children.get(node, []), key=lambda k: (-size[k], g.nodes[k]["name"].casefold(), k))
        stack.extend(reversed(kids))
    return out


def mermaid_block(view: View) -> str:
    """The flowchart alone, as `notesync graph --format mermaid` prints it."""
    me = view.net.me.key
    parent, _, order = view.tree
    groups = {k: s.group for k, s in view.stats.items()}
    return flowchart(view.graph, _draw_order(view, parent, order), groups, me).code


def render_map(view: View) -> str:
    g, net = view.graph, view.net
    me = net.me.key
    stats = view.stats
    parent, depth, order = view.tree
    groups = {k: s.group for k, s in stats.items()}

    referrals = [(u, v) for u, v in g.edges if u != me and u != v]
    conversations = sum(s.conversations for s in stats.values())
    counts = {
        grp: sum(1 for s in stats.values() if s.group == grp)
        for grp in ("met", "requested", "declined", "not-contacted")
    }

    def chain(node: str) -> list[str]:
        path = [node]
        while path[-1] in parent:
            path.append(parent[path[-1]])
        return list(reversed(path))

    leaves = [n for n in order if n != me and not any(parent.get(c) == n for c in g.successors(n))]
    chains = sorted(
        (chain(n) for n in leaves if depth[n] >= 2),
        key=lambda c: (-len(c), [g.nodes[k]["name"].casefold() for k in c]),
    )
    deepest = max(depth.values(), default=0)

    given: dict[str, list[str]] = {}
    for u, v in referrals:
        given.setdefault(u, []).append(v)
    connectors = sorted(
        given.items(),
        key=lambda kv: (
            -len(kv[1]),
            -sum(stats[v].met for v in kv[1] if v in stats),
            g.nodes[kv[0]]["name"].casefold(),
        ),
    )

    def show_chain(path: list[str]) -> str:
        return " → ".join(
            person_link(view, g.nodes[k]["name"]) if k != me else text(net.me.name) for k in path
        )

    out = [FRONT_MATTER, "# Referral Map\n\n## Summary\n\n"]
    out.append(
        f"- **People**: {len(stats)} ({counts['met']} met, {counts['requested']} asked, "
        f"{counts['declined']} declined, {counts['not-contacted']} not yet contacted)\n"
    )
    out.append(f"- **Referrals**: {len(referrals)} introductions by people you spoke with\n")
    out.append(f"- **Conversations**: {conversations}\n")
    if chains:
        out.append(f"- **Longest chain**: {plural(deepest, 'step')} ({show_chain(chains[0])})\n")
    else:
        out.append(f"- **Longest chain**: {plural(deepest, 'step')}\n")
    if connectors:
        top, refs = connectors[0]
        became = sum(1 for v in refs if v in stats and stats[v].met)
        out.append(
            f"- **Top connector**: {person_link(view, g.nodes[top]['name'])} "
            f"({plural(len(refs), 'referral')}, {became} became conversations)\n"
        )
    yield_text = f"{len(referrals) / conversations:.2f}" if conversations else "n/a"
    out.append(f"- **Referral yield**: {yield_text} referrals per conversation\n")

    diagram = flowchart(g, _draw_order(view, parent, order), groups, me)
    out.append("\n## Map\n\n")
    out.append(
        "Green: met · yellow: asked, no meeting yet · grey: declined · white: not yet contacted. "
        "Click a name to open the person's note.\n\n"
    )
    if diagram.shown < diagram.total:
        out.append(
            f"> [!note] Showing {diagram.shown} of {diagram.total} people and "
            f"{diagram.edges_shown} of {diagram.edges_total} referrals, nearest to you first: "
            "Mermaid cannot draw more in one diagram. "
            "Open `Referral Map.canvas` for the whole network.\n\n"
        )
    out.append("```mermaid\n" + diagram.code + "```\n")

    out.append("\n## Referral chains\n\n")
    if chains:
        for path in chains[:MAX_CHAINS]:
            out.append(f"1. {show_chain(path)}\n")
        if len(chains) > MAX_CHAINS:
            out.append(f"\n…and {len(chains) - MAX_CHAINS} shorter or equal chains.\n")
    else:
        out.append("No chain of referrals yet: ask each contact who else you should speak with.\n")

    out.append("\n## Top connectors\n\n")
    if connectors:
        rows = []
        for key, refs in connectors[:MAX_CONNECTORS]:
            became = sum(1 for v in refs if v in stats and stats[v].met)
            rows.append([person_link(view, g.nodes[key]["name"], table=True), str(len(refs)), str(became)])
        out.append(table(["Person", "Referrals given", "Became conversations"], rows))
    else:
        out.append("Nobody has referred you to anyone yet.\n")

    out.append("\n## Referral yield\n\n")
    if conversations:
        met_refs = sum(1 for _, v in referrals if v in stats and stats[v].met)
        out.append(
            f"{len(referrals)} referrals from {plural(conversations, 'conversation')}: "
            f"**{yield_text}** referrals per conversation. "
            f"{met_refs} of the referred people have become conversations themselves.\n"
        )
    else:
        out.append("No conversations yet.\n")
    return "".join(out)
