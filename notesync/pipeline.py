"""One pass from the vault to its pages; the CLI and the watcher both call this."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import people_diagnostics
from .config import Config, load_config, template_folders
from .diagnostics import Diagnostic
from .errors import VaultError
from .model import FollowUp, Note
from .resolve import Network, resolve
from .rules import follow_ups
from .scan import Entry, scan

if TYPE_CHECKING:
    import networkx as nx

    from .write import Change

Progress = Callable[[int, int], None]
Store = dict[str, tuple[int, int, Note | None, list[Diagnostic]]]  # path -> cache entry
PARALLEL_MIN = 400  # below this, starting worker processes costs more than it saves


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
    parsed: int = 0  # notes parsed this time (the rest came from the cache)


@dataclass(frozen=True)
class Summary:
    """The figures of the one-line summary."""

    notes: int
    people: int
    overdue: int
    due_today: int

    @classmethod
    def of(cls, a: Analysis) -> Summary:
        return cls(
            a.notes_read,
            len(a.net.people),
            sum(1 for i in a.items if i.due < a.today),
            sum(1 for i in a.items if i.due == a.today),
        )


@dataclass
class SyncResult:
    """What a sync did. `analysis` is None when nothing changed since the last sync and
    the answer came from the state file without reading the notes."""

    summary: Summary
    today: date
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dry_run: bool = False
    analysis: Analysis | None = None

    @property
    def written(self) -> list[Change]:
        return [c for c in self.changes if c.action in ("create", "update")]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.action == "unchanged"]

    @property
    def skipped(self) -> list[Change]:
        return [c for c in self.changes if c.action == "skip"]

    def text(self) -> str:
        """The one-line summary the CLI prints."""
        s = self.summary
        verb = "would write" if self.dry_run else "wrote"
        text = (
            f"{s.notes} notes read, {s.people} people, {s.overdue} overdue, {s.due_today} due today; "
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


def _read_and_parse(vault: str, paths: list[str]) -> list[tuple[str, Note | None, list[Diagnostic]]]:
    """Worker: read and parse a batch of notes (runs in a child process on a cold sync)."""
    from .parse import parse_note  # only when there is something to parse: it pulls in YAML

    out: list[tuple[str, Note | None, list[Diagnostic]]] = []
    for path in paths:
        try:
            with open(os.path.join(vault, path), "rb") as fh:
                data = fh.read()
        except OSError as exc:
            out.append(
                (path, None, [Diagnostic(path, 0, "unreadable", f"cannot read: {exc.strerror}", "error")])
            )
            continue
        note, diags = parse_note(path, data)
        out.append((path, note, diags))
    return out


def _parse_all(
    vault: Path, paths: list[str], progress: Progress | None, parallel: bool
) -> list[tuple[str, Note | None, list[Diagnostic]]]:
    workers = min(os.cpu_count() or 1, 8)
    if not parallel or workers < 2 or len(paths) < PARALLEL_MIN:
        results = []
        for start in range(0, len(paths), 500):
            results.extend(_read_and_parse(str(vault), paths[start : start + 500]))
            if progress is not None:
                progress(min(start + 500, len(paths)), len(paths))
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork is cheap, but not safe once other threads run (the watcher's observer)
    lone = threading.active_count() == 1
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if lone and "fork" in methods else "spawn")
    size = max(100, len(paths) // (workers * 4) + 1)
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    results = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for batch in pool.map(_read_and_parse, [str(vault)] * len(batches), batches):
            results.extend(batch)
            if progress is not None:
                progress(len(results), len(paths))
    return results


def read_notes(
    vault: Path,
    entries: list[Entry],
    progress: Progress | None = None,
    *,
    use_cache: bool = True,
    save_cache: bool = True,
    parallel: bool = True,
    store: Store | None = None,
) -> tuple[list[Note], list[Diagnostic], int]:
    """Every note parsed, from the cache when its path, mtime and size match.

    `store` is an in-memory cache a long-running caller (the watcher) keeps between
    syncs; with it the cache file is neither read nor written. Returns the notes,
    their diagnostics, and how many files were actually parsed.
    """
    from . import cache

    if store is not None:
        cached = dict(store)
    else:
        cached = cache.load(vault) if use_cache else {}
    kept: dict[str, cache.Entry] = {}
    misses: list[Entry] = []
    for entry in entries:
        hit = cached.get(entry.path)
        if hit is not None and hit[0] == entry.mtime_ns and hit[1] == entry.size:
            kept[entry.path] = hit
        else:
            misses.append(entry)
    stat = {e.path: e for e in misses}
    unreadable: list[Diagnostic] = []
    for path, note, diags in _parse_all(vault, [e.path for e in misses], progress, parallel):
        if note is None and any(d.code == "unreadable" for d in diags):
            unreadable.extend(diags)  # not cached: it may be readable next time
            continue
        kept[path] = (stat[path].mtime_ns, stat[path].size, note, diags)
    if store is not None:
        store.clear()
        store.update(kept)
    elif use_cache and save_cache:
        dirty = {cache.shard_of(e.path) for e in misses} | {
            cache.shard_of(p) for p in cached if p not in kept
        }
        if dirty:
            cache.save(vault, kept, dirty)
    notes: list[Note] = []
    diags_out: list[Diagnostic] = list(unreadable)
    for path in sorted(kept):
        _, _, note, diags = kept[path]
        diags_out.extend(diags)
        if note is not None:
            notes.append(note)
    return notes, diags_out, len(misses)


def _inputs(vault: Path | str, config: Config | None) -> tuple[Path, Config, list[Entry], list[Diagnostic]]:
    root = check_vault(vault)
    cfg = config if config is not None else load_config(root)
    entries, diags = scan(root, cfg.output, (*cfg.ignore, *template_folders(root)))
    return root, cfg, entries, diags


def analyse(
    vault: Path | str,
    *,
    today: date | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
    save_cache: bool = True,
    parallel: bool = True,
    store: Store | None = None,
    scanned: tuple[Path, Config, list[Entry], list[Diagnostic]] | None = None,
) -> Analysis:
    """Everything but the pages: the library behind `followups`, `check` and `graph`."""
    from .graph import build_graph, cycle_diagnostics

    root, cfg, entries, scan_diags = scanned if scanned is not None else _inputs(vault, config)
    diags = list(scan_diags)
    day = today if today is not None else date.today()
    notes, found, parsed = read_notes(
        root, entries, progress, use_cache=use_cache, save_cache=save_cache, parallel=parallel, store=store
    )
    diags.extend(found)
    net, found = resolve(notes, cfg.me)
    diags.extend(found)
    diags.extend(people_diagnostics(net))
    graph = build_graph(net)
    diags.extend(cycle_diagnostics(graph, net.me.key))
    items = follow_ups(net, cfg.rules)
    diags.sort(key=lambda d: (d.path, d.line, d.code, d.message))
    return Analysis(root, cfg, day, len(notes), net, graph, items, diags, parsed)


def render(analysis: Analysis) -> dict[str, bytes]:
    from .render import View, render_pages

    view = View(analysis.net, analysis.graph, analysis.items, analysis.today, analysis.config)
    return {name: text.encode("utf-8") for name, text in render_pages(view).items()}


def _digest(root: Path, cfg: Config, day: date, entries: list[Entry]) -> str:
    """Everything a sync's output depends on: the code, the settings, today, every note's stat."""
    import hashlib

    from .cache import code_fingerprint

    h = hashlib.sha256(f"{code_fingerprint()}\0{cfg!r}\0{day.isoformat()}\0".encode())
    h.update(
        "\n".join(f"{e.path}\t{e.mtime_ns}\t{e.size}" for e in entries).encode("utf-8", "surrogateescape")
    )
    return h.hexdigest()


def sync(
    vault: Path | str,
    *,
    today: date | None = None,
    config: Config | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    use_cache: bool = True,
    parallel: bool = True,
    store: Store | None = None,
) -> SyncResult:
    """Read the vault and bring its pages up to date (or say what would change).

    When nothing a sync depends on has changed since the last one (the same code,
    settings and day, every note with the same mtime and size, every page as written),
    the pages are known to be current and the answer comes from the state file.
    """
    from .write import State, apply, plan

    scanned = _inputs(vault, config)
    root, cfg, entries, _ = scanned
    day = today if today is not None else date.today()
    state = State.load(root)
    digest = _digest(root, cfg, day, entries)
    if use_cache and not force:
        known = state.unchanged_since(digest, root, entries)
        if known is not None:
            summary, diags, changes = known
            return SyncResult(Summary(*summary), day, changes, diags, dry_run)
    analysis = analyse(
        root,
        today=day,
        progress=progress,
        use_cache=use_cache,
        save_cache=not dry_run,
        parallel=parallel,
        store=store,
        scanned=scanned,
    )
    pages = render(analysis)
    changes = plan(root, cfg.output, pages, state, force=force)
    result = SyncResult(Summary.of(analysis), day, changes, analysis.diagnostics, dry_run, analysis)
    if not dry_run:
        result.changes, write_diags = apply(root, changes, pages, state, cfg.output)
        analysis.diagnostics.extend(write_diags)
    for change in result.changes:
        if (
            change.action == "skip"
            and change.reason
            and not any(d.path == change.page for d in analysis.diagnostics)
        ):
            analysis.diagnostics.append(Diagnostic(change.page, 0, "page-skipped", change.reason, "error"))
    if not dry_run and not result.skipped and use_cache:
        state.remember(digest, root, [c.page for c in result.changes], result.summary, analysis.diagnostics)
    return result
