"""Markdown pieces that stay correct whatever a person is called."""

from __future__ import annotations

import re

# Characters Obsidian forbids in link targets; a name holding one cannot be linked.
_LINK_FORBIDDEN = re.compile(r"[\[\]|#^\n]")
_SPACE = re.compile(r"\s+")
_ESCAPE = re.compile(r"([\\`*_\[\]<>|#~=$%^!])")
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>|#~=$%^!]|\s\s|[^\S ]")  # what `text` would change

GENERATED_MARK = "notesync: generated"
FRONT_MATTER = f"---\n{GENERATED_MARK}\n---\n"


def text(value: str) -> str:
    """Plain text with Markdown (and Obsidian) syntax made inert, on one line."""
    if _NOT_PLAIN.search(value) is None:  # most names and words: one search, no copy
        return value
    return _ESCAPE.sub(r"\\\1", _SPACE.sub(" ", value))


# Obsidian refuses these in a note's name, so a name holding one cannot be a link target.
NAME_FORBIDDEN = re.compile(r'[*"\\/<>:|?#^\[\]]')


def linkable_name(name: str) -> bool:
    """Can `[[name]]` point at (or create) a note called `name`?"""
    return bool(name.strip()) and NAME_FORBIDDEN.search(name) is None and not name.startswith(".")


def link(target: str, label: str | None = None, *, table: bool = False) -> str:
    """`[[target|label]]`, or escaped text when the target cannot be a link."""
    label = label if label is not None else target
    if _LINK_FORBIDDEN.search(target) or _LINK_FORBIDDEN.search(label) or not target.strip():
        return text(label)
    bar = "\\|" if table else "|"
    if label == target:
        return f"[[{target}]]"
    return f"[[{target}{bar}{label}]]"


def table_head(header: list[str]) -> str:
    return "| " + " | ".join(header) + " |\n|" + "|".join("---" for _ in header) + "|\n"


def table_row(cells: list[str]) -> str:
    """One row; cells must already be escaped for tables."""
    return "| " + " | ".join(cell or " " for cell in cells) + " |\n"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; cells must already be escaped for tables."""
    return table_head(header) + "".join(table_row(row) for row in rows)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
