"""The one edit: recording a ticked follow-up in its source note, byte for byte.

notesync never changes a note the user wrote except when asked to record an item as
done. Each function here takes the note's bytes as they are now and returns either an
`Edit` (the exact bytes before and after) or a `Refusal` (why nothing is changed).
Every edit changes one line or adds one line; every other byte (BOM, line endings,
comments, key order, quoting, a missing final newline) is copied from the input.

How an edit is made "provably surgical":
- the note is cut into lines exactly as `parse.parse_note` cuts it (CRLF, CR, LF), so
  line numbers agree with the parser's;
- the YAML parser itself (node positions from libyaml's composer, as the reader uses)
  says where a key and its value are, rather than a hand-written reading of YAML;
- the result is read back with the parser's own reader (`properties.load_yaml`,
  `tasks.parse_task_line`, `parse._actions`), and refused unless the only difference
  the reader sees is the intended one. A note shape we cannot edit safely (JSON
  front-matter with a new key, a multi-line value, invalid UTF-8 on the line) is
  refused as `cannot-edit`, never guessed.

The only function that touches the disk is `apply_edit`, which checks the file's bytes
twice (before writing the temporary file and right before the atomic replace).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, NamedTuple

import yaml

from . import properties
from .links import link_target
from .parse import _actions, _Ctx, _flag, _unquoted_link
from .reading import key_name
from .tasks import TASK_LINE, Task, find_tasks
from .write import sync_folder, temp_path, write_synced

RefusalCode = Literal[
    "already-recorded",  # the item is done in the note already (by hand, or by an earlier tick)
    "not-found",  # the item is no longer in the note
    "ambiguous",  # several places could be meant; notesync does not guess
    "no-front-matter",  # a property edit on a note without front-matter
    "changed",  # the file is not the bytes the edit was made from
    "cannot-edit",  # the note's shape is one notesync will not edit safely
]


@dataclass(frozen=True)
class Edit:
    """One surgical change of a note: its bytes before and after, and what it did."""

    before: bytes
    after: bytes
    lines: tuple[int, ...]  # 1-based lines of `after` that were changed or added
    description: str  # for the sync output, e.g. "thanked: 2026-11-28"


@dataclass(frozen=True)
class Refusal:
    """Why a note was left alone: a short stable code and a sentence for the user."""

    code: RefusalCode
    message: str


# --- the note as lines ---------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
# The parser's own YAML library (libyaml when present): where it puts a key is where it is.
_COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML, not to the parser's line count


@dataclass(frozen=True)
class _Doc:
    """A note cut into lines the way `parse.parse_note` cuts it."""

    raw: tuple[bytes, ...]  # each line with its own ending; the BOM stays on line 0
    lines: tuple[str, ...]  # the same lines decoded, without ending or BOM
    cut: properties.Split


def _normalise(data: bytes) -> str:
    """The text `parse._decode` makes of these bytes (BOM off, every break a `\\n`)."""
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read(data: bytes) -> _Doc | Refusal:
    """Lines of the note, or a refusal when it is not a text note at all."""
    if b"\x00" in data[:8192]:
        return Refusal("cannot-edit", "not a text file")
    text = _normalise(data)
    raw = tuple(data.splitlines(keepends=True))
    lines = text.split("\n")
    if len(lines) == len(raw) + 1 and lines[-1] == "":
        lines.pop()  # the final line ending starts no line
    if len(lines) != len(raw):
        return Refusal("cannot-edit", "the note's lines could not be told apart")
    return _Doc(raw, tuple(lines), properties.split(text))


def _ending(raw: bytes) -> bytes:
    """The line ending a raw line carries (empty on a last line without one)."""
    if raw.endswith(b"\r\n"):
        return b"\r\n"
    if raw.endswith((b"\n", b"\r")):
        return raw[-1:]
    return b""


class _Change(NamedTuple):
    """One line replaced, or (`insert`) one new line put before line `at`."""

    at: int  # 0-based line of the note before the edit
    text: str  # the new line, without its ending
    insert: bool = False


def _after_bytes(doc: _Doc, change: _Change) -> bytes | Refusal:
    """The note's bytes with the one change; every other line copied byte for byte."""
    raw = list(doc.raw)
    if change.insert:
        # the line above always exists and always has an ending (the closing `---` is below)
        ending = _ending(raw[change.at - 1]) or b"\n"
        raw.insert(change.at, change.text.encode("utf-8") + ending)
        return b"".join(raw)
    old = raw[change.at]
    ending = _ending(old)
    bom = _BOM if change.at == 0 and old.startswith(_BOM) else b""
    content = old[len(bom) : len(old) - len(ending)]
    try:
        exact = content.decode("utf-8") == doc.lines[change.at]
    except UnicodeDecodeError:
        exact = False
    if not exact:
        return Refusal("cannot-edit", f"line {change.at + 1} is not valid UTF-8; not touched")
    raw[change.at] = bom + change.text.encode("utf-8") + ending
    return b"".join(raw)


def _finish(
    data: bytes, doc: _Doc, change: _Change, description: str, check: Callable[[_Doc], bool]
) -> Edit | Refusal:
    """Make the edit, then read it back: refused unless the reader sees what was meant."""
    after = _after_bytes(doc, change)
    if isinstance(after, Refusal):
        return after
    again = _read(after)
    if isinstance(again, Refusal) or not check(again):
        return Refusal("cannot-edit", f"the note's shape does not allow a safe edit ({description})")
    return Edit(data, after, (change.at + 1,), description)


# --- front-matter --------------------------------------------------------------------


@dataclass(frozen=True)
class _Front:
    """The front-matter: its closing line, its top-level key nodes and its values."""

    close: int  # 0-based line of the closing `---`
    pairs: tuple[tuple[yaml.ScalarNode, yaml.Node], ...]  # positions: line = note line (0-based)
    loaded: properties.Loaded


def _front(doc: _Doc) -> _Front | Refusal:
    """Locate and read the front-matter with the parser's own reader and libyaml's composer."""
    text = doc.cut.yaml_text
    if text is None:
        return Refusal("no-front-matter", "the note has no front-matter (properties)")
    if any(c in text for c in _YAML_BREAKS):
        return Refusal("cannot-edit", "the front-matter holds unusual line breaks")
    try:
        loaded = properties.load_yaml(text)
    except properties.YamlProblem as problem:
        return Refusal("cannot-edit", f"line {problem.line + 1}: {problem.message}")
    try:
        # The block starts with the end of the opening line, so a node's line is its note line.
        root = yaml.compose(text, Loader=_COMPOSER)
    except (yaml.YAMLError, RecursionError):
        return Refusal("cannot-edit", "the front-matter is YAML notesync cannot locate keys in")
    close = doc.cut.body_line - 2
    if not 0 < close < len(doc.lines) or not doc.lines[close].startswith("---"):
        return Refusal("cannot-edit", "the front-matter's closing line was not found")
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):
        return _Front(close, (), loaded)
    if not isinstance(root, yaml.MappingNode):
        return Refusal("cannot-edit", "the front-matter is not a list of properties")
    pairs = tuple((k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode))
    return _Front(close, pairs, loaded)


def _matching(front: _Front, keys: Sequence[str]) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """Top-level keys that mean this field, matched without case as the parser matches."""
    wanted = {key_name(k) for k in keys}
    return [(k, v) for k, v in front.pairs if key_name(k.value) in wanted]


def _reload(doc: _Doc) -> properties.Loaded | None:
    if doc.cut.yaml_text is None:
        return None
    try:
        return properties.load_yaml(doc.cut.yaml_text)
    except properties.YamlProblem:
        return None


def _same_but(before: properties.Loaded, after: properties.Loaded, key: str, value: Any) -> bool:
    """True when `after` is `before` with `key` set to `value` (or added last), nothing else."""
    items = list(before.data.items())
    if key in before.data:
        expected = [(k, value if k == key else v) for k, v in items]
    else:
        expected = [*items, (key, value)]
    return repr(list(after.data.items())) == repr(expected)


def _last_line(node: yaml.Node) -> int:
    """The last note line a value occupies (a block node ends where the next token starts)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        if end.index == node.start_mark.index or end.column > 0:
            return int(end.line)
        return int(end.line) - 1
    if getattr(node, "flow_style", False) or not node.value:
        return int(node.end_mark.line)
    last = node.value[-1]
    return _last_line(last[1] if isinstance(node, yaml.MappingNode) else last)


def _one_line(node: yaml.Node) -> bool:
    return bool(node.start_mark.line == node.end_mark.line)


def _set_value(doc: _Doc, value: yaml.Node, new: str) -> _Change | Refusal:
    """Replace a one-line value, or fill an empty one right after its colon."""
    start, end = value.start_mark, value.end_mark
    line = doc.lines[start.line]
    if start.index == end.index:  # `key:` with nothing after it
        if start.column == 0 or line[start.column - 1] != ":":
            return Refusal("cannot-edit", f"line {start.line + 1}: the empty value was not found")
        return _Change(start.line, f"{line[: start.column]} {new}{line[start.column :]}")
    if not _one_line(value):
        return Refusal("cannot-edit", f"line {start.line + 1}: the value spans several lines")
    return _Change(start.line, line[: start.column] + new + line[end.column :])


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_ .-]*")


def _key_text(key: str) -> str:
    """A property name as YAML needs it written: plain when it can be."""
    return key if _PLAIN_KEY.fullmatch(key) and key == key.strip() else json.dumps(key, ensure_ascii=False)


def _add_key(front: _Front, key: str, value: str) -> _Change:
    """A new `key: value` line at the end of the front-matter, before the closing `---`."""
    return _Change(front.close, f"{_key_text(key)}: {value}", insert=True)


def _recorded(value: Any) -> bool:
    """Whether the parser reads this value as done (`parse._flag`: its own reading)."""
    return _flag(value)


# --- 1. a date in the front-matter ---------------------------------------------------


def set_date(data: bytes, keys: Sequence[str], day: date) -> Edit | Refusal:
    """Record `key: YYYY-MM-DD` (thanked, referrer_updated, followed_up).

    An empty key (`thanked:`, `""`, `null`, `~`, or a value the parser reads as not
    done, such as `false`) is filled in place; an absent one is added last; a recorded
    one is left alone, so a second tick changes nothing.
    """
    if not keys:
        raise ValueError("set_date needs at least one property name")
    doc = _read(data)
    if isinstance(doc, Refusal):
        return doc
    front = _front(doc)
    if isinstance(front, Refusal):
        return front
    found = _matching(front, keys)
    for knode, _ in found:
        if _recorded(front.loaded.data.get(knode.value)):
            return Refusal("already-recorded", f"{knode.value} is already recorded")
    if len(found) > 1:
        lines = ", ".join(str(k.start_mark.line + 1) for k, _ in found)
        return Refusal("ambiguous", f"{keys[0]} appears more than once (lines {lines})")
    iso = day.isoformat()
    if found:
        knode, vnode = found[0]
        key = knode.value
        change: _Change | Refusal = _set_value(doc, vnode, iso)
    else:
        key = keys[0]
        change = _add_key(front, key, iso)
    if isinstance(change, Refusal):
        return change

    def check(after: _Doc) -> bool:
        loaded = _reload(after)
        return loaded is not None and _same_but(front.loaded, loaded, key, iso)

    return _finish(data, doc, change, f"{key}: {iso}", check)


def replace_value(
    data: bytes, keys: Sequence[str], new: str, accept: Callable[[Any], bool], *, add_missing: bool = False
) -> Edit | Refusal:
    """Set a one-line property to `new` when its value now passes `accept`: a status still
    `scheduled` becomes `done`, a `last_contact` older than today becomes today. Absent,
    it is added last when `add_missing`; otherwise refused, as is a value `accept` refuses
    (recorded by hand since: idempotent)."""
    doc = _read(data)
    if isinstance(doc, Refusal):
        return doc
    front = _front(doc)
    if isinstance(front, Refusal):
        return front
    found = _matching(front, keys)
    if len(found) > 1:
        lines = ", ".join(str(k.start_mark.line + 1) for k, _ in found)
        return Refusal("ambiguous", f"{keys[0]} appears more than once (lines {lines})")
    if found:
        knode, vnode = found[0]
        key = knode.value
        if not accept(front.loaded.data.get(key)):
            return Refusal("already-recorded", f"{key} is already {front.loaded.data.get(key)!s}")
        one = vnode.value[0] if isinstance(vnode, yaml.SequenceNode) and len(vnode.value) == 1 else None
        listed = isinstance(one, yaml.ScalarNode)  # `status: [requested]` or `- requested`: edit the item
        change: _Change | Refusal = _set_value(doc, one if isinstance(one, yaml.ScalarNode) else vnode, new)
    elif add_missing:
        listed = False
        key = keys[0]
        change = _add_key(front, key, new)
    else:
        return Refusal("not-found", f"the note has no {keys[0]}")
    if isinstance(change, Refusal):
        return change
    loaded_new = properties.load_yaml(f"{_key_text(key)}: {new}").data.get(key)
    if listed:
        loaded_new = [loaded_new]

    def check(after: _Doc) -> bool:
        loaded = _reload(after)
        return loaded is not None and _same_but(front.loaded, loaded, key, loaded_new)

    return _finish(data, doc, change, f"{key}: {new}", check)


# --- 2. one person of several --------------------------------------------------------


def _link_key(value: Any) -> str | None:
    """Whom a list item names, for telling whether that person is in the list already."""
    if isinstance(value, list):
        value = _unquoted_link([value])  # `- [[Jane Smith]]` unquoted: a nested list
    if not isinstance(value, str):
        return None
    target = link_target(value)
    return target.casefold() if target else None


def _append_item(doc: _Doc, seq: yaml.SequenceNode, item: str) -> _Change | Refusal:
    """One more item at the end of a list, in the list's own style."""
    last = seq.value[-1]
    if seq.flow_style:  # `[a, b]`: `, item` right after the last item
        end = last.end_mark
        line = doc.lines[end.line]
        return _Change(end.line, f"{line[: end.column]}, {item}{line[end.column :]}")
    first = seq.value[0].start_mark
    line = doc.lines[first.line]
    dash = line.rfind("-", 0, first.column)
    if dash < 0 or line[:dash].strip():
        return Refusal("cannot-edit", f"line {first.line + 1}: the list's layout is not one notesync edits")
    prefix = line[: first.column]  # indentation, `-` and the spacing the list uses
    return _Change(_last_line(seq) + 1, prefix + item, insert=True)


def add_to_list(data: bytes, keys: Sequence[str], value: str) -> Edit | Refusal:
    """Record one person of a conversation with several: add `"[[Name]]"` to a list.

    The form: `thanked: ["[[Jane Smith]]"]` lists the people thanked so far; a date or
    `true` means everyone. `value` is the item as written (`[[Jane Smith]]`); it is
    compared with the items there by link target, ignoring case.
    """
    if not keys:
        raise ValueError("add_to_list needs at least one property name")
    doc = _read(data)
    if isinstance(doc, Refusal):
        return doc
    front = _front(doc)
    if isinstance(front, Refusal):
        return front
    found = _matching(front, keys)
    if len(found) > 1:
        return Refusal("ambiguous", f"{keys[0]} appears more than once")
    item = json.dumps(value, ensure_ascii=False)
    if not found:
        key = keys[0]
        change: _Change | Refusal = _add_key(front, key, f"[{item}]")
        expected: list[Any] = [value]
    else:
        knode, vnode = found[0]
        key = knode.value
        current = front.loaded.data.get(key)
        if isinstance(current, list) and current:
            if not isinstance(vnode, yaml.SequenceNode):
                return Refusal("cannot-edit", f"{key} is not a list notesync can add to")
            names = {_link_key(v) for v in current}
            if _link_key(value) in names:
                return Refusal("already-recorded", f"{value} is already in {key}")
            change = _append_item(doc, vnode, item)
            expected = [*current, value]
        elif _recorded(current):
            return Refusal("already-recorded", f"{key} is already recorded for everyone")
        else:
            change = _set_value(doc, vnode, f"[{item}]")
            expected = [value]
    if isinstance(change, Refusal):
        return change

    def check(after: _Doc) -> bool:
        loaded = _reload(after)
        return loaded is not None and _same_but(front.loaded, loaded, key, expected)

    return _finish(data, doc, change, f"{key}: + {item}", check)


# --- 3. an item of the `actions:` list -----------------------------------------------


def _action_of(item: Any) -> tuple[str, bool] | None:
    """(text, done) of one `actions:` item as the parser reads it; None if it reads none."""
    found = _actions([item], _Ctx(""))
    return (found[0].text, found[0].done) if found else None


def _pick(candidates: Sequence[tuple[int, str, bool]], index: int, text: str, what: str) -> int | Refusal:
    """Which item a tick means: the one at its place if it is still there, else the only
    open one with that text elsewhere (a line was inserted above). Never a guess."""
    here = [c for c in candidates if c[0] == index and c[1] == text]
    if here:
        return Refusal("already-recorded", f"{what} is already done") if here[0][2] else index
    open_ = [c[0] for c in candidates if c[1] == text and not c[2]]
    if len(open_) == 1:
        return open_[0]
    if open_:
        return Refusal("ambiguous", f"{len(open_)} open {what}s read {text!r}")
    if any(c[1] == text for c in candidates):
        return Refusal("already-recorded", f"{what} {text!r} is already done")
    return Refusal("not-found", f"no {what} reads {text!r} any more")


_FLOW_UNSAFE = re.compile(r"[,\[\]{}]|: |:$| #")


def _flow_text(doc: _Doc, node: yaml.ScalarNode, text: str) -> str:
    """The item's text as it can stand in a flow mapping: as written when it can."""
    if _one_line(node):
        src = doc.lines[node.start_mark.line][node.start_mark.column : node.end_mark.column]
        plain = not node.style  # None (PyYAML) or "" (libyaml)
        if node.style in ('"', "'") or (plain and not _FLOW_UNSAFE.search(src)):
            return src
    return json.dumps(text, ensure_ascii=False)


def _done_change(doc: _Doc, node: yaml.Node, text: str) -> _Change | Refusal:
    """The smallest change that makes one open item read as done."""
    if isinstance(node, yaml.ScalarNode):  # `- Send the deck` -> `- {text: Send the deck, done: true}`
        if not _one_line(node):
            return Refusal("cannot-edit", f"line {node.start_mark.line + 1}: the item spans several lines")
        start, end = node.start_mark, node.end_mark
        line = doc.lines[start.line]
        new = f"{{text: {_flow_text(doc, node, text)}, done: true}}"
        return _Change(start.line, line[: start.column] + new + line[end.column :])
    if not isinstance(node, yaml.MappingNode) or not node.value:
        return Refusal("cannot-edit", "the item is not text or {text, due, done}")
    dones = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and str(k.value).lower() == "done"]
    if len(dones) > 1:
        return Refusal("ambiguous", "the item has more than one done key")
    if dones:
        return _set_value(doc, dones[0], "true")
    last = node.value[-1][1]
    if node.flow_style:  # `{text: X, due: Y}` -> `{text: X, due: Y, done: true}`
        end = last.end_mark
        line = doc.lines[end.line]
        return _Change(end.line, f"{line[: end.column]}, done: true{line[end.column :]}")
    indent = node.value[0][0].start_mark.column
    return _Change(_last_line(node) + 1, " " * indent + "done: true", insert=True)


def mark_action_done(data: bytes, index: int, text: str) -> Edit | Refusal:
    """Mark item `index` (0-based, in the `actions:` list as written) done, if it reads `text`.

    A mapping's `done:` becomes `true`, or gets a `done: true` line (block) or
    `, done: true` (flow); a plain text item becomes `{text: ..., done: true}`.
    """
    doc = _read(data)
    if isinstance(doc, Refusal):
        return doc
    front = _front(doc)
    if isinstance(front, Refusal):
        return front
    found = _matching(front, ("actions",))
    if not found:
        return Refusal("not-found", "the note has no actions list")
    if len(found) > 1:
        return Refusal("ambiguous", "actions appears more than once")
    knode, vnode = found[0]
    key = knode.value
    value = front.loaded.data.get(key)
    values = value if isinstance(value, list) else [value]
    nodes = list(vnode.value) if isinstance(vnode, yaml.SequenceNode) else [vnode]
    if len(nodes) != len(values):
        return Refusal("cannot-edit", "the actions list could not be read item by item")
    read = [_action_of(v) for v in values]
    candidates = [(i, r[0], r[1]) for i, r in enumerate(read) if r is not None]
    chosen = _pick(candidates, index, text, "action")
    if isinstance(chosen, Refusal):
        return chosen
    change = _done_change(doc, nodes[chosen], text)
    if isinstance(change, Refusal):
        return change

    def check(after: _Doc) -> bool:
        loaded = _reload(after)
        if loaded is None or key not in loaded.data:
            return False
        now = loaded.data[key]
        items = now if isinstance(now, list) else [now]
        if len(items) != len(values) or _action_of(items[chosen]) != (text, True):
            return False
        return _same_but(front.loaded, loaded, key, now) and all(
            repr(a) == repr(b) for i, (a, b) in enumerate(zip(items, values, strict=True)) if i != chosen
        )

    return _finish(data, doc, change, f"{key}: {text} (done: true)", check)


# --- 4. a task line in the body ------------------------------------------------------

_BLOCK_ID = re.compile(r" \^[a-zA-Z0-9-]+$")  # Tasks' blockLinkRegex: always last on the line
_DATAVIEW_FIELD = re.compile(r"[\[(](?:due|scheduled|start|created|priority|repeat|id|dependsOn|cancelled)::")
_EMOJI_FIELD = re.compile(  # due, scheduled, start, created, recurrence, id, depends on, cancelled
    "[\U0001f4c5\U0001f4c6\U0001f5d3\u23f3\u231b\U0001f6eb\u2795\U0001f501\U0001f194\u26d4\u274c]"
)
_RECURRING = re.compile("\U0001f501|[\\[(]repeat::")

DoneDate = Literal["auto", "emoji", "dataview", "none"]
"""How Tasks writes the done date in this vault (its `taskFormat` and `setDoneDate`
settings); `auto` follows the line: `[completion:: D]` on a line with Dataview fields
and no emoji, `✅ D` otherwise."""


def _done_field(line: str, day: date, style: DoneDate) -> str:
    """Tasks' done field: `✅ D`, or `[completion:: D]` in the Dataview format."""
    dataview = _DATAVIEW_FIELD.search(line) is not None and not _EMOJI_FIELD.search(line)
    if style == "dataview" or (style == "auto" and dataview):
        return f"[completion:: {day.isoformat()}]"
    return f"\u2705 {day.isoformat()}"


def _ticked(line: str, task: Task, day: date, style: DoneDate) -> str | None:
    """`- [ ] text` -> `- [x] text ✅ D`, the done date before a trailing block id."""
    m = TASK_LINE.match(line)
    if m is None:
        return None
    at = m.start(3)
    line = line[:at] + "x" + line[at + 1 :]
    if task.done_date is not None or style == "none":  # a done date left behind: keep it
        return line
    body = line.rstrip()
    trailing = line[len(body) :]
    block = _BLOCK_ID.search(body)
    head, tail = (body[: block.start()], body[block.start() :]) if block else (body, "")
    kept = head.rstrip()
    return f"{kept} {_done_field(head, day, style)}{head[len(kept) :]}{tail}{trailing}"


def tick_task(
    data: bytes, line: int, description: str, day: date, done_date: DoneDate = "auto"
) -> Edit | Refusal:
    """Tick the open task on 1-based `line` whose description is `description`, as Tasks does.

    If that line no longer holds such a task (a line was added above), the one open
    task with that description elsewhere in the body is ticked; none or several is a
    refusal. "Open" is what the parser reads as not done (`Task.is_open`). A recurring
    task is refused: Tasks adds its next occurrence when it is ticked in Obsidian.
    """
    doc = _read(data)
    if isinstance(doc, Refusal):
        return doc
    tasks = find_tasks(doc.cut.body, doc.cut.body_line)
    candidates = [(n, t.description, not t.is_open) for n, t in tasks]
    chosen = _pick(candidates, line, description, "task")
    if isinstance(chosen, Refusal):
        return chosen
    task = dict(tasks)[chosen]
    if _RECURRING.search(doc.lines[chosen - 1]):
        return Refusal(
            "cannot-edit", f"line {chosen}: a recurring task; tick it in Obsidian (Tasks adds the next)"
        )
    new = _ticked(doc.lines[chosen - 1], task, day, done_date)
    if new is None:
        return Refusal("cannot-edit", f"line {chosen}: not a task line")
    expected = [(n, (t.description, t.is_open)) for n, t in tasks if n != chosen]

    def check(after: _Doc) -> bool:
        now = find_tasks(after.cut.body, after.cut.body_line)
        mine = [t for n, t in now if n == chosen]
        others = [(n, (t.description, t.is_open)) for n, t in now if n != chosen]
        done = len(mine) == 1 and mine[0].is_done and mine[0].description == description
        return done and others == expected

    return _finish(data, doc, _Change(chosen - 1, new), new.strip(), check)


# --- 5. undoing and writing ----------------------------------------------------------


def revert(edit: Edit, data: bytes) -> bytes | Refusal:
    """The note as it was before `edit`, only if it is still exactly what the edit made."""
    if data != edit.after:
        return Refusal("changed", "the note changed after notesync's edit; not undone")
    return edit.before


def inverse(edit: Edit) -> Edit:
    """The edit that undoes `edit`: `apply_edit(path, inverse(e))` is an undo with the
    same checks (the note must still be exactly what `e` made)."""
    return Edit(edit.after, edit.before, edit.lines, f"undo {edit.description}")


def _write_temp(tmp: Path, data: bytes, like: os.stat_result) -> None:
    """Write and fsync a temporary copy with the note's permission bits (and owner, where
    that is allowed: a run as root must not hand the user's note to root)."""
    write_synced(tmp, data)
    os.chmod(tmp, stat.S_IMODE(like.st_mode))
    if hasattr(os, "chown") and (like.st_uid, like.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):
            os.chown(tmp, like.st_uid, like.st_gid)


def _still(target: Path, expected: bytes) -> bool:
    try:
        return target.read_bytes() == expected
    except FileNotFoundError:
        return False


def apply_edit(path: Path, edit: Edit, pause: Callable[[], None] | None = None) -> Refusal | None:
    """Write `edit` to the note at `path`, atomically, only over the bytes it was made from.

    The file is read before the temporary copy is written and again right before the
    replace, so a save made meanwhile is never overwritten (`pause`, called in between,
    lets a test make that race certain). A symbolic link is kept: the file it points
    at is edited. Raises OSError when the note or its folder cannot be written.
    """
    target = Path(os.path.realpath(path))
    if not _still(target, edit.before):
        return Refusal("changed", f"{path.name} changed since it was read; not edited")
    st = os.stat(target)
    if not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "the note is read-only", str(path))
    tmp = temp_path(target)
    try:
        _write_temp(tmp, edit.after, st)
        if pause is not None:
            pause()
        if not _still(target, edit.before):
            tmp.unlink()
            return Refusal("changed", f"{path.name} changed while notesync was editing it; not edited")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    sync_folder(target.parent)
    return None
