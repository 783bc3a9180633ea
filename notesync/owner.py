"""Which files in the output folder are notesync's, and which of those the user edited.

Every page carries a digest of its own content, so ownership needs no state: a device
that has the pages but not notesync's store (another laptop, a restore) still tells an
untouched page from an edited one and from a file that was never notesync's.

* Markdown: `notesync: generated` and `notesync-digest: …` in the front-matter.
* Canvas: a legend node whose id holds the digest, taken over the canvas's data (not its
  formatting: Obsidian may write the same canvas with other spacing).
* Calendar: an `X-NOTESYNC-DIGEST` property.

A ticked checkbox in Follow-ups.md (with or without the done date the Tasks plugin
adds) is a request, not an edit: the digest is taken with every box unticked.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

Ownership = Literal["ours", "edited", "foreign"]

GENERATED_MARK = "notesync: generated"
DIGEST_KEY = "notesync-digest"
CANVAS_ID = "notesync-legend-"
ICS_KEY = "X-NOTESYNC-DIGEST"
PRODID = "-//notesync//Follow-ups//EN"  # the calendar's maker, on its third line
BASE_MARK = "# notesync wrote this file"  # on the base's second line (see `render.bases`)
_BLANK = "0" * 16
_MD_DIGEST = re.compile(rf"^{DIGEST_KEY}: ([0-9a-f]{{16}})\r?$", re.MULTILINE)
_ICS_DIGEST = re.compile(rf"^{ICS_KEY}:([0-9a-f]{{16}})\r?$", re.MULTILINE)
# An item line of Follow-ups.md (in the folded callout too): a checkbox, its text, maybe the
# done date the Tasks plugin adds when the box is clicked (its emoji or its Dataview format),
# and the item's id as a block id; saved with CRLF, perhaps.
ITEM_LINE = re.compile(
    r"^(> )?- \[(.)\] (.*?)"
    r"(?: \u2705 \d{4}-\d{2}-\d{2}| \[completion:: \d{4}-\d{2}-\d{2}\])?"
    r" \^([0-9a-f]+)\r?$",
    re.MULTILINE,
)


def front_matter() -> str:
    """The front-matter of a Markdown page, with room for its digest."""
    return f"---\n{GENERATED_MARK}\n{DIGEST_KEY}: {_BLANK}\n---\n"


def _hash(texts: Iterable[str]) -> str:  # (in pieces: a page of 8 MB is never copied whole)
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def _lines(text: str, head: Callable[[str], str], each: Callable[[str], str]) -> Iterator[str]:
    """The text in pieces of whole lines, each through `each`, the first through `head` too."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + (1 << 18)) + 1 or len(text)
        yield head(each(text[start:end])) if start == 0 else each(text[start:end])
        start = end


_TICKED_BOX = re.compile(r"- \[[^ ]\] ")  # unanchored: re scans for its literal prefix, fast


def _maybe_ticked(text: str) -> bool:
    """False only if no box can be ticked (as notesync writes the page): a quick look first."""
    return "\u2705" in text or "[completion:: " in text or _TICKED_BOX.search(text) is not None


def untick(text: str) -> str:
    """The page as written, whatever boxes were ticked since."""
    return ITEM_LINE.sub(r"\1- [ ] \3 ^\4", text) if _maybe_ticked(text) else text


def ticks(text: str) -> list[str]:
    """The ids of the items ticked on Follow-ups.md (as Obsidian or the Tasks plugin tick)."""
    return [m.group(4) for m in ITEM_LINE.finditer(text) if m.group(2) in "xX"] if _maybe_ticked(text) else []


_LINK_TARGET = re.compile(r"\[\[[^\[\]|\n]*(?=[\]|])")  # a link's target, which Obsidian rewrites on a rename


def _md_digest(text: str, written: bool = False, targets: bool = False) -> str:
    """`written`: the text is as notesync writes it (no box ticked, no CR). Links count
    without their targets (`targets`: with them, as pages stamped before 2026-11-29 were)."""
    if not written:
        text = untick(text.lstrip("\ufeff").replace("\r\n", "\n"))
    blank = f"{DIGEST_KEY}: {_BLANK}"  # the digest is in the front-matter; no link spans lines
    unlinked = str if targets else lambda piece: _LINK_TARGET.sub("[[", piece)
    return _hash(_lines(text, lambda head: _MD_DIGEST.sub(blank, head[:400]) + head[400:], unlinked))


def _canvas_digest(data: object, files: bool = False) -> str:
    """Over the data, not the file paths of its cards (`files`: with them, as before)."""

    def blank(node: object) -> object:
        if isinstance(node, dict) and str(node.get("id", "")).startswith(CANVAS_ID):
            return {**node, "id": CANVAS_ID}
        return node if files or not isinstance(node, dict) or "file" not in node else {**node, "file": ""}

    dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode

    def pieces() -> Iterator[str]:  # json.dumps(data, ...) a thousand items at a time, cards blanked
        for i, (key, value) in enumerate(sorted(data.items()) if isinstance(data, dict) else ()):
            yield f"{',' if i else '{'}{dumps(key)}:" + ("[" if isinstance(value, list) else dumps(value))
            for j in range(0, len(value), 1000) if isinstance(value, list) else ():
                yield f"{',' if j else ''}{dumps([blank(n) for n in value[j : j + 1000]])[1:-1]}"
            yield "]" if isinstance(value, list) else ""
        yield ("}" if data else "{}") if isinstance(data, dict) else dumps(data)

    return _hash(pieces())


def _ics_digest(text: str) -> str:
    """Over the text with the digest in its header blanked (no event's line starts with the key)."""
    blank = f"{ICS_KEY}:{_BLANK}"  # (the first: in the header)
    return _hash(_lines(text, lambda h: _ICS_DIGEST.sub(blank, h, 1), lambda p: p.replace("\r\n", "\n")))


def stamp(name: str, text: str) -> bytes:
    """The page as notesync writes it, carrying the digest of its own content (bytes: the
    text's one copy that lives on)."""
    if name.endswith(".md"):
        blank, digest = f"{DIGEST_KEY}: {_BLANK}", f"{DIGEST_KEY}: {_md_digest(text, True)}"
    elif name.endswith(".canvas"):
        blank, digest = f'"{CANVAS_ID}"', f'"{CANVAS_ID}{_canvas_digest(json.loads(text))}"'
    elif name.endswith(".ics"):
        blank, digest = f"{ICS_KEY}:{_BLANK}", f"{ICS_KEY}:{_ics_digest(text)}"
    else:
        return text.encode("utf-8")
    return text.encode("utf-8").replace(blank.encode("utf-8"), digest.encode("utf-8"), 1)


def ownership(name: str, data: bytes) -> Ownership:
    """Is this file a page notesync wrote and nobody changed since ("ours"), one it wrote
    that was changed ("edited"), or not notesync's at all ("foreign")?"""
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".md"):
        head = text[:300].lstrip("\ufeff").replace("\r\n", "\n")
        if not head.startswith("---\n") or f"\n{GENERATED_MARK}\n" not in head.split("\n---", 1)[0] + "\n":
            return "foreign"
        found = _MD_DIGEST.search(text, 0, 400)
        ours = found and found.group(1) in (_md_digest(text), _md_digest(text, targets=True))
        return "ours" if ours else "edited"
    if name.endswith(".canvas"):
        try:
            data_ = json.loads(text)
        except ValueError:
            return "foreign"
        nodes = data_.get("nodes") if isinstance(data_, dict) else None
        ids = [str(n.get("id", "")) for n in nodes if isinstance(n, dict)] if isinstance(nodes, list) else []
        if not (mine := [i[len(CANVAS_ID) :] for i in ids if i.startswith(CANVAS_ID)]):
            return "foreign"
        return "ours" if mine[0] in (_canvas_digest(data_), _canvas_digest(data_, files=True)) else "edited"
    if name.endswith(".ics"):
        found = _ICS_DIGEST.search(text)
        return "foreign" if found is None else "ours" if found.group(1) == _ics_digest(text) else "edited"
    return "foreign"
