"""How a vault marks its people and its conversations, and what its properties are called.

notesync reads its own schema (`type: interview`, `type: contact`) and, with no
settings, the shapes real vaults use: `type: person|people|meeting|call|…` (a string,
a list or a link), `categories: ["[[People]]"]` or `["[[Meetings]]"]` (kepano's widely
copied vault), tags such as `person`; who a conversation was with under `contact`,
`people`, `attendees` and the like; `org` for company. `.notesync.toml` adds the rest:

    [contacts]                      # what else makes a note a person's note
    folders = ["People"]
    [conversations]
    categories = ["Calls"]
    [properties]                    # what else a property is called (first: the name written)
    company = ["Employer"]

A note opts out with `notesync: ignore` in its properties. Everything here is plain data,
so the parse stage stays pure and a run can tell when these settings changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from .links import is_wikilink, link_target
from .model import NoteKind as Kind
from .obsidian import DailyNotes, daily_note_date

# The fields notesync reads (and, for the one edit, writes), with the names each goes by.
DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "contact": ("contact", "contacts", "people", "person", "with", "attendees", "participants"),
    "date": ("date",),
    "referrer": ("referrer", "referred_by", "referred by"),
    "referrals": ("referrals",),
    "status": ("status",),
    "company": ("company", "org", "organization", "organisation"),
    "role": ("role", "position", "job title"),
    "channel": ("channel",),
    "thanked": ("thanked",),
    "referrer_updated": ("referrer_updated",),
    "followed_up": ("followed_up",),
    "prepared": ("prepared",),
    "last_contact": ("last_contact", "last_contacted"),
    "actions": ("actions",),
    "email": ("email", "e-mail", "mail"),
    "linkedin": ("linkedin",),
    "aliases": ("aliases", "alias"),
    "keep_in_touch": ("keep_in_touch",),
}
FIELDS = tuple(DEFAULT_NAMES)
_INDEX = {f: i for i, f in enumerate(FIELDS)}


def key_name(key: str) -> str:
    """A property name as matched: case, `-`, `_` and spaces make no difference
    (`Referrer-Updated`, `referrer updated` and `referrer_updated` are one property)."""
    return "_".join(key.casefold().replace("-", " ").replace("_", " ").split())


_Names = tuple[tuple[str, tuple[str, ...]], ...]
_Keys = tuple[_Names, tuple[tuple[str, ...], ...]]


def _keys(names: _Names) -> _Keys:
    """`names` (field -> names) as matched (see `key_name`), by field in FIELDS' order,
    with the names they were made from."""
    found = dict(names)
    return names, tuple(tuple(key_name(n) for n in found.get(f, ())) for f in FIELDS)


class Shape(NamedTuple):
    """What marks a note as one kind; every value compared case-insensitively."""

    types: tuple[str, ...] = ()  # values of `type` (a string, a list, or a [[link]])
    categories: tuple[str, ...] = ()  # [[links]] (or names) in `categories`
    tags: tuple[str, ...] = ()  # front-matter tags or #tags in the text
    folders: tuple[str, ...] = ()  # vault folders (and their subfolders)

    def merged(self, other: Shape) -> Shape:
        def both(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v.casefold() for v in (*a, *b)))

        return Shape(
            both(self.types, other.types),
            both(self.categories, other.categories),
            both(self.tags, other.tags),
            tuple(dict.fromkeys((*self.folders, *other.folders))),
        )


CONTACT_SHAPE = Shape(
    types=("contact", "person", "people"),
    categories=("people", "person"),
    tags=("person", "people", "contact"),
)
CONVERSATION_SHAPE = Shape(
    types=("interview", "meeting", "meetings", "call", "conversation", "coffee"),
    categories=("meetings", "meeting", "interviews", "interview"),
)


_DEFAULT: _Names = tuple(DEFAULT_NAMES.items())


class Reading(NamedTuple):
    """Everything that decides what a note is and which property means what (settings
    are named tuples: see `config.Config`)."""

    contacts: Shape = CONTACT_SHAPE
    conversations: Shape = CONVERSATION_SHAPE
    names: _Names = _DEFAULT
    daily: DailyNotes | None = None  # Obsidian's daily notes settings (None: a note named as a date)
    companies: tuple[str, ...] = ("company", "companies", "organization", "organisation")  # types, categories
    # `names` as matched, made once with them (see `with_settings`): a parse asks 25 times a note
    keys: _Keys = _keys(_DEFAULT)

    def names_of(self, field_name: str) -> tuple[str, ...]:
        """The property names of a field (as `key_name` makes them), the one to write first."""
        made_from, keys = self.keys
        if made_from is not self.names:  # (a reading built or changed with other names)
            keys = _keys(self.names)[1]
        return keys[_INDEX[field_name]]

    def find(self, meta: dict[str, Any], field_name: str) -> str | None:
        """The property of `meta` (keys as `key_name` makes them) that holds this field."""
        made_from, keys = self.keys
        if made_from is not self.names:
            keys = _keys(self.names)[1]
        for name in keys[_INDEX[field_name]]:
            if name in meta:
                return name
        return None


def with_settings(
    contacts: Shape | None = None,
    conversations: Shape | None = None,
    names: dict[str, tuple[str, ...]] | None = None,
) -> Reading:
    """The default reading, extended by a vault's settings."""
    merged = dict(DEFAULT_NAMES)
    for key, extra in (names or {}).items():
        merged[key] = tuple(dict.fromkeys((*extra, *merged[key])))
    spelled = tuple(merged.items())
    return Reading(
        CONTACT_SHAPE.merged(contacts or Shape()),
        CONVERSATION_SHAPE.merged(conversations or Shape()),
        spelled,
        keys=_keys(spelled),
    )


def values(raw: Any) -> list[str]:
    """A property's values as plain names: `x`, `[x, y]`, `"[[X]]"`, `[[X]]` unquoted
    (a nested list in YAML), lower-cased."""
    items = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for item in items:
        if isinstance(item, list):  # `[[People]]` unquoted
            item = "[[" + ", ".join(str(v) for v in item) + "]]" if item else ""
        if isinstance(item, str):
            text = link_target(item) if is_wikilink(item) else item.strip()
            if text:
                out.append(text.rsplit("/", 1)[-1].casefold())
    return out


def tag_values(raw: Any) -> list[str]:
    """Front-matter tags: a list, or one string of tags split by commas or spaces."""
    items = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.extend(t.lstrip("#").casefold() for t in item.replace(",", " ").split() if t.strip("#"))
    return out


def _in_folder(path: str, folders: Iterable[str]) -> str | None:
    """The nearest of these folders that holds the note, if one does."""
    folded = path.casefold()
    holding = [f for f in folders if folded.startswith(f.casefold().rstrip("/") + "/")]
    return max(holding, key=len, default=None)


def classify(meta: dict[str, Any], path: str, tags: set[str], reading: Reading) -> tuple[Kind, str]:
    """What a note is, and why (for `check --explain`). `meta` has keys as `key_name`
    makes them; `tags` are the note's tags, front-matter and text, lower-cased, no `#`."""
    if "notesync" in meta and str(meta["notesync"]).strip().casefold() == "ignore":
        return "other", "it says `notesync: ignore`"
    people, talks = reading.contacts, reading.conversations
    for value in values(meta.get("type")):
        if value in people.types:
            return "contact", f"`type: {value}`"
        if value in talks.types:
            return "interview", f"`type: {value}`"
    for value in values(meta.get("categories")):
        if value in people.categories:
            return "contact", f"`categories` holds [[{value}]]"
        if value in talks.categories:
            return "interview", f"`categories` holds [[{value}]]"
    for tag in sorted(tags):
        if tag in people.tags:
            return "contact", f"it is tagged #{tag}"
        if tag in talks.tags:
            return "interview", f"it is tagged #{tag}"
    person_folder, talk_folder = _in_folder(path, people.folders), _in_folder(path, talks.folders)
    if person_folder is not None and (talk_folder is None or len(person_folder) >= len(talk_folder)):
        return "contact", f"it is in the folder {person_folder}/ (setting contacts.folders)"
    if talk_folder is not None:  # (the nearer folder wins: `Network/Calls` inside `Network`)
        return "interview", f"it is in the folder {talk_folder}/ (setting conversations.folders)"
    if "contact" in meta and "type" not in meta:  # notesync's own key (SPEC §2)
        return "interview", "it has a `contact` property and no `type`"
    # `Contacts`, `Attendees`, ... outside any other scheme; a daily note's people are the
    # day's, in touch (see `parse`), not a meeting
    other = reading.find(meta, "contact")
    if (
        other is not None
        and "type" not in meta
        and "categories" not in meta
        and daily_note_date(path, reading.daily) is None
    ):
        return "interview", f"it has a `{other}` property (whom it was with), no `type` or `categories`"
    if "type" in meta:
        shown = ", ".join(values(meta.get("type"))) or "(empty)"
        return "other", f"its type ({shown}) is not one of a person or a conversation"
    return "other", "nothing marks it as a person or a conversation"
