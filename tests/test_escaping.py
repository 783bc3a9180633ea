"""Each place user text lands on a page has one escaping function; any text in gives one
well-formed, inert line (or cell, link, label) out, and the text still reads as written.

"Inert" and "reads as written" are checked with a real CommonMark parser (markdown-it-py,
with raw HTML on, as the most permissive renderer would have it) rather than by looking
for characters: the rendered HTML holds no tag the text did not ask for, and its text
is the input with runs of white space (line breaks included) made one space.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from notesync.render.canvas import canvas_json, node_text
from notesync.render.markdown import (
    SAFE_SCHEMES,
    cell,
    link,
    link_alias,
    link_target,
    one_line,
    rich_text,
    table,
    text,
)
from notesync.render.mermaid import label

RAW_TAG = re.compile(r"<[A-Za-z/!?]")
BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# The characters and pieces that matter to Markdown, Obsidian, HTML and Mermaid, often.
_PIECES = [
    *" \t\n\r\x0b\x0c\x00\x1f\x7f\x85\xa0\u2003\u2028\u2029ab<>&;#*_[]()|!`~=$%^\\{}:/\"'-+.1é🚀",
    "%%{init: {'theme':'dark'}}%%",
    "%%",
    "<img src=x onerror=alert(1)>",
    "<script>",
    "javascript:",
    "JaVa\tScRiPt:",
    "jav&#x09;ascript&colon;",
    "data:text/html,",
    "https://ex.com/a_(b)",
    "[[",
    "]]",
    "![[",
    "](",
    "&lt;",
    "&#60;",
    "#quot;",
    "click",
    "href",
    " call ",
]
TEXT = st.one_of(st.text(), st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))

# A parser as lax as any: raw HTML on, every link destination accepted as it is.
_MD = MarkdownIt("commonmark", {"html": True}).enable("table")
_MD.validateLink = lambda url: True  # type: ignore[method-assign]


def _one_line(out: str) -> None:
    assert BREAKS.search(out) is None and CONTROL.search(out) is None, repr(out)
    assert RAW_TAG.search(out) is None, repr(out)
    assert "%%" not in out, repr(out)


def _paragraph(markdown: str) -> str:
    """The inside of the one paragraph `markdown` renders to; fails on any other block."""
    rendered: str = _MD.render(markdown)
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    return rendered[3:-5]


def _reads(value: str) -> str:
    """What a value should read as on a page: one line, runs of white space as one space."""
    return one_line(value).strip(" ")


@settings(max_examples=400, deadline=None)
@given(value=TEXT)
@example("a<img src=x onerror=alert(1)>")
@example("Eve\rMallory")
@example("&amp; &#60; entity")
def test_text_is_one_inert_line_that_reads_as_written(value: str) -> None:
    out = text(value)
    _one_line(out)
    inner = _paragraph("x " + out)
    assert "<" not in inner, inner  # not one tag: no emphasis, code, link, image or HTML
    assert one_line(html.unescape(inner)) == _reads("x " + value)


def _cells(rendered: str) -> list[str]:
    body = rendered.split("<tbody>", 1)[1]
    return re.findall(r"<td>(.*?)</td>", body, re.S)


@settings(max_examples=300, deadline=None)
@given(value=TEXT, other=TEXT)
def test_cell_keeps_the_row_to_the_headers_cells_and_reads_as_written(value: str, other: str) -> None:
    out = cell(value)
    _one_line(out)
    cells = _cells(_MD.render(table(["a", "b", "c"], [[cell(value), cell(other), "z"]])))
    assert len(cells) == 3
    assert "<" not in cells[0] and html.unescape(cells[0]) == _reads(value)
    assert html.unescape(cells[1]) == _reads(other) and cells[2] == "z"


@settings(max_examples=400, deadline=None)
@given(target=TEXT, label_=TEXT, in_table=st.booleans())
@example("Interviews/a<img src=x onerror=alert(1)>", "a<img src=x onerror=alert(1)>", False)
@example("People/Eve\rMallory", "Eve\rMallory", True)
@example("People/Jane Smith", "Jane Smith", True)
def test_link_is_a_wikilink_to_exactly_the_target_or_inert_text(
    target: str, label_: str, in_table: bool
) -> None:
    out = link(target, label_, table=in_table)
    _one_line(out)
    m = re.fullmatch(r"\[\[([^\[\]]*)\]\]", out)
    if m is None:
        assert out == text(label_)
        return
    inner = m.group(1)
    if label_ == target:
        assert inner == target
    else:
        bar = "\\|" if in_table else "|"
        assert inner.count(bar) == 1 and inner.split(bar) == [target, label_]
    # in a table the link stays in its cell
    cells = _cells(_MD.render(table(["a", "b"], [[link(target, label_, table=True), "z"]])))
    assert len(cells) == 2 and cells[1] == "z"


@settings(max_examples=300, deadline=None)
@given(value=TEXT)
def test_link_halves_are_the_value_itself_or_refused(value: str) -> None:
    for half in (link_target(value), link_alias(value)):
        assert half is None or half == value
        if half is not None:
            _one_line(half)
            assert not set(half) & set("[]|<>`\\")


def _hrefs(rendered: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<a href="([^"]*)"', rendered)]


@settings(max_examples=500, deadline=None)
@given(value=TEXT)
@example("Send thank-you [[Person 2206]]")
@example("see [the doc](<My Note.md>) and [x](javascript:alert(1)) ![[secret]] ![i](https://t.example/p.png)")
@example("[a](jav&#x09;ascript&colon;alert(1)) [b](JaVaScRiPt:x) [c](data:text/html,x)")
@example("[[&LT;]]")
@example("[[a &amp; b|&lt;]]")
def test_rich_text_keeps_the_users_links_and_nothing_else(value: str) -> None:
    out = rich_text(value)
    _one_line(out)
    if "[" not in value:
        assert out == text(value)
    inner = _paragraph("x " + out)
    tags = {t for t in re.findall(r"</?([A-Za-z][A-Za-z0-9]*)", inner)}
    assert tags <= {"a"}, inner  # links, nothing else: no image, no HTML
    for href in _hrefs(inner):
        scheme = re.match(r"([a-z][a-z0-9+.-]*):", re.sub(r"\s", "", href).lower())
        assert scheme is None or scheme.group(1) in SAFE_SCHEMES, href
    if "](" not in value:  # wikilinks show as written; everything else reads as typed
        assert one_line(html.unescape(inner)) == _reads("x " + value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Send thank-you [[Person 2206]]", "Send thank-you [[Person 2206]]"),
        ("Ask [[People/Ann|Ann]] about [[Roles#Sales]]", "Ask [[People/Ann|Ann]] about [[Roles#Sales]]"),
        ("Read [the report](https://ex.com/r?a=1&b=2)", "Read [the report](https://ex.com/r?a=1&b=2)"),
        ("Open [notes](<My Notes.md>)", "Open [notes](My%20Notes.md)"),
        ("Embed ![[Secret]]", "Embed \\!\\[\\[Secret\\]\\]"),
        ("Click [me](javascript:alert(1))", "Click \\[me\\](javascript:alert(1))"),
        ("a <img src=x onerror=alert(1)>", "a &lt;img src\\=x onerror\\=alert(1)\\>"),
        ("[[a<b]] and [[ok|x<y]]", "\\[\\[a&lt;b\\]\\] and \\[\\[ok\\|x&lt;y\\]\\]"),
    ],
)
def test_rich_text_examples(value: str, shown: str) -> None:
    assert rich_text(value) == shown


_ENTITY = re.compile(r"#(\d+|quot|lt|gt|amp);")
_NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


@settings(max_examples=500, deadline=None)
@given(name=TEXT)
@example("%%{init: {'themeCSS': 'svg { background-image: url(https://evil.example/track.png) }'}}%% Eve")
@example('x"]\n  click n0 href "javascript:alert(1)"')
@example("Back\\")
def test_mermaid_label_is_one_quoted_inert_label_that_reads_as_written(name: str) -> None:
    out = label(name)
    _one_line(out)
    assert out.startswith('"') and out.endswith('"') and '"' not in out[1:-1]
    body = out[1:-1]
    assert not set(body) & set("%<>`\\")
    assert "#" not in _ENTITY.sub("", body)  # every `#` starts an entity
    decoded = _ENTITY.sub(lambda m: _NAMED.get(m.group(1)) or chr(int(m.group(1))), body)
    assert decoded == (one_line(name).strip() or "?")


@settings(max_examples=300, deadline=None)
@given(name=TEXT)
@example("People/a<img src=x>\u2028b\rc.md")
def test_canvas_text_and_paths_stay_on_one_line_of_json(name: str) -> None:
    item = {"id": "n", "type": "text", "text": node_text(name, True), "file": name}
    line = canvas_json(item)
    assert json.loads(line) == item
    assert not set(line) & set("\n\r\u2028\u2029<")
    _one_line(item["text"])
