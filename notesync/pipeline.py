"""One pass from the vault to its pages; the CLI and the watcher both call this.

    config → scan → parse → people → parts → settle → render → write

Each stage is a pure function of what it is given. What a later run can reuse is
kept in the memo (see `memo`), by a key made from exactly a stage's inputs: a note by
its stat (and, when it changed close to when it was read, its bytes), the people by
the digests of every note's identity, a bucket's part by its slice of the people and
its notes' digests, a page by what it declares it reads. Nothing else decides whether
a value is reused, so a run that reuses much gives the pages of one that reuses nothing.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from .config import STATE_DIR, Config, load_config, template_folders
from .diagnostics import Diagnostic
from .errors import NotesyncError, VaultError
from .hints import FEW, hints
from .lock import VaultLock
from .memo import Memo, digest, digest_value
from .memo import key as memo_key
from .model import Note, identity
from .obsidian import read_ignore_filters
from .read import PARALLEL_MIN, Parsed, Progress, bytes_digest, content_digest, parse_all
from .reading import Reading
from .results import SyncResult
from .scan import MAX_NOTE_BYTES, Entry, scan
from .store import RACY_NS, Damaged, Row, Stat, loads, open_store, vault_folder

if TYPE_CHECKING:
    from .analysis import Analysis
    from .done import Recorded
    from .parts import Part
    from .people import People
    from .write import Change

P = ParamSpec("P")
R = TypeVar("R")
LOCK_WAIT = 10.0  # seconds a one-off command waits for another one working on the vault
RUN = "run"  # the store's record of the last run (see `Session._unchanged`)
READING = "reading"  # the store's record of how its notes were read (see `Session._read`)
DONE_LOG = "done"  # the store's record of the items recorded done, to undo (see `Session.undo`)
DONE_KEPT, DONE_BYTES = 200, 32 << 20  # how many it keeps at most, and how much of their notes


def _without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """A sync makes about a million objects that all live until it ends. The cyclic
    garbage collector would scan them over and over (a third of a sync's time at 10,000
    notes) to find almost nothing: reference counting frees them anyway."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


def check_vault(vault: Path | str) -> Path:
    if vault == "":  # (not the current folder: an unset variable, say)
        raise VaultError("no vault given: the path is empty")
    path = Path(vault).expanduser()
    if not path.is_dir():
        raise VaultError(f"{path}: no such folder")
    return path


def _stat(entry: Entry) -> Stat:
    return Stat(entry.mtime_ns, entry.size, entry.ctime_ns, entry.ino)


class Session:
    """A vault opened for syncing: its store, its memo, its lock and its last walk. A
    one-off command opens one for a run; the watcher keeps one for its whole run, so
    its memo keeps in memory what a one-off run reads back from the store.

    `fresh`: read nothing the store kept (every note is parsed again) and keep what this
    run makes in its place. `resident`: it runs pass after pass, as the watcher does."""

    def __init__(
        self, vault: Path | str, *, what: str = "notesync", fresh: bool = False, resident: bool = False
    ) -> None:
        self.vault = check_vault(vault)
        self.resident = resident  # runs pass after pass (the watcher): keeps its decoded notes
        folder = vault_folder(self.vault)
        self.lock = VaultLock(folder, what)
        self.store = open_store(folder, self.vault)
        self._fresh = fresh  # (forgotten at the first run: under the lock)
        self.memo = Memo(self.store)
        self.rows: dict[str, Row] | None = None  # every note as the last run read it
        self._gone: list[str] = []  # the notes the last read found gone
        self._notes: dict[str, tuple[str, Note]] = {}  # decoded (the watcher keeps them: see `decoded`)
        self._walk: tuple[dict[str, Entry], list[Diagnostic], object] | None = None
        self._reading: str | None = None  # the digest of the `Reading` the rows were made with

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def _forget(self) -> None:
        """A fresh session's first run forgets what the store kept (in the run's transaction,
        under the lock), but the items recorded done: `done --undo` still takes them back."""
        if self._fresh and self.store is not None:
            log = self._done_log()
            self.store.clear()
            if log:
                self.store.set_meta(DONE_LOG, log)

    def _done_log(self) -> list[Any]:
        """The items recorded done, newest last, as `done --undo` takes them back (none when
        the store has none, or what it has does not decode: only that is lost)."""
        try:
            return list(self.store.meta(DONE_LOG) or []) if self.store is not None else []
        except Damaged:
            return []

    def locked(self, wait: float | None = LOCK_WAIT) -> contextlib.AbstractContextManager[None]:
        """Hold the vault's lock across several steps (an import reads, creates, then syncs)."""
        return self._locked(wait, lambda: False)

    @contextlib.contextmanager
    def _locked(self, wait: float | None, stop: Callable[[], bool]) -> Iterator[None]:
        self.lock.acquire(wait, stop)
        try:
            yield
        finally:
            self.lock.release()

    @contextlib.contextmanager
    def _run(self) -> Iterator[list[bool]]:
        """One run's transaction on the store; the run sets the flag it yields when it made
        every value a sync needs (see `Memo.end_run`). A store that fails mid-run (a damaged
        file, a full disk) is dropped: the run is made again without it."""
        complete = [False]
        if self.store is None:
            yield complete
            self.memo.end_run(complete[0])
            return
        try:
            with self.store.transaction():
                self._forget()
                yield complete
                self.memo.end_run(complete[0])
            self._fresh = False  # (forgotten for good: the transaction is in)
        except (sqlite3.Error, Damaged):
            self.store.close()
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(f"{self.store.path}{suffix}")
            self.store = self.memo.store = None
            self.rows = None
            raise _StoreFailed from None

    # --- the walk -------------------------------------------------------------------------

    def _scan(self, cfg: Config, changed: tuple[str, ...] | None) -> tuple[list[Entry], list[Diagnostic]]:
        """Every note's stat: by restatting just the notes the watcher says were modified,
        or by walking the vault (and removing temporary files a killed run left)."""
        # what the walk leaves out: the settings', and Obsidian's templates and excluded files
        skipped = (cfg.output, (*cfg.ignore, *template_folders(self.vault)), read_ignore_filters(self.vault))
        if self._walk is not None and changed is not None and self._walk[2] == skipped:
            known, diags, _ = self._walk
            if all(p in known for p in changed) and self._restat(known, changed):
                return list(known.values()), list(diags)
        from .write import clean_temp_files

        walk = scan(self.vault, *skipped)
        folders = [self.vault / cfg.output, self.vault / STATE_DIR, vault_folder(self.vault)]
        clean_temp_files(folders, self.vault, walk.leftovers)
        self._walk = ({e.path: e for e in walk.entries}, walk.diagnostics, skipped)
        return walk.entries, walk.diagnostics

    def _restat(self, known: dict[str, Entry], paths: tuple[str, ...]) -> bool:
        """Update the stat of notes modified in place; False if one is not a plain note
        any more (a walk then decides what it is)."""
        import stat

        for path in paths:
            try:
                st = os.lstat(self.vault / path)
            except OSError:
                return False
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_NOTE_BYTES:
                return False
            known[path] = Entry(path, st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)
        return True

    # --- the stages -----------------------------------------------------------------------

    def _read(self, entries: list[Entry], reading: Reading, progress: Progress | None) -> dict[str, Row]:
        """Every note's row: kept when its stat vouches for it (or, for a note changed close
        to when it was read, its bytes do) and it was read the same way, made again otherwise."""
        how = digest(repr(reading))
        # Rows are kept only beside the reading they were made with: other settings of what a
        # note is (here, or in another process since) and every note is read again.
        if self.store is not None and self.store.meta(READING) != how:
            self.store.clear(notes_only=True)
            self.store.set_meta(READING, how)
            self.rows = None
        elif self._reading != how:
            self.rows = None  # (a new session: the store's rows)
        self._reading = how
        if self.rows is None:
            self.rows = self.store.rows() if self.store is not None else {}
        stored = self.rows
        rows: dict[str, Row] = {}
        todo: list[Entry] = []
        vouched: list[str] = []  # racy, but their bytes are as they were
        now = time.time_ns()
        for entry in entries:
            row = stored.get(entry.path)
            if row is not None and row.stat == entry[1:]:  # (a `Stat` is an entry but its path)
                if not row.racy():
                    rows[entry.path] = row
                    continue
                if content_digest(self.vault, entry.path) == row.content:
                    rows[entry.path] = row._replace(recorded_ns=now)
                    vouched.append(entry.path)
                    continue
            todo.append(entry)
        stats = {e.path: _stat(e) for e in todo}
        parsed: list[tuple[str, Row]] = []
        for found in parse_all(
            self.vault, list(stats), reading, progress, parallel=len(todo) >= PARALLEL_MIN
        ):
            rows[found.path] = row = _row(found, stats[found.path], now)
            if found.content:  # an unreadable note is read again next time
                parsed.append((found.path, row))
        rows = {e.path: rows[e.path] for e in entries}  # in path order, whichever way each came
        self._gone = [p for p in stored if p not in rows]  # (a note moved: its old path)
        if self.store is not None:
            self.store.drop_rows(self._gone)
            self.store.put_rows(parsed)
            self.store.touch(vouched, now)
        self.rows = rows
        return rows

    def notes(self, paths: list[str]) -> list[Note]:
        return list(self.decoded(paths))

    def decoded(self, paths: list[str]) -> Iterator[Note]:
        """The notes of the current rows of `paths`, decoded as they are asked for (and read
        from the store, a few hundred at a time, only when a run needs them). The watcher's
        session keeps them decoded; a one-off run lets each go once used: 50,000 decoded
        notes held at once would be a third of its memory."""
        assert self.rows is not None
        rows = self.rows
        for start in range(0, len(paths), 500):
            chunk = paths[start : start + 500]
            known = {p: n for p in chunk if (n := self._notes.get(p)) is not None and n[0] == rows[p].digest}
            unloaded = [p for p in chunk if p not in known and rows[p].note is None]
            blobs = self.store.notes(unloaded) if self.store is not None and unloaded else {}
            for path in chunk:
                if path in known:
                    yield known[path][1]
                    continue
                row = rows[path]
                note = loads(row.note or blobs.get(path))
                known[path] = (row.digest, note)  # (a path asked for twice in a chunk)
                if self.resident:
                    self._notes[path] = (row.digest, note)
                    if row.note is not None and self.store is not None:  # the store keeps it: memory
                        rows[path] = row._replace(note=None)
                yield note

    def _people(self, cfg: Config, rows: dict[str, Row]) -> People:
        from .people import make_people

        networking = [(p, r.ident) for p, r in rows.items() if r.ident]
        key = memo_key("people", cfg.me, *(f"{p}\t{i}" for p, i in networking))
        return self.memo.get(
            key,
            lambda: make_people([identity(n) for n in self.decoded([p for p, _ in networking])], cfg.me, key),
        )

    def _parts(self, cfg: Config, rows: dict[str, Row], people: People) -> dict[str, Part]:
        from .parts import make_part
        from .people import slice_of

        rules = repr(cfg.rules)
        keys = {
            # exactly make_part's inputs: its slice, its bucket, the rules and its notes
            bucket: memo_key("part", people.slices[bucket], bucket, rules, *(rows[p].digest for p in paths))
            for bucket, paths in people.buckets.items()
        }
        found = self.memo.get_many(list(keys.values()))
        parts: dict[str, Part] = {}
        for bucket, paths in people.buckets.items():
            key = keys[bucket]
            part = found.get(key)
            if part is None:
                notes = self.notes(list(paths))
                part = make_part(slice_of(people, bucket, map(identity, notes)), bucket, notes, cfg.rules)
                self.memo.put(key, part)
            parts[bucket] = part
        return parts

    def _understand(
        self,
        cfg: Config,
        day: date,
        entries: list[Entry],
        scan_diags: list[Diagnostic],
        progress: Progress | None,
    ) -> Analysis:
        from .rules import current, settle

        rows = self._read(entries, cfg.reading, progress)
        people = self._people(cfg, rows)
        parts = self._parts(cfg, rows, people)
        items = settle(
            ([i for i, _ in p.items], [(k, i) for k, i, _ in p.candidates]) for p in parts.values()
        )
        items = [i for i in items if current(i, day)]  # what makes sense today, everywhere alike
        texts = {i: t for p in parts.values() for i, t in p.items}
        texts.update((i, t) for p in parts.values() for _, i, t in p.candidates)
        diags = [*scan_diags, *people.diagnostics]
        for row in rows.values():
            if row.diags is not None:
                diags.extend(loads(row.diags))  # (a tuple of `Diagnostic`)
        for part in parts.values():
            diags.extend(part.diagnostics)
        diags = sorted(set(diags))  # a note in several buckets has its misspellings in each
        notes = _Lazy(self, rows)
        advice: list[str] = []
        if len(people.net.people) < FEW:  # say why, from the notes it did not count (few: cheap)
            others = self.notes([p for p, r in rows.items() if r.kind == "other"])
            advice = hints(others, len(people.net.people))
        from .analysis import Analysis

        return Analysis(self.vault, cfg, day, notes, people, parts, items, texts, diags, advice)

    def _pages(self, a: Analysis) -> Iterator[tuple[str, bytes]]:
        from .owner import stamp
        from .render import BASES, CALENDAR
        from .render.site import PAGES

        out = self.vault / a.config.output
        skip = {p.name for p in PAGES if p.once and (out / p.name).exists()}
        if not a.config.calendar:
            skip.add(CALENDAR)
        if not a.config.base:
            skip.add(BASES)
        drafts = self._drafts(a) if CALENDAR not in skip else {}
        shape: tuple[tuple[str, str], ...] = ()
        unread: tuple[str, ...] = ()
        if BASES not in skip and self.rows is not None:
            networking = [p for p, r in self.rows.items() if r.kind not in (None, "other")]
            shape = _shape(self.decoded(networking), a.config.reading)
            unread = template_folders(self.vault)
        ctx = a.context(drafts, shape, unread)
        for page in PAGES:
            if page.name in skip:
                continue
            args = page.inputs(ctx)

            def make(
                name: str = page.name, render: Callable[..., str] = page.render, args: tuple[Any, ...] = args
            ) -> bytes:
                return stamp(name, render(*args))  # (bytes: one copy, memo and page)

            if page.memoised:
                parts = map(_stands_for, args)
                yield page.name, self.memo.get(memo_key("page", page.name, *parts), make)
            else:
                yield page.name, make()

    def _drafts(self, a: Analysis) -> dict[str, str]:
        """The message to send for each item the calendar shows (by uid), made from its
        note: kept by the item, its note, the people, the template and the year."""
        from .kinds import MESSAGE
        from .messages import draft_for
        from .render.calendar import window
        from .rules import moving_on
        from .templates import message_templates, says_the_day

        assert self.rows is not None
        shown = [
            i
            for i in window(a.items, a.today, a.config)
            if i.kind in MESSAGE and not moving_on(i) and i.source in self.rows
        ]
        templates = message_templates(self.vault)
        version = digest(*(templates[k] for k in sorted(templates)))
        # a message says the day ("Friday 20 November", the year only when it differs), and
        # a template may hold Obsidian's {{date}}: then it changes every day
        dated = any(says_the_day(t) for t in templates.values())
        when = a.today.isoformat() if dated else str(a.today.year)
        keys = {
            i.uid: memo_key("draft", i.uid, self.rows[i.source].digest, a.people.digest, version, when)
            for i in shown
        }
        found = self.memo.get_many(list(keys.values()))
        missing = [i for i in shown if keys[i.uid] not in found]
        notes = dict(zip([i.source for i in missing], self.notes([i.source for i in missing]), strict=True))
        for item in missing:
            text = draft_for(item, notes[item.source], a.net, templates[item.kind], a.today)
            self.memo.put(keys[item.uid], text)
            found[keys[item.uid]] = text
        return {uid: found[key] for uid, key in keys.items()}

    # --- the runs -------------------------------------------------------------------------

    def _unchanged(self, key: str, cfg: Config, entries: list[Entry]) -> Any:
        """The last run's answer, if it was made from exactly these inputs and its pages are
        as it left them (notes changed close to it vouched for by their bytes)."""
        if self.store is None:
            return None
        last = self.store.meta(RUN)
        if last is None or last[0] != key:
            return None
        _, recorded, pages, summary, diags, advice, settled = last
        racy = recorded - RACY_NS
        vouched = 0  # the latest change time among what was changed close to the last run
        restatted = set()  # pages found as written, with a stat the record has not (not settled)
        risky = [e for e in entries if max(e.mtime_ns, e.ctime_ns) >= racy]
        if risky:
            known = self.store.contents([e.path for e in risky])
            if any(content_digest(self.vault, e.path) != known.get(e.path) for e in risky):
                return None
            vouched = max(max(e.mtime_ns, e.ctime_ns) for e in risky)
        out = self.vault / cfg.output
        for name, (stat, content) in list(pages.items()):
            try:
                now = _page_stat(out / name)
                if now != stat or (name not in settled and max(now.mtime_ns, now.ctime_ns) >= racy):
                    if now.size != stat.size or bytes_digest((out / name).read_bytes()) != content:
                        return None
                    if now != stat:
                        pages[name] = (now, content)
                        restatted.add(name)
                    vouched = max(vouched, now.mtime_ns, now.ctime_ns)
            except OSError:
                return None
        now_ns = time.time_ns()
        if restatted or (vouched and vouched < now_ns - RACY_NS):  # (else the next run must read them too)
            settled = frozenset(settled - restatted)
            self.store.set_meta(RUN, (key, now_ns, pages, summary, diags, advice, settled))
        return summary, diags, sorted(pages), advice

    @_without_gc
    def sync(
        self,
        *,
        today: date | None = None,
        dry_run: bool = False,
        force: bool = False,
        progress: Progress | None = None,
        changed: tuple[str, ...] | None = None,
        wait: float | None = LOCK_WAIT,
        stop: Callable[[], bool] = lambda: False,
        done: tuple[str, ...] = (),
        done_on: date | None = None,
    ) -> SyncResult:
        """Read the vault and bring its pages up to date (or say what would change).

        `done`: ids of items to record as done in their notes first (`notesync done`),
        as if they were ticked on Follow-ups.md, on the day `done_on` (default: today).

        `changed`: the notes modified in place since the last run, when the caller knows
        (the watcher); the vault is walked when it is None. `wait`: how long to wait for
        another process working on the vault (None: until `stop()`)."""
        with self._locked(wait, stop):
            return _retried(lambda: self._sync(today, dry_run, force, progress, changed, done, done_on))

    def _sync(
        self,
        today: date | None,
        dry_run: bool,
        force: bool,
        progress: Progress | None,
        changed: tuple[str, ...] | None,
        done: tuple[str, ...] = (),
        done_on: date | None = None,
    ) -> SyncResult:
        from .render import BASES, FOLLOWUPS, ONCE
        from .write import output_dir

        cfg = load_config(self.vault)
        if done and not cfg.write_back:
            raise NotesyncError(
                "write_back = false in .notesync.toml: notesync records nothing in your notes "
                "(record it by hand, or set write_back = true)"
            )
        output_dir(self.vault, cfg.output)
        entries, scan_diags = self._scan(cfg, changed)
        day = today if today is not None else date.today()
        with self._run() as complete:
            key = _run_key(self.vault, cfg, day, entries, scan_diags)
            once = [n for n in ONCE if n != BASES or cfg.base]
            missing = any(not (self.vault / cfg.output / n).exists() for n in once)  # deleted: made again
            known = None if force or done or missing else self._unchanged(key, cfg, entries)
            if known is not None:
                summary, diags, names, advice = known
                changes = [_unchanged_page(cfg, n) for n in names]
                return SyncResult(summary, day, changes, list(diags), dry_run, list(advice), [], [])
            from .ticks import ticked  # (not before: it brings the parser, which a no-op does without)

            analysis = self._understand(cfg, day, entries, scan_diags, progress)
            recorded: list[Recorded] = []
            dropped: list[str] = []
            lines = ticked(self.vault / cfg.output / FOLLOWUPS) if cfg.write_back else {}
            asked = [*lines, *done]  # (`done` is empty without write_back: refused above)
            seen = frozenset(asked) if cfg.write_back else None  # a box ticked after: the next run
            if asked:  # requests to record items done (see `done`): then read the notes again
                recorded, dropped = self.record(analysis, asked, done_on or day, dry_run=dry_run, lines=lines)
                if any(r.edit or r.created for r in recorded) and not dry_run:
                    entries, scan_diags = self._scan(cfg, None)
                    analysis = self._understand(cfg, day, entries, scan_diags, progress)
                    key = _run_key(self.vault, cfg, day, entries, scan_diags)
            last = self.store.meta(RUN) if self.store is not None else None
            before = last[2] if last else {}
            pages, changes, failed, record = self._write(cfg, analysis, force, dry_run, seen, before)
            complete[0] = True
            diags = [*analysis.diagnostics, *failed]
            diags.extend(_skipped(changes, diags))
            result = SyncResult(
                analysis.summary, day, changes, diags, dry_run, analysis.hints, recorded, dropped
            )
            if self.store is not None and record is not None and not result.skipped:
                self._remember(key, cfg, pages, record, result, last)
            return result

    def _write(
        self,
        cfg: Config,
        analysis: Analysis,
        force: bool,
        dry_run: bool,
        seen: frozenset[str] | None,
        before: Mapping[str, tuple[Stat, str]],
    ) -> tuple[dict[str, bytes], list[Change], list[Diagnostic], dict[str, tuple[Stat, str]] | None]:
        """Make the pages and write them (a dry run: plan only), Follow-ups.md, the page a
        user watches, as soon as it is made, then the rest. Gives the pages, what was done,
        the pages that could not be written, and each page's stat and digest as written
        (taken then, not later: a tick after it is the user's edit); None for a dry run, or
        when a page was deleted meanwhile (see `_as_written`)."""
        from .write import apply, plan

        out = self.vault / cfg.output
        written = {name: content for name, (_, content) in before.items()}
        pages: dict[str, bytes] = {}
        changes: list[Change] = []
        failed: list[Diagnostic] = []
        record: dict[str, tuple[Stat, str]] | None = None if dry_run else {}

        def batches() -> Iterator[dict[str, bytes]]:
            made = self._pages(analysis)
            yield dict([next(made)])  # Follow-ups.md: out before the rest is made
            yield dict(made)

        for batch in batches():
            found = plan(self.vault, cfg.output, batch, force=force, written=written, seen_ticks=seen)
            if not dry_run:
                found, problems = apply(self.vault, cfg.output, found, batch, force=force, seen_ticks=seen)
                failed.extend(sorted(problems))
                now = _as_written(out, batch, before)
                record = None if record is None or now is None else record | now
            changes += (c._replace(seen=None) for c in found)  # (a dry run's: the pages' bytes)
            pages |= batch
        return pages, sorted(changes, key=lambda c: c.page), failed, record

    def _remember(
        self,
        key: str,
        cfg: Config,
        pages: dict[str, bytes],
        record: dict[str, tuple[Stat, str]],
        result: SyncResult,
        last: Any,
    ) -> None:
        """Record the run, for the next one's no-op answer (see `_unchanged`): its key, each
        page's stat and digest as written (see `_as_written`), and the pages whose stat alone
        vouches for them from now on (see `_settled`)."""
        assert self.store is not None
        before, settled = (last[2], last[6]) if last else ({}, frozenset())
        written = {name: stat for name, (stat, _) in record.items() if before.get(name) != record[name]}
        kept = frozenset(name for name in settled if name in record and name not in written)
        settled = kept | _settled(self.vault / cfg.output, pages, written)
        summary, diags, hints = result.summary, tuple(result.diagnostics), tuple(result.hints)
        self.store.set_meta(RUN, (key, time.time_ns(), record, summary, diags, hints, settled))

    def page_changed(self, name: str) -> bool:
        """Has a page changed since notesync last wrote it? (Its own writes leave the stat
        the last run recorded; a tick in Obsidian does not.)"""
        last = self.store.meta(RUN) if self.store is not None else None
        if last is None:
            return True
        try:
            cfg = load_config(self.vault)
            stat, _ = last[2][name]
            return bool(_page_stat(self.vault / cfg.output / name) != stat)
        except (KeyError, OSError, NotesyncError):
            return True

    def record(
        self,
        analysis: Analysis,
        ids: list[str],
        day: date,
        *,
        dry_run: bool = False,
        lines: Mapping[str, str] | None = None,
    ) -> tuple[list[Recorded], list[str]]:
        """Record the items with these ids done in their notes (see `ticks`): what was
        recorded (or refused, and why), and the ids that name no open item. `lines`: the
        text of each ticked line (an item whose id changed with its note's name)."""
        from .ticks import find, record_all

        items, dropped = find(analysis, ids, lines or {}, list(self.rows or {}), self._gone)
        out = record_all(self.vault, analysis, items, day, self.notes, dry_run=dry_run)
        if not dry_run and self.store is not None:
            log = self._done_log()
            log.extend((r.item.uid, r.path, r.edit, r.created) for r in out if r.edit or r.created)
            self.store.set_meta(DONE_LOG, _latest(log))
        return out, dropped

    def undo(
        self,
        shorts: Sequence[str],
        *,
        today: date | None = None,
        dry_run: bool = False,
        wait: float | None = LOCK_WAIT,
    ) -> tuple[list[str], list[str], SyncResult]:
        """Take back what recording items done changed (`notesync done --undo ID...`), each
        if its note is as notesync left it; then bring the pages up to date (a dry run: say
        what it would take back, and change nothing). Gives what was taken back, as the
        output says it, and why the others were not. The latest recorded goes first: two
        edits of one note are taken back as they must be, newest first. An id names the
        item recorded whose id starts with it, if just one does, as for `done`."""
        from .ticks import take_back

        with self._locked(wait, lambda: False):
            log = self._done_log()
            asked: dict[int, str] = {}  # the place in the log of the item an id names -> the id
            refused: list[str] = []
            for short in dict.fromkeys(shorts):
                if not short.strip():
                    refused.append(f"{short!r}: an empty id names no item")
                    continue
                uids = {entry[0] for entry in log if entry[0].startswith(short.strip().casefold())}
                if len(uids) != 1:
                    none = "notesync recorded no item with that id here (it keeps the last ones)"
                    refused.append(f"{short}: {none if not uids else 'it names several items recorded'}")
                    continue
                asked.setdefault(max(n for n, entry in enumerate(log) if entry[0] in uids), short)
            taken: list[str] = []
            left: dict[str, bytes | None] = {}  # a dry run's notes, as the undos before leave them
            for n in sorted(asked, reverse=True):
                _, path, made, created = log[n]
                try:
                    taken.append(take_back(self.vault, path, made, created, left if dry_run else None))
                except NotesyncError as exc:
                    refused.append(f"{asked[n]}: {exc}")
                    continue
                if not dry_run and self.store is not None:
                    del log[n]  # (from the end: the places still to come stay where they are)
                    self.store.set_meta(DONE_LOG, log)
                    self.store.db.commit()
            return taken, refused, self.sync(today=today, dry_run=dry_run, wait=wait)

    @_without_gc
    def analyse(
        self, *, today: date | None = None, progress: Progress | None = None, wait: float | None = LOCK_WAIT
    ) -> Analysis:
        """Everything but the pages: the library behind `followups`, `check` and `graph`."""

        def run() -> Analysis:
            cfg = load_config(self.vault)
            entries, scan_diags = self._scan(cfg, None)
            day = today if today is not None else date.today()
            with self._run():
                analysis = self._understand(cfg, day, entries, scan_diags, progress)
                analysis.notes = list(analysis.notes)
                return analysis

        with self._locked(wait, lambda: False):
            return _retried(run)


def _latest(log: list[Any]) -> list[Any]:
    """The last items recorded done, as many as DONE_KEPT and their notes' bytes (each kept
    before and after) DONE_BYTES allow: a note may be megabytes."""
    kept, size = 0, 0
    for _, _, made, created in reversed(log[-DONE_KEPT:]):
        size += len(created) if created is not None else len(made.before) + len(made.after)
        if kept and size > DONE_BYTES:
            break
        kept += 1
    return log[len(log) - kept :]


class _StoreFailed(Exception):
    """The store failed mid-run and was dropped: run again without it."""


def _retried(run: Callable[[], R]) -> R:
    """`run`, and once more if the store failed in it (the second runs without a store)."""
    try:
        return run()
    except _StoreFailed:
        return run()


class _Lazy(list[Note]):
    """Every note of a run, decoded only when asked for (a run from the store mostly
    needs none of them)."""

    def __init__(self, session: Session, rows: dict[str, Row]) -> None:
        super().__init__()
        self._session, self._rows = session, rows
        self._count = sum(1 for r in rows.values() if r.kind is not None)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Note]:
        return self._session.decoded([p for p, row in self._rows.items() if row.kind is not None])

    def __getitem__(self, index: Any) -> Any:  # (decodes them all: iterate instead)
        return list(self)[index]


def _as_written(
    out: Path, batch: Mapping[str, bytes], before: Mapping[str, tuple[Stat, str]]
) -> dict[str, tuple[Stat, str]] | None:
    """Each page's stat and digest, as the run record keeps them (a page written once is
    the user's: not kept); None if one was deleted since it was written (no record: the
    next run looks)."""
    from .render import ONCE

    try:
        return {
            name: _recorded(out / name, data, before.get(name))
            for name, data in batch.items()
            if name not in ONCE
        }
    except OSError:
        return None


def _recorded(path: Path, data: bytes, before: tuple[Stat, str] | None) -> tuple[Stat, str]:
    """A page's stat and the digest of its bytes, as the run record keeps them: a page the
    run left alone, with the stat the last record gave it, has the bytes it had then."""
    stat = _page_stat(path)
    return stat, before[1] if before is not None and before[0] == stat else bytes_digest(data)


def _stands_for(value: object) -> str:
    """What stands for a page's input in its key: the people's and the figures' own digests
    (made with them), else the digest of its repr."""
    from .people import People
    from .render.pages import PeopleFigures

    if isinstance(value, People):
        return value.digest
    if isinstance(value, PeopleFigures):
        return digest(*value.digests)
    return digest_value(value)


def _settled(out: Path, pages: Mapping[str, bytes], written: dict[str, Stat]) -> frozenset[str]:
    """The pages just written that the next run need not read back, though their stat is
    too recent to vouch for them (see `_unchanged`). A later page changed after one shows
    the file system's clock past that one's time: any change to it from then on changes its
    stat, and read back now, it holds what was written. (The last pages written, and all of
    them where times are coarse, are left for the next run to read.) Change times are the
    ctimes, which the system sets: an mtime anyone can set, in the future too."""
    if not written:
        return frozenset()
    latest = max(s.ctime_ns for s in written.values())
    found = []
    for name, stat in written.items():
        if stat.ctime_ns < latest:
            with contextlib.suppress(OSError):
                if (out / name).read_bytes() == pages[name] and _page_stat(out / name) == stat:
                    found.append(name)
    return frozenset(found)


def _page_stat(path: Path) -> Stat:
    st = os.stat(path)
    return Stat(st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)


def _row(parsed: Parsed, stat: Stat, now: int) -> Row:
    return Row(stat, now, parsed.content, parsed.kind, parsed.digest, parsed.ident, parsed.note, parsed.diags)


def _shape(notes: Iterable[Note], reading: Reading) -> tuple[tuple[str, str], ...]:
    """The property name the networking notes use most for each field (for Networking.base)."""
    from collections import Counter

    from .reading import key_name

    counts: dict[str, Counter[str]] = {}
    for note in notes:
        present = {key_name(k): k for k in note.shape}  # as matched: as written
        for wanted in (
            "contact",
            "date",
            "status",
            "thanked",
            "referrer_updated",
            "referrer",
            "company",
            "role",
        ):
            for name in reading.names_of(wanted):
                if name in present:
                    counts.setdefault(wanted, Counter())[present[name]] += 1
                    break
    return tuple((f, c.most_common(1)[0][0]) for f, c in sorted(counts.items()))


def _run_key(vault: Path, cfg: Config, day: date, entries: list[Entry], scan_diags: list[Diagnostic]) -> str:
    """Everything a run's output depends on: settings, the day, every note's stat, what
    the walk found wrong (a broken link to a note changes no note), and the message
    templates the calendar fills."""
    from .templates import message_templates

    templates = message_templates(vault) if cfg.calendar else {}
    return digest(
        RUN,
        repr(cfg),
        day.isoformat(),
        *(templates[k] for k in sorted(templates)),
        _walk_digest(entries),
        *map(str, scan_diags),
    )


def _walk_digest(entries: list[Entry]) -> str:
    """Every note's path and stat in one digest, taken column by column (every run takes
    it: as text it took 6 ms at 10,000 notes, as columns 3)."""
    from array import array

    h = hashlib.blake2b(digest_size=16)
    if entries:
        paths, *columns = zip(*entries, strict=True)
        h.update("\0".join(paths).encode("utf-8", "surrogatepass"))  # (no file name holds a NUL)
        try:
            for column, code in zip(columns, "qqqQ", strict=True):  # mtime, size, ctime: signed
                h.update(array(code, column).tobytes())
        except OverflowError:  # an inode number past 64 bits (some file systems)
            h.update(repr(columns).encode())
    return h.hexdigest()


def _skipped(changes: list[Change], diags: list[Diagnostic]) -> list[Diagnostic]:
    """A diagnostic for each page not written, unless one says why already."""
    said = {d.path for d in diags}
    return [
        Diagnostic(c.page, 0, "page-skipped", c.reason, "warning" if c.later else "error")
        for c in changes
        if c.action == "skip" and c.reason and c.page not in said
    ]


def _unchanged_page(cfg: Config, name: str) -> Change:
    from .write import Change

    return Change(f"{cfg.output}/{name}", "unchanged")


def sync(
    vault: Path | str,
    *,
    today: date | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    use_cache: bool = True,
    wait: float = LOCK_WAIT,
) -> SyncResult:
    """Read the vault once and bring its pages up to date (or say what would change).
    `use_cache=False` parses every note again (and keeps what it finds for next time);
    `wait`: seconds to wait for another process working on the vault."""
    session = Session(vault, what="notesync sync", fresh=not use_cache)
    try:
        return session.sync(today=today, dry_run=dry_run, force=force, progress=progress, wait=wait)
    finally:
        session.close()


def done(
    vault: Path | str,
    ids: Iterable[str],
    *,
    on: date | None = None,
    today: date | None = None,
    dry_run: bool = False,
    wait: float = LOCK_WAIT,
) -> SyncResult:
    """Record the items with these ids (as `followups` shows them) done in their notes, as
    ticking them on Follow-ups.md does, on the day `on` (default: today); then sync."""
    session = Session(vault, what="notesync done")
    try:
        return session.sync(today=today, done=tuple(ids), done_on=on, dry_run=dry_run, wait=wait)
    finally:
        session.close()


def undo(
    vault: Path | str,
    shorts: Sequence[str],
    *,
    today: date | None = None,
    dry_run: bool = False,
    wait: float = LOCK_WAIT,
) -> tuple[list[str], list[str], SyncResult]:
    """Take back what recording the items `shorts` done changed, each if its note is as
    notesync left it (`notesync done --undo`), newest first; then sync (a dry run: say
    what would be taken back). Gives what was taken back, as the output says it, and why
    the others were not."""
    session = Session(vault, what="notesync done")
    try:
        return session.undo(shorts, today=today, dry_run=dry_run, wait=wait)
    finally:
        session.close()


def analyse(
    vault: Path | str, *, today: date | None = None, use_cache: bool = True, progress: Progress | None = None
) -> Analysis:
    """The vault understood, without writing a page."""
    session = Session(vault, what="notesync", fresh=not use_cache)
    try:
        return session.analyse(today=today, progress=progress)
    finally:
        session.close()
