"""The `notesync` command as a process: `python -m notesync` and the installed script.

A one-off command makes and drops up to a million objects (a sync at 10,000 notes),
a tenth of them while importing: the cyclic garbage collector would only walk them over
again, and tearing the interpreter down would free them one by one. Together that is
0.08 s of a 0.6 s sync and 1.5 ms of a 95 ms no-op, so the command runs without the
collector from its first import (`watch` turns it back on) and leaves with `os._exit`
once its output is out.

The command run most, `notesync sync` with at most a vault and a day (by hand, from a
hook or a timer), is run here without importing click, which spares a tenth of a no-op
(104 -> 94 ms at 10,000 notes). It says exactly what click's `sync` says (both show
`report.sync`); any other command line, or one click answers in its own words (help, a
bad date, a file or an unreadable folder as the vault, shell completion), goes to click.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def entry() -> None:
    gc.disable()
    code = plain_sync(sys.argv[1:])
    if code is None:
        from .cli import run

        code = run()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (`| head`)
            if stream is not None:  # (a process started with it closed)
                stream.flush()
    os._exit(code)


def plain_sync(args: list[str]) -> int | None:
    """Run `notesync sync [VAULT] [--today YYYY-MM-DD]` and give its exit code; None, having
    done nothing, for any other command line."""
    from datetime import date

    if not args or args[0] != "sync" or any(k.endswith("_COMPLETE") for k in os.environ):
        return None  # (`_NOTESYNC_COMPLETE`: click's shell completion)
    from .limits import parse_day

    vault: str | None = None
    today: date | None = None
    rest = args[1:]
    while rest:
        arg = rest.pop(0)
        if arg == "--today" and rest:
            day = rest.pop(0)
        elif arg.startswith("--today="):
            day = arg.removeprefix("--today=")
        elif vault is None and arg and not arg.startswith("-") and _readable_folder(arg):
            vault = arg
            continue
        else:
            return None
        if today is not None:
            return None  # given twice: click decides
        try:
            today = parse_day(day)
        except ValueError:
            return None  # click says what is wrong
    try:
        from . import report
        from .errors import NotesyncError
        from .obsidian import vault_here
        from .pipeline import sync

        try:
            result = sync(vault or vault_here(), today=today, progress=report.reading())
        except (NotesyncError, OSError) as exc:
            report.show([report.Line(f"Error: {report.error(exc)}", True)])
            return 1
        report.show(report.sync(result))
    except BrokenPipeError:  # a reader that went away (`| head`)
        return 1
    except KeyboardInterrupt:
        if sys.stderr is not None:
            sys.stderr.write("\n")
        return 130
    return 1 if report.sync_failed(result) else 0


def _readable_folder(path: str) -> bool:
    """What click's `Path(file_okay=False)` takes for the vault: a folder one may read
    (anything else, click refuses in its own words)."""
    return os.path.isdir(path) and os.access(path, os.R_OK)


if __name__ == "__main__":
    entry()
