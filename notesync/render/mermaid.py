"""Mermaid flowchart of the referral graph, safe for any name.

Rules from the cases in compat/mermaid, each rendered by mermaid-cli: node ids are
generated (`n12`), never names (`end`, `graph`, `click` break a diagram); every
label is quoted; `#`, `"`, `<`, `>`, `&`, backticks, backslashes, `%` and `$` are
written as entity codes. Mermaid honours a `%%{init: ...}%%` directive anywhere in a diagram
(it can change the theme and inject CSS that loads a URL) and drops a `%%` comment, so
no `%` ever reaches the diagram as itself; nor does a line break, so no name can start
a line of its own (`click n1 href ...`).
Mermaid refuses more than 500 edges and draws an error past 50,000 characters, so a
large network is cut to the people nearest "Me" and the page says what is left out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from .markdown import linkable_name, one_line

MAX_EDGES = 450
MAX_CHARS = 42_000

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "&": "#amp;",
    "%": "#37;",
    "\\": "#92;",
    "$": "#36;",  # (`$$...$$` is KaTeX math to Mermaid 11)
}
_NOT_PLAIN = re.compile(r'[#"<>`&%\\$]')

STYLE = {
    "me": "fill:#1f6feb,stroke:#1f6feb,color:#ffffff",
    "met": "fill:#d3f9d8,stroke:#2b8a3e,color:#0b3d17",
    "requested": "fill:#fff3bf,stroke:#e67700,color:#5c3c00",
    "declined": "fill:#f1f3f5,stroke:#868e96,color:#495057,stroke-dasharray:4 3",
    "not-contacted": "fill:#ffffff,stroke:#4c6ef5,color:#1c2a78,stroke-dasharray:2 2",
}
TARGET_STYLE = "stroke:#c2255c,stroke-width:4px"  # works at a target company: defined last, so it wins
_CLASS = {"me": "me", "met": "met", "requested": "asked", "declined": "declined", "not-contacted": "notyet"}


def label(name: str) -> str:
    """A quoted Mermaid label showing exactly `name` (white space and line breaks as one
    space), on one line and inert: no quote, directive, comment or HTML can come out."""
    shown = one_line(name).strip()
    if _NOT_PLAIN.search(shown) is not None:
        shown = "".join(_ENTITIES.get(ch, ch) for ch in shown)
    return f'"{shown or "?"}"'


@dataclass(frozen=True)
class Diagram:
    code: str  # the flowchart, without the ``` fence
    shown: int  # people drawn (without Me)
    total: int
    edges_shown: int
    edges_total: int


def flowchart(
    names: Mapping[str, str],
    order: Sequence[str],
    edges: Sequence[tuple[str, str]],
    groups: Mapping[str, str],
    me: str,
    targets: Collection[str] = (),
    *,
    max_edges: int = MAX_EDGES,
    max_chars: int = MAX_CHARS,
) -> Diagram:
    """Draw nodes in `order` (Me first) until Mermaid's limits would be reached.
    `names`: every drawn person's name by key; `edges`: every referral; `targets`: the
    people who work at a target company, marked with a class of their own."""
    touching: dict[str, list[tuple[str, str]]] = {}
    for u, v in edges:
        touching.setdefault(u, []).append((u, v))
        if v != u:
            touching.setdefault(v, []).append((u, v))
    ids: dict[str, str] = {}
    node_lines: list[str] = []
    edge_lines: list[str] = []
    size = 200  # header and class definitions
    for node in order:
        nid = f"n{len(ids)}"
        group = "me" if node == me else groups.get(node, "not-contacted")
        line = f"  {nid}[{label(names[node])}]:::{_CLASS[group]}"
        new_edges = sorted({(u, v) for u, v in touching.get(node, ()) if u in ids or v in ids or u == v})
        cost = len(line) + 1 + 16 * len(new_edges) + len(nid) + 1
        if ids and (len(edge_lines) + len(new_edges) > max_edges or size + cost > max_chars):
            break
        ids[node] = nid
        node_lines.append(line)
        for u, v in new_edges:
            edge_lines.append(f"  {ids[u]} --> {ids[v]}")
        size += cost
    people = [ids[n] for n in ids if n != me]
    # Obsidian opens the note named by the label: only for names that can be notes
    clickable = [ids[n] for n in ids if n != me and linkable_name(names[n])]
    lines = ["flowchart LR", *node_lines, *edge_lines]
    for i in range(0, len(clickable), 40):
        lines.append(f"  class {','.join(clickable[i : i + 40])} internal-link")
    wanted = frozenset(targets)
    marked = [ids[n] for n in ids if n in wanted]
    for i in range(0, len(marked), 40):
        lines.append(f"  class {','.join(marked[i : i + 40])} target")
    for group, style in STYLE.items():
        lines.append(f"  classDef {_CLASS[group]} {style}")
    if marked:
        lines.append(f"  classDef target {TARGET_STYLE}")
    return Diagram(
        code="\n".join(lines) + "\n",
        shown=len(people),
        total=len(names) - 1,
        edges_shown=len(edge_lines),
        edges_total=len(edges),
    )
