"""Text of one note -> `Note` + diagnostics. Pure: no disk, no clock, no vault.

Only notes that matter to notesync (interview and contact notes) have their fields
checked and their body read; a journal page with a broken date is not our business.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from . import properties
from .diagnostics import Diagnostic
from .limits import MAX_DAYS, date_in_range, out_of_range
from .links import is_wikilink, link_target
from .model import STATUSES, Action, Note, NoteKind, PersonRef
from .tasks import find_tasks

_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
_FALSE_WORDS = {"", "no", "false", "n", "off", "none", "-"}


class _Ctx:
    """Collects diagnostics for one note; maps front-matter lines to file lines."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diags: list[Diagnostic] = []
        self.key_lines: dict[str, int] = {}
        self.item_lines: dict[str, list[int]] = {}

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
    if isinstance(value, list):
        people = [v for v in value if v not in (None, "")]
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
        ref = _person(
            item, key, ctx.item_line(key, i) if isinstance(value, list) and link is None else line, ctx
        )
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
    ctx.add(line, "date-invalid", f"{key}: {str(value)[:40]!r} is not a date (write YYYY-MM-DD)", "error")
    return None


def _text(value: Any, key: str, line: int, ctx: _Ctx) -> str | None:
    if value is None or value == "":
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
    if is_wikilink(text):
        text = link_target(text) or ""
    return " ".join(text.split()) or None


def _flag(value: Any) -> bool:
    """`thanked: 2026-11-21`, `thanked: true`, `thanked: yes` all mean it was done."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE_WORDS
    if isinstance(value, list):
        return bool(value)
    return True


def _status(value: Any, line: int, ctx: _Ctx) -> str | None:
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


def _actions(value: Any, ctx: _Ctx) -> list[Action]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    out: list[Action] = []
    for i, item in enumerate(items):
        line = ctx.item_line("actions", i) if isinstance(value, list) else ctx.line_of("actions")
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = str(item).strip()
            if text:
                out.append(Action(text, None, False, line))
        elif isinstance(item, dict):
            keys = {str(k).lower(): v for k, v in item.items()}
            label = keys.get("text") or keys.get("action") or keys.get("task")
            if not isinstance(label, str | int | float) or not str(label).strip():
                ctx.add(line, "field-invalid", "an action item needs a text")
                continue
            due = _date(keys.get("due"), "due", line, ctx)
            done = _flag(keys.get("done"))
            out.append(Action(str(label).strip(), due, done, line, "x" if done else " "))
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


def _kind(meta: dict[str, Any]) -> NoteKind:
    raw = meta.get("type")
    if isinstance(raw, list) and len(raw) == 1:
        raw = _unquoted_link(raw) or raw[0]
    if isinstance(raw, str):
        kind = (link_target(raw) or "").lower()
        if kind in ("interview", "contact"):
            return kind  # type: ignore[return-value]
        if kind:
            return "other"
    if "contact" in meta and raw is None:
        return "interview"
    return "other"


def _lower_keys(loaded: properties.Loaded) -> tuple[dict[str, Any], dict[str, int], dict[str, list[int]]]:
    meta: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    for key, value in loaded.data.items():
        low = key.strip().lower()
        if low in meta:
            continue
        meta[low] = value
        key_lines[low] = loaded.key_lines[key] + 1
        if key in loaded.item_lines:
            item_lines[low] = [n + 1 for n in loaded.item_lines[key]]
    return meta, key_lines, item_lines


def parse_note(path: str, data: bytes) -> tuple[Note | None, list[Diagnostic]]:
    """Read one note. Never raises on any input; None when it is not text at all."""
    ctx = _Ctx(path)
    text = _decode(path, data, ctx)
    if text is None:
        return None, ctx.diags
    title = _title(path)
    cut = properties.split(text)
    meta: dict[str, Any] = {}
    if cut.unterminated:
        ctx.add(1, "frontmatter-unterminated", "front-matter has no closing '---'; read as text")
    if cut.yaml_text is not None:
        try:
            loaded = properties.load_yaml(cut.yaml_text)
        except properties.YamlProblem as problem:
            ctx.add(problem.line + 1, problem.code, problem.message, "error")
        else:
            meta, ctx.key_lines, ctx.item_lines = _lower_keys(loaded)
            kind_now = _kind(meta)
            if kind_now != "other":
                for line, code, message in loaded.warnings:
                    ctx.add(line + 1, code, message)
    kind = _kind(meta)
    if kind == "other":
        return Note(path=path, title=title, kind="other"), ctx.diags
    return _networking_note(path, title, kind, meta, cut, ctx), ctx.diags


def _networking_note(
    path: str, title: str, kind: NoteKind, meta: dict[str, Any], cut: properties.Split, ctx: _Ctx
) -> Note:
    line = ctx.line_of
    get: Callable[[str], Any] = meta.get
    actions = _actions(get("actions"), ctx)
    for task_line, task in find_tasks(cut.body, cut.body_line):
        for bad in task.bad_dates:
            ctx.add(task_line, "date-invalid", f"task date {bad} is not a real date", "error")
        actions.append(Action(task.description, task.due, not task.is_open, task_line, task.status))
    common: dict[str, Any] = {
        "path": path,
        "title": title,
        "kind": kind,
        "referrer": _person(get("referrer"), "referrer", line("referrer"), ctx),
        "company": _text(get("company"), "company", line("company"), ctx),
        "role": _text(get("role"), "role", line("role"), ctx),
        "actions": tuple(actions),
    }
    if kind == "contact":
        return Note(
            **common,
            aliases=_aliases(get("aliases") if "aliases" in meta else get("alias")),
            keep_in_touch=_days(get("keep_in_touch"), "keep_in_touch", line("keep_in_touch"), ctx),
            email=_text(get("email"), "email", line("email"), ctx),
            linkedin=_text(get("linkedin"), "linkedin", line("linkedin"), ctx),
        )
    contact = _person(get("contact"), "contact", line("contact"), ctx)
    if contact is None:
        ctx.add(line("type"), "contact-missing", "interview note without a contact")
    status = _status(get("status"), line("status"), ctx)
    if status is None and "status" not in meta:
        ctx.add(1, "status-missing", f"no status; add one of: {', '.join(STATUSES)}")
    return Note(
        **common,
        contact=contact,
        date=_date(get("date"), "date", line("date"), ctx),
        date_line=line("date") if "date" in meta else 1,
        status=status,
        status_line=line("status") if "status" in meta else 1,
        channel=_text(get("channel"), "channel", line("channel"), ctx),
        referrals=_people(get("referrals"), "referrals", ctx),
        thanked=_flag(get("thanked")),
        referrer_updated=_flag(get("referrer_updated")),
    )
