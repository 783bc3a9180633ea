"""Wikilinks and names, compared the way Obsidian compares them (ignoring case)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WIKILINK = re.compile(r"^!?\[\[([^\[\]]*)\]\]$")
_SPACES = re.compile(r"\s+")


def link_target(value: str) -> str | None:
    """`[[People/Jane Smith#Notes|Jane]]` -> `People/Jane Smith`; a bare name stays as is."""
    text = value.strip()
    m = _WIKILINK.match(text)
    if m is not None:
        text = m.group(1).split("|", 1)[0].split("#", 1)[0]
        if "^" in text:
            text = text.split("^", 1)[0]
    text = _SPACES.sub(" ", text).strip()
    if text.lower().endswith(".md"):
        text = text[:-3].rstrip()
    return text or None


def is_wikilink(value: str) -> bool:
    return _WIKILINK.match(value.strip()) is not None


def basename(target: str) -> str:
    """The note name a link points at: its last path segment."""
    return target.rsplit("/", 1)[-1].strip()


@lru_cache(maxsize=1 << 16)  # a vault names each person many times
def name_key(name: str) -> str:
    """Identity of a name: NFC, case-folded, single spaces. `Jane  SMITH` == `jane smith`."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip().casefold()


def path_key(path: str) -> str:
    """Identity of a vault path without extension, for `[[folder/Name]]` links."""
    if path.lower().endswith(".md"):
        path = path[:-3]
    return name_key(path)
