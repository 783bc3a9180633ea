"""The shape the code keeps: no import cycles among notesync's modules, and only the CLI
knows click (the library is usable without it, as sqlite-utils' is)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

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
