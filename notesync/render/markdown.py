"""Markdown pieces that stay correct whatever a person is called.

One escaping function per place a piece of a note can land on a page, each giving one
well-formed line: `text` (Markdown on a line), `cell` (a table cell), `link_target`
and `link_alias` (the two halves of a wikilink, which have no escapes: a value they
cannot carry is shown as text instead), and `rich_text` (a task's own text, whose
`[[links]]` and `[text](url)` keep working). Whatever the input, no raw HTML, no line
break, no `%%` comment and no embed can come out of them. Mermaid labels and canvas
text have theirs in `mermaid.py` and `canvas.py`.
"""

from __future__ import annotations

import html
import re

from ..obsidian import linkable_name as linkable_name  # where the name rules live; pages import it from here
from ..words import plural as plural  # (the pages' plural is the terminal's)

# Line breaks (LF, CR, VT, FF, NEL, U+2028, U+2029), other control characters and runs
# of white space all become one space: a value never ends a line, a table row or a link.
_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Markdown, Obsidian (`==`, `%%`, `$`, `^`, `#tag`, `[[`) and HTML syntax. `<` is written
# `&lt;` (a backslash would leave `<img` in the page's text); an `&` that would start an
# entity (`&lt;`, `&#60;`) is escaped, so that the name shows as typed.
_ESCAPE = re.compile(r"[\\`*_\[\]<>|#~=$%^!]|&(?=#?[0-9A-Za-z]+;)")
# What `text` would change: a character to escape, white space to collapse, a control character.
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>|#~=$%^!]|&(?=#?[0-9A-Za-z]+;)|\s\s|[^\S ]|[\x00-\x1f\x7f-\x9f]")


def _escape(m: re.Match[str]) -> str:
    return "&lt;" if m.group(0) == "<" else "\\" + m.group(0)


def one_line(value: str) -> str:
    """`value` with every line break, control character and run of white space made one space."""
    return _SPACE.sub(" ", value)


def text(value: str) -> str:
    """Plain text with Markdown (and Obsidian, and HTML) syntax made inert, on one line."""
    if _NOT_PLAIN.search(value) is None:  # most names and words: one search, no copy
        return value
    return _ESCAPE.sub(_escape, one_line(value))


def cell(value: str) -> str:
    """Text for a table cell: `text`, which escapes every `|` and keeps to one line (an
    empty cell is filled in by `table_row`)."""
    return text(value)


# What would end or change a wikilink, or leave HTML or a code span in a renderer that does
# not know wikilinks (a backslash would escape the closing bracket or a table's `|`).
_TARGET_BAD = re.compile(r"[\[\]|#^<>`\\]|%%|[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ALIAS_BAD = re.compile(r"[\[\]|<>`\\]|%%|[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ANCHOR_BAD = re.compile(r"[\[\]|<>`\\]|%%|[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def link_target(target: str) -> str | None:
    """`target` as the part of a wikilink before `|`, or None when a wikilink cannot hold it
    (there is no escape inside `[[...]]`)."""
    if not target.strip() or _TARGET_BAD.search(target) is not None:
        return None
    return target


def link_alias(label: str) -> str | None:
    """`label` as the part of a wikilink after `|`, or None when a wikilink cannot show it."""
    if not label.strip() or _ALIAS_BAD.search(label) is not None:
        return None
    return label


def link(target: str, label: str | None = None, *, table: bool = False) -> str:
    """`[[target|label]]`, or `label` as escaped text when a wikilink cannot hold both."""
    label = label if label is not None else target
    if link_target(target) is None or link_alias(label) is None:
        return text(label)
    if label == target:
        return f"[[{target}]]"
    bar = "\\|" if table else "|"
    return f"[[{target}{bar}{label}]]"


# A user's own link in a task's text: `[[note]]`, `[[note#heading|alias]]`, `[text](url)`,
# `[text](<url>)`, and the embeds `![[...]]` and `![alt](url)`, which are never kept.
_ENTITY = re.compile(r"&#?[0-9A-Za-z]+;")
_USER_LINK = re.compile(
    r"(?P<embed>!?)"
    r"(?:\[\[(?P<wiki>[^\[\]]*)\]\]"
    r"|\[(?P<label>[^\[\]]*)\]\((?P<url><[^<>]*>|(?:[^()\s<>]|\([^()\s<>]*\))*)\))"
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "obsidian", "tel"})
_BRACKETED = re.compile(r"[ ()<>]")


def safe_url(url: str, bracketed: bool = False) -> str | None:
    """The destination of a Markdown link as one bare word, or None when it must not be a
    link: a scheme that can run code (`javascript:`, `data:`, `vbscript:`, also when written
    with entities or blanks inside, as browsers read it), a backslash, a line break.
    `bracketed` is the `<...>` form, whose blanks and brackets are percent-encoded."""
    if not url or _BREAKS.search(url) or "\\" in url:
        return None
    seen = re.sub(r"\s", "", html.unescape(url)).lower()
    m = _SCHEME.match(seen)
    if m is not None and m.group(1) not in SAFE_SCHEMES:
        return None
    return _BRACKETED.sub(lambda c: f"%{ord(c.group(0)):02X}", url) if bracketed else url


def _user_link(m: re.Match[str]) -> str | None:
    """The link as it stays on the page, or None when it is shown as text."""
    if m.group("embed"):
        return None
    wiki = m.group("wiki")
    if wiki is not None:
        where, bar, alias = wiki.partition("|")
        note, hash_, anchor = where.partition("#")
        if link_target(note) is None or (hash_ and not anchor.strip()) or _ANCHOR_BAD.search(anchor):
            return None
        if bar and link_alias(alias) is None:
            return None
        if _ENTITY.search(wiki):  # `[[&lt;]]` would read `[[<]]`: shown as text, as typed
            return None
        return f"[[{wiki}]]"
    url = m.group("url")
    bracketed = url.startswith("<")
    kept = safe_url(url[1:-1] if bracketed else url, bracketed)
    return None if kept is None else f"[{text(m.group('label'))}]({kept})"


def rich_text(value: str) -> str:
    """A task's own text: `text`, except that the user's `[[links]]` and `[text](url)` stay
    links (as in a Tasks query), while embeds, HTML and `javascript:` links stay inert."""
    if "[" not in value:
        return text(value)
    out: list[str] = []
    pos = 0
    for m in _USER_LINK.finditer(value):
        kept = _user_link(m)
        if kept is None:
            continue
        out.append(text(value[pos : m.start()]))
        out.append(kept)
        pos = m.end()
    out.append(text(value[pos:]))
    return "".join(out)


def table_head(header: list[str]) -> str:
    return "| " + " | ".join(header) + " |\n|" + "|".join("---" for _ in header) + "|\n"


def table_row(cells: list[str]) -> str:
    """One row; cells must already be escaped for tables."""
    return "| " + " | ".join(cell or " " for cell in cells) + " |\n"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; cells must already be escaped for tables."""
    return table_head(header) + "".join(table_row(row) for row in rows)
