"""The one module that writes notesync's pages: plan every page first, then apply the plan.

(Notes are written elsewhere only when the user asks: the one edit a tick records, in
`edit.apply_edit`; a note `new`, `import` or a ticked referral creates; undoing either.)

A page is written only when its bytes change, atomically (temporary file in the same
folder, then rename), so a crash leaves the old page or the new one. Whose a file is
comes from the file itself (see `owner`): notesync writes over its own untouched pages,
copies a page the user edited to `.notesync/backups/` first, and never writes over a
file it did not make (unless told to with `force`, which also keeps a copy).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NamedTuple

from .config import STATE_DIR
from .diagnostics import Diagnostic
from .errors import OutputError
from .owner import ownership, ticks
from .read import bytes_digest
from .scan import TEMP_SUFFIX

BACKUPS = f"{STATE_DIR}/backups"

Action = Literal["create", "update", "unchanged", "skip"]


class Change(NamedTuple):
    """What happens (or would happen) to one page (a named tuple: see `config.Config`)."""

    page: str  # vault-relative path of the page
    action: Action
    edited: bool = False  # the user changed it since notesync wrote it
    backup: str | None = None  # vault-relative path of the backup, once made
    reason: str = ""
    seen: bytes | None = None  # the page as planned on (from `plan` to `apply`; None in a result)
    later: bool = False  # skipped for now only: the next run does it


def output_dir(vault: Path, output: str) -> Path:
    """The output folder, refusing one that escapes the vault (`..`, a symlink out)."""
    target = (vault / output).resolve()
    root = vault.resolve()
    if target == root or root not in target.parents:
        raise OutputError(f"output folder {output!r} is not inside the vault {vault}")
    return vault / output


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _decide(
    rel: str,
    name: str,
    current: bytes | None,
    new: bytes,
    force: bool,
    written: str | None = None,
    seen_ticks: frozenset[str] | None = None,
) -> Change:
    if current is None:
        return Change(rel, "create")
    if current == new:
        return Change(rel, "unchanged")
    if (
        seen_ticks is not None
        and name.endswith(".md")
        and (b"- [x]" in current or b"- [X]" in current)  # (a tick's mark: no need to decode)
        and not set(ticks(current.decode("utf-8", "replace"))) <= seen_ticks
    ):
        reason = "a box was ticked on it while this sync ran: the next sync records it"
        return Change(rel, "skip", reason=reason, later=True)
    if written is not None and bytes_digest(current) == written:  # as notesync wrote it
        return Change(rel, "update", seen=current)
    owner = ownership(name, current)
    if owner == "ours":
        return Change(rel, "update", seen=current)
    if owner == "edited" or force:
        return Change(rel, "update", edited=True, seen=current)
    return Change(rel, "skip", reason="a file notesync did not create is in the way; move it or use --force")


def plan(
    vault: Path,
    output: str,
    pages: dict[str, bytes],
    *,
    force: bool = False,
    written: Mapping[str, str] | None = None,
    seen_ticks: frozenset[str] | None = None,
) -> list[Change]:
    """Decide, without writing, what each page needs. `written`: the `bytes_digest` of each
    page as the last run wrote it; a page still so is notesync's without reading its own
    digest (which costs more on a page of 10,000 lines). `seen_ticks`: the ids of the boxes the
    run found ticked and recorded; a page with other ticks is left for the next run."""
    out = output_dir(vault, output)
    changes: list[Change] = []
    for name in sorted(pages):
        rel = f"{output}/{name}"
        try:
            current = _current(out / name)
        except IsADirectoryError:
            changes.append(Change(rel, "skip", reason="a folder of that name is in the way"))
            continue
        except OSError as exc:
            changes.append(Change(rel, "skip", reason=f"cannot read it: {exc.strerror}"))
            continue
        changes.append(_decide(rel, name, current, pages[name], force, (written or {}).get(name), seen_ticks))
    return changes


def temp_path(target: Path) -> Path:
    """The temporary file a write of `target` goes through: hidden, in the same folder (so
    the rename is atomic), and named so that the next run removes it if a kill left it."""
    return target.with_name(f".{target.name}.{os.getpid()}{TEMP_SUFFIX}")


def write_synced(path: Path, data: bytes) -> None:
    """Write a whole file and have it on the disk before returning."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def sync_folder(folder: Path) -> None:
    """Have a rename in `folder` on the disk too (a file system that cannot: left as is)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(target: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: never half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        write_synced(tmp, data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    sync_folder(target.parent)


def inside(path: Path, root: Path) -> bool:
    """Is `path` inside `root` once its folder's symbolic links are followed? (A link to
    another folder must not carry a new note out of the vault.)"""
    real = path.parent.resolve() / path.name
    return root.resolve() in real.parents


def create_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet: FileExistsError if anything is there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        try:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        except BaseException:
            fh.close()
            with contextlib.suppress(OSError):
                path.unlink()
            raise


def backup(vault: Path, name: str, data: bytes) -> str:
    """Keep a copy of a page about to be replaced, under a name no other backup has."""
    stem, dot, ext = name.rpartition(".")
    stamp = time.strftime("%Y-%m-%d %H%M%S")
    for n in range(1, 10_000):
        suffix = "" if n == 1 else f" {n}"
        rel = f"{BACKUPS}/{stem} {stamp}{suffix}{dot}{ext}"
        try:
            create_new(vault / rel, data)
        except FileExistsError:
            continue
        return rel
    raise FileExistsError(f"{BACKUPS}: no free name for a backup of {name}")


def clean_temp_files(folders: list[Path], vault: Path, among_notes: list[str]) -> None:
    """Remove the temporary files a killed run left (only ones notesync names). Called
    under the vault's lock: no other notesync is writing one."""
    for rel in among_notes:
        with contextlib.suppress(OSError):
            os.unlink(vault / rel)
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(root, name))


def apply(
    vault: Path,
    output: str,
    changes: list[Change],
    pages: dict[str, bytes],
    *,
    force: bool = False,
    seen_ticks: frozenset[str] | None = None,
) -> tuple[list[Change], list[Diagnostic]]:
    """Carry out a plan; a page that cannot be written is reported, the rest go on.

    Each page is read once more just before it is replaced: if it changed since the plan
    (the user saved it meanwhile), it is decided again, so that edit is kept too. The
    largest pages are written first: the last written is the one the next run may have to
    read back (see `pipeline._settled`). The changes come back in the plan's order."""
    out = output_dir(vault, output)
    done: list[Change] = []
    diags: list[Diagnostic] = []
    for change in sorted(changes, key=lambda c: -len(pages.get(c.page.rsplit("/", 1)[-1], b""))):
        if change.action not in ("create", "update"):
            done.append(change)
            continue
        name = change.page.rsplit("/", 1)[-1]
        try:
            current = _current(out / name)
            if current != change.seen:  # changed since the plan (the user saved it meanwhile)
                change = _decide(change.page, name, current, pages[name], force, None, seen_ticks)
            saved = None
            if change.action == "update" and change.edited and current is not None:
                saved = backup(vault, name, current)
            if change.action in ("create", "update"):
                atomic_write(out / name, pages[name])
            done.append(
                Change(change.page, change.action, change.edited, saved, change.reason, later=change.later)
            )
        except OSError as exc:
            diags.append(Diagnostic(change.page, 0, "write-failed", f"not written: {exc.strerror}", "error"))
            done.append(Change(change.page, "skip", reason=f"write failed: {exc.strerror}"))
    done.sort(key=lambda c: c.page)
    return done, diags
