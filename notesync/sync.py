"""One pass from the vault to its pages; the CLI and the watcher both call this."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import people_diagnostics
from .config import Config, load_config
from .diagnostics import Diagnostic
from .errors import VaultError
from .model import FollowUp, Note
from .parse import parse_note
from .resolve import Network, resolve
from .rules import follow_ups
from .scan import Entry, scan

if TYPE_CHECKING:
    import networkx as nx

    from .write import Change

Progress = Callable[[int, int], None]


@dataclass
class Analysis:
    """The vault understood: notes, people, graph, follow-ups and problems."""

    vault: Path
    config: Config
    today: date
    notes_read: int
    net: Network
    graph: nx.DiGraph
    items: list[FollowUp]
    diagnostics: list[Diagnostic]


@dataclass
class SyncResult:
    analysis: Analysis
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.analysis.diagnostics

    @property
    def written(self) -> list[Change]:
        return [c for c in self.changes if c.action in ("create", "update")]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.action == "unchanged"]

    @property
    def skipped(self) -> list[Change]:
        return [c for c in self.changes if c.action == "skip"]

    @property
    def overdue(self) -> list[FollowUp]:
        return [i for i in self.analysis.items if i.due < self.analysis.today]

    def summary(self) -> str:
        a = self.analysis
        verb = "would write" if self.dry_run else "wrote"
        due_today = sum(1 for i in a.items if i.due == a.today)
        text = (
            f"{a.notes_read} notes read, {len(a.net.people)} people, "
            f"{len(self.overdue)} overdue, {due_today} due today; "
            f"{verb} {len(self.written)} pages, {len(self.unchanged)} unchanged"
        )
        if self.skipped:
            text += f", {len(self.skipped)} not written"
        return text


def check_vault(vault: Path | str) -> Path:
    path = Path(vault).expanduser()
    if not path.is_dir():
        raise VaultError(f"{path}: no such folder")
    return path


def read_notes(
    vault: Path, entries: list[Entry], progress: Progress | None = None
) -> tuple[list[Note], list[Diagnostic]]:
    """Read and parse every note."""
    notes: list[Note] = []
    diags: list[Diagnostic] = []
    total = len(entries)
    for i, entry in enumerate(entries):
        try:
            with open(os.path.join(vault, entry.path), "rb") as fh:
                data = fh.read()
        except OSError as exc:
            diags.append(Diagnostic(entry.path, 0, "unreadable", f"cannot read: {exc.strerror}", "error"))
            continue
        note, found = parse_note(entry.path, data)
        diags.extend(found)
        if note is not None:
            notes.append(note)
        if progress is not None and (i + 1) % 500 == 0:
            progress(i + 1, total)
    return notes, diags


def analyse(
    vault: Path | str,
    *,
    today: date | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Everything but the pages: the library behind `followups`, `check` and `graph`."""
    from .graph import build_graph, cycle_diagnostics

    root = check_vault(vault)
    cfg = config if config is not None else load_config(root)
    day = today if today is not None else date.today()
    entries, diags = scan(root, cfg.output, cfg.ignore)
    notes, found = read_notes(root, entries, progress)
    diags.extend(found)
    net, found = resolve(notes, cfg.me)
    diags.extend(found)
    diags.extend(people_diagnostics(net))
    graph = build_graph(net)
    diags.extend(cycle_diagnostics(graph, net.me.key))
    items = follow_ups(net, cfg.rules)
    diags.sort(key=lambda d: (d.path, d.line, d.code, d.message))
    return Analysis(root, cfg, day, len(notes), net, graph, items, diags)


def render(analysis: Analysis) -> dict[str, bytes]:
    from .render import View, render_pages

    view = View(analysis.net, analysis.graph, analysis.items, analysis.today, analysis.config)
    return {name: text.encode("utf-8") for name, text in render_pages(view).items()}


def sync(
    vault: Path | str,
    *,
    today: date | None = None,
    config: Config | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> SyncResult:
    """Read the vault and bring its pages up to date (or say what would change)."""
    from .write import State, apply, plan

    analysis = analyse(vault, today=today, config=config, progress=progress)
    pages = render(analysis)
    state = State.load(analysis.vault)
    changes = plan(analysis.vault, analysis.config.output, pages, state, force=force)
    result = SyncResult(analysis, changes, dry_run)
    if not dry_run:
        result.changes, write_diags = apply(analysis.vault, changes, pages, state, analysis.config.output)
        analysis.diagnostics.extend(write_diags)
    for change in result.changes:
        if (
            change.action == "skip"
            and change.reason
            and not any(d.path == change.page for d in analysis.diagnostics)
        ):
            analysis.diagnostics.append(Diagnostic(change.page, 0, "page-skipped", change.reason, "error"))
    return result
