"""What a note's text says besides its task lines: the people it links to in running
text (in a daily note, "Coffee with [[Jane Smith]]" means you were in touch that day)
and its #tags (a vault may mark its people with `#person` at the end of the note).

Code (fenced, indented or `inline`), `%%` and `<!-- -->` comments, HTML blocks and
quotes say nothing about what happened, and neither does a task not done yet ("- [ ] Call [[Jane Smith]]" is a
plan): their links do not count. A line scan is enough: these are a vault's plainest
notes, and nothing here decides a page's wording.
"""

from __future__ import annotations

import re

from .links import link_target
from .model import Mention
from .tasks import TASK_LINE

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_WIKILINK = re.compile(r"(?<!!)\[\[([^\[\]\n]+?)\]\]")
_TAG = re.compile(r"(?:^|(?<=[\s(]))#([^\s#!@$%^&*(),.?\"':;{}|<>\[\]=+`~\\]+)")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_CLOSER = {"%%": "%%", "<!--": "-->"}  # an Obsidian comment, an HTML one
_OPENER = re.compile(r"%%|<!--")
_TICKS = re.compile(r"`+")


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Where the line's `code spans` are, as CommonMark pairs backtick runs: each run with
    the next run of the same length (a run left unpaired is a backtick as text)."""
    runs = [m.span() for m in _TICKS.finditer(line)]
    paired: list[int | None] = [None] * len(runs)
    following: dict[int, int] = {}  # run length -> the next run of that length
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        paired[i], following[length] = following.get(length), i
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        j = paired[i]
        if j is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[j][1]))
        i = j + 1
    return spans


def _uncommented(line: str) -> tuple[str, str | None]:
    """The line as it speaks: without its comments and its code spans (a `%%` or a link in
    backticks is code), and the closer of a comment it leaves open. One pass: the scan
    only moves forward, past a comment or a span."""
    spans = _code_spans(line) if "`" in line else []
    out: list[str] = []
    at, s = 0, 0
    found = _OPENER.search(line)
    while True:
        if found is not None and found.start() < at:  # (passed: look again, from here on)
            found = _OPENER.search(line, at)
        while s < len(spans) and spans[s][1] <= at:
            s += 1
        span = spans[s] if s < len(spans) else None
        if span is not None and (found is None or span[0] < found.start()):
            out.append(line[at : span[0]] + " ")  # (the span's words are not the note's)
            at = span[1]
            continue
        if found is None:
            out.append(line[at:])
            return "".join(out), None
        out.append(line[at : found.start()])
        closer = _CLOSER[found.group()]
        end = line.find(closer, found.end())
        if end < 0:
            return "".join(out), closer
        at = end + len(closer)


def _lines_that_speak(body: str) -> list[tuple[int, str]]:
    """(0-based index, line) of the lines outside code, comments, HTML blocks and quotes."""
    out: list[tuple[int, str]] = []
    fence: str | None = None
    closer: str | None = None  # the end of a comment that runs over lines: `%%` or `-->`
    html = False
    previous_blank = True
    for i, line in enumerate(body.split("\n")):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        if closer is not None:
            if closer not in line:
                continue
            line = line[line.index(closer) + len(closer) :]  # (the rest of the line is text)
            stripped, closer = line.strip(), None
            if not stripped:
                continue  # a comment's last line: neither text nor a blank line
        if html:
            html = stripped != ""
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)[0] * 3
            continue
        if "%%" in line or "<!--" in line or "`" in line:
            line, closer = _uncommented(line)
            if not line.strip():
                continue  # a comment's or a code span's line: neither text nor a blank line
            stripped = line.strip()
        if stripped.startswith("<") and previous_blank:
            html = True
            continue
        if stripped.startswith(">") or (
            previous_blank and _INDENTED.match(line) and not stripped.startswith(("-", "*", "+"))
        ):
            previous_blank = False
            continue
        previous_blank = stripped == ""
        out.append((i, line))
    return out


def mentions(body: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(1-based line, link target) of each wikilink in running text or a done task."""
    if "[[" not in body:
        return []
    found: list[tuple[int, str]] = []
    for i, line in _lines_that_speak(body):
        if "[[" not in line:
            continue
        task = TASK_LINE.match(line)
        if task is not None and task.group(3) not in ("x", "X"):
            continue  # a plan, not something that happened
        for m in _WIKILINK.finditer(line):
            target = link_target(f"[[{m.group(1)}]]")
            if target:
                found.append((first_line + i, target))
    return found


def tags(body: str) -> set[str]:
    """The #tags of the text, lower-cased, without `#` (a heading's `# ` is not a tag)."""
    if "#" not in body:
        return set()
    out: set[str] = set()
    for _, line in _lines_that_speak(body):
        if "#" in line:
            out.update(t.casefold() for t in _TAG.findall(line) if not t.isdigit())
    return out


def links_in(text: str) -> tuple[Mention, ...]:
    """The people a task's text links to (`Thank [[Marcus Webb]] for the call`)."""
    if "[[" not in text:
        return ()
    found = (link_target(f"[[{m.group(1)}]]") for m in _WIKILINK.finditer(text))
    return tuple(dict.fromkeys(Mention(t, False) for t in found if t))


_ATTENDEES = re.compile(r"^#{1,6}\s+\W*\s*(attendees|participants|people|with|who)\b", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s")


def attendees(body: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(1-based line, link target) of the links under an "Attendees" or "Participants"
    heading: where a vault without a property for it lists who was in a meeting."""
    if "[[" not in body:
        return []
    found: list[tuple[int, str]] = []
    inside = False
    for i, line in _lines_that_speak(body):
        if _HEADING.match(line):
            inside = _ATTENDEES.match(line) is not None
            continue
        if inside:
            for m in _WIKILINK.finditer(line):
                target = link_target(f"[[{m.group(1)}]]")
                if target:
                    found.append((first_line + i, target))
    return found
