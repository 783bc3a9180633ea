"""The referral map: Mermaid rendered by the real renderer, the canvas, and the exports.

Rendering needs mermaid-cli in headless Chromium (`bash tests/mermaid/install.sh`). Without
it these tests skip, unless NOTESYNC_REQUIRE_MERMAID=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from notesync.cli import main
from notesync.export import export
from notesync.pipeline import analyse, sync
from notesync.render.mermaid import MAX_CHARS, MAX_EDGES, label

from .canvas_validator import validate
from .conftest import TODAY
from .mermaid_render import mmdc_path, render_markdown, svg_has_error, svg_text_labels

DAY = date(2026, 11, 26)

HOSTILE = [
    'Bob "Bobby" Tables',
    "Dana O'Brien",
    "Alice (CEO)",
    "Zed [Contractor]",
    "Curly {Braces}",
    "Pipe | Person",
    "C# Developer",
    "Semi; Colon",
    "Less < Than > More",
    "/Leading Slash",
    "Zoë Ångström 東京",
    "Emoji 🚀 Fan",
    "end",
    "graph",
    "click",
    "subgraph",
    "style",
    "classDef",
    "flowchart",
    "call",
    "default",
    "A --> B",
    "Back`tick",
    "`Starts with backtick",
    "Amp & Co",
    "Percent %% Sign",
    "Triple:::Colon",
    "<b>bold</b>",
    "&quot; entity",
    "#quot; mermaid entity",
    "bob@example.com",
    "Back\\slash",
    "Ends with a dot.",
    "$$math$$ and $5",  # (Mermaid 11 draws `$$...$$` as KaTeX)
    "x",
]


def _require_mmdc() -> None:
    if mmdc_path() is None:
        if os.environ.get("NOTESYNC_REQUIRE_MERMAID") == "1":
            pytest.fail("mermaid-cli is required here (NOTESYNC_REQUIRE_MERMAID=1) but not installed")
        pytest.skip("mermaid-cli not installed: bash tests/mermaid/install.sh")


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def hostile_vault(make_vault: Callable[[dict[str, str | bytes]], Path]) -> Path:
    """A referral chain through every hostile name, plus a cycle, a self-referral and a
    person referred by two others."""
    files: dict[str, str | bytes] = {}
    previous = None
    for i, name in enumerate(HOSTILE):
        status = ["done", "requested", "declined"][i % 3]
        ref = f"referrer: {_yaml(previous)}\n" if previous else ""
        files[f"Interviews/{i:02d}.md"] = (
            f"---\ntype: interview\ncontact: {_yaml(name)}\n{ref}date: 2026-11-{1 + i % 25:02d}\n"
            f"status: {status}\nthanked: true\nreferrer_updated: true\n---\n"
        )
        previous = name
    files["Interviews/cycle-a.md"] = (
        '---\ncontact: "Cy A"\nreferrer: "Cy B"\ndate: 2026-11-01\nstatus: done\nthanked: true\n'
        "referrer_updated: true\n---\n"
    )
    files["Interviews/cycle-b.md"] = (
        '---\ncontact: "Cy B"\nreferrer: "Cy A"\ndate: 2026-11-02\nstatus: done\nthanked: true\n'
        "referrer_updated: true\n---\n"
    )
    files["Interviews/self.md"] = (
        '---\ncontact: "Selfie"\nreferrer: "Selfie"\ndate: 2026-11-03\nstatus: requested\n---\n'
    )
    files["Interviews/two.md"] = (
        '---\ncontact: "Alice (CEO)"\nreferrer: "end"\ndate: 2026-11-04\nstatus: done\nthanked: true\n'
        "referrer_updated: true\n---\n"
    )
    return make_vault(files)


def big_vault(root: Path, people: int) -> Path:
    """A referral tree of `people` people: each one's note names their referrer."""
    for i in range(people):
        ref = f'referrer: "[[Person {(i - 1) // 3:04d}]]"\n' if i else ""
        path = root / "Interviews" / f"{i // 100:02d}" / f"{i:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f'---\ntype: interview\ncontact: "[[Person {i:04d}]]"\n{ref}date: 2026-10-01\n'
            f"status: {'done' if i % 2 else 'requested'}\nthanked: true\nreferrer_updated: true\n---\n",
            "utf-8",
        )
    return root


def map_block(page: str) -> str:
    m = re.search(r"```mermaid\n(.*?)```", page, re.S)
    assert m is not None
    return m.group(1)


def rendered_labels(page: str, workdir: Path) -> list[str]:
    result = render_markdown(page, workdir)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(result.svgs) == 1
    assert not svg_has_error(result.svgs[0])
    return svg_text_labels(result.svgs[0])


def test_example_map_renders_with_every_person(example_vault: Path, tmp_path: Path) -> None:
    _require_mmdc()
    sync(example_vault, today=DAY)
    page = (example_vault / "notesync" / "Referral Map.md").read_text("utf-8")
    labels = rendered_labels(page, tmp_path)
    names = {p.name for p in analyse(example_vault, today=DAY).net.people.values()}
    assert names | {"Me"} == set(labels)


def test_hostile_names_never_break_the_diagram(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    _require_mmdc()
    vault = hostile_vault(make_vault)
    sync(vault, today=DAY)
    names = {p.name for p in analyse(vault, today=DAY).net.people.values()}
    assert set(HOSTILE) <= names  # each name survived parsing and resolution as written
    page = (vault / "notesync" / "Referral Map.md").read_text("utf-8")
    labels = rendered_labels(page, tmp_path / "render")
    assert sorted(names | {"Me"}) == sorted(labels)
    # only names Obsidian can link to are clickable
    code = map_block(page)
    clickable = {
        n for line in code.splitlines() if "internal-link" in line for n in line.split()[1].split(",")
    }
    ids = dict(re.findall(r'^  (n\d+)\["(.*)"\]', code, re.M))
    assert label("Pipe | Person")[1:-1] not in {ids[i] for i in clickable}
    assert label("Dana O'Brien")[1:-1] in {ids[i] for i in clickable}


def test_two_thousand_people_still_render_and_the_canvas_has_everyone(tmp_path: Path) -> None:
    _require_mmdc()
    vault = big_vault(tmp_path / "big", 2000)
    sync(vault, today=DAY)
    page = (vault / "notesync" / "Referral Map.md").read_text("utf-8")
    code = map_block(page)
    assert len(code) <= MAX_CHARS + 2000 and code.count("-->") <= MAX_EDGES
    assert "Showing " in page and " of 2000 people" in page and "Referral Map.canvas" in page
    labels = rendered_labels(page, tmp_path / "render")
    shown = int(re.search(r"Showing (\d+) of 2000 people", page).group(1))  # type: ignore[union-attr]
    assert len(labels) == shown + 1 > 300
    canvas = json.loads((vault / "notesync" / "Referral Map.canvas").read_text("utf-8"))
    assert validate(canvas) == []
    texts = {n.get("text") for n in canvas["nodes"]}
    assert all(f"[[Person {i:04d}]]" in texts for i in range(2000))


def test_canvases_are_valid_and_deterministic(
    example_vault: Path, make_vault: Callable[..., Path], tmp_path: Path
) -> None:
    for vault in (example_vault, hostile_vault(make_vault)):
        sync(vault, today=DAY)
        raw = (vault / "notesync" / "Referral Map.canvas").read_text("utf-8")
        canvas = json.loads(raw)
        assert validate(canvas) == []
        a = analyse(vault, today=DAY)
        assert len(canvas["nodes"]) == a.graph.number_of_nodes() + 1  # and the legend
        assert len(canvas["edges"]) == a.graph.number_of_edges()
        again = export(a, "canvas")
        assert again == raw
    files = {
        n["file"]
        for n in json.loads((example_vault / "notesync" / "Referral Map.canvas").read_text())["nodes"]
        if n["type"] == "file"
    }
    assert "People/Jane Smith.md" in files and all((example_vault / f).exists() for f in files)


def test_canvas_validator_catches_real_mistakes() -> None:
    good = {
        "nodes": [{"id": "a", "type": "text", "text": "x", "x": 0, "y": 0, "width": 10, "height": 10}],
        "edges": [],
    }
    assert validate(good) == []
    bad_nodes = [
        {"id": "a", "type": "text", "text": "x", "x": 0, "y": 0, "width": 10, "height": 10},
        {"id": "a", "type": "file", "x": 5, "y": 5, "width": 10, "height": 10},
        {"id": "c", "type": "text", "text": "x", "x": 100.5, "y": 0, "width": 10, "height": 10},
    ]
    problems = validate({"nodes": bad_nodes, "edges": [{"id": "e", "fromNode": "a", "toNode": "zz"}]})
    assert any("x must be an integer" in p for p in problems)
    assert any("duplicate id" in p for p in problems)
    assert any("file node without file" in p for p in problems)
    assert any("toNode 'zz'" in p for p in problems)
    assert any("fromSide" in p for p in problems)
    assert any("overlap" in p for p in problems)


def _same_graph(loaded: nx.DiGraph, original: nx.DiGraph) -> None:
    assert set(map(str, loaded.nodes)) == set(original.nodes)
    assert {(str(u), str(v)) for u, v in loaded.edges} == set(original.edges)


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
@pytest.mark.parametrize("synced", [False, True])
def test_graph_exports_load_back(example_vault: Path, tmp_path: Path, fmt: str, synced: bool) -> None:
    if synced:  # then the people come from the cache, with a plain copy of the graph
        sync(example_vault, today=DAY)
    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(
        main, ["graph", str(example_vault), "--today", TODAY, "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    original = analyse(example_vault, today=DAY).graph
    if fmt == "json":
        data = json.loads(out.read_text("utf-8"))
        loaded = nx.node_link_graph(data, edges="edges")
        jane = loaded.nodes["jane smith"]
        assert jane["name"] == "Jane Smith" and jane["note"] == "People/Jane Smith.md"
        edge = loaded.edges["jane smith", "tom lee"]
        assert edge["date"] == "2026-10-20" and edge["source_note"] == "Interviews/2026-10-20 Jane Smith.md"
    elif fmt == "graphml":
        loaded = nx.read_graphml(io.BytesIO(out.read_bytes()))
    else:
        loaded = nx.read_gexf(io.BytesIO(out.read_bytes()))
    _same_graph(loaded, original)
    assert loaded.is_directed()


def test_graph_output_never_replaces_a_note(example_vault: Path, tmp_path: Path) -> None:
    """`graph -o` writes over an earlier export, never over a note."""
    note = example_vault / "People" / "Jane Smith.md"
    before = note.read_bytes()
    result = CliRunner().invoke(main, ["graph", str(example_vault), "--format", "json", "-o", str(note)])
    assert result.exit_code == 1 and "is a note: notesync graph never writes over one" in result.output
    assert note.read_bytes() == before
    out = tmp_path / "graph.json"
    out.write_text("old", "utf-8")
    again = CliRunner().invoke(main, ["graph", str(example_vault), "--format", "json", "-o", str(out)])
    assert again.exit_code == 0 and out.read_text("utf-8").startswith("{")


def test_mermaid_format_is_the_page_diagram(example_vault: Path) -> None:
    sync(example_vault, today=DAY)
    page = (example_vault / "notesync" / "Referral Map.md").read_text("utf-8")
    out = CliRunner().invoke(main, ["graph", str(example_vault), "--today", TODAY, "--format", "mermaid"])
    assert out.stdout == map_block(page)


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ('Bob "Bobby"', '"Bob #quot;Bobby#quot;"'),
        ("C# dev", '"C#35; dev"'),
        ("a < b", '"a #lt; b"'),
        ("`md`", '"#96;md#96;"'),
        ("plain", '"plain"'),
    ],
)
def test_label_escapes(name: str, quoted: str) -> None:
    assert label(name) == quoted
