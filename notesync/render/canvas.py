"""`Referral Map.canvas`: the whole graph as JSON Canvas 1.0, laid out by depth.

Column = referral depth from "Me", rows in tree order, so nodes never overlap.
People with a contact note are file nodes (the canvas shows the note); the rest are
text nodes. Ids are derived from person keys, so the file is stable between runs. A
legend above the tree says what the colours mean; its id carries the canvas's digest
(see `owner`).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..owner import CANVAS_ID
from ..people import People
from .markdown import link, linkable_name, text
from .referral_map import Figures

WIDTH, HEIGHT = 260, 60
FILE_HEIGHT = 140
COLUMN_GAP, ROW_GAP = 140, 30
# Obsidian's presets for you (cyan), met (green) and asked (yellow); the Mermaid map's grey
# and blue border (see `mermaid.STYLE`), which no preset has, as hex colours.
COLOR = {"me": "5", "met": "4", "requested": "3", "declined": "#868e96", "not-contacted": "#4c6ef5"}
_DUMP = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# JSON may hold these raw, but then the file would hold a `<tag`, or a line break that
# JavaScript before ES2019 and some editors read as one: written as escapes, the same text.
_JSON_UNSAFE = re.compile("[<\u2028\u2029]")


def json_text(encoded: str) -> str:
    """JSON text with every `<`, U+2028 and U+2029 written as an escape: the same data."""
    if _JSON_UNSAFE.search(encoded) is None:
        return encoded
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)


def canvas_json(item: dict[str, Any]) -> str:
    """One node or edge as one line of JSON, with no raw `<`, U+2028 or U+2029 in it
    (control characters and quotes are escaped by JSON itself)."""
    return json_text(_DUMP(item))


def node_text(name: str, linkable: bool) -> str:
    """A text node's Markdown: a link to the person's note-to-be, or their name as text."""
    return link(name) if linkable and linkable_name(name) else text(name)


LEGEND = (
    "**Referral map**, drawn by notesync from your notes: green met, yellow asked, "
    "grey declined, blue not yet contacted (as the map's blue border). Changes made here are "
    "replaced at the next sync."
)


def _id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def canvas_data(people: People, figures: Figures) -> dict[str, Any]:
    net, lay = people.net, people.layout
    me = net.me.key
    groups = {key: group for key, group, _ in figures}
    columns: dict[int, int] = {}
    ids: dict[str, str] = {}
    used: set[str] = set()  # node and edge ids, unique across both
    legend = {"id": CANVAS_ID, "type": "text", "text": LEGEND, "x": 0, "y": -(HEIGHT + 2 * ROW_GAP)}
    nodes: list[dict[str, Any]] = [{**legend, "width": 2 * WIDTH + COLUMN_GAP, "height": HEIGHT + ROW_GAP}]
    for key in lay.order:
        d = lay.depth[key]
        y = columns.get(d, 0)
        person = net.people.get(key)
        note = person.note if person is not None else None
        height = FILE_HEIGHT if note else HEIGHT
        columns[d] = y + height + ROW_GAP
        nid = _id("node", key)
        while nid in used:
            nid = _id("node", key, nid)
        ids[key] = nid
        used.add(nid)
        node: dict[str, Any] = {
            "id": nid,
            "x": d * (WIDTH + COLUMN_GAP),
            "y": y,
            "width": WIDTH,
            "height": height,
        }
        if note:
            node.update(type="file", file=note)
        else:
            name = net.name(key)
            node.update(type="text", text=node_text(name, key != me))
        node["color"] = COLOR["me" if key == me else groups[key]]
        nodes.append(node)
    edges: list[dict[str, Any]] = []
    pos = {key: i for i, key in enumerate(lay.order)}
    for u, v, when in sorted(lay.edges, key=lambda e: (pos[e[0]], pos[e[1]])):
        eid = _id("edge", u, v)
        while eid in used:
            eid = _id("edge", u, v, eid)
        used.add(eid)
        edge: dict[str, Any] = {
            "id": eid,
            "fromNode": ids[u],
            "fromSide": "right",
            "toNode": ids[v],
            "toSide": "left",
            "toEnd": "arrow",
        }
        if when is not None:
            edge["label"] = when.isoformat()
        edges.append(edge)
    return {"nodes": nodes, "edges": edges}


def render_canvas(people: People, figures: Figures) -> str:
    """One node or edge per line, as Obsidian writes canvases (and fast: no pretty-printer).
    Each item is let go once written, and the text joined once: at 50,000 notes the items
    take 27 MB, the text 12 MB."""
    data = canvas_data(people, figures)
    out = ["{\n"]
    for n, key in enumerate(("nodes", "edges")):
        out.append((",\n" if n else "") + f'\t"{key}":[')
        items = data.pop(key)
        items.reverse()
        sep = "\n\t\t"
        while items:
            out.append(sep + canvas_json(items.pop()))
            sep = ",\n\t\t"
        out.append("]" if sep == "\n\t\t" else "\n\t]")
    out.append("\n}\n")
    return "".join(out)
