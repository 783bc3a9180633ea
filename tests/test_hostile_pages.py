"""Nothing in a note can stop a sync or script a page (issue 12).

One vault holds every hostile case at once: the example's notes, the hostile files of
test_hostile, the hostile names of test_referral_map, dates at the end of the calendar,
huge numbers, names that try Mermaid directives, HTML and line breaks, task text with
links, embeds and `javascript:`, and the conflict copies of four sync services. Every
command runs on it without a traceback, every diagnostic is one `path:line: code:
message` line, the pages hold no tag, line break or directive, and the map renders with
the real Mermaid unchanged in theme and CSS.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from notesync.cli import main
from notesync.pipeline import analyse, sync
from notesync.render import PAGE_NAMES
from notesync.render.markdown import one_line
from notesync.watch import Pass, Watcher

from .conftest import TODAY
from .mermaid_render import render_markdown, svg_has_error, svg_text_labels
from .test_hostile import add_hostile_files
from .test_referral_map import HOSTILE, _require_mmdc

DAY = date(2026, 11, 26)
DIAGNOSTIC = re.compile(r"^[^\n]+:\d+: [a-z-]+: .+$")
RAW_TAG = re.compile(r"<[A-Za-z/!?]")

THEME_CSS = "%%{init: {'themeCSS': 'svg { background-image: url(https://evil.example/track.png) }'}}%% Eve"
DARK = "%%{init: {'theme':'dark'}}%% Eve"
TEMPLATE_NAME = "{{referrer}} {{date}} {{actions}} Zed"
IMG = "a<img src=x onerror=alert(1)>"
# Names that come from front-matter (any string YAML can hold) or from file names.
NAMES = [
    THEME_CSS,
    DARK,
    "%% comment Cat",
    'Mal"]\n  click n0 href "javascript:alert(1)"',
    "Call call n0 alert",
    TEMPLATE_NAME,
    "Line\u2028Sep\u2029Para",
    "Vee\x0bFormfeed\x0cNel\x85",
    "Ctl\x01Chars\x7f",
    "<script>alert(1)</script>",
    "Amp &amp; &#60;b&#62;",
    "Back\\",
]
CONFLICT_COPIES = {
    "Interviews/2026-11-20 Tom Lee.sync-conflict-20261128-123456-ABCDEFG.md": "Interviews/2026-11-20 Tom Lee.md",
    "People/Jane Smith (conflicted copy).md": "People/Jane Smith.md",
    "People/Jane Smith (Jane's conflicted copy 2026-11-28).md": "People/Jane Smith.md",
    "People/Tom Lee (Case Conflict).md": "People/Tom Lee.md",
    "People/Brad Johnson (Conflicted copy MacBook 202611281234).md": "People/Brad Johnson.md",
    "People/Sam Patel (conflicted copy 2026-11-28 123456).md": "People/Sam Patel.md",
}


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar (JSON's syntax), with the characters YAML refuses raw escaped."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, ensure_ascii=False))


def _interview(contact: str, day: str, status: str, extra: str = "", body: str = "") -> str:
    return (
        f"---\ntype: interview\ncontact: {_yaml(contact)}\ndate: {day}\nstatus: {status}\n{extra}---\n{body}"
    )


def build_hostile_vault(vault: Path, outside: Path) -> list[str]:
    """Add every hostile case to a copy of the example vault; return the expected
    diagnostics of test_hostile's files."""
    expected = add_hostile_files(vault, outside)
    files: dict[str, str] = {}
    # the hostile names of the referral map test, as one referral chain
    previous = None
    for i, name in enumerate([*HOSTILE, *NAMES]):
        ref = f"referrer: {_yaml(previous)}\n" if previous else ""
        status = (
            "done" if name == TEMPLATE_NAME else ("done", "requested", "declined")[i % 3]
        )  # (drafted below)
        files[f"Names/{i:02d}.md"] = _interview(
            name, f"2026-11-{1 + i % 25:02d}", status, f"{ref}company: {_yaml(name)}\nrole: {_yaml(name)}\n"
        )
        previous = name
    # the end of the calendar, with every rule that counts from a date
    for status in ("done", "requested", "scheduled"):
        files[f"Calendar/{status}.md"] = _interview(
            f"Late {status}",
            "9999-12-31",
            status,
            'referrer: "[[Jane Smith]]"\nreferrals: ["[[Late Referral]]"]\n',
        )
    files["Calendar/first.md"] = _interview("Early Bird", "0001-01-01", "done")
    files["Calendar/task.md"] = _interview(
        "Task End", "2026-11-01", "done", "thanked: true\n", "- [ ] Far away 📅 9999-12-31\n"
    )
    files["People/Huge Int.md"] = "---\ntype: contact\nkeep_in_touch: 99999999999999999999999\n---\n"
    files["People/Huge String.md"] = '---\ntype: contact\nkeep_in_touch: "99999999999999999999999"\n---\n'
    files["Calendar/huge-int.md"] = _interview("Huge Int", "2026-01-01", "done", "thanked: true\n")
    files["Calendar/huge-string.md"] = _interview("Huge String", "2026-01-01", "done", "thanked: true\n")
    # file names that carry HTML and line breaks
    files[f"Interviews/{IMG}.md"] = _interview("Img Person", "2026-11-10", "requested")
    files["People/Eve\rMallory.md"] = "---\ntype: contact\ncompany: Evil | Corp\n---\n"
    files["Interviews/eve.md"] = _interview("Eve\rMallory", "2026-11-10", "requested")
    files["People/Lou\u2028Line.md"] = "---\ntype: contact\n---\n"
    files["Interviews/lou.md"] = _interview("[[Lou\u2028Line]]", "2026-11-11", "requested")
    # task text: the user's own links work, HTML, embeds and javascript: links do not
    files["Interviews/2025-09-06 Person 2206.md"] = _interview(
        "[[Person 2206]]",
        "2025-09-06",
        "done",
        "thanked: true\nactions:\n  - text: 'Ask <img src=x onerror=alert(1)> about ![[Secret]]'\n    due: 2026-11-20\n",
        "- [ ] Send thank-you [[Person 2206]] 📅 2025-09-07\n"
        "- [ ] Read [the report](https://example.com/r?a=1&b=2) and [this](javascript:alert(1)) 📅 2026-11-21\n"
        "- [ ] ![](https://t.example/pixel.png) %%{init: {'theme':'dark'}}%% \u2028 <b>x</b> 📅 2026-11-22\n",
    )
    # sync services' conflict copies of notes of the example
    for copy, original in CONFLICT_COPIES.items():
        files[copy] = (vault / original).read_text("utf-8")
    # a user's own template, for `draft`
    files["Templates/Thank-you note.md"] = "Hello {{title}},\n\nThanks for {{when}}; {{referrer}} says hi.\n"
    for rel, content in files.items():
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8", newline="")
    (vault / ".notesync.toml").write_text('ignore = ["Templates"]\n', "utf-8")
    return expected


@pytest.fixture
def hostile_vault(example_vault: Path, tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    build_hostile_vault(example_vault, outside)
    return example_vault


def _run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    return result


# --- must show 1: every command, exit 0 or 1, no traceback, diagnostics one per line ---------


def test_every_command_runs_on_the_hostile_vault(hostile_vault: Path, tmp_path: Path) -> None:
    vault = str(hostile_vault)
    synced = _run("sync", vault, "--today", TODAY)
    checked = _run("check", vault, "--today", TODAY)
    assert checked.exit_code == 1
    lines = checked.stdout.splitlines()
    assert lines and all(DIAGNOSTIC.match(line) for line in lines), [
        line for line in lines if not DIAGNOSTIC.match(line)
    ]
    for line in synced.stderr.splitlines():
        assert DIAGNOSTIC.match(line), line
    assert _run("sync", vault, "--today", TODAY, "--json").stdout
    assert isinstance(json.loads(_run("followups", vault, "--today", TODAY, "--json").stdout), list)
    for args in (["--upcoming", "3650"], []):  # one item a line
        listed = _run("followups", vault, "--today", TODAY, *args)
        assert not set(listed.stdout) & {"\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"}
    for fmt in ("mermaid", "canvas", "json", "graphml", "gexf"):
        out = _run("graph", vault, "--today", TODAY, "--format", fmt)
        assert out.exit_code == 0 and out.stdout
        if fmt in ("graphml", "gexf"):  # well-formed XML, every person in it
            read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
            assert read(io.BytesIO(out.stdout.encode("utf-8"))).number_of_nodes() > len(HOSTILE) + len(NAMES)
        else:
            assert not set(out.stdout) & {"\r", "\u2028", "\u2029"}
    for name in (TEMPLATE_NAME, THEME_CSS, "Eve Mallory", "Pipe | Person", "Jane Smith", "Nobody At All"):
        for kind in ("thank-you", "referrer-update", "follow-up", "outreach"):
            _run("draft", kind, name, "--vault", vault, "--today", TODAY)
    drafted = _run("draft", "thank-you", TEMPLATE_NAME, "--vault", vault, "--today", TODAY)
    assert drafted.stdout.startswith(f"Hello {TEMPLATE_NAME},\n")  # filled once, not again


def test_watch_passes_on_the_hostile_vault(hostile_vault: Path) -> None:
    """The first sync and the passes after a hostile note is added or a conflict copy
    appears: each is reported, none stops the watcher."""
    passes: list[Pass] = []
    watcher = Watcher(hostile_vault, passes.append, today=lambda: DAY, tick=0.05)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        _wait_for(lambda: len(passes) >= 1)
        (hostile_vault / "Calendar" / "later.md").write_text(
            _interview("Later", "9999-12-30", "done"), "utf-8"
        )
        _wait_for(lambda: len(passes) >= 2)
        (hostile_vault / "People" / "Tom Lee.sync-conflict-20261129-000000-XYZ1234.md").write_text(
            "x", "utf-8"
        )
        _wait_for(lambda: len(passes) >= 3)
    finally:
        watcher.stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert [p.error for p in passes] == [None] * len(passes)
    last = passes[-1].result
    assert last is not None and any(
        d.code == "conflict-copy" and "XYZ1234" in d.path for d in last.diagnostics
    )


def _wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ("upcoming_days = 3000000", "upcoming_days"),
        ("[rules]\nno_response = 99999999999", "rules.no_response"),
        ("[rules]\nkeep_in_touch = 4000000", "rules.keep_in_touch"),
        ("[watch]\ndebounce_ms = 100000000000000", "watch.debounce_ms"),
        ('output = "Interviews"', "output folder 'Interviews'"),
    ],
)
def test_settings_out_of_range_are_a_clean_error_naming_the_key(
    hostile_vault: Path, settings: str, key: str
) -> None:
    (hostile_vault / ".notesync.toml").write_text(settings + "\n", "utf-8")
    for command in ("sync", "check", "followups"):
        result = _run(command, str(hostile_vault), "--today", TODAY)
        assert result.exit_code == 1 and key in result.output
    assert not (hostile_vault / "notesync").exists()


# --- must show 3: no tag, no line break, no directive; whole table rows; working links ----------


def _table_rows(page: str) -> list[tuple[int, list[int]]]:
    """For each table of a page: its header's cell count and each body row's."""
    tokens = MarkdownIt("commonmark").enable("table").parse(page)
    tables: list[tuple[int, list[int]]] = []
    cells = 0
    section = ""
    for tok in tokens:
        if tok.type == "table_open":
            tables.append((0, []))
        elif tok.type in ("thead_open", "tbody_open"):
            section = tok.type
        elif tok.type == "tr_open":
            cells = 0
        elif tok.type in ("th_open", "td_open"):
            cells += 1
        elif tok.type == "tr_close":
            head, rows = tables[-1]
            tables[-1] = (cells, rows) if section == "thead_open" else (head, [*rows, cells])
    return tables


def test_no_page_holds_a_tag_a_line_break_or_a_directive(hostile_vault: Path) -> None:
    sync(hostile_vault, today=DAY)
    out = hostile_vault / "notesync"
    for name in PAGE_NAMES:
        page = (out / name).read_text("utf-8")
        assert RAW_TAG.search(page) is None, (name, RAW_TAG.search(page))
        for bad in ("\r", "\u2028", "\u2029", "%%{", "\x0b", "\x0c", "\x85"):
            assert bad not in page, (name, bad)
        assert re.search(r"(?<!\\)\]\(\s*javascript", page, re.I) is None, name  # no live javascript: link
    tables = 0
    for name in PAGE_NAMES:
        if name.endswith(".md"):
            for head, rows in _table_rows((out / name).read_text("utf-8")):
                tables += 1
                assert rows and all(n == head for n in rows), (name, head, rows)
    assert tables >= 3
    canvas = json.loads((out / "Referral Map.canvas").read_text("utf-8"))
    assert any("Eve" in (n.get("text") or n.get("file") or "") for n in canvas["nodes"])


def test_a_users_link_in_an_action_works_and_nothing_else_does(hostile_vault: Path) -> None:
    sync(hostile_vault, today=DAY)
    page = (hostile_vault / "notesync" / "Follow-ups.md").read_text("utf-8")
    lines = {line.split(" · ")[2]: line for line in page.splitlines() if line.count(" · ") >= 2}
    thanks = next(line for what, line in lines.items() if what.startswith("Send thank-you"))
    assert "Send thank-you [[Person 2206]] · from" in thanks  # the name once
    report = next(line for what, line in lines.items() if what.startswith("Read "))
    assert "[the report](https://example.com/r?a=1&b=2)" in report
    assert "\\[this\\](javascript:alert(1))" in report  # shown, not a link
    assert "Ask &lt;img src\\=x onerror\\=alert(1)\\> about \\!\\[\\[Secret\\]\\]" in page
    assert "\\!\\[\\](https://t.example/pixel.png) \\%\\%{init" in page
    assert f"from {IMG.replace('<', '&lt;').replace('=', chr(92) + '=').replace('>', chr(92) + '>')}" in page


# --- must show 2: the map, rendered by the real Mermaid ----------------------------------------


def _style(svg: str) -> str:
    m = re.search(r"<style>(.*?)</style>", svg, re.S)
    assert m is not None
    return m.group(1)


class _Markup(HTMLParser):
    """The SVG's attribute values and style sheets: what a browser reads as markup, not text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markup: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.markup.extend(v for _, v in attrs if v)
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.markup.append(data)


def _references(svg: str) -> set[str]:
    """Every URL the SVG's markup (not its text) names: in an attribute, in CSS `url()`, `@import`."""
    parser = _Markup()
    parser.feed(svg)
    markup = "\n".join(parser.markup)
    found = set(re.findall(r"(?:https?|ftp|javascript|data):[^\s\"')]*", markup, re.I))
    found |= {u for u in re.findall(r"url\(\s*[\"']?([^\"')]*)", markup) if not u.startswith("#")}
    assert "@import" not in markup
    return found


def _fills(svg: str) -> set[str]:
    return {f.lower() for f in re.findall(r"fill:\s*(#[0-9a-fA-F]{3,8}|[a-z]+)", svg)}


def test_the_map_renders_unchanged_in_theme_and_css_with_every_label(
    hostile_vault: Path, example_vault: Path, make_vault: Callable[..., Path], tmp_path: Path
) -> None:
    _require_mmdc()
    # the page as a plain vault draws it, with a person of each colour: the reference theme and CSS
    plain = make_vault(
        {
            "a.md": _interview("Met", "2026-11-01", "done", 'referrals: ["Not Yet"]\n'),
            "b.md": _interview("Asked", "2026-11-01", "requested"),
            "c.md": _interview("Declined", "2026-11-01", "declined"),
        }
    )
    sync(plain, today=DAY)
    reference = render_markdown((plain / "notesync" / "Referral Map.md").read_text("utf-8"), tmp_path / "ref")
    assert reference.ok, reference.stderr[-2000:]
    sync(hostile_vault, today=DAY)
    page = (hostile_vault / "notesync" / "Referral Map.md").read_text("utf-8")
    code = re.search(r"```mermaid\n(.*?)```", page, re.S).group(1)  # type: ignore[union-attr]
    for line in code.splitlines()[1:]:  # a node, an edge, the clickable class or a colour: nothing else
        assert re.fullmatch(
            r'  (n\d+\["[^"]+"\]:::\w+|n\d+ --> n\d+|class [n\d,]+ internal-link|classDef .+)', line
        )
    rendered = render_markdown(page, tmp_path / "render")
    assert rendered.ok, rendered.stderr[-2000:]
    (svg,) = rendered.svgs
    assert not svg_has_error(svg)
    assert _style(svg) == _style(reference.svgs[0])  # no theme switch, no injected CSS
    assert _fills(svg) <= _fills(reference.svgs[0])  # no node fill but the page's own classDefs
    # nothing the SVG would fetch or run: a URL in a name is only text in a label
    assert {u for u in _references(svg) if not u.startswith("http://www.w3.org/")} == set()  # namespaces
    names = {p.name for p in analyse(hostile_vault, today=DAY).net.people.values()}
    assert {one_line(n).strip() for n in names} | {"Me"} == set(svg_text_labels(svg))
    assert THEME_CSS in names and DARK in names


# --- must show 4: conflict copies ---------------------------------------------------------------


def test_conflict_copies_count_nowhere_and_are_each_reported_once(
    hostile_vault: Path, tmp_path: Path
) -> None:
    with_copies = sync(hostile_vault, today=DAY)
    with_items = analyse(hostile_vault, today=DAY).items
    diags = [d for d in with_copies.diagnostics if d.code == "conflict-copy"]
    assert sorted(d.path for d in diags) == sorted(CONFLICT_COPIES)
    for d in diags:
        assert d.line == 0 and f"conflicting copy of {CONFLICT_COPIES[d.path]}; not read" in d.message
    pages = {name: (hostile_vault / "notesync" / name).read_bytes() for name in PAGE_NAMES}
    for copy in CONFLICT_COPIES:
        (hostile_vault / copy).unlink()
    without = sync(hostile_vault, today=DAY, use_cache=False)
    assert with_copies.summary == without.summary
    assert analyse(hostile_vault, today=DAY).items == with_items
    assert {name: (hostile_vault / "notesync" / name).read_bytes() for name in PAGE_NAMES} == pages
    a = analyse(hostile_vault, today=DAY)
    jane = a.net.people["jane smith"]
    assert jane.note == "People/Jane Smith.md"
    assert not any("onflict" in f"{p.name} {p.note}" for p in a.net.people.values())  # no copy is anyone
