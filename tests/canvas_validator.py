"""A JSON Canvas 1.0 validator written from compat/jsoncanvas/REQUIRED_FIELDS.md.

Returns a list of problems (empty = valid). Beyond the spec's required fields it
checks what the issue asks of notesync's canvas: ids unique across nodes and edges,
edges that point at real nodes, `fromSide`/`toSide` on every edge, and no two nodes
overlapping.
"""

from __future__ import annotations

import re
from typing import Any

NODE_TYPES = {"text", "file", "link", "group"}
SIDES = {"top", "right", "bottom", "left"}
ENDS = {"none", "arrow"}
BACKGROUND_STYLES = {"cover", "ratio", "repeat"}
_COLOR = re.compile(r"^(#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}|[1-6])$")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _check_id(where: str, item: dict[str, Any], ids: set[str], errors: list[str]) -> None:
    """Ids are non-empty strings, unique across nodes and edges."""
    value = item.get("id")
    if not isinstance(value, str) or not value:
        errors.append(f"{where}: id must be a non-empty string")
    elif value in ids:
        errors.append(f"{where}: duplicate id {value}")
    else:
        ids.add(value)


def validate(canvas: Any) -> list[str]:
    errors: list[str] = []
    if not isinstance(canvas, dict):
        return ["top level is not an object"]
    nodes = canvas.get("nodes", [])
    edges = canvas.get("edges", [])
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return ["nodes and edges must be arrays"]
    ids: set[str] = set()
    for i, node in enumerate(nodes):
        where = f"node {i}"
        if not isinstance(node, dict):
            errors.append(f"{where}: not an object")
            continue
        _check_id(where, node, ids, errors)
        kind = node.get("type")
        if kind not in NODE_TYPES:
            errors.append(f"{where}: bad type {kind!r}")
        for key in ("x", "y", "width", "height"):
            if not _is_int(node.get(key)):
                errors.append(f"{where}: {key} must be an integer")
        if "color" in node and not (isinstance(node["color"], str) and _COLOR.match(node["color"])):
            errors.append(f"{where}: bad color {node['color']!r}")
        if kind == "text" and not isinstance(node.get("text"), str):
            errors.append(f"{where}: text node without text")
        if kind == "file":
            if not isinstance(node.get("file"), str) or not node["file"]:
                errors.append(f"{where}: file node without file")
            if "subpath" in node and not str(node["subpath"]).startswith("#"):
                errors.append(f"{where}: subpath must start with #")
        if kind == "link" and not isinstance(node.get("url"), str):
            errors.append(f"{where}: link node without url")
        if kind == "group":
            if "label" in node and not isinstance(node["label"], str):
                errors.append(f"{where}: label must be a string")
            if "backgroundStyle" in node and node["backgroundStyle"] not in BACKGROUND_STYLES:
                errors.append(f"{where}: bad backgroundStyle")
    node_ids = set(ids)
    for i, edge in enumerate(edges):
        where = f"edge {i}"
        if not isinstance(edge, dict):
            errors.append(f"{where}: not an object")
            continue
        _check_id(where, edge, ids, errors)
        for key in ("fromNode", "toNode"):
            if edge.get(key) not in node_ids:
                errors.append(f"{where}: {key} {edge.get(key)!r} is not a node")
        for key in ("fromSide", "toSide"):
            if edge.get(key) not in SIDES:
                errors.append(f"{where}: {key} must be one of {sorted(SIDES)}")
        for key in ("fromEnd", "toEnd"):
            if key in edge and edge[key] not in ENDS:
                errors.append(f"{where}: bad {key}")
        if "label" in edge and not isinstance(edge["label"], str):
            errors.append(f"{where}: label must be a string")
        if "color" in edge and not (isinstance(edge["color"], str) and _COLOR.match(edge["color"])):
            errors.append(f"{where}: bad color")
    errors.extend(overlaps(nodes))
    return errors


def overlaps(nodes: list[dict[str, Any]]) -> list[str]:
    """Pairs of nodes whose rectangles intersect (sweep over x, so large canvases stay cheap)."""
    boxes = sorted(
        (n["x"], n["y"], n["x"] + n["width"], n["y"] + n["height"], n["id"])
        for n in nodes
        if all(_is_int(n.get(k)) for k in ("x", "y", "width", "height"))
    )
    out = []
    for i, (x0, y0, x1, y1, a) in enumerate(boxes):
        for bx0, by0, bx1, by1, b in boxes[i + 1 :]:
            if bx0 >= x1:
                break
            if by0 < y1 and y0 < by1 and bx0 < x1 and x0 < bx1:
                out.append(f"nodes {a} and {b} overlap")
    return out
