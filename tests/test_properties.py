"""Property-based: whatever a note says, parsing never raises, every diagnostic names its
file, and a sync never writes outside its output folder."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notesync.parse import parse_note
from notesync.pipeline import sync

KEYS = [
    "type",
    "contact",
    "referrer",
    "date",
    "status",
    "referrals",
    "actions",
    "thanked",
    "referrer_updated",
    "company",
    "role",
    "aliases",
    "keep_in_touch",
    "tags",
    "channel",
    "email",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "[[Jane Smith]]",
            "[[People/Jane|J]]",
            "2026-11-20",
            "2026-02-30",
            "done",
            "requested",
            "interview",
            "contact",
            "[[",
            "]]",
            "#tag",
            "NO",
            "0123",
            "12:30",
            "../../x",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
front = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), values, max_size=8)
bodies = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(
            [
                "- [ ] task 📅 2026-11-25",
                "- [x] done ✅ 2026-11-01",
                "```",
                "%%",
                "<!--",
                "-->",
                "    - [/] indented [due:: 2026-13-45]",
                "> - [?] quoted 📅 2026-11-20 more",
                "---",
            ]
        ),
    ),
    max_size=12,
)


def _dump(meta: dict[str, Any]) -> str:
    try:
        return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):
        return "broken: [\n"


@st.composite
def notes(draw: st.DrawFn) -> bytes:
    style = draw(st.sampled_from(["yaml", "raw", "bytes"]))
    if style == "bytes":
        return draw(st.binary(max_size=300))
    body = "\n".join(draw(bodies))
    if style == "yaml":
        text = "---\n" + _dump(draw(front)) + "---\n" + body
    else:
        text = draw(st.text(max_size=300)) + "\n" + body
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + text.replace("\n", newline)).encode("utf-8", "surrogatepass")


@settings(max_examples=400, deadline=None)
@given(data=notes())
def test_parsing_never_raises_and_diagnostics_carry_the_path(data: bytes) -> None:
    note, diags = parse_note("Folder/n.md", data)
    assert note is None or note.path == "Folder/n.md"
    for d in diags:
        assert d.path == "Folder/n.md"
        assert d.line >= 0 and d.code and d.message
        assert "\n" not in str(d)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.lists(notes(), min_size=1, max_size=6), output=st.sampled_from(["notesync", "out/pages", "Ä"])
)
def test_sync_never_writes_outside_its_output_folder(files: list[bytes], output: str) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        vault = root / "vault"
        (vault / "sub").mkdir(parents=True)
        (vault / ".notesync.toml").write_text(f'output = "{output}"\n', "utf-8")
        for i, data in enumerate(files):
            (vault / ("sub" if i % 2 else "") / f"note {i}.md").write_bytes(data)
        before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        sync(vault, today=date(2026, 11, 26))
        after = {p for p in root.rglob("*") if p.is_file()}
        for path in after - set(before):
            rel = path.relative_to(vault).as_posix()
            assert rel.startswith((output + "/", ".notesync/")), rel
        for path, data in before.items():
            assert path.read_bytes() == data
    finally:
        shutil.rmtree(root)


LINES = st.sampled_from(
    [
        "",
        "A paragraph of notes.",
        "- a plain item",
        "- [ ] task 📅 2026-11-25",
        "  - [x] nested done ✅ 2026-11-02",
        "    - [/] four spaces [due:: 2026-11-30]",
        "\t- [ ] a tab",
        "1. [ ] numbered",
        "2. [-] numbered two",
        "* [?] star",
        "> - [ ] quoted",
        "```",
        "~~~",
        "%%",
        "<div>",
        "# Heading",
        "---",
        "   - [ ] three spaces",
    ]
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(LINES, max_size=14))
def test_fast_task_scan_agrees_with_markdown_it(lines: list[str]) -> None:
    """The line-by-line fast path must find exactly the tasks markdown-it finds."""
    from notesync import tasks

    body = "\n".join(lines)
    fast = [(line, t) for line, t in tasks.find_tasks(body)]
    items = tasks._item_first_lines(body)
    reference = []
    for i, line in enumerate(body.split("\n")):
        task = tasks.parse_task_line(line) if i in items else None
        if task is not None:
            reference.append((i + 1, task))
    assert fast == reference


@settings(max_examples=500, deadline=None)
@given(
    value=st.text(
        alphabet=st.sampled_from(list(" \t\n\r\x00\x85\u00a0\u2003\u2028ab_*[]|#~=$%^!<>&`\\é")), max_size=30
    )
)
def test_text_fast_path_escapes_exactly_like_the_full_escape(value: str) -> None:
    """`text` skips its two substitutions for plain values; the result must not differ."""
    from notesync.render import markdown

    full = markdown._ESCAPE.sub(markdown._escape, markdown._SPACE.sub(" ", value))
    assert markdown.text(value) == full
