"""`notesync check --explain NOTE`: why a note counts as a person, a conversation or
neither, and what was read of it; or, for a note a sync never reads, why not.

It answers for one note, as a sync would read it: the same walk decides whether it is
read at all (the output folder, `ignore`, the templates folders, Obsidian's "Excluded
files", conflict copies, notes over the size limit, links out of the vault), and the
same parser what it says.
"""

from __future__ import annotations

import os
from pathlib import Path

from .config import Config, load_config, template_folders
from .errors import NotesyncError, VaultError
from .links import basename
from .model import Note
from .obsidian import IgnoreFilters, ignored, read_ignore_filters
from .parse import explain, parse_note
from .scan import scan
from .words import plural


def explain_note(vault: Path | str, path: Path | str) -> list[str]:
    """What `check --explain` prints for one note: its first line says what it is, the
    next what was read of it, then its diagnostics. `path` is the note's, absolute or
    relative to the current folder or to the vault."""
    root = Path(vault).expanduser()
    if not root.is_dir():
        raise VaultError(f"{root}: no such folder")
    root = root.resolve()
    given = Path(path).expanduser()
    full = next((p for p in (given, root / given) if os.path.lexists(p)), None)
    if full is None or full.is_dir():
        raise NotesyncError(f"{path}: no such note")
    try:
        rel = (full.absolute().parent.resolve() / full.name).relative_to(root).as_posix()
    except ValueError:
        raise NotesyncError(f"{path} is not in the vault {root}") from None
    cfg = load_config(root)
    unread = _not_read(root, rel, cfg)
    if unread is not None:
        return [f"{rel}: not read: {unread}"]
    data = full.read_bytes()
    out = [f"{rel}: {explain(rel, data, cfg.reading)}"]
    note, diags = parse_note(rel, data, cfg.reading)
    if note is not None and note.kind != "other":
        read = {
            "with": ", ".join(r.target for r in note.contacts),
            "date": note.date.isoformat() if note.date else "",
            "status": note.status or "",
            "referrer": note.referrer.target if note.referrer else "",
            "company": note.company or "",
            "role": note.role or "",
        }
        out.extend(f"  {k}: {v}" for k, v in read.items() if v)
    elif note is not None:  # what such a note still adds
        out.extend(_what_else_counts(note))
    out.extend(f"  {d}" for d in diags)
    return out


def _not_read(root: Path, rel: str, cfg: Config) -> str | None:
    """Why a sync does not read the note at `rel`, or None when it does: the walk's own
    verdict (a walk of the vault, as a sync makes it)."""
    why = unread_place(root, [rel], cfg)
    if why is not None:
        return why
    walk = scan(root, cfg.output, (*cfg.ignore, *template_folders(root)), read_ignore_filters(root))
    if any(e.path == rel for e in walk.entries):
        return None
    said = [d.message for d in walk.diagnostics if d.path == rel]
    return said[0] if said else "the walk of the vault does not reach it"


def unread_place(root: Path, rels: list[str], cfg: Config) -> str | None:
    """Why a note at one of `rels` would not be read, by its name and folder alone (None:
    each would be): where `import` must not put a note. The settings are read once."""
    templates, filters = template_folders(root), read_ignore_filters(root)
    return next((why for why in (_unread(rel, cfg, templates, filters) for rel in rels) if why), None)


def _unread(rel: str, cfg: Config, templates: tuple[str, ...], filters: IgnoreFilters) -> str | None:
    if not rel.endswith(".md"):
        return "only Markdown notes (.md) are read"
    folded = rel.casefold()

    def under(folder: str) -> bool:
        return bool(folder) and folded.startswith(folder.casefold().rstrip("/") + "/")

    if any(part.startswith(".") for part in rel.split("/")[:-1]):
        return "it is in a hidden folder"
    if under(cfg.output):
        return f"it is in notesync's output folder {cfg.output}/, which holds pages, not notes"
    for folder in cfg.ignore:
        if under(folder):
            return f"it is in {folder}/, which `ignore` in .notesync.toml names"
    for folder in templates:
        if under(folder):
            return f"it is in {folder}/, a templates folder or one Obsidian's Excluded files names"
    if not filters.empty and ignored(rel, filters):
        return "Obsidian's Excluded files (Settings > Files and links) names it"
    return None


def _what_else_counts(note: Note) -> list[str]:
    """What a note that is neither a person nor a conversation adds all the same: a daily
    note's links (days in touch), the tasks that link someone, a target company."""
    out = []
    if note.day is not None:
        names = dict.fromkeys(basename(m.target) for m in note.mentions)
        linked = "it links no one"
        if names:
            linked = f"it links {', '.join(names)}: each of them was in touch that day"
        out.append(f"  a daily note of {note.day.isoformat()}: {linked}")
    if note.actions:
        out.append(f"  {plural(len(note.actions), 'task')} linking someone: each is an action item")
    if note.target:
        out.append(f"  a target company: {note.target}")
    return out
