"""The `notesync` command as a process: `python -m notesync` and the installed script.

A one-off command makes and drops up to a million objects (a sync at 10,000 notes),
a tenth of them while importing: the cyclic garbage collector would only walk them over
again, and tearing the interpreter down would free them one by one. Together that is
0.08 s of a 0.6 s sync and 1.5 ms of a 95 ms no-op, so the command runs without the
collector from its first import (`watch` turns it back on) and leaves with `os._exit`
once its output is out.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def entry() -> None:
    gc.disable()
    from .cli import run

    code = run()
    with contextlib.suppress(OSError):  # a reader that went away (`| head`)
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
