"""Wikilinks and names: compared the way Obsidian compares them (ignoring case), and tidied
as a note should hold them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote

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


# A person's LinkedIn profile is who they are, across spellings of its address.
_LINKEDIN = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com/(in|pub)/([^?#]*)", re.IGNORECASE
)
_SLUG = re.compile(r"^[^\s/?#@:]{3,100}$")


def linkedin_url(text: str | None, *, slug_ok: bool = False) -> str | None:
    """A LinkedIn profile address in one spelling, so that two spellings of one profile
    compare equal: `https://www.linkedin.com/in/<id>`, without `www`-less or country hosts,
    a trailing slash, a query or a language suffix; the id lower-cased (LinkedIn's ids
    ignore case) and percent-encoded. `slug_ok` also takes a bare id (`jane-doe`)."""
    raw = tidy(text)
    m = _LINKEDIN.match(raw)
    if m is None:
        if slug_ok and raw[:3].lower() == "in/":  # `in/jane-doe`, as people shorten it
            raw = raw[3:].rstrip("/")
        if slug_ok and _SLUG.match(raw) and "." not in raw:
            return "https://www.linkedin.com/in/" + _url_part(raw)
        return None
    parts = [p for p in m.group(2).split("/") if p]
    if not parts:
        return None
    if m.group(1).lower() == "in":
        return "https://www.linkedin.com/in/" + _url_part(parts[0])
    return "https://www.linkedin.com/pub/" + "/".join(_url_part(p) for p in parts)


def _url_part(part: str) -> str:
    return quote(unquote(part).strip().lower(), safe="-_.~!$&'()*+,;=@")


_COMPANY_SUFFIX = re.compile(
    r"[\s,]+(?:inc|incorporated|ltd|limited|llc|llp|gmbh|ag|se|sa|sas|sarl|srl|spa|bv|nv|plc|pty|"
    r"corp|corporation|co|company|kg|oy|ab|as)\.?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 14)  # asked for every person's company by the targets and the map
def company_key(company: str) -> str:
    """A company compared ignoring case and a legal-form suffix: `Contoso, Inc.` is `contoso`."""
    text = tidy(company)
    while True:
        shorter = _COMPANY_SUFFIX.sub("", text)
        if shorter == text or not shorter:
            break
        text = shorter
    return name_key(text.strip(" ,."))
