"""`Referral Map.md`: figures, the Mermaid map, chains, connectors and yield."""

from __future__ import annotations

from ..owner import front_matter
from ..people import People, top_connectors
from .context import Context
from .markdown import plural, table, text
from .mermaid import Diagram, flowchart
from .pages import link_to, people_of
from .targets import target_keys

MAX_CONNECTORS = 10

# What the map shows of each person: (key, group, conversations), in person-key order.
Figures = tuple[tuple[str, str, int], ...]


def canvas_inputs(ctx: Context) -> tuple[People, Figures]:
    """What the canvas reads: the people (their layout among them) and how far each
    person has come."""
    figures = tuple((s.key, s.group, s.conversations) for s, _ in people_of(ctx))
    return ctx.people, figures


def map_inputs(ctx: Context) -> tuple[People, Figures, tuple[str, ...]]:
    """What the map reads: the canvas's inputs, and who works at a target company."""
    return (*canvas_inputs(ctx), target_keys(ctx))


def diagram(people: People, figures: Figures, targets: tuple[str, ...] = ()) -> Diagram:
    """The flowchart alone, as `notesync graph --format mermaid` prints it."""
    net, lay = people.net, people.layout
    names = {k: net.name(k) for k in lay.order}  # imported connections are not drawn
    groups = {key: group for key, group, _ in figures}
    edges = [(u, v) for u, v, _ in lay.edges]
    return flowchart(names, lay.drawn, edges, groups, net.me.key, targets)


def render_map(people: People, figures: Figures, targets: tuple[str, ...] = ()) -> str:
    net, lay = people.net, people.layout
    me = net.me.key
    met = {key for key, _, conversations in figures if conversations}

    def show(key: str) -> str:
        if key == me:
            return text(net.me.name)
        person = net.people[key]
        return link_to(person.name, person.note)

    def show_cell(key: str) -> str:
        person = net.people[key]
        return link_to(person.name, person.note, table=True)

    referrals = sum(len(vs) for _, vs in lay.given)
    conversations = sum(c for _, _, c in figures)
    counts = {
        grp: sum(1 for _, g, _ in figures if g == grp)
        for grp in ("met", "requested", "declined", "not-contacted")
    }
    connectors = top_connectors(people, met)

    def show_chain(path: tuple[str, ...]) -> str:
        return " → ".join(show(k) for k in path)

    out = [front_matter(), "# Referral Map\n\n## Summary\n\n"]
    out.append(
        f"- **People**: {len(figures)} ({counts['met']} met, {counts['requested']} asked, "
        f"{counts['declined']} declined, {counts['not-contacted']} not yet contacted)\n"
    )
    if people.connections:
        out.append(
            f"- **Imported connections**: {len(people.connections)} more you have not spoken with, "
            "not drawn here (see Targets.md)\n"
        )
    by_met = sum(len(vs) for u, vs in lay.given if u in met)
    said = "" if not referrals else ", all" if by_met == referrals else f", {by_met} of them"
    out.append(
        f"- **Referrals**: {plural(referrals, 'introduction')}"
        + (f"{said} by people you spoke with\n" if referrals else "\n")
    )
    out.append(f"- **Conversations**: {conversations}\n")
    deepest = max(lay.depth.values(), default=0)
    if lay.chains:
        out.append(f"- **Longest chain**: {plural(deepest, 'step')} ({show_chain(lay.chains[0])})\n")
    else:
        out.append(f"- **Longest chain**: {plural(deepest, 'step')}\n")
    if connectors:
        top, refs = connectors[0]
        became = sum(v in met for v in refs)
        out.append(
            f"- **Top connector**: {show(top)} ({plural(len(refs), 'referral')}, {became} of them met)\n"
        )
    yield_text = f"{by_met / conversations:.2f}" if conversations else "n/a"  # what conversations gave
    out.append(f"- **Referral yield**: {yield_text} referrals per conversation\n")

    drawn = diagram(people, figures, targets)
    out.append("\n## Map\n\n")
    out.append(
        "Green: met · yellow: asked, no meeting yet · grey: declined · white, blue border: not yet "
        "contacted. Click a name to open the person's note.\n\n"
    )
    if targets:
        out.append("A thick pink border: works at one of your target companies (see Targets.md).\n\n")
    if drawn.shown < drawn.total:
        out.append(
            f"> [!note] Showing {drawn.shown} of {drawn.total} people and "
            f"{drawn.edges_shown} of {drawn.edges_total} referrals, nearest to you first: "
            "Mermaid cannot draw more in one diagram. "
            "Open `Referral Map.canvas` for the whole network.\n\n"
        )
    out.append("```mermaid\n" + drawn.code + "```\n")

    out.append("\n## Referral chains\n\n")
    if lay.chains:
        for path in lay.chains:
            out.append(f"1. {show_chain(path)}\n")
        if lay.more_chains:
            out.append(f"\n…and {lay.more_chains} shorter or equal chains.\n")
    else:
        out.append("No chain of referrals yet: ask each contact who else you should speak with.\n")

    out.append("\n## Top connectors\n\n")
    if connectors:
        rows = [
            [show_cell(key), str(len(refs)), str(sum(v in met for v in refs))]
            for key, refs in connectors[:MAX_CONNECTORS]
        ]
        out.append(table(["Person", "Referrals given", "Became conversations"], rows))
    else:
        out.append("Nobody has referred you to anyone yet.\n")

    out.append("\n## Referral yield\n\n")
    if conversations:
        met_refs = sum(v in met for u, vs in lay.given if u in met for v in vs)  # of those referrals
        out.append(
            f"{plural(by_met, 'referral')} from {plural(conversations, 'conversation')}: "
            f"**{yield_text}** referrals per conversation. "
            f"{met_refs} of the referred people have become conversations themselves.\n"
        )
    else:
        out.append("No conversations yet.\n")
    return "".join(out)
