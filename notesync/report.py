"""What a sync says, as lines to show: the same whether click's command or the plain
`notesync sync` of `__main__` (which skips importing click) runs it.

Knows nothing of click: a line is its text, its stream and the colour it takes on a
terminal; `show` writes lines as `click.secho` would.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple, TextIO

from .diagnostics import Diagnostic, printable
from .errors import NotesyncError

if TYPE_CHECKING:
    from .results import SyncResult

WRITE_FAILURES = ("write-failed", "page-skipped")  # said at every pass of `watch`, not only the first
_COLOURS = {"red": 31, "yellow": 33, "cyan": 36}


class Line(NamedTuple):
    text: str
    err: bool = False  # for stderr
    colour: str | None = None  # on a terminal only


def show(lines: Iterable[Line]) -> None:
    """Write each line to its stream as `click.secho` does: coloured on a terminal only,
    nothing to a stream that is closed, and UTF-8 to one whose encoding cannot say it."""
    for line in lines:
        stream = sys.stderr if line.err else sys.stdout
        if stream is None:  # (a process started with it closed)
            continue
        text = line.text
        if line.colour is not None and on_terminal(stream):
            text = f"\x1b[{_COLOURS[line.colour]}m{text}\x1b[0m"
        try:
            stream.write(text + "\n")
        except UnicodeEncodeError:  # (PYTHONIOENCODING=ascii, say)
            stream.flush()
            stream.buffer.write(f"{text}\n".encode("utf-8", "replace"))
        stream.flush()


def error(exc: NotesyncError | OSError) -> str:
    """The message of an error that stops a command (an OSError: a path the system
    refuses, too long say, met before any note is read)."""
    if isinstance(exc, NotesyncError):
        return printable(str(exc))
    where = os.fsdecode(exc.filename) if exc.filename is not None else "notesync"
    if len(where) > 120:
        where = f"{where[:60]}…{where[-40:]}"
    return printable(f"{where}: {exc.strerror or exc}")


def on_terminal(stream: TextIO | None) -> bool:
    """Is this stream a terminal? (None: the process was started with it closed.)"""
    return stream is not None and stream.isatty()


def reading() -> Callable[[int, int], None] | None:
    """Progress of reading a large vault, on a terminal."""
    if not on_terminal(sys.stderr):
        return None

    def progress(done: int, total: int) -> None:
        if total >= 2000:
            sys.stderr.write(f"\rreading notes {done}/{total}" + ("\n" if done >= total else ""))
            sys.stderr.flush()

    return progress


def diagnostics(diags: Iterable[Diagnostic]) -> Iterator[Line]:
    for d in diags:
        yield Line(str(d), True, "red" if d.severity == "error" else "yellow")


def hints(found: Iterable[str]) -> Iterator[Line]:
    """Why the vault yields few people, and what to add to the settings."""
    for hint in found:
        yield Line(f"hint: {hint}", True, "cyan")


def recorded(result: SyncResult, asked: tuple[str, ...] = ()) -> Iterator[Line]:
    """What the items ticked on Follow-ups.md (or `asked` for by id) recorded in their notes."""
    for done in result.recorded:
        what = printable(done.item.text)
        if done.refusal is not None:
            yield Line(f"not recorded: {what}: {printable(done.refusal)}", True)
        elif result.dry_run and not done.path:
            yield Line(f"would create {done.what} in a new note ({what})")
        elif result.dry_run:
            yield Line(f"would record {done.what} in {done.path} ({what})")
        elif done.created is not None:
            yield Line(f"{done.what}: {done.path} ({what})")
        else:
            yield Line(f"recorded {done.what} in {done.path} ({what})")
    for short in result.dropped:
        if short in asked:
            why = "no open item has this id (done already? `notesync followups` lists them)"
            yield Line(f"{short}: {why}", True)
        else:
            yield Line(
                f"ticked {short}: no such open item any more (recorded by hand, or its note renamed?); "
                "dropped: tick it again on the page just written if it is still there",
                True,
            )


def changes(result: SyncResult) -> Iterator[Line]:
    """What happened to pages the user had edited."""
    for change in result.changes:
        if change.edited and change.backup:
            yield Line(f"  you had edited {change.page}; your version is saved as {change.backup}")
        elif change.edited and result.dry_run:
            yield Line(f"  you have edited {change.page}; it would be backed up first")


def sync(result: SyncResult) -> Iterator[Line]:
    """All a sync says: the pages written, the ticks recorded, the problems, the summary."""
    for change in result.written:
        yield Line(f"{'would ' + change.action if result.dry_run else change.action + 'd'} {change.page}")
    yield from recorded(result)
    yield from changes(result)
    yield from diagnostics(result.diagnostics)
    yield from hints(result.hints)
    yield Line(result.text())
    if result.dry_run and any(r.refusal is None for r in result.recorded):
        yield Line("(a dry run records no tick: the pages recording them would change are not counted)")


def sync_failed(result: SyncResult) -> bool:
    """Did a real sync leave a page unwritten? (Its command then exits 1.)"""
    return bool(result.skipped) and not result.dry_run
