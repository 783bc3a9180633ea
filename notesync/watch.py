"""`notesync watch`: keep the pages live while the user writes.

The observer thread only queues paths. The main loop waits out a short quiet period
(so a burst of saves, or an editor's write-temp-then-rename, is one sync) and calls
the same `Session.sync()` a one-off `notesync sync` does, on one session it keeps for
its whole run: its memo holds in memory what a one-off run reads back from the store.
Hidden folders, notesync's own output folder and non-Markdown files are not events,
so its own writes never trigger another sync. At local midnight it syncs again,
because the overdue list changes with the date. Each pass takes the vault's lock,
waiting for a one-off command that holds it; a pass that fails, whatever the reason,
is reported and watching goes on; a stop request ends it within a second.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEventHandler,
)

from .config import CONFIG_NAME, Config, load_config
from .diagnostics import Diagnostic
from .errors import NotesyncError
from .obsidian import SETTINGS_READ
from .pipeline import Session, check_vault
from .render import ALL_PAGES, ONCE
from .results import SyncResult

Clock = Callable[[], float]
# Only what can change a note. Not "opened" or "closed without writing": every read of a
# note (the sync's own reads included) would fill the kernel's event queue for nothing.
SAVED = 0.005  # seconds of quiet after a note's save was closed (an editor's write is over)
EVENTS = (
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
)


@dataclass(frozen=True)
class Pass:
    """One sync of the watcher, for the lines it prints."""

    reason: str  # "start", "change", "midnight"
    changed: tuple[str, ...]  # vault-relative paths of the notes that changed
    result: SyncResult | None
    seconds: float
    error: str | None = None
    new: tuple[Diagnostic, ...] = ()  # diagnostics this pass has that the one before did not

    def cause(self) -> str:
        """What made the pass, as its line says: the notes, else the day, a tick, a setting."""
        if self.changed:
            more = len(self.changed) - 3
            return ", ".join(self.changed[:3]) + (f" and {more} more" if more > 0 else "")
        if self.reason == "midnight":
            return "a new day"
        ticked = self.result is not None and (self.result.recorded or self.result.dropped)
        return "a tick" if ticked else "folders or settings"


class Stopped(BaseException):
    """Raised in the main thread when a stop is asked for in the middle of a pass."""


def _relative(vault: Path, path: str) -> str | None:
    """The vault-relative path of an event's path, its folder resolved but not the file:
    a symbolic link made while watching is an event in the vault, whatever it points at
    (the walk then says what is wrong with it: a loop, a link out of the vault)."""
    if not path:
        return None
    full = Path(path)
    try:
        return (full.parent.resolve() / full.name).relative_to(vault).as_posix()
    except (ValueError, OSError, RuntimeError):  # (RuntimeError: a loop in the folders above)
        return None


def relevant(rel: str | None, output: str, is_dir: bool) -> bool:
    """Is this path one a sync cares about? Notes and folders, outside hidden and output ones."""
    if rel is None or rel in ("", "."):
        return False
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts):
        return False
    folded = rel.casefold()
    out = output.casefold()
    if folded == out or folded.startswith(out + "/"):
        return False
    return is_dir or rel.endswith(".md")


class _Handler(FileSystemEventHandler):  # type: ignore[misc]
    """Runs in the observer thread: only turns events into queued paths."""

    def __init__(self, events: queue.Queue[tuple[str, bool, str]]) -> None:
        self.events = events

    def dispatch(self, event: Any) -> None:
        if event.event_type in ("opened", "closed_no_write") or (
            event.is_directory and event.event_type == "modified"  # a child changed: its own event says which
        ):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                text = path if isinstance(path, str) else path.decode()
                self.events.put((text, bool(event.is_directory), event.event_type))


def _next_midnight(now: datetime) -> datetime:
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time())


@dataclass
class Watcher:
    """The main loop of `notesync watch`, with its clocks injectable for tests."""

    vault: Path
    report: Callable[[Pass], None]
    polling: bool = False
    debounce: float | None = None  # seconds; None: the config's debounce_ms
    today: Callable[[], date] = date.today
    now: Callable[[], datetime] = datetime.now
    clock: Clock = time.monotonic
    stop: threading.Event = field(default_factory=threading.Event)
    tick: float = 0.5  # longest wait between checks of `stop` and of the date
    rewalk: float = 30.0  # seconds after which a sync walks the whole vault again anyway
    _events: queue.Queue[tuple[str, bool, str]] = field(default_factory=queue.Queue)
    _walked: float = float("-inf")
    _seen: frozenset[Diagnostic] = frozenset()
    _session: Session | None = None
    in_pass: bool = False  # a pass is running (a stop then interrupts it: see `cli.watch`)

    def _config(self) -> Config:
        return load_config(self.vault)

    def _sync(self, reason: str, changed: tuple[str, ...], in_place: bool = False) -> date:
        """One pass. `in_place`: the changed notes were only modified, so restat them
        instead of walking the vault (unless the last walk is getting old)."""
        day = self.today()
        started = self.clock()
        walk = not in_place or started - self._walked > self.rewalk
        if walk:
            self._walked = started
        error = None
        result = None
        self.in_pass = True
        try:
            if self._session is None:
                self._session = Session(self.vault, what="notesync watch", resident=True)
            result = self._session.sync(
                today=day, changed=None if walk else changed, wait=None, stop=self.stop.is_set
            )
        except Stopped:
            raise
        except NotesyncError as exc:
            error = str(exc)
        except OSError as exc:
            error = f"{exc.strerror}: {exc.filename}" if exc.filename else str(exc)
        except Exception as exc:  # a bug must not end the watch: say what it was, start afresh
            where = traceback.extract_tb(exc.__traceback__)[-1]
            error = f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"
            if self._session is not None:
                self._session.close()
                self._session = None
        finally:
            self.in_pass = False
        new: tuple[Diagnostic, ...] = ()
        if result is not None:
            current = frozenset(result.diagnostics)
            new = tuple(sorted(current - self._seen))
            self._seen = current
        if not self.stop.is_set():
            self.report(Pass(reason, changed, result, self.clock() - started, error, new))
        return day

    def _changed(self, output: str, page: str) -> bool:
        """Was this page changed since notesync wrote it (a box ticked), or deleted? (A page
        written once is the user's: only its deletion counts.)"""
        if page in ONCE:
            return not (self.vault / output / page).exists()
        return self._session is not None and self._session.page_changed(page)

    def _drain(self, first: tuple[str, bool, str], quiet: float) -> list[tuple[str, bool, str]]:
        """Collect events until `quiet` seconds pass without one (or a stop is asked for). A
        note the editor has saved and closed ends its burst: then `SAVED` is quiet enough."""

        def until(event: tuple[str, bool, str]) -> float:
            done = event[2] == "closed" and event[0].endswith(".md")
            return self.clock() + (min(quiet, SAVED) if done else quiet)

        batch = [first]
        deadline = until(first)
        while not self.stop.is_set():
            remaining = deadline - self.clock()
            if remaining <= 0:
                return batch
            try:
                batch.append(self._events.get(timeout=min(remaining, self.tick)))
                deadline = until(batch[-1])
            except queue.Empty:
                continue
        return batch

    def run(self) -> None:
        """Sync once, then follow the vault until `stop` is set."""
        self.vault = check_vault(self.vault).resolve()
        observer = self._observer()
        observer.schedule(_Handler(self._events), str(self.vault), recursive=True, event_filter=list(EVENTS))
        observer.start()  # before the first sync, so no change made during it is missed
        try:
            output = "notesync"
            quiet = self.debounce if self.debounce is not None else 0.03
            with contextlib.suppress(NotesyncError):  # the first pass reports it
                cfg = self._config()
                output = cfg.output
                quiet = self.debounce if self.debounce is not None else cfg.debounce_ms / 1000
            day = self._sync("start", ())
            while not self.stop.is_set():
                until_midnight = (_next_midnight(self.now()) - self.now()).total_seconds()
                try:
                    first = self._events.get(timeout=max(0.01, min(self.tick, until_midnight)))
                except queue.Empty:
                    if self.today() != day:
                        day = self._sync("midnight", ())
                    continue
                batch = self._drain(first, quiet)
                if self.stop.is_set():
                    break
                with contextlib.suppress(NotesyncError):  # a broken config is reported by the sync
                    output = self._config().output
                paths = {(_relative(self.vault, path), is_dir, kind) for path, is_dir, kind in batch}
                hits = {(rel, d, k) for rel, d, k in paths if rel and relevant(rel, output, d)}
                notes = tuple(sorted({rel for rel, d, _ in hits if rel and not d}))
                settings = any(rel == CONFIG_NAME or rel in SETTINGS_READ for rel, _, _ in paths)
                # a page changed or deleted (a box ticked on Follow-ups.md, say) asks for a pass;
                # notesync's own writes leave the stat it recorded
                touched = {rel.casefold() for rel, d, _ in paths if rel and not d}
                # the output folder moved or deleted whole (Obsidian's delete moves it to .trash/)
                out = output.casefold()
                whole = any(d and rel and (rel.casefold() + "/").startswith(out + "/") for rel, d, _ in paths)
                ticked = any(
                    (whole or f"{output}/{p}".casefold() in touched) and self._changed(output, p)
                    for p in ALL_PAGES
                )
                in_place = not settings and all(not d and k in ("modified", "closed") for _, d, k in hits)
                if hits or settings or ticked:
                    day = self._sync("change", notes, in_place)
                elif self.today() != day:
                    day = self._sync("midnight", ())
        except Stopped:
            pass
        finally:
            observer.stop()
            observer.join(timeout=1)
            if self._session is not None:
                self._session.close()

    def _observer(self) -> Any:
        if self.polling:
            from watchdog.observers.polling import PollingObserver

            return PollingObserver(timeout=1)
        from watchdog.observers import Observer

        return Observer()
