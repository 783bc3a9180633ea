"""`Networking.base`: Obsidian Bases views (Obsidian 1.9.10+) over the notes notesync reads.

A base is a live table inside Obsidian: it stays current without a sync, and the user
edits properties in place, on desktop and mobile. notesync writes it only when it is
missing: Obsidian saves view changes (sorting, columns, widths) into the file, so after
that it is the user's.

The base uses the vault's own property names and note shapes (`BaseShape`), so it shows
the notes notesync reads, and only syntax from Obsidian's Bases help: `filters` with
`and`/`or`/`not`, `file.hasTag`, `file.inFolder`, `file.hasProperty`, `list(...)`,
`link(...)`, `containsAny`, `if`, `today()`, and dates compared after adding a duration
(`note.date + "7d" <= today()`), never subtracted.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

import yaml

from ..owner import BASE_MARK
from ..words import plural
from .context import Context

BASE_NAME = "Networking.base"
MIN_OBSIDIAN = "1.9.10"
REQUESTED = "requested"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class BaseShape(NamedTuple):
    """How the vault writes what notesync reads: its property names, and how it marks a
    conversation note and a person note. The defaults are notesync's own schema."""

    contact: str = "contact"
    date: str = "date"
    status: str = "status"
    thanked: str = "thanked"
    referrer_updated: str = "referrer_updated"
    referrer: str = "referrer"
    company: str = "company"
    role: str = "role"
    type_key: str = "type"  # the property that holds `conversation_types` / `person_types`
    categories_key: str = "categories"  # the list of links `*_categories` are found in
    # A conversation note is one that matches any of these:
    conversation_types: tuple[str, ...] = ("interview",)
    conversation_categories: tuple[str, ...] = ()  # "Meetings" for `categories: ["[[Meetings]]"]`
    conversation_tags: tuple[str, ...] = ()
    conversation_folders: tuple[str, ...] = ()
    untyped_contact: bool = True  # a note with a contact property and no type is one too
    # A person note is one that matches any of these:
    person_types: tuple[str, ...] = ("contact",)
    person_categories: tuple[str, ...] = ()  # "People" for `categories: ["[[People]]"]`
    person_tags: tuple[str, ...] = ()
    person_folders: tuple[str, ...] = ()
    # Never shown: notesync's output folder, and the templates folders (their notes are
    # shaped like conversations and people but are neither).
    output: str = "notesync"
    exclude: tuple[str, ...] = ()
    no_response: int = 7  # days a request waits for an answer before its one follow-up (`Rules`)

    def names(self) -> tuple[str, ...]:
        """Every note property the base may reference."""
        return (
            self.contact,
            self.date,
            self.status,
            self.thanked,
            self.referrer_updated,
            self.referrer,
            self.company,
            self.role,
            self.type_key,
            self.categories_key,
        )


def _literal(text: str) -> str:
    """A string literal of the formula language (JavaScript's; a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def note(name: str) -> str:
    """A note property in an expression: `note.status`, or `note["Next step"]` when the
    name is not an identifier (`-` or a space would read as an operator)."""
    return f"note.{name}" if _IDENTIFIER.match(name) else f"note[{_literal(name)}]"


def _column(name: str) -> str:
    """A note property where a view lists one (`order`, `sort`, `properties`): its id."""
    return f"note.{name}"


def _bare(value: str, *strip: str) -> str:
    """`[[People]]` -> `People`, `#person` -> `person`: the name a shape value stands for."""
    value = value.strip()
    if value.startswith("[[") and value.endswith("]]"):
        value = value[2:-2].split("|", 1)[0]
    for prefix in strip:
        value = value.removeprefix(prefix)
    return value.strip()


def _any_of(values: tuple[str, ...]) -> list[str]:
    return sorted({v for v in values if v})


def _contains(target: str, args: list[str]) -> str:
    method = "contains" if len(args) == 1 else "containsAny"
    return f"{target}.{method}({', '.join(args)})"


def _recognise(
    shape: BaseShape,
    types: tuple[str, ...],
    categories: tuple[str, ...],
    tags: tuple[str, ...],
    folders: tuple[str, ...],
) -> list[str]:
    """Filter statements, any of which marks a note as one of a kind."""
    out: list[str] = []
    type_values = _any_of(tuple(_bare(t) for t in types))
    if type_values:
        # a string, a list, or a link (`type: "[[contact]]"`): list() takes all three
        args = [a for t in type_values for a in (_literal(t), f"link({_literal(t)})")]
        out.append(_contains(f"list({note(shape.type_key)})", args))
    category_values = _any_of(tuple(_bare(c) for c in categories))
    if category_values:
        args = [f"link({_literal(c)})" for c in category_values]
        out.append(_contains(f"list({note(shape.categories_key)})", args))
    tag_values = _any_of(tuple(_bare(t, "#") for t in tags))
    if tag_values:
        out.append(f"file.hasTag({', '.join(_literal(t) for t in tag_values)})")
    for folder in _any_of(tuple(f.strip().strip("/") for f in folders)):
        out.append(f"file.inFolder({_literal(folder)})")
    return out


def _matches(statements: list[str]) -> Any:
    """A filter that is true when any statement is (`false` when there is none: an
    empty view beats one that shows the whole vault)."""
    if not statements:
        return "false"
    if len(statements) == 1:
        return statements[0]
    return {"or": statements}


def conversation_filter(shape: BaseShape) -> Any:
    statements = _recognise(
        shape,
        shape.conversation_types,
        shape.conversation_categories,
        shape.conversation_tags,
        shape.conversation_folders,
    )
    if shape.untyped_contact:
        statements.append(
            f"file.hasProperty({_literal(shape.contact)}) && !file.hasProperty({_literal(shape.type_key)})"
        )
    return _matches(statements)


def person_filter(shape: BaseShape) -> Any:
    return _matches(
        _recognise(
            shape, shape.person_types, shape.person_categories, shape.person_tags, shape.person_folders
        )
    )


def _sort(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"property": prop, "direction": direction} for prop, direction in pairs]


def base_data(shape: BaseShape) -> dict[str, Any]:
    """The base as data: what `render_base` writes, and what tests read."""
    s = shape
    hidden = [f.strip().strip("/") for f in (s.output, *s.exclude)]
    global_filters: list[Any] = ['file.ext == "md"']
    global_filters += [f"!file.inFolder({_literal(f)})" for f in dict.fromkeys(hidden) if f]

    labels: dict[str, str] = {}
    for name, label in (
        (s.contact, "Contact"),
        (s.date, "Date"),
        (s.status, "Status"),
        (s.thanked, "Thanked"),
        (s.referrer_updated, "Referrer updated"),
        (s.referrer, "Referrer"),
        (s.company, "Company"),
        (s.role, "Role"),
    ):
        labels.setdefault(_column(name), label)  # one property in two roles keeps the first label
    properties: dict[str, dict[str, str]] = {"file.name": {"displayName": "Note"}}
    properties.update({prop: {"displayName": label} for prop, label in labels.items()})
    waited = "A week" if s.no_response == 7 else plural(s.no_response, "day")
    properties["formula.week_old"] = {"displayName": f"{waited} without an answer"}

    conversations = conversation_filter(s)
    return {
        "filters": {"and": global_filters},
        "formulas": {
            # 0 for a conversation not yet thanked: sorted first
            "thanked_order": f"if({note(s.thanked)}, 1, 0)",
            # dates compared after adding a duration, not subtracted
            "week_old": f'if({note(s.date)} + "{s.no_response}d" <= today(), '
            '"yes: follow up once", "not yet")',
        },
        "properties": properties,
        "views": [
            {
                "type": "table",
                "name": "Conversations",
                "filters": conversations,
                "order": [
                    "file.name",
                    *dict.fromkeys(
                        _column(n) for n in (s.contact, s.date, s.status, s.thanked, s.referrer_updated)
                    ),
                ],
                "sort": _sort(("formula.thanked_order", "ASC"), (_column(s.date), "DESC")),
            },
            {
                "type": "table",
                "name": "People",
                "filters": person_filter(s),
                "order": ["file.name", *dict.fromkeys(_column(n) for n in (s.company, s.role, s.referrer))],
                "sort": _sort(("file.name", "ASC")),
            },
            {
                "type": "table",
                "name": "Open requests",
                "filters": {"and": [conversations, f"{note(s.status)} == {_literal(REQUESTED)}"]},
                "order": [
                    "file.name",
                    *dict.fromkeys(_column(n) for n in (s.contact, s.referrer, s.date)),
                    "formula.week_old",
                ],
                "sort": _sort((_column(s.date), "ASC")),
            },
        ],
    }


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as Obsidian writes a base."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a filter used by two views is written twice, not as a YAML alias


_HEADER = (
    "# Networking: conversations, people and open requests, live (Obsidian {version}+).\n"
    f"{BASE_MARK} because it was missing and never rewrites it: change the\n"
    "# views as you like (Obsidian saves them here). Delete it to get notesync's again.\n"
)


DEFAULT_SHAPE = BaseShape()


def render_base(shape: BaseShape = DEFAULT_SHAPE) -> str:
    """The YAML text of Networking.base for a vault of this shape (deterministic)."""
    body = yaml.dump(
        base_data(shape),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,  # one statement a line
    )
    return _HEADER.format(version=MIN_OBSIDIAN) + body


def base_inputs(ctx: Context) -> tuple[BaseShape]:
    """The vault's own shape: the property names its notes use (the most used of each
    field's names) and what marks its people and conversations (see `reading`)."""
    used = dict(ctx.shape)
    reading = ctx.config.reading
    talks, people = reading.conversations, reading.contacts

    def name(field: str) -> str:
        return used.get(field) or reading.names_of(field)[0]

    return (
        BaseShape(
            contact=name("contact"),
            date=name("date"),
            status=name("status"),
            thanked=name("thanked"),
            referrer_updated=name("referrer_updated"),
            referrer=name("referrer"),
            company=name("company"),
            role=name("role"),
            conversation_types=talks.types,
            conversation_categories=talks.categories,
            conversation_tags=talks.tags,
            conversation_folders=talks.folders,
            person_types=people.types,
            person_categories=people.categories,
            person_tags=people.tags,
            person_folders=people.folders,
            output=ctx.config.output,
            exclude=tuple(dict.fromkeys((*ctx.config.ignore, *ctx.unread))),
            no_response=ctx.config.rules.no_response or BaseShape.no_response,  # (off: the usual week)
        ),
    )
