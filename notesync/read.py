"""Notes read and parsed into what the store keeps of them: in worker processes when
there are many to parse (a cold sync uses every core), in this process otherwise."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Diagnostic
from .reading import Reading

Progress = Callable[[int, int], None]
PARALLEL_MIN = 400  # below this, starting worker processes costs more than it saves


class Parsed(NamedTuple):
    """One note read: digests of its bytes, of the note and of its identity, and the note
    and its diagnostics as the store keeps them (see `store.Row`)."""

    path: str
    content: str  # digest of the file's bytes ("" when it could not be read)
    kind: str | None
    digest: str
    ident: str
    note: bytes | None
    diags: bytes | None


def bytes_digest(data: bytes) -> str:
    """What vouches for a note's bytes (`Row.content`): same digest, same bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_hash = bytes_digest


def content_digest(vault: Path, path: str) -> str:
    """Digest of a note's bytes now ("" when it cannot be read)."""
    try:
        with open(os.path.join(vault, path), "rb") as fh:
            return _hash(fh.read())
    except OSError:
        return ""


def read_and_parse(vault: str, paths: list[str], reading: Reading) -> list[Parsed]:
    """Read and parse a batch of notes (in a worker process on a cold sync)."""
    from .model import identity
    from .parse import parse_note  # only when there is something to parse: it pulls in YAML
    from .store import dumps

    out: list[Parsed] = []
    for path in paths:
        try:
            with open(os.path.join(vault, path), "rb") as fh:
                data = fh.read()
        except OSError as exc:
            diag = Diagnostic(path, 0, "unreadable", f"cannot read: {exc.strerror}", "error")
            out.append(Parsed(path, "", None, "", "", None, dumps((diag,))))
            continue
        note, diags = parse_note(path, data, reading)
        blob = None if note is None else dumps(note)
        who = None if note is None else identity(note)
        # a note the people stage reads: a person's, a conversation, or one linking someone
        counts = who is not None and (who.kind != "other" or who.links or who.target)
        ident = _hash(repr(who).encode("utf-8", "surrogatepass")) if counts else ""
        out.append(
            Parsed(
                path,
                _hash(data),
                None if note is None else note.kind,
                "" if blob is None else _hash(blob),
                ident,
                blob,
                dumps(tuple(diags)) if diags else None,
            )
        )
    return out


def _end_with(parent: int) -> None:
    """In a worker: end it once the process that started it is gone (killed, say), instead
    of waiting for work for ever with what it inherited (a forked worker has the vault's
    lock among them: the vault would stay locked)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def parse_all(
    vault: Path, paths: list[str], reading: Reading, progress: Progress | None, parallel: bool = True
) -> list[Parsed]:
    workers = min(os.cpu_count() or 1, 8)
    if not parallel or workers < 2 or len(paths) < PARALLEL_MIN:
        results = []
        for start in range(0, len(paths), 500):
            results.extend(read_and_parse(str(vault), paths[start : start + 500], reading))
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
    with ProcessPoolExecutor(workers, ctx, initializer=_end_with, initargs=(os.getpid(),)) as pool:
        for batch in pool.map(read_and_parse, [str(vault)] * len(batches), batches, [reading] * len(batches)):
            results.extend(batch)
            if progress is not None:
                progress(len(results), len(paths))
    return results
