"""The output folder must be a folder of its own.

notesync never reads its output folder and writes its pages there. Pointed at a folder
of notes (`output = "Interviews"`, or `notesync/` a symbolic link to `Interviews/`), the
notes there would silently stop counting and the pages would land among them; pointed
at a folder the walk does read, the pages would be read back as notes and `watch` would
answer its own writes; a folder of something else (pictures, a program's source named
`notesync/`) would get pages among its files. All are refused before anything is read
or written, unless the folder already holds notesync's pages.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import OutputError

# What a walk of the output folder may look at before it gives up looking for notes:
# a folder of one's own holds a handful of pages.
_MAX_ENTRIES = 10_000
_HEAD = 200  # the front-matter mark is on the first lines of a page


def marked(name: str, head: str) -> bool:
    """Do a file's first lines (`head`) carry what notesync writes there, so that it made
    the file (edited since or not)? `notesync: generated` in a page's front-matter; the
    canvas's legend id, the calendar's maker, the base's header. (Cheap: see `owner` for
    whether the file was edited.)"""
    from .owner import BASE_MARK, CANVAS_ID, GENERATED_MARK, PRODID

    head = head.lstrip("\ufeff").replace("\r\n", "\n")  # (an editor's BOM, Windows line ends)
    if name.endswith(".md"):
        return head.startswith("---\n") and f"\n{GENERATED_MARK}\n" in head.split("\n---", 1)[0] + "\n"
    signature = {".canvas": f'"id":"{CANVAS_ID}', ".ics": f"\nPRODID:{PRODID}\n", ".base": BASE_MARK}
    return any(name.endswith(suffix) and mark in head for suffix, mark in signature.items())


def _generated(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return marked(path, fh.read(_HEAD).decode("utf-8", errors="replace"))
    except OSError:
        return False


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


# What an operating system leaves in any folder it shows (besides hidden files).
_SYSTEM_FILES = frozenset({"desktop.ini", "thumbs.db", "icon\r"})


def _contents(folder: str, shown: str) -> tuple[list[str], list[str], bool]:
    """The Markdown files under `folder` that notesync did not write and its other files
    (as `shown/...`, a few at most), and whether it holds a page notesync did write (see
    `marked`).

    Pages at the top that carry a page's name are left to the writer, which never
    overwrites one it did not make; hidden folders are skipped, as by the walk.
    """
    from .render import ALL_PAGES, PAGE_NAMES

    stack = [("", folder)]
    seen = 0
    notes: list[str] = []
    others: list[str] = []  # (a picture, a script: a folder of something else)
    ours = False
    while stack and len(notes) < 20:
        rel_dir, full_dir = stack.pop()
        try:
            with os.scandir(full_dir) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for child in children:
            seen += 1
            if seen > _MAX_ENTRIES:
                return notes, others, ours
            rel = f"{rel_dir}/{child.name}" if rel_dir else child.name
            if child.name.startswith("."):
                continue
            try:
                if child.is_dir(follow_symlinks=False):
                    stack.append((rel, child.path))
                    continue
                if not child.name.endswith(".md") or not child.is_file():
                    if rel in ALL_PAGES:  # the canvas, the calendar, the base (read only if need be)
                        ours = ours or _generated(child.path)
                    elif child.name.casefold() not in _SYSTEM_FILES:
                        others.append(f"{shown}/{rel}")
                    continue
            except OSError:
                continue
            if _generated(child.path):
                ours = True
            elif rel not in PAGE_NAMES:
                notes.append(f"{shown}/{rel}")
    return notes, others, ours


def output_problem(vault: Path, output: str, skipped: tuple[str, ...] = ()) -> tuple[str | None, list[str]]:
    """Why the output folder `output` (vault-relative) cannot hold notesync's pages (or
    None), and the notes in it that are not read (once it holds notesync's pages, a note
    that lands there later, such as Obsidian's "Untitled.md", is reported, not fatal).

    `skipped` are the folders the walk never enters besides it (`ignore`, templates).
    Reads the disk (symbolic links, the folder's files) but changes nothing.
    """
    root = os.path.realpath(vault)
    target = os.path.realpath(os.path.join(vault, output))
    if target == root or not _inside(target, root):
        return f"output folder {output!r} is not inside the vault {vault}", []
    if os.path.lexists(target) and not os.path.isdir(target):
        return f"output folder {output!r} is a file, not a folder: set output to a folder's name", []
    rel = os.path.relpath(target, root).replace(os.sep, "/")
    if rel.casefold() != output.casefold():
        parts = rel.split("/")
        hidden = any(part.startswith(".") for part in parts)
        folded = rel.casefold()
        unread = any(_inside(folded, s.casefold()) for s in (output, *skipped) if s) or hidden
        if not unread:
            return (
                f"output folder {output!r} leads to {rel!r}, a folder notesync reads notes from: "
                "its pages would be read back as notes. Make the output folder a folder of its own, "
                "not a link to another one"
            ), []
    notes, others, ours = _contents(target, output)
    if notes and not ours:
        return (
            f"output folder {output!r} holds notes notesync did not write ({notes[0]}): it never reads "
            "its output folder, so they would not count, and it would write its pages among them. "
            "Move those notes out, or set output to a folder of its own"
        ), []
    if others and not ours:
        return (
            f"output folder {output!r} holds files notesync did not write ({others[0]}): it would "
            "write its pages among them. Move them out, or set output to a folder of its own"
        ), []
    return None, notes


def check_output(vault: Path, output: str, skipped: tuple[str, ...] = ()) -> list[str]:
    """Raise OutputError (a settings error: nothing is read or written) for an output
    folder that is not a folder of its own; return the stray notes in it (see
    `output_problem`)."""
    problem, strays = output_problem(vault, output, skipped)
    if problem is not None:
        raise OutputError(problem)
    return strays
