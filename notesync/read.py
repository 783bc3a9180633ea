"""Notes read and parsed: from the cache when a note has not changed, in worker
processes when there are many to parse (a cold sync), in this process otherwise."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from .diagnostics import Diagnostic
from .model import Note
from .scan import Entry

Progress = Callable[[int, int], None]
Store = dict[str, tuple[int, int, Note | None, list[Diagnostic]]]  # path -> cache entry
PARALLEL_MIN = 400  # below this, starting worker processes costs more than it saves


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
) -> tuple[list[Note], list[Diagnostic], int, Store]:
    """Every note parsed, from the cache when its path, mtime and size match.

    `store` is an in-memory cache a long-running caller (the watcher) keeps between
    syncs; with it the cache file is neither read nor written. Returns the notes,
    their diagnostics, how many files were actually parsed, and what was read by path.
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
    return notes, diags_out, len(misses), kept
