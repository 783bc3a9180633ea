"""Read-only walk of the vault: which notes exist, with their mtime and size.

Hidden folders (`.obsidian`, `.trash`, `.git`, `.notesync`), the output folder and
ignored folders are never entered, and what Obsidian's "Excluded files" excludes is
not read. Symbolic links are not followed: a link that points outside the vault,
nowhere, or into a loop is reported and skipped. The copies sync services make of a
note edited on two devices at once are reported, not read.
"""

from __future__ import annotations

import errno
import os
import re
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Diagnostic
from .errors import VaultError
from .obsidian import IgnoreFilters, ignored, ignored_folder
from .outfolder import check_output

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


# The names sync services give the copy they keep of a file edited on two devices at once;
# `name` is the note it copies (in the same folder).
_CONFLICT_COPY = re.compile(
    r"^(?P<name>.+?)(?:"
    r"\.sync-conflict-\d{8}-\d{6}(?:-[A-Za-z0-9]+)?"  # Syncthing: .sync-conflict-20261128-123456-ABCDEFG
    r"|_conflict-\d{8}-\d{6}"  # ownCloud's older clients: _conflict-20261128-123456
    # Dropbox "(conflicted copy)", "(Jane's conflicted copy 2026-11-28)"; Nextcloud and ownCloud
    # "(conflicted copy 2026-11-28 123456)"; Obsidian Sync "(Conflicted copy DEVICE 202611281234)"
    r"| \([^()]*\bconflicted copy\b[^()]*\)"
    r"| \((?:case|selective sync) conflict(?: \d+)?\)"  # Dropbox
    r")(?: \(\d+\))?\.md$",
    re.IGNORECASE,
)


def conflict_copy_of(name: str) -> str | None:
    """The file name of the note that `name` is a sync service's conflicting copy of, if it is one."""
    if "onflict" not in name and "ONFLICT" not in name:  # nearly every name: no regular expression
        return None
    m = _CONFLICT_COPY.match(name)
    return None if m is None else m.group("name").rstrip() + ".md"


# A folder is read through its descriptor where the system allows it: each note's stat
# then looks up one name, not the whole path again (a sixth of the walk at 10,000 notes).
BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd


class Walk(NamedTuple):
    entries: list[Entry]  # every note, sorted by path
    diagnostics: list[Diagnostic]  # what could not be read
    leftovers: list[str]  # temporary files of notesync's that a killed run left among the notes


def scan(
    vault: Path, output: str, ignore: tuple[str, ...] = (), ignore_filters: IgnoreFilters | None = None
) -> Walk:
    """Every `.md` note of the vault, and what could not be read.

    `ignore` are folders (vault-relative, any case) never entered; `ignore_filters`
    Obsidian's "Excluded files" (see `obsidian.read_ignore_filters`): a note they match
    is not read, and a folder a prefix excludes whole is not entered.

    Raises OutputError, before the walk, when the output folder is not a folder of its
    own (see `outfolder`): nothing may then be read or written; VaultError when the vault
    folder cannot be read."""
    strays = check_output(vault, output, ignore)
    root = str(vault)
    real_root = os.path.realpath(root)
    skip = {output.casefold(), *(i.casefold() for i in ignore)}
    filters = None if ignore_filters is None or ignore_filters.empty else ignore_filters  # most: none
    entries: list[Entry] = []
    diags = [
        Diagnostic(path, 0, "note-in-output", "a note in notesync's output folder is not read; move it out")
        for path in strays
    ]
    diags += [  # (Obsidian's JavaScript reads some expressions Python's `re` cannot)
        Diagnostic(
            ".obsidian/app.json",
            0,
            "setting-unread",
            f"Excluded files: notesync cannot read the expression {expr}; the notes it excludes are read",
        )
        for expr in (ignore_filters.invalid if ignore_filters is not None else ())
    ]
    leftovers: list[str] = []
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        full_dir = os.path.join(root, rel_dir) if rel_dir else root
        fd = None
        try:
            if BY_FD:
                fd = os.open(full_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            with os.scandir(full_dir if fd is None else fd) as it:
                children = list(it)
        except OSError as exc:
            if fd is not None:
                os.close(fd)
            if not rel_dir:  # the vault itself: a run that read no note would empty every page
                raise VaultError(f"cannot read the vault folder {root}: {exc.strerror}") from exc
            diags.append(
                Diagnostic(rel_dir or ".", 0, "unreadable", f"cannot read folder: {exc.strerror}", "error")
            )
            continue
        prefix = f"{rel_dir}/" if rel_dir else ""
        try:
            for child in children:
                name = child.name
                if name[0] == ".":
                    if name.endswith(TEMP_SUFFIX):
                        leftovers.append(prefix + name)
                    continue
                rel = prefix + name
                if not name.isascii() and not _utf8(name):
                    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                    where = f"{rel_dir}/{shown}" if rel_dir else shown
                    diags.append(
                        Diagnostic(
                            where, 0, "filename-invalid", "file name is not valid UTF-8; skipped", "error"
                        )
                    )
                    continue
                try:
                    if name.endswith(".md") and child.is_file(follow_symlinks=False):  # most of a vault
                        if filters is not None and ignored(rel, filters):
                            continue
                        # (the test conflict_copy_of starts with, inline: it runs for every note)
                        original = conflict_copy_of(name) if "onflict" in name or "ONFLICT" in name else None
                        if original is not None:
                            copied = f"{rel_dir}/{original}" if rel_dir else original
                            diags.append(
                                Diagnostic(
                                    rel,
                                    0,
                                    "conflict-copy",
                                    f"a sync service's conflicting copy of {copied}; not read — "
                                    "merge it into that note and delete it",
                                )
                            )
                            continue
                        st = child.stat(follow_symlinks=False)
                    elif child.is_dir(follow_symlinks=False):
                        if rel.casefold() not in skip and (
                            filters is None or not ignored_folder(rel, filters)
                        ):
                            stack.append(rel)
                        continue
                    else:
                        if child.is_symlink() and (
                            name.endswith(".md") or os.path.isdir(os.path.join(full_dir, name))
                        ):
                            problem = _symlink_problem(os.path.join(full_dir, name), rel, real_root)
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
                # (tuple.__new__: a named tuple's own __new__ is Python code, a sixth of the walk's cost)
                entries.append(
                    tuple.__new__(Entry, (rel, st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino))
                )
        finally:
            if fd is not None:
                os.close(fd)
    entries.sort(key=itemgetter(0))  # by path: paths are unique
    return Walk(entries, diags, leftovers)
