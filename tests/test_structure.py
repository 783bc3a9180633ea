"""The shape the code keeps: no import cycles among notesync's modules, and only the CLI
knows click (the library is usable without it, as sqlite-utils' is)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "notesync"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """The notesync modules `path` imports when it is imported (module level, outside
    `if TYPE_CHECKING:`), and the top-level packages it imports anywhere."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text("utf-8"))
    ours: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                is_module = (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists()
                ours.add(sub if is_module else target)
    anywhere = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and not node.level
            else []
        )
    }
    return ours, anywhere


def test_no_import_cycles() -> None:
    graph = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        ours, _ = _imports(path)
        graph.add_edges_from((_module(path), m) for m in ours)
    assert graph.number_of_nodes() > 40  # the walk saw the package
    assert list(nx.simple_cycles(graph)) == []


def test_only_the_cli_imports_click() -> None:
    users = sorted(_module(p) for p in PACKAGE.rglob("*.py") if "click" in _imports(p)[1])
    assert users == ["notesync.cli"]


def test_the_public_api_is_imported_when_first_used() -> None:
    """`import notesync` (which the command does first) imports none of its modules; each
    name of the API is found where the package says it is."""
    import notesync

    code = "import sys, notesync; print(sorted(m for m in sys.modules if m.startswith('notesync')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['notesync']"
    assert set(notesync.__all__) == {"__version__", *notesync._MODULE_OF}
    for name in notesync.__all__:
        assert getattr(notesync, name) is not None
    assert dir(notesync) == sorted(notesync.__all__)
    with pytest.raises(AttributeError):
        getattr(notesync, "nothing_of_that_name")  # noqa: B009 (mypy would refuse the name)


def test_a_sync_with_nothing_to_do_imports_no_parser(example_vault: Path) -> None:
    """The no-op answer comes from the store: the run that gives it imports neither the
    parser, YAML, the graph nor the pages (which would cost it a third of its time)."""
    code = (
        "import sys; from notesync.cli import run\n"
        "code = run(['sync', sys.argv[1], '--today', '2026-11-26'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('yaml', 'networkx', 'frontmatter', 'markdown_it') or m in "
        "('notesync.parse', 'notesync.rules', 'notesync.graph', 'notesync.render.pages')), file=sys.stderr)\n"
        "sys.exit(code)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code, str(example_vault)], capture_output=True, text=True)
        for _ in range(2)
    ]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert "notesync.parse" in runs[0].stderr  # the first run reads the notes
    assert "wrote 0 pages" in runs[1].stdout
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"


def test_the_state_layer_stays_small() -> None:
    """The store, the memo, page ownership and the lock: at most 600 lines together (what
    reuse costs the reader), and reuse kept out of the stages."""
    modules = ("store", "memo", "owner", "lock")
    lines = sum(len((PACKAGE / f"{m}.py").read_text("utf-8").splitlines()) for m in modules)
    assert lines <= 600, lines
    for stage in ("parse", "resolve", "graph", "rules", "people", "parts", "render/pages"):
        path = PACKAGE / f"{stage}.py"
        ours, anywhere = _imports(path)
        assert "notesync.store" not in ours and "sqlite3" not in anywhere, stage
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)}
                assert not names & {"memo", "cache", "store"}, f"{stage}.{node.name}"
