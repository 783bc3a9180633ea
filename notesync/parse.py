"""Text of one note -> `Note` + diagnostics. Pure: no disk, no clock, no vault.

What a note is and which property means what comes from a `Reading` (see `reading`).
Only notes that matter to notesync (conversations and people) have their fields
checked; of the others, only a daily note's links and the tasks that link someone
are read: a journal page with a broken date is not our business.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any

from . import body, properties
from .diagnostics import Diagnostic
from .limits import MAX_DAYS, date_in_range, out_of_range
from .links import basename, is_wikilink, link_target
from .model import STATUSES, Action, Mention, Note, NoteKind, PersonRef
from .obsidian import daily_note_date
from .reading import Reading, classify, key_name, tag_values, values
from .tasks import find_tasks

_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
_SLASH_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_FALSE_WORDS = {"", "no", "false", "n", "off", "none", "-", "0"}
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DEFAULT_READING = Reading()


class _Ctx:
    """Collects diagnostics for one note; maps front-matter lines to file lines."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diags: list[Diagnostic] = []
        self.key_lines: dict[str, int] = {}
        self.item_lines: dict[str, list[int]] = {}
        self.written: tuple[str, ...] = ()  # the property names as the note spells them

    def add(self, line: int, code: str, message: str, severity: str = "warning") -> None:
        self.diags.append(Diagnostic(self.path, line, code, message, severity))  # type: ignore[arg-type]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def item_line(self, key: str, index: int) -> int:
        items = self.item_lines.get(key)
        if items and index < len(items):
            return items[index]
        return self.line_of(key)


def _title(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


def _decode(path: str, data: bytes, ctx: _Ctx) -> str | None:
    if b"\x00" in data[:8192]:
        ctx.add(0, "binary", "not a text file (it contains NUL bytes); skipped", "error")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        ctx.add(
            line,
            "encoding",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); read with replacement characters",
            "error",
        )
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_ONE_LINK = re.compile(r"\[\[[^\[\]\n]+\]\]")
_BETWEEN_LINKS = re.compile(r"[\s,;&+]+|\band\b", re.IGNORECASE)


def _split_links(value: Any) -> list[Any]:
    """A value as the people it names: a text property of several links, as Obsidian shows
    one (`"[[Ann Lee]], [[Bo Park]]"`, `"[[Ann Lee]] and [[Bo Park]]"`), is each of them."""
    if isinstance(value, str) and value.count("[[") > 1:
        links = _ONE_LINK.findall(value)
        if len(links) > 1 and not _BETWEEN_LINKS.sub("", _ONE_LINK.sub(" ", value)):
            return links
    return [value]


def _unquoted_link(value: Any) -> str | None:
    """`contact: [[Jane Smith]]` reaches us as [['Jane Smith']]: the link it meant."""
    if (
        isinstance(value, list)
        and len(value) == 1
        and isinstance(value[0], list)
        and value[0]
        and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value[0])
    ):
        return "[[" + ", ".join(str(v) for v in value[0]) + "]]"
    return None


def _person(value: Any, key: str, line: int, ctx: _Ctx) -> PersonRef | None:
    """One person from a front-matter value, recovering the unquoted-link mistake."""
    if value is None or value == "" or value == []:
        return None
    link = _unquoted_link(value)
    if link is not None:
        ctx.add(line, "link-unquoted", f'{key}: {link} is read as a YAML list; write {key}: "{link}"')
        value = link
    if isinstance(value, str) and len(several := _split_links(value)) > 1:
        value = several  # (one person's field: said below, the first used)
    if isinstance(value, list):
        people = [one for v in value if v not in (None, "") for one in _split_links(v)]
        if len(people) != 1:
            if people:
                ctx.add(line, "field-invalid", f"{key} names {len(people)} people; using the first")
                value = people[0]
            else:
                return None
        else:
            value = people[0]
        inner = _unquoted_link(value) if isinstance(value, list) else None
        if inner is not None:
            value = inner
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        ctx.add(line, "field-invalid", f"{key} should be a name or a [[link]]")
        return None
    text = str(value)
    target = link_target(text)
    if target is None:
        return None
    return PersonRef(target, line, bare=not is_wikilink(text))


def _people(value: Any, key: str, ctx: _Ctx) -> tuple[PersonRef, ...]:
    if value is None or value == "":
        return ()
    line = ctx.line_of(key)
    link = _unquoted_link(value)
    items: list[Any]
    if link is not None:  # `referrals: [[Tom Lee]]`: one unquoted link
        items = [value]
    elif isinstance(value, list):
        items = value
    else:
        items = [value]
    out: list[PersonRef] = []
    for i, item in enumerate(items):
        at = ctx.item_line(key, i) if isinstance(value, list) and link is None else line
        for one in _split_links(item):
            ref = _person(one, key, at, ctx)
            if ref is not None:
                out.append(ref)
    return tuple(out)


def _date(value: Any, key: str, line: int, ctx: _Ctx) -> date | None:
    """A real date the rules can count from (see `limits`), else a diagnostic and None."""
    day = _any_date(value, key, line, ctx)
    if day is not None and not date_in_range(day):
        ctx.add(line, "date-invalid", f"{key}: {out_of_range(day)}", "error")
        return None
    return day


def _any_date(value: Any, key: str, line: int, ctx: _Ctx) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, list) and len(value) == 1:
        value = _unquoted_link(value) or value[0]
    if isinstance(value, str):
        text = link_target(value) or "" if is_wikilink(value) else value.strip()
        m = _DATE_PREFIX.match(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                ctx.add(line, "date-invalid", f"{key}: {text[:10]} is not a real date", "error")
                return None
        slash = slash_date(text)
        if slash is not None:
            ctx.add(line, "date-ambiguous" if " or " in slash else "date-invalid", f"{key}: {slash}", "error")
            return None
    ctx.add(line, "date-invalid", f"{key}: {str(value)[:40]!r} is not a date (write YYYY-MM-DD)", "error")
    return None


def slash_date(text: str) -> str | None:
    """For `11/03/2026`: why it is not read as a date, naming the readings it allows.
    (One rule for every date: YYYY-MM-DD, as Obsidian's date properties write them.)"""
    m = _SLASH_DATE.match(text.strip())
    if m is None:
        return None
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    readings = []
    for month, day in ((a, b), (b, a)):
        try:
            readings.append(date(year, month, day))
        except ValueError:
            continue
    readings = list(dict.fromkeys(readings))
    if not readings:
        return f"{text} is not a real date"
    said = " or ".join(f"{d.day} {_MONTHS[d.month - 1]} {d.year}" for d in readings)
    write = " or ".join(d.isoformat() for d in readings)
    return (
        f"{text} could be {said}: write {write}" if len(readings) > 1 else f"{text} is {said}: write {write}"
    )


def _text(value: Any, key: str, line: int, ctx: _Ctx) -> str | None:
    if value is None or value == "" or value == []:  # `org: []`, as kepano's People Template has it
        return None
    link = _unquoted_link(value)
    if link is not None:
        ctx.add(line, "link-unquoted", f'{key}: {link} is read as a YAML list; write {key}: "{link}"')
        value = link
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        ctx.add(line, "field-invalid", f"{key} should be text")
        return None
    text = str(value).strip()
    if is_wikilink(text):  # `[[Companies/Contoso|Contoso Ltd]]`: the note it links, Contoso
        text = basename(link_target(text) or "")
    return " ".join(text.split()) or None


def _flag(value: Any) -> bool:
    """`thanked: 2026-11-21`, `thanked: true`, `thanked: yes` all mean it was done."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE_WORDS
    if isinstance(value, list | int | float):  # (`0`: no, as a number says it)
        return bool(value)
    return True


def _status(value: Any, line: int, ctx: _Ctx) -> str | None:
    if isinstance(value, list) and len(value) == 1:  # a property typed as a list: `status: [done]`
        value = value[0]
    if value is None or value == "":
        return None
    text = str(value).strip().lower().replace("_", "-").replace(" ", "-")
    if text in STATUSES:
        return text
    close = difflib.get_close_matches(text, STATUSES, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else f" (one of {', '.join(STATUSES)})"
    ctx.add(line, "status-unknown", f"status {str(value)!r} is not a known status{hint}")
    return None


def _days(value: Any, key: str, line: int, ctx: _Ctx) -> int | None:
    if value is None or value == "":
        return None
    if value is False:
        return 0
    digits = value.strip() if isinstance(value, str) else None
    if digits is not None and digits.isascii() and digits.isdigit():
        # no int() of a long string: past 4,300 digits Python refuses to convert it
        value = int(digits) if len(digits) <= 9 else MAX_DAYS + 1
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        if value <= MAX_DAYS:
            return value
        ctx.add(line, "field-invalid", f"{key} is more than ten years ({MAX_DAYS} days); ignored")
        return None
    ctx.add(line, "field-invalid", f"{key} should be a number of days, not {str(value)[:40]!r}")
    return None


def _actions(value: Any, ctx: _Ctx, key: str = "actions") -> list[Action]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    out: list[Action] = []
    for i, item in enumerate(items):
        line = ctx.item_line(key, i) if isinstance(value, list) else ctx.line_of(key)
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = str(item).strip()
            if text:
                out.append(Action(text, None, False, line, " ", body.links_in(text)))
        elif isinstance(item, dict):
            keys = {str(k).lower(): v for k, v in item.items()}
            label = keys.get("text") or keys.get("action") or keys.get("task")
            if not isinstance(label, str | int | float) or not str(label).strip():
                ctx.add(line, "field-invalid", "an action item needs a text")
                continue
            due = _date(keys.get("due"), "due", line, ctx)
            done = _flag(keys.get("done"))
            label = str(label).strip()
            out.append(Action(label, due, done, line, "x" if done else " ", body.links_in(label)))
        elif item is not None:
            ctx.add(line, "field-invalid", "an action item is text or {text, due, done}")
    return out


def _aliases(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = " ".join(str(item).split())
            if text:
                out.append(text)
    return tuple(out)


def _recorded(value: Any, key: str, line: int, ctx: _Ctx) -> tuple[bool, date | None, tuple[Mention, ...]]:
    """`thanked:`, `referrer_updated:`, `followed_up:`: whether it was done, on which day
    (when the value says so), and for whom when it names people instead of everyone
    (`thanked: ["[[Jane Smith]]"]` in a conversation with several people)."""
    link = _unquoted_link(value)
    if link is not None:
        ctx.add(line, "link-unquoted", f'{key}: {link} is read as a YAML list; write {key}: ["{link}"]')
        value = [link]
    elif isinstance(value, list) and any(_unquoted_link(v) for v in value):  # `- [[Jane Smith]]`
        for v in value:
            if (link := _unquoted_link(v)) is not None:
                ctx.add(line, "link-unquoted", f'{key}: {link} is read as a YAML list; write "{link}"')
        value = [_unquoted_link(v) or v for v in value]
    if isinstance(value, list) and value and all(isinstance(v, str) and is_wikilink(v) for v in value):
        people = tuple(Mention(link_target(v) or "", False) for v in value)
        return False, None, tuple(p for p in people if p.target)
    if not _flag(value):
        return False, None, ()
    if isinstance(value, datetime):
        return True, value.date(), ()
    if isinstance(value, date):
        return True, value if date_in_range(value) else None, ()
    text = str(value[0] if isinstance(value, list) and len(value) == 1 else value).strip()
    m = _DATE_PREFIX.match(text)
    if m:
        return True, _any_date(text, key, line, ctx), ()
    slash = slash_date(text)
    if slash is not None:
        ctx.add(line, "date-ambiguous" if " or " in slash else "date-format", f"{key}: {slash}; read as done")
    return True, None, ()


def _meta(loaded: properties.Loaded) -> tuple[dict[str, Any], dict[str, int], dict[str, list[int]]]:
    """Properties by `reading.key_name` (case, `-`, `_` and spaces make no difference);
    see `_load` for the names as the note spells them."""
    meta: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    first: dict[str, str] = {}
    for key, value in loaded.data.items():
        low = key_name(key)
        if low in meta:
            loaded.warnings.append(
                (
                    loaded.key_lines[key],
                    "key-duplicate",
                    f"property {key!r} is {first[low]!r} written another way; its value is ignored",
                )
            )
            continue
        first[low] = str(key)
        meta[low] = value
        key_lines[low] = loaded.key_lines[key] + 1
        if key in loaded.item_lines:
            item_lines[low] = [n + 1 for n in loaded.item_lines[key]]
    return meta, key_lines, item_lines


# `referrals: [[Delta Four]], [[Echo Five]]`: links without quotes, which YAML cannot read
_BARE_LINKS = re.compile(
    r"^([ \t]*[^\s:#][^:#\n]*:[ \t]*)(\[\[[^\[\]\n]*\]\](?:[ \t]*,[ \t]*\[\[[^\[\]\n]*\]\])+)[ \t]*$"
)


def _repaired(yaml_text: str) -> tuple[str, list[tuple[int, str, str]]] | None:
    """The front-matter with each line of several unquoted links quoted, and what to write
    instead; None when no line is of that shape."""
    lines = yaml_text.split("\n")
    fixes: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        m = _BARE_LINKS.match(line)
        if m:
            links = [x.strip() for x in m.group(2).split(",")]
            fixed = m.group(1) + "[" + ", ".join(f'"{x}"' for x in links) + "]"
            lines[i] = fixed
            fixes.append((i, line.strip(), fixed.strip()))
    return ("\n".join(lines), fixes) if fixes else None


def _load(cut: properties.Split, ctx: _Ctx) -> tuple[dict[str, Any], list[tuple[int, str, str]]]:
    """The front-matter's properties and its warnings (line, code, message)."""
    if cut.yaml_text is None:
        return {}, []
    try:
        loaded = properties.load_yaml(cut.yaml_text)
    except properties.YamlProblem as problem:
        repair = _repaired(cut.yaml_text)
        try:
            if repair is None:
                raise
            loaded = properties.load_yaml(repair[0])
        except properties.YamlProblem:
            ctx.add(problem.line + 1, problem.code, problem.message, "error")
            return {}, []
        for i, was, fixed in repair[1]:
            loaded.warnings.append(
                (i, "link-unquoted", f"{was} is not valid YAML; read as {fixed}, write that")
            )
    meta, ctx.key_lines, ctx.item_lines = _meta(loaded)
    ctx.written = tuple(sorted(str(k) for k in loaded.data))
    return meta, loaded.warnings


def parse_note(
    path: str, data: bytes, reading: Reading = DEFAULT_READING
) -> tuple[Note | None, list[Diagnostic]]:
    """Read one note. Never raises on any input; None when it is not text at all."""
    ctx = _Ctx(path)
    text = _decode(path, data, ctx)
    if text is None:
        return None, ctx.diags
    title = _title(path)
    cut = properties.split(text)
    if cut.unterminated:
        ctx.add(1, "frontmatter-unterminated", "front-matter has no closing '---'; read as text")
    meta, warnings = _load(cut, ctx)
    tags = set(tag_values(meta.get("tags")))
    kind, _ = classify(meta, path, tags, reading)
    if kind == "other" and reading.contacts.tags + reading.conversations.tags and "#" in cut.body:
        kind, _ = classify(meta, path, tags | body.tags(cut.body), reading)
    if kind == "other":
        return _other_note(path, title, meta, cut, reading, ctx), ctx.diags
    for line, code, message in warnings:
        ctx.add(line + 1, code, message)
    return _networking_note(path, title, kind, meta, cut, reading, ctx), ctx.diags


def explain(path: str, data: bytes, reading: Reading = DEFAULT_READING) -> str:
    """Why a note counts as a person, a conversation or neither (`check --explain`)."""
    ctx = _Ctx(path)
    text = _decode(path, data, ctx)
    if text is None:
        return "it is not a text file"
    cut = properties.split(text)
    meta, _ = _load(cut, ctx)
    tags = set(tag_values(meta.get("tags"))) | body.tags(cut.body)
    kind, why = classify(meta, path, tags, reading)
    what = {
        "contact": "a person's note",
        "interview": "a conversation",
        "other": "neither a person nor a conversation",
    }
    return f"{what[kind]}: {why}"


def _tasks(cut: properties.Split, ctx: _Ctx, *, linked_only: bool = False) -> list[Action]:
    """The body's task lines as action items; `linked_only`: just those that link someone."""
    if linked_only and "[[" not in cut.body:
        return []
    out: list[Action] = []
    for task_line, task in find_tasks(cut.body, cut.body_line):
        people = body.links_in(task.description)
        if linked_only and not people:
            continue
        for bad in task.bad_dates:
            ctx.add(task_line, "date-invalid", f"task date {bad} is not a real date", "error")
        for unread in task.unread_dates:
            ctx.add(
                task_line,
                "date-invalid",
                f"task date {unread} is not one the Tasks plugin reads; write it as YYYY-MM-DD",
                "error",
            )
        done_on = task.done_date if task.is_done else None
        out.append(
            Action(
                task.description, task.due, not task.is_open, task_line, task.status, people, True, done_on
            )
        )
    return out


def _other_note(
    path: str, title: str, meta: dict[str, Any], cut: properties.Split, reading: Reading, ctx: _Ctx
) -> Note:
    """A note that is not about networking: its day if it is a daily note (and then the
    people it links), the tasks that link someone, and its property names (for hints)."""
    day = daily_note_date(path, reading.daily)
    mentions = (
        tuple(PersonRef(target, line) for line, target in body.mentions(cut.body, cut.body_line))
        if day
        else ()
    )
    return Note(
        path=path,
        title=title,
        kind="other",
        actions=tuple(_tasks(cut, ctx, linked_only=True)),
        day=day,
        mentions=mentions,
        shape=ctx.written,
        target=title if _is_company(meta, reading) and _flag(meta.get("target")) else None,
    )


def _is_company(meta: dict[str, Any], reading: Reading) -> bool:
    """A company's note: `type: company` or `categories: ["[[Companies]]"]` (see `reading`)."""
    found = [*values(meta.get("type")), *values(meta.get("categories"))]
    return any(v in reading.companies for v in found)


def _any_date_property(meta: dict[str, Any]) -> date | None:
    """A conversation with no `date` property may still say when it was, under another
    name (`Comm_DateTime`, `date_met`): the first such property that holds an ISO date."""
    for name, value in meta.items():
        if "date" in name:
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value if date_in_range(value) else None
            m = _DATE_PREFIX.match(str(value).strip()) if isinstance(value, str) else None
            if m:
                try:
                    day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    continue
                return day if date_in_range(day) else None
    return None


def _networking_note(
    path: str,
    title: str,
    kind: NoteKind,
    meta: dict[str, Any],
    cut: properties.Split,
    reading: Reading,
    ctx: _Ctx,
) -> Note:
    def key(field: str) -> str:
        return reading.find(meta, field) or reading.names_of(field)[0]

    def get(field: str) -> Any:
        return meta.get(key(field))

    def line(field: str) -> int:
        return ctx.line_of(key(field))

    actions = _actions(get("actions"), ctx, key("actions"))
    actions.extend(_tasks(cut, ctx))
    common: dict[str, Any] = {
        "path": path,
        "title": title,
        "kind": kind,
        "referrer": _person(get("referrer"), key("referrer"), line("referrer"), ctx),
        "company": _text(get("company"), key("company"), line("company"), ctx),
        "role": _text(get("role"), key("role"), line("role"), ctx),
        "actions": tuple(actions),
        "shape": ctx.written,
    }
    if kind == "contact":
        aliases = _aliases(get("aliases"))
        name = _text(meta.get("name"), "name", ctx.line_of("name"), ctx) if "name" in meta else None
        if name and name.casefold() != title.casefold() and name not in aliases:
            aliases = (*aliases, name)  # `Name: Jane Smith` in a note titled otherwise
        return Note(
            **common,
            last_contact=_date(get("last_contact"), key("last_contact"), line("last_contact"), ctx),
            aliases=aliases,
            keep_in_touch=_days(get("keep_in_touch"), key("keep_in_touch"), line("keep_in_touch"), ctx),
            source=_text(meta.get("source"), "source", ctx.line_of("source"), ctx)
            if "source" in meta
            else None,
            connected=_date(meta.get("connected"), "connected", ctx.line_of("connected"), ctx)
            if "connected" in meta
            else None,
            email=_text(get("email"), key("email"), line("email"), ctx),
            linkedin=_text(get("linkedin"), key("linkedin"), line("linkedin"), ctx),
        )
    own = str(meta.get("type", "")).casefold().strip("[]\"' ") == "interview" or "contact" in meta
    contacts = _people(get("contact"), key("contact"), ctx)
    if not contacts and reading.find(meta, "contact") is None:  # "## Attendees" and a list of links
        contacts = tuple(PersonRef(t, line) for line, t in body.attendees(cut.body, cut.body_line))
    if not contacts and own:
        ctx.add(line("contact"), "contact-missing", "interview note without a contact")
    status = _status(get("status"), line("status"), ctx)
    if status is None and reading.find(meta, "status") is None and own:
        ctx.add(1, "status-missing", f"no status; add one of: {', '.join(STATUSES)}")
    thanked, thanked_on, thanked_people = _recorded(get("thanked"), key("thanked"), line("thanked"), ctx)
    updated, updated_on, _ = _recorded(
        get("referrer_updated"), key("referrer_updated"), line("referrer_updated"), ctx
    )
    followed, followed_on, _ = _recorded(get("followed_up"), key("followed_up"), line("followed_up"), ctx)
    prepared, prepared_on, _ = _recorded(get("prepared"), key("prepared"), line("prepared"), ctx)
    if followed and followed_on is None:
        ctx.add(
            line("followed_up"),
            "date-invalid",
            f"{key('followed_up')}: write the day you followed up, as YYYY-MM-DD",
            "error",
        )
    when = _date(get("date"), key("date"), line("date"), ctx)
    if when is None and reading.find(meta, "date") is None:
        when = _any_date_property(meta)
    return Note(
        **common,
        contacts=contacts,
        date=when,
        date_line=line("date") if reading.find(meta, "date") else 1,
        status=status,
        status_line=line("status") if reading.find(meta, "status") else 1,
        channel=_text(get("channel"), key("channel"), line("channel"), ctx),
        referrals=_people(get("referrals"), key("referrals"), ctx),
        thanked=thanked,
        thanked_people=thanked_people,
        thanked_on=thanked_on,
        referrer_updated=updated,
        referrer_updated_on=updated_on,
        followed_up=followed_on,
        prepared=prepared,
        prepared_on=prepared_on,
        last_contact=_date(get("last_contact"), key("last_contact"), line("last_contact"), ctx),
    )
