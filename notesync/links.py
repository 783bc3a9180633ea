"""Wikilinks and names: compared the way Obsidian compares them (ignoring case), and tidied
as a note should hold them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WIKILINK = re.compile(r"^!?\[\[([^\[\]]*)\]\]$")
_SPACES = re.compile(r"\s+")

# Controls (and Unicode non-characters) become spaces; invisible marks that only break
# comparison (soft hyphen, zero-width space, direction marks, BOM) go. ZWJ/ZWNJ stay:
# they are part of emoji and of some scripts' spelling.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


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


def tidy(text: str | None) -> str:
    """Text as a note should hold it: NFC, one space between words, nothing invisible."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if not text.isascii() or _CONTROL.search(text):
        text = _INVISIBLE.sub("", _CONTROL.sub(" ", text))
    return " ".join(text.split())
