"""The store: what a later run can reuse, in one SQLite file per vault on this machine.

It is a cache, nothing more: it lives under the user's cache folder (not in the vault,
whose dot-folders sync services copy between devices), it is dropped whole when the
code changes, and deleting it only makes the next run slower. Two tables:

* `notes`: every note of the last walk with the stat that vouches for it and what
  parsing it gave (the note, its diagnostics, and digests of it and of its identity);
* `memo`: the values of later stages, keyed by a digest of exactly their inputs
  (see `memo`).

Every run is one transaction, under the vault's lock (see `lock`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

CACHE_ENV = "NOTESYNC_CACHE_DIR"  # overrides where stores live (tests, unusual setups)
STORE_FILE = "store.sqlite"
SCHEMA = 1
RACY_NS = 2_000_000_000  # a note changed this close to when it was stored may have changed unseen
_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS notes(
    path TEXT PRIMARY KEY, mtime INTEGER, size INTEGER, ctime INTEGER, ino INTEGER,
    recorded INTEGER, content TEXT, kind TEXT, digest TEXT, ident TEXT, note BLOB, diags BLOB);
CREATE TABLE IF NOT EXISTS memo(key TEXT PRIMARY KEY, value BLOB);
"""
_ROW_COLUMNS = "path, mtime, size, ctime, ino, recorded, content, kind, digest, ident, diags"


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes with any of notesync's code or Python's version: other code's store is not
    trusted. A file's stat stands for its bytes as a note's does (reading took 2 ms a run)."""
    h = hashlib.blake2b(f"{SCHEMA} {sys.version}".encode(), digest_size=16)
    for folder, subfolders, files in os.walk(os.path.dirname(os.path.realpath(__file__))):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(f for f in files if f.endswith(".py")):
            st = os.stat(os.path.join(folder, name))
            h.update(f"{name} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}\0".encode("utf-8", "replace"))
    return h.hexdigest()


def cache_root() -> Path:
    """Where stores live: $NOTESYNC_CACHE_DIR, or the platform's user cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_cache_path("notesync", appauthor=False)


def vault_folder(vault: Path) -> Path:
    """The folder of one vault's store and lock, named after its real path."""
    real = os.path.realpath(vault)
    tag = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in os.path.basename(real))[:40]
    return cache_root() / "vaults" / f"{name or 'vault'}-{tag}"


class Stat(NamedTuple):
    """What vouches for a note's content without reading it (ctime and inode catch an
    edit whose mtime was put back, and an editor's save by rename)."""

    mtime_ns: int
    size: int
    ctime_ns: int
    ino: int


class Row(NamedTuple):
    """A note as the store knows it; `note` and `diags` are decoded on demand."""

    stat: Stat
    recorded_ns: int  # when it was read: a change within RACY_NS of it may be unseen
    content: str  # digest of the file's bytes, to vouch for a note changed close to `recorded_ns`
    kind: str | None  # None: unreadable as a note (binary); then `digest` is ""
    digest: str  # of the parsed note
    ident: str  # of its identity (`model.identity`), "" when it is not a networking note
    note: bytes | None  # None when not loaded (see `Store.rows`) or not a note at all
    diags: bytes | None

    def racy(self) -> bool:
        """Was the note changed so close to when it was read that a later change could
        leave its stat as it was? Then only its bytes can vouch for it."""
        return max(self.stat.mtime_ns, self.stat.ctime_ns) >= self.recorded_ns - RACY_NS


class Damaged(Exception):
    """What the store holds does not decode: it is damaged, and the run goes on without it."""


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes | None) -> Any:
    """A stored value; Damaged if it is not one this code stored."""
    try:
        return pickle.loads(data)  # type: ignore[arg-type]
    except Exception as exc:  # any damage at all: truncated, garbage, None
        raise Damaged(str(exc)) from exc


class Store:
    """One vault's store. Opening it never fails a run: a store that cannot be made or
    read is replaced, or the run goes on without one (see `open_store`)."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db, self.path = db, path

    def rows(self) -> dict[str, Row]:
        """Every note's row, without the note itself (see `notes`): most runs need few."""
        found = self.db.execute(f"SELECT {_ROW_COLUMNS} FROM notes")  # (the note's blob left out)
        return {p: Row(Stat(m, s, c, i), r, t, k, d, e, None, g) for p, m, s, c, i, r, t, k, d, e, g in found}

    def _among(self, query: str, keys: list[str]) -> dict[str, Any]:
        """`query`'s (key, value) rows for keys IN (%s), 500 at a time (SQLite caps parameters)."""
        out: dict[str, Any] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            out.update(self.db.execute(query % ",".join("?" * len(chunk)), chunk))
        return out

    def notes(self, paths: list[str]) -> dict[str, bytes]:
        """The notes of these paths, as stored."""
        return self._among("SELECT path, note FROM notes WHERE path IN (%s)", paths)

    def contents(self, paths: list[str]) -> dict[str, str]:
        """The digests of these notes' bytes, as last read."""
        return self._among("SELECT path, content FROM notes WHERE path IN (%s)", paths)

    def put_rows(self, rows: Iterable[tuple[str, Row]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            ((p, *r.stat, *r[1:]) for p, r in rows),
        )

    def touch(self, paths: list[str], recorded_ns: int) -> None:
        """Record that these notes were found as they were at `recorded_ns`."""
        self.db.executemany("UPDATE notes SET recorded = ? WHERE path = ?", ((recorded_ns, p) for p in paths))

    def drop_rows(self, paths: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM notes WHERE path = ?", ((p,) for p in paths))

    def clear(self, notes_only: bool = False) -> None:
        """Forget every note's row (and, unless `notes_only`, all else but the code's mark)."""
        self.db.execute("DELETE FROM notes")
        if not notes_only:
            self.db.execute("DELETE FROM memo")
            self.db.execute("DELETE FROM meta WHERE key != 'code'")

    def get(self, keys: list[str]) -> dict[str, bytes]:
        """The stored values of these keys (those it has), undecoded."""
        stages = {k.split(":", 1)[0] for k in keys}
        if len(keys) > 200 and len(stages) == 1:  # many of one stage: read them all, it is quicker
            (stage,), wanted = stages, set(keys)
            rows = self.db.execute(
                "SELECT key, value FROM memo WHERE key > ? AND key < ?", (f"{stage}:", f"{stage};")
            )
            return {k: v for k, v in rows if k in wanted}
        return self._among("SELECT key, value FROM memo WHERE key IN (%s)", keys)

    def put(self, items: Iterable[tuple[str, bytes]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?)", items)

    def keep_only(self, keys: set[str]) -> None:
        """Forget memo values no longer used, once they outnumber the ones in use."""
        (count,) = self.db.execute("SELECT count(*) FROM memo").fetchone()
        if count <= 2 * len(keys) + 100:
            return
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used(key TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM used")
        self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in keys))
        self.db.execute("DELETE FROM memo WHERE key NOT IN (SELECT key FROM used)")

    def meta(self, key: str) -> Any:
        found = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if found is None else loads(found[0])

    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, dumps(value)))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One run's reads and writes; a run that fails leaves the store as it was."""
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.rollback()
            raise
        self.db.commit()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last run on a power cut is fine
    db.executescript(_SCHEMA_SQL)
    found = db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
    if found is None or loads(found[0]) != code_version():
        db.executescript("DELETE FROM notes; DELETE FROM memo; DELETE FROM meta;")
        db.execute("INSERT INTO meta VALUES ('code', ?)", (dumps(code_version()),))
    return db


def open_store(folder: Path, vault: Path) -> Store | None:
    """The vault's store in `folder`, made anew when it is damaged or from other code;
    None when the folder cannot hold one (the run then keeps everything in memory)."""
    path = folder / STORE_FILE
    for attempt in range(2):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = _connect(path)
            note = folder / "vault.txt"  # for a person looking through their cache folder
            if not note.exists():
                with contextlib.suppress(OSError):
                    note.write_bytes(os.fsencode(os.path.realpath(vault)) + b"\n")  # (as the system names it)
            return Store(db, path)
        except (sqlite3.Error, Damaged, OSError):
            if attempt == 0:  # damaged: it is only a cache, start again
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        os.unlink(f"{path}{suffix}")
    return None
