"""Task lines as the Obsidian Tasks plugin reads them.

Fields are peeled off the end of the line, in both the emoji format (`📅 2026-11-25`)
and the Dataview format (`[due:: 2026-11-25]`); text after a field means the field
is part of the description. Statuses follow Tasks' default registry: `x` done, `-`
cancelled, `/` in progress; any other character is an unknown status, not done.

Finding task lines in a body uses markdown-it-py only when the body has structure
that can hide a task (code, HTML, comments, indented or numbered lists); a plain
body is read line by line with the same result, which keeps a cold sync fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

DONE = "x"
CANCELLED = "-"
IN_PROGRESS = "/"

TASK_LINE = re.compile(r"^([\s>]*)([-*+]|[0-9]+[.)]) +\[(.)\] *(.*)$")
_BLOCK_LINK = re.compile(r" \^[a-zA-Z0-9-]+$")
_DATE = r"(\d{4}-\d{2}-\d{2})"


def _inline(inner: str, flags: int = 0) -> re.Pattern[str]:
    """Dataview `[key:: value]` or `(key:: value)` at the end, as Tasks matches it."""
    return re.compile(r"(?:(?=[^\]]+\])\[|(?=[^)]+\))\() *" + inner + r" *[)\]](?: *,)?$", flags)


_TASK_ID = r"[a-zA-Z0-9-_]+"
_DEPENDS = _TASK_ID + r"( *, *" + _TASK_ID + r" *)*"

# (field, pattern) pairs in the order Tasks tries them on each pass.
_EMOJI_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("priority", re.compile("([\U0001f53a\u23eb\U0001f53c\U0001f53d\u23ec])\ufe0f?$")),
    ("done", re.compile("\u2705\ufe0f? *" + _DATE + "$")),
    ("cancelled", re.compile("\u274c\ufe0f? *" + _DATE + "$")),
    ("due", re.compile("[\U0001f4c5\U0001f4c6\U0001f5d3]\ufe0f? *" + _DATE + "$")),
    ("reminder", re.compile("\u23f0\ufe0f? *" + _DATE + r"(?: \d{2}:\d{2})?$")),
    ("scheduled", re.compile("[\u23f3\u231b]\ufe0f? *" + _DATE + "$")),
    ("start", re.compile("\U0001f6eb\ufe0f? *" + _DATE + "$")),
    ("created", re.compile("\u2795\ufe0f? *" + _DATE + "$")),
    ("recurrence", re.compile("\U0001f501\ufe0f? ?([a-zA-Z0-9, !]+)$", re.IGNORECASE)),
    ("tags", re.compile(r"(^|\s)#[^ !@#$%^&*(),.?\":{}|<>]+$")),
    ("id", re.compile("\U0001f194\ufe0f? *(" + _TASK_ID + ")$", re.IGNORECASE)),
    ("depends", re.compile("\u26d4\ufe0f? *(" + _DEPENDS + ")$", re.IGNORECASE)),
)
_DATAVIEW_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("priority", _inline(r"priority:: *(highest|high|medium|low|lowest)")),
    ("done", _inline(r"completion:: *" + _DATE)),
    ("cancelled", _inline(r"cancelled:: *" + _DATE)),
    ("due", _inline(r"due:: *" + _DATE)),
    ("reminder", _inline(r"reminder:: *" + _DATE + r"(?: \d{2}:\d{2})?")),
    ("scheduled", _inline(r"scheduled:: *" + _DATE)),
    ("start", _inline(r"start:: *" + _DATE)),
    ("created", _inline(r"created:: *" + _DATE)),
    ("recurrence", _inline(r"repeat:: *([a-zA-Z0-9, !]+)")),
    ("id", _inline(r"id:: *(" + _TASK_ID + ")")),
    ("depends", _inline(r"dependsOn:: *(" + _DEPENDS + ")")),
)
_ALL_FIELDS = _EMOJI_FIELDS + _DATAVIEW_FIELDS
# What must be in a line for each field to be there at all: a cheap test that spares
# the regular expressions (which scan the whole line) on the many lines without fields.
_NEEDLES: dict[str, tuple[str, ...]] = {
    "priority": ("\U0001f53a", "\u23eb", "\U0001f53c", "\U0001f53d", "\u23ec", "priority::"),
    "done": ("\u2705", "completion::"),
    "cancelled": ("\u274c", "cancelled::"),
    "due": ("\U0001f4c5", "\U0001f4c6", "\U0001f5d3", "due::"),
    "reminder": ("\u23f0", "reminder::"),
    "scheduled": ("\u23f3", "\u231b", "scheduled::"),
    "start": ("\U0001f6eb", "start::"),
    "created": ("\u2795", "created::"),
    "recurrence": ("\U0001f501", "repeat::"),
    "tags": ("#",),
    "id": ("\U0001f194", "id::"),
    "depends": ("\u26d4", "dependsOn::"),
}
_FIELDS_OF: dict[str, list[str]] = {}  # needle -> the fields it may stand for
for _name, _needles in _NEEDLES.items():
    for _needle in _needles:
        _FIELDS_OF.setdefault(_needle, []).append(_name)
# One scan of the line for every needle (no needle holds another, so none hides one).
_ANY_NEEDLE = re.compile("|".join(map(re.escape, _FIELDS_OF)))
_DATE_FIELDS = {"done", "cancelled", "due", "scheduled", "start", "created"}
# A field's emoji or Dataview key followed by a date Tasks cannot read (it must be YYYY-MM-DD).
_UNREAD_DATE = re.compile(
    "(?:[\U0001f4c5\U0001f4c6\U0001f5d3\u23f3\u231b\U0001f6eb\u2795\u2705\u274c]\ufe0f?|"
    r"(?:due|scheduled|start|created|completion)::) *\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
)


@dataclass(frozen=True)
class Task:
    """One task line. Dates that are not real calendar dates are None."""

    status: str
    description: str
    due: date | None = None
    done_date: date | None = None
    bad_dates: tuple[str, ...] = ()  # date-shaped values that are not real dates
    unread_dates: tuple[str, ...] = ()  # dates after a field's emoji that Tasks does not read (11/24/2026)

    @property
    def is_done(self) -> bool:
        return self.status == DONE

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def is_open(self) -> bool:
        """Still owed: to do, in progress, or an unknown status (Tasks' TODO type)."""
        return self.status not in (DONE, CANCELLED)


def _to_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_task_line(line: str) -> Task | None:
    """Read one line as Tasks does; None when it is not a task line."""
    m = TASK_LINE.match(line)
    if m is None:
        return None
    status, rest = m.group(3), m.group(4)
    rest = _BLOCK_LINK.sub("", rest.rstrip()) if "^" in rest else rest.rstrip()
    dates: dict[str, str] = {}
    trailing_tags: list[str] = []
    present = {name for needle in _ANY_NEEDLE.findall(rest) for name in _FIELDS_OF[needle]}
    fields = [(name, pattern) for name, pattern in _ALL_FIELDS if name in present] if present else []
    for _ in range(20 if fields else 0):  # Tasks' own failsafe
        matched = False
        for name, pattern in fields:
            fm = pattern.search(rest)
            if fm is None:
                continue
            matched = True
            if name == "tags":
                trailing_tags.insert(0, fm.group(0).strip())
            elif name in _DATE_FIELDS:
                dates[name] = fm.group(1)  # as in Tasks: a field further left wins
            rest = rest[: fm.start()].strip()
        if not matched:
            break
    description = " ".join([rest, *trailing_tags]).strip()
    bad = tuple(v for v in dates.values() if _to_date(v) is None)
    unread = (
        tuple(m.group(0) for m in _UNREAD_DATE.finditer(description))
        if "/" in description or "." in description
        else ()
    )
    return Task(
        status=status,
        description=description,
        due=_to_date(dates["due"]) if "due" in dates else None,
        done_date=_to_date(dates["done"]) if "done" in dates else None,
        bad_dates=bad,
        unread_dates=unread,
    )


# A line that may be a task: the cheap pre-filter before any structure is looked at.
_CANDIDATE = re.compile(r"^[ \t>]*(?:[-*+]|[0-9]+[.)]) +\[.\]", re.MULTILINE)
# Structure a line-by-line reading gets wrong: fences, HTML blocks and %% comments
# anywhere, or a candidate that is indented (code block or nested list) or ordered
# (an ordered list may not interrupt a paragraph unless it starts at 1).
_TRICKY_BODY = re.compile(r"^[ \t>]*(?:```|~~~|<)|%%", re.MULTILINE)
_TRICKY_CANDIDATE = re.compile(r"^(?: {4}|[ ]{0,3}\t)|^[ \t>]*[0-9]", re.MULTILINE)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").disable(["inline"], ignoreInvalid=True)
    md.core.ruler.disable("inline")
    return md


def _blank_comments(lines: list[str]) -> list[str]:
    """Blank Obsidian `%%` comment blocks, keeping line numbers (markdown-it knows none)."""
    out: list[str] = []
    inside = False
    for line in lines:
        if inside or line.lstrip().startswith("%%"):
            out.append("")
            if line.count("%%") % 2 == 1:
                inside = not inside
        else:
            out.append(line)
    return out


def _item_first_lines(body: str) -> set[int]:
    """0-based first lines of list items outside code, HTML and comments."""
    lines = _blank_comments(body.split("\n"))
    tokens = _markdown().parse("\n".join(lines))
    found: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open" and tok.map is not None:
            # The item's first line holds the marker; a paragraph starting there holds the box.
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.type == "paragraph_open" and nxt.map and nxt.map[0] == tok.map[0]:
                found.add(tok.map[0])
    return found


def find_tasks(body: str, first_line: int = 1) -> list[tuple[int, Task]]:
    """Task lines of a body with their 1-based line numbers in the file."""
    if "[" not in body:
        return []
    starts = [m.start() for m in _CANDIDATE.finditer(body)]
    if not starts:
        return []
    lines = body.split("\n")
    # (the regular expression only when a plain search finds what it looks for: it runs per note)
    maybe = "%%" in body or "```" in body or "~~~" in body or "<" in body
    tricky = (maybe and _TRICKY_BODY.search(body) is not None) or any(
        _TRICKY_CANDIDATE.match(body, pos) for pos in starts
    )
    allowed = _item_first_lines(body) if tricky else None
    out: list[tuple[int, Task]] = []
    idx = pos = 0
    for start in starts:  # only the lines that may be tasks, not every line of the body
        idx += body.count("\n", pos, start)
        pos = start
        if allowed is not None and idx not in allowed:
            continue
        task = parse_task_line(lines[idx])
        if task is not None:
            out.append((first_line + idx, task))
    return out
