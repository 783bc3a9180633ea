"""The English the pages and the terminal share (kept apart from `render`: the one-line
summary of a sync that changed nothing must not pull in the page renderers)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 note`, `2 notes`, `3 people`."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
