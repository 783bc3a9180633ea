"""Read-only walk of the vault: which notes exist, with their mtime and size.

Hidden folders (`.obsidian`, `.trash`, `.git`, `.notesync`), the output folder and
ignored folders are never entered. Symbolic links are not followed: a link that
points outside the vault, nowhere, or into a loop is reported and skipped.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Diagnostic

MAX_NOTE_BYTES = 4 * 1024 * 1024  # a note past this is not a note someone wrote by hand
TEMP_SUFFIX = ".notesync-tmp"  # what notesync's temporary files end with (see `write.atomic_write`)


class Entry(NamedTuple):
    """One Markdown file: vault-relative `/` path plus what vouches for its content
    (see `store.Stat`). A named tuple: a sync makes one per note."""

    path: str
    mtime_ns: int
    size: int
    ctime_ns: int
    ino: int


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates
        return False
    return True


def _symlink_problem(full: str, rel: str, real_root: str) -> Diagnostic | None:
    try:
        os.stat(full)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Diagnostic(rel, 0, "symlink-loop", "symbolic link loops back on itself; skipped")
        return Diagnostic(rel, 0, "symlink-broken", "symbolic link points nowhere; skipped")
    real = os.path.realpath(full)
    if not _inside(real, real_root):
        return Diagnostic(rel, 0, "symlink-outside", "symbolic link points outside the vault; not followed")
    if _inside(os.path.realpath(os.path.dirname(full)), real):
        return Diagnostic(
            rel, 0, "symlink-loop", "symbolic link points back to a folder holding it; not followed"
        )
    return None


class Walk(NamedTuple):
    entries: list[Entry]  # every note, sorted by path
    diagnostics: list[Diagnostic]  # what could not be read
    leftovers: list[str]  # temporary files of notesync's that a killed run left among the notes


def scan(vault: Path, output: str, ignore: tuple[str, ...] = ()) -> Walk:
    """Every `.md` note of the vault, and what could not be read."""
    root = str(vault)
    real_root = os.path.realpath(root)
    skip = {output.casefold(), *(i.casefold() for i in ignore)}
    entries: list[Entry] = []
    diags: list[Diagnostic] = []
    leftovers: list[str] = []
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        full_dir = os.path.join(root, rel_dir) if rel_dir else root
        try:
            with os.scandir(full_dir) as it:
                children = list(it)
        except OSError as exc:
            diags.append(
                Diagnostic(rel_dir or ".", 0, "unreadable", f"cannot read folder: {exc.strerror}", "error")
            )
            continue
        for child in children:
            name = child.name
            if name[0] == ".":
                if name.endswith(TEMP_SUFFIX):
                    leftovers.append(f"{rel_dir}/{name}" if rel_dir else name)
                continue
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if not name.isascii() and not _utf8(name):
                shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                where = f"{rel_dir}/{shown}" if rel_dir else shown
                diags.append(
                    Diagnostic(where, 0, "filename-invalid", "file name is not valid UTF-8; skipped", "error")
                )
                continue
            try:
                if name.endswith(".md") and child.is_file(follow_symlinks=False):  # most of a vault
                    st = child.stat(follow_symlinks=False)
                elif child.is_dir(follow_symlinks=False):
                    if rel.casefold() not in skip:
                        stack.append(rel)
                    continue
                else:
                    if child.is_symlink() and (name.endswith(".md") or os.path.isdir(child.path)):
                        problem = _symlink_problem(child.path, rel, real_root)
                        if problem is not None:
                            diags.append(problem)
                    continue
            except OSError as exc:
                diags.append(Diagnostic(rel, 0, "unreadable", f"cannot read: {exc.strerror}", "error"))
                continue
            if st.st_size > MAX_NOTE_BYTES:
                diags.append(
                    Diagnostic(
                        rel,
                        0,
                        "file-too-large",
                        f"{st.st_size / 1048576:.1f} MB is over the "
                        f"{MAX_NOTE_BYTES // 1048576} MB limit for a note; skipped",
                        "error",
                    )
                )
                continue
            entries.append(Entry(rel, st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino))
    entries.sort()  # by path: paths are unique, so the rest of the tuple never decides
    return Walk(entries, diags, leftovers)
