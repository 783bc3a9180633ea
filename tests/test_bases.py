"""Networking.base: valid YAML with only the keys Obsidian's Bases syntax defines, only
functions from its help, only the vault's own property names, views that pick the notes
notesync reads (checked by evaluating the filters on sample notes), same bytes every time."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from notesync.render.bases import DEFAULT_SHAPE, MIN_OBSIDIAN, BaseShape, base_data, render_base

TOP_KEYS = {"filters", "formulas", "properties", "summaries", "views"}
VIEW_KEYS = {"type", "name", "limit", "filters", "order", "sort", "groupBy", "summaries", "columnSize"}
HELP = Path("/work/vaults/obsidianmd+obsidian-help/en/Bases/Functions.md")
# From Obsidian's help, en/Bases/Functions.md (obsidian-help@fa179e91): every function
# and method it documents. A base may call only these.
FUNCTIONS = {
    # global
    "escapeHTML", "date", "duration", "file", "html", "if", "image", "icon", "link", "list",
    "max", "min", "now", "number", "today", "random",
    # any
    "isTruthy", "isType", "toString",
    # date
    "format", "time", "relative", "isEmpty",
    # string
    "contains", "containsAll", "containsAny", "endsWith", "lower", "replace", "repeat",
    "reverse", "slice", "split", "startsWith", "title", "trim",
    # number
    "abs", "ceil", "floor", "round", "toFixed",
    # list
    "filter", "flat", "join", "map", "reduce", "sort", "unique",
    # link, file, object, regexp
    "asFile", "linksTo", "asLink", "hasLink", "hasProperty", "hasTag", "inFolder",
    "keys", "values", "matches",
}  # fmt: skip
FILE_FIELDS = {
    "name", "basename", "path", "folder", "ext", "size", "properties", "tags", "links",
    "ctime", "mtime", "backlinks", "embeds", "file",
}  # fmt: skip

KEPANO = BaseShape(
    contact="people",
    company="org",
    conversation_types=(),
    conversation_categories=("[[Meetings]]",),
    untyped_contact=False,
    person_types=(),
    person_categories=("[[People]]",),
    person_tags=("#person",),
    exclude=("Templates",),
)
ODD = BaseShape(
    contact="Spoke with",
    date="when",
    status="état",
    thanked="thank-you sent",
    referrer_updated='said "thanks"',
    referrer="via",
    company="org",
    role="Rôle",
    type_key="kind",
    categories_key="up",
    conversation_types=("informational interview", 'a "quoted" type'),
    conversation_tags=("#job/meeting",),
    conversation_folders=("Work/Meetings/",),
    person_folders=('People "A-Z"',),
    output="Out/notesync",
    exclude=("Templates", "Archive\\Old"),
)
SHAPES = [DEFAULT_SHAPE, KEPANO, ODD]


def load(shape: BaseShape) -> dict[str, Any]:
    data = yaml.safe_load(render_base(shape))
    assert isinstance(data, dict)
    return data


def statements(node: Any) -> list[str]:
    """Every filter statement of a filter (a string, or {and|or|not: [filters]})."""
    if isinstance(node, str):
        return [node]
    assert isinstance(node, dict) and len(node) == 1, node
    ((key, items),) = node.items()
    assert key in {"and", "or", "not"}, key
    assert isinstance(items, list) and items, node
    return [s for item in items for s in statements(item)]


def expressions(data: dict[str, Any]) -> list[str]:
    out = statements(data.get("filters", []) or "true")
    out += list(data.get("formulas", {}).values())
    for view in data["views"]:
        if "filters" in view:
            out += statements(view["filters"])
    return out


def columns(data: dict[str, Any]) -> list[str]:
    """Every property id listed outside expressions."""
    out = list(data.get("properties", {}))
    for view in data["views"]:
        out += view.get("order", [])
        out += [s["property"] for s in view.get("sort", [])]
        out += list(view.get("columnSize", {}))
        if "groupBy" in view:
            out.append(view["groupBy"]["property"])
    return out


LITERAL = re.compile(r'"(?:\\.|[^"\\])*"')


def without_literals(expr: str) -> str:
    return LITERAL.sub('""', expr)


def note_properties(data: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for expr in expressions(data):
        code = without_literals(expr)
        names |= set(re.findall(r"\bnote\.([A-Za-z_]\w*)", code))
        names |= {json.loads(m) for m in re.findall(r'\bnote\[("(?:\\.|[^"\\])*")\]', expr)}
    names |= {c[len("note.") :] for c in columns(data) if c.startswith("note.")}
    return names


# -- structure -------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_valid_yaml_with_known_keys(shape: BaseShape) -> None:
    data = load(shape)
    assert set(data) <= TOP_KEYS
    assert len(data["views"]) >= 3
    for view in data["views"]:
        assert set(view) <= VIEW_KEYS, view
        assert view["type"] == "table"
        assert isinstance(view["name"], str) and view["name"]
        for entry in view.get("sort", []):
            assert set(entry) == {"property", "direction"} and entry["direction"] in {"ASC", "DESC"}
        assert all(isinstance(c, str) for c in view.get("order", []))
    for prop, config in data.get("properties", {}).items():
        assert set(config) == {"displayName"}, prop
    assert all(isinstance(v, str) for v in data.get("formulas", {}).values())
    statements(data["filters"])
    assert [v["name"] for v in data["views"]][:3] == ["Conversations", "People", "Open requests"]


@pytest.mark.parametrize("shape", SHAPES)
def test_only_the_shapes_property_names(shape: BaseShape) -> None:
    data = load(shape)
    used = note_properties(data)
    assert used <= set(shape.names()), used - set(shape.names())
    assert {shape.contact, shape.date, shape.status, shape.thanked, shape.referrer_updated} <= used
    assert {shape.company, shape.role, shape.referrer} <= used
    # formulas named in views exist
    for col in columns(data):
        if col.startswith("formula."):
            assert col[len("formula.") :] in data["formulas"]


@pytest.mark.parametrize("shape", SHAPES)
def test_only_functions_from_obsidians_help(shape: BaseShape) -> None:
    for expr in expressions(load(shape)):
        code = without_literals(expr)
        called = set(re.findall(r"([A-Za-z_]\w*)\s*\(", code))
        assert called <= FUNCTIONS, (expr, called - FUNCTIONS)
        for name in re.findall(r"\bfile\.([A-Za-z_]\w*)", code):
            assert name in FILE_FIELDS or name in FUNCTIONS, expr
        # bare identifiers (neither a call, nor after a dot) are only these
        bare = set(re.findall(r"(?<![.\w])([A-Za-z_]\w*)(?!\s*\()(?![\w])", code))
        assert bare <= {"note", "file", "formula", "true", "false", "null"}, (expr, bare)


def test_the_allow_list_is_obsidians() -> None:
    if not HELP.exists():
        pytest.skip(f"{HELP} not found")
    documented = set(re.findall(r"^### `(\w+)\(\)`", HELP.read_text(encoding="utf-8"), re.MULTILINE))
    assert documented == FUNCTIONS


@pytest.mark.parametrize("shape", SHAPES)
def test_dates_compared_never_subtracted(shape: BaseShape) -> None:
    data = load(shape)
    for expr in expressions(data):
        assert "-" not in without_literals(expr), expr
    week = data["formulas"]["week_old"]
    assert re.search(r'\+ "7d" <= today\(\)', week)


def test_current_syntax_only() -> None:
    text = render_base(KEPANO) + render_base(ODD) + render_base()
    for old in ("taggedWith(", "inFolder(file", "linksTo(file", "dateModify(", "contains(file", "`"):
        assert old not in "\n".join(line for line in text.splitlines() if not line.startswith("#")), old


# -- what the views say ----------------------------------------------------------------


def test_default_shape() -> None:
    data = load(DEFAULT_SHAPE)
    assert data["filters"] == {"and": ['file.ext == "md"', '!file.inFolder("notesync")']}
    conv, people, requests = data["views"][:3]
    assert conv["order"] == [
        "file.name",
        "note.contact",
        "note.date",
        "note.status",
        "note.thanked",
        "note.referrer_updated",
    ]
    assert conv["sort"] == [
        {"property": "formula.thanked_order", "direction": "ASC"},
        {"property": "note.date", "direction": "DESC"},
    ]
    assert data["formulas"]["thanked_order"] == "if(note.thanked, 1, 0)"
    assert 'list(note.type).containsAny("interview", link("interview"))' in statements(conv["filters"])
    assert people["order"] == ["file.name", "note.company", "note.role", "note.referrer"]
    assert people["filters"] == 'list(note.type).containsAny("contact", link("contact"))'
    assert 'note.status == "requested"' in statements(requests["filters"])
    assert "formula.week_old" in requests["order"]


def test_kepano_shape() -> None:
    text = render_base(KEPANO)
    data = yaml.safe_load(text)
    conv, people, requests = data["views"][:3]
    assert conv["filters"] == 'list(note.categories).contains(link("Meetings"))'
    assert statements(people["filters"]) == [
        'list(note.categories).contains(link("People"))',
        'file.hasTag("person")',
    ]
    assert "note.people" in conv["order"] and "note.org" in people["order"]
    assert "note.contact" not in text and "note.company" not in text and "note.type" not in text
    assert '!file.inFolder("Templates")' in data["filters"]["and"]
    assert 'list(note.categories).contains(link("Meetings"))' in statements(requests["filters"])


def test_odd_names_are_quoted() -> None:
    text = render_base(ODD)
    data = yaml.safe_load(text)
    exprs = expressions(data)
    joined = "\n".join(exprs)
    assert 'note["thank-you sent"]' in joined  # a hyphen would read as a minus
    assert 'file.hasProperty("Spoke with") && !file.hasProperty("kind")' in joined
    assert 'note.said "thanks"' in data["views"][0]["order"]
    assert "note.thank-you sent" in data["views"][0]["order"]  # ids in views are written as is
    assert '!file.inFolder("Out/notesync")' in data["filters"]["and"]
    assert '!file.inFolder("Archive\\\\Old")' in data["filters"]["and"]
    assert 'file.inFolder("Work/Meetings")' in joined
    assert 'file.hasTag("job/meeting")' in joined
    # every literal is a valid string literal that reads back as the shape's text
    literals = {json.loads(m) for e in exprs for m in LITERAL.findall(e)}
    assert {'a "quoted" type', 'People "A-Z"', "Archive\\Old", "état"} <= literals


def test_no_way_to_recognise_shows_nothing() -> None:
    shape = BaseShape(person_types=(), conversation_types=(), untyped_contact=False)
    conv, people, requests = load(shape)["views"][:3]
    assert conv["filters"] == people["filters"] == "false"
    assert statements(requests["filters"])[0] == "false"


def test_deterministic() -> None:
    for shape in SHAPES:
        assert render_base(shape) == render_base(shape._replace())
    shuffled = KEPANO._replace(
        person_categories=("People", "[[Contacts]]"), person_tags=("person", "#people")
    )
    again = KEPANO._replace(person_categories=("[[Contacts]]", "People"), person_tags=("#people", "person"))
    assert render_base(shuffled) == render_base(again)
    assert render_base() == render_base(DEFAULT_SHAPE)


def test_header_names_the_version_and_who_owns_it() -> None:
    text = render_base()
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert any(MIN_OBSIDIAN in line for line in head)
    assert any("never rewrites" in line for line in head)
    assert text.endswith("\n") and "\r" not in text and "&id" not in text


# -- the filters pick the right notes ----------------------------------------------------
# A small evaluator of the expressions a base written by notesync uses, with Obsidian's
# documented semantics: wikilinks in properties are links, links equal by target,
# file.hasTag includes nested tags, file.inFolder includes sub-folders.


@dataclass(frozen=True)
class Link:
    target: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Link) and other.target.casefold() == self.target.casefold()

    def __hash__(self) -> int:
        return hash(self.target.casefold())


class Values(list[Any]):
    def contains(self, value: Any) -> bool:
        return value in self

    def containsAny(self, *values: Any) -> bool:
        return any(v in self for v in values)


class Day:
    def __init__(self, day: date | None) -> None:
        self.day = day

    def __add__(self, duration: str) -> Day:
        assert duration.endswith("d")
        return Day(self.day + timedelta(days=int(duration[:-1])) if self.day else None)

    def __le__(self, other: Day) -> bool:
        return self.day is not None and other.day is not None and self.day <= other.day


TODAY = date(2026, 11, 26)


def value(raw: Any) -> Any:
    if isinstance(raw, str) and raw.startswith("[[") and raw.endswith("]]"):
        return Link(raw[2:-2])
    if isinstance(raw, date):
        return Day(raw)
    if isinstance(raw, list):
        return [value(v) for v in raw]
    return raw


class Props:
    def __init__(self, props: dict[str, Any]) -> None:
        self._props = {k: value(v) for k, v in props.items()}

    def __getattr__(self, name: str) -> Any:
        return self._props.get(name)

    def __getitem__(self, name: str) -> Any:
        return self._props.get(name)


@dataclass
class FakeFile:
    path: str
    props: dict[str, Any]
    tags: list[str] = field(default_factory=list)

    @property
    def ext(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def hasTag(self, *tags: str) -> bool:
        return any(t == want or t.startswith(want + "/") for t in self.tags for want in tags)

    def inFolder(self, folder: str) -> bool:
        return self.path.startswith(folder.rstrip("/") + "/")

    def hasProperty(self, name: str) -> bool:
        return name in self.props


def to_python(expr: str) -> str:
    parts: list[str] = []
    last = 0
    for m in LITERAL.finditer(expr):
        parts.append(_code(expr[last : m.start()]))
        parts.append(m.group())
        last = m.end()
    parts.append(_code(expr[last:]))
    return "".join(parts)


def _code(code: str) -> str:
    code = code.replace("&&", " and ").replace("||", " or ")
    code = re.sub(r"!(?!=)", " not ", code)
    return re.sub(r"\bif\(", "_if(", code)


def evaluate(expr: str, f: FakeFile) -> Any:
    names = {
        "note": Props(f.props),
        "file": f,
        "list": lambda x: Values(x if isinstance(x, list) else [x]),
        "link": Link,
        "today": lambda: Day(TODAY),
        "_if": lambda c, a, b=None: a if c else b,
        "true": True,
        "false": False,
        "null": None,
    }
    return eval(to_python(expr), {"__builtins__": {}}, names)


def passes(node: Any, f: FakeFile) -> bool:
    if isinstance(node, str):
        return bool(evaluate(node, f))
    ((key, items),) = node.items()
    results = [passes(item, f) for item in items]
    return all(results) if key == "and" else any(results) if key == "or" else not any(results)


def shown(shape: BaseShape, files: list[FakeFile]) -> dict[str, list[str]]:
    data = load(shape)
    out: dict[str, list[str]] = {}
    for view in data["views"]:
        out[view["name"]] = sorted(
            f.path for f in files if passes(data["filters"], f) and passes(view.get("filters", "true"), f)
        )
    return out


def test_views_pick_notesyncs_notes() -> None:
    files = [
        FakeFile("Interviews/Jane.md", {"type": "interview", "contact": "[[Jane]]", "status": "done"}),
        FakeFile(
            "Interviews/Tom.md", {"contact": "[[Tom]]", "status": "requested", "date": date(2026, 11, 1)}
        ),
        FakeFile(
            "Interviews/Ann.md", {"type": ["interview"], "status": "requested", "date": date(2026, 11, 24)}
        ),
        FakeFile("People/Jane.md", {"type": "contact", "company": "Acme"}),
        FakeFile("People/Brad.md", {"type": "[[contact]]"}),
        FakeFile("Shopping.md", {"type": "list"}),
        FakeFile("notesync/Follow-ups.md", {"contact": "[[X]]"}),
        FakeFile("People/photo.png", {}),
    ]
    assert shown(DEFAULT_SHAPE, files) == {
        "Conversations": ["Interviews/Ann.md", "Interviews/Jane.md", "Interviews/Tom.md"],
        "People": ["People/Brad.md", "People/Jane.md"],
        "Open requests": ["Interviews/Ann.md", "Interviews/Tom.md"],
    }
    formula = load(DEFAULT_SHAPE)["formulas"]["week_old"]
    assert evaluate(formula, files[1]) == "yes: follow up once"  # 25 days old
    assert evaluate(formula, files[2]) == "not yet"  # 2 days old
    thanked = load(DEFAULT_SHAPE)["formulas"]["thanked_order"]
    assert evaluate(thanked, FakeFile("a.md", {"thanked": date(2026, 11, 2)})) == 1
    assert evaluate(thanked, FakeFile("a.md", {"thanked": None})) == 0


def test_views_pick_kepanos_notes() -> None:
    files = [
        FakeFile("Meetings/2026-11-20 Jane.md", {"categories": ["[[Meetings]]"], "people": ["[[Jane]]"]}),
        FakeFile(
            "Meetings/Req.md", {"categories": "[[Meetings]]", "people": "[[Tom]]", "status": "requested"}
        ),
        FakeFile("People/Jane.md", {"categories": ["[[People]]"], "org": "[[Acme]]"}),
        FakeFile("Notes/Tom.md", {}, tags=["person/friend"]),
        FakeFile("Templates/Meeting Template.md", {"categories": ["[[Meetings]]"]}),
        FakeFile("Books/Dune.md", {"categories": ["[[Books]]"], "people": ["[[Frank Herbert]]"]}),
    ]
    assert shown(KEPANO, files) == {
        "Conversations": ["Meetings/2026-11-20 Jane.md", "Meetings/Req.md"],
        "People": ["Notes/Tom.md", "People/Jane.md"],
        "Open requests": ["Meetings/Req.md"],
    }


def test_views_pick_odd_notes() -> None:
    files = [
        FakeFile("Work/Meetings/a.md", {}),
        FakeFile("Elsewhere/b.md", {"kind": 'a "quoted" type'}),
        FakeFile("Elsewhere/c.md", {}, tags=["job/meeting/coffee"]),
        FakeFile("Elsewhere/d.md", {"Spoke with": "[[Jane]]", "état": "requested"}),
        FakeFile('People "A-Z"/Jane.md', {}),
        FakeFile("Out/notesync/Contacts.md", {"kind": "informational interview"}),
        FakeFile("Archive\\Old/x.md", {"kind": "informational interview"}),
    ]
    assert shown(ODD, files) == {
        "Conversations": ["Elsewhere/b.md", "Elsewhere/c.md", "Elsewhere/d.md", "Work/Meetings/a.md"],
        "People": ['People "A-Z"/Jane.md'],
        "Open requests": ["Elsewhere/d.md"],
    }


def test_base_data_is_what_is_written() -> None:
    for shape in SHAPES:
        assert load(shape) == base_data(shape)
