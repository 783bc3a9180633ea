"""The referral graph in exchange formats: node-link JSON, GraphML, GEXF, Mermaid, Canvas.

Node ids are person keys (case-folded names); nodes carry `name` and `note` (the
contact note's path, or ""), edges carry `date` (of the referral, or "") and
`source_note` (the note that records it). Output is deterministic, like the pages.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from .analysis import Analysis

FORMATS = ("mermaid", "canvas", "json", "graphml", "gexf")


# Characters XML 1.0 cannot hold at all, even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` as XML can hold it: a character XML refuses is written as its escape (`\\x01`)."""
    if _NOT_XML.search(text) is None:
        return text
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def plain_graph(g: nx.DiGraph, text: Callable[[str], str] = str) -> nx.DiGraph:
    """Attributes as strings and booleans only: what GraphML and GEXF can carry. `text` is
    applied to every string (ids included), `xml_text` for the XML formats."""
    import networkx as nx

    out = nx.DiGraph()
    for node, data in sorted(g.nodes(data=True)):
        out.add_node(text(node), name=text(data["name"]), note=text(data["note"] or ""), me=bool(data["me"]))
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
        when = data.get("date")
        out.add_edge(
            text(u),
            text(v),
            date=when.isoformat() if when else "",
            source_note=text(data.get("source") or ""),
            kind=data["kind"],
        )
    return out


def export(analysis: Analysis, fmt: str) -> str:
    """The graph in one format, as text; deterministic like the pages."""
    import networkx as nx

    if fmt in ("mermaid", "canvas"):
        from .owner import stamp
        from .render.canvas import render_canvas
        from .render.referral_map import diagram, map_inputs

        people, figures, targets = map_inputs(analysis.context())
        if fmt == "mermaid":
            return diagram(people, figures, targets).code
        return stamp("export.canvas", render_canvas(people, figures)).decode("utf-8")
    g = plain_graph(analysis.graph)
    if fmt == "json":
        from .render.canvas import json_text

        data = nx.node_link_data(g, edges="edges")
        return json_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)) + "\n"
    g = plain_graph(analysis.graph, xml_text)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(g, prettyprint=True)) + "\n"
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(g, buf, prettyprint=True)
        # networkx stamps the real date; use the sync's "today" so the same input gives the same bytes
        return re.sub(
            r'lastmodifieddate="[^"]*"',
            f'lastmodifieddate="{analysis.today.isoformat()}"',
            buf.getvalue().decode(),
        )
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def write_export(path: Path, text: str) -> None:
    """Write an export to `path` (`graph -o`), atomically; never over a note (a `.md`
    file), which an export is not: NotesyncError instead."""
    from .errors import NotesyncError
    from .write import atomic_write

    if path.suffix.casefold() == ".md" and path.exists():
        raise NotesyncError(f"{path} is a note: notesync graph never writes over one; choose another file")
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise NotesyncError(f"{path}: cannot write: {exc.strerror or exc}") from exc
