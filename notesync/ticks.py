"""Which items the user marked done, and recording them in their notes.

A box ticked on Follow-ups.md (or an id given to `notesync done`) names an item by the
short id its line ends with. This module finds the items those ids name, even after the
item's note or person was renamed in Obsidian, and has `done` record each in the notes
as they are now. The session (see `pipeline.Session.record`) keeps the log that undo reads.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path

from .analysis import Analysis
from .done import Recorded, keep_in_touch_note, record
from .edit import Edit, Refusal, apply_edit, inverse
from .errors import NotesyncError
from .links import name_key
from .model import FollowUp, Note
from .outfolder import marked
from .owner import ITEM_LINE, ticks
from .parse import parse_note


def ticked(page: Path) -> dict[str, str]:
    """The items ticked on Follow-ups.md at `page`, when it is notesync's page: each id
    with the text of its line (see `find`)."""
    try:
        text = page.read_text("utf-8", errors="replace")
    except OSError:
        return {}
    if not marked(page.name, text[:300]) or not ticks(text):
        return {}
    return {m.group(4): m.group(3) for m in ITEM_LINE.finditer(text) if m.group(2) in "xX"}


def find(
    analysis: Analysis, ids: Iterable[str], lines: Mapping[str, str], notes: list[str], gone: list[str]
) -> tuple[list[FollowUp], list[str]]:
    """The open items these ids name, and the ids that name none (or more than one).
    `lines`: the text of each ticked line, which finds an item whose id changed with its
    note's name (see `_renamed`); `notes`, `gone`: the vault's notes, and those just gone."""
    by_uid = {i.uid: i for i in analysis.items}
    items: dict[str, FollowUp] = {}
    dropped: list[str] = []
    for short in dict.fromkeys(ids):
        found = [i for uid, i in by_uid.items() if uid.startswith(short.casefold())]
        if not found and lines.get(short):
            found = _renamed(short, lines[short], analysis, notes, gone)
        if len(found) == 1:
            items[found[0].uid] = found[0]
        else:
            dropped.append(short)
    return list(items.values()), dropped


def record_all(
    vault: Path,
    analysis: Analysis,
    items: list[FollowUp],
    day: date,
    decoded: Callable[[list[str]], list[Note]],
    *,
    dry_run: bool = False,
) -> list[Recorded]:
    """Record each item done in the notes it edits, as they are on disk now. `decoded`:
    the notes at these paths as the run read them (a keep-in-touch item chooses among a
    person's notes)."""
    out: list[Recorded] = []
    for item in items:
        keep = item.kind == "keep-in-touch"
        theirs = decoded(list(analysis.people.buckets.get(name_key(item.person), ()))) if keep else []
        where = keep_in_touch_note(item, analysis.net, theirs) if keep else item.source
        notes: dict[str, tuple[Note, bytes]] = {}
        for path in sorted({item.source, where}):
            try:
                data = (vault / path).read_bytes()
            except OSError:
                continue
            note, _ = parse_note(path, data, analysis.config.reading)
            if note is not None:
                notes[path] = (note, data)
        reading = analysis.config.reading
        out.append(record(vault, item, notes, analysis.net, reading, day, where=where, dry_run=dry_run))
    return out


def take_back(
    vault: Path,
    path: str,
    made: Edit | None,
    created: bytes | None,
    left: dict[str, bytes | None] | None = None,
) -> str:
    """Undo what recording an item changed in `path` (an edit, or a note created), if the
    note is as notesync left it: what was done, as the output says it. Raises
    NotesyncError otherwise. `left`: a dry run (`done --undo --dry-run`), which changes
    nothing: the notes as the undos before this one in the run would leave them (None:
    removed), updated with what this one would leave (a note's later edit taken back
    first makes its earlier one's)."""
    target = vault / path
    try:
        if left is not None and path in left:
            data = left[path]
        else:
            data = target.read_bytes() if target.exists() else None
        if data is None:
            raise NotesyncError(f"{path} is gone (moved or deleted): nothing to take back")
        if created is not None:
            if data != created:
                raise NotesyncError(f"{path} changed since notesync created it; left as it is")
            if left is not None:
                left[path] = None
                return f"would remove {path}"
            target.unlink()
            return f"removed {path}"
        assert made is not None
        if left is None:
            refused = apply_edit(target, inverse(made))
        elif data != made.after:
            refused = Refusal("changed", f"{target.name} changed since it was read; not edited")
        elif not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "the note is read-only", str(target))
        else:
            left[path], refused = made.before, None
    except OSError as exc:
        raise NotesyncError(f"{path}: cannot write it: {exc.strerror or exc}") from exc
    if isinstance(refused, Refusal):
        raise NotesyncError(f"{path}: {refused.message}")
    return f"{'took' if left is None else 'would take'} back {made.description} in {path}"


_FROM = re.compile(r" · from \[\[([^\[\]|]+)\|([^\[\]|]+)\]\]$")
_ALIASED = re.compile(r"\[\[([^\[\]|]+)\|([^\[\]|]+)\]\]")


def _renamed(short: str, line: str, analysis: Analysis, notes: list[str], gone: list[str]) -> list[FollowUp]:
    """The item a ticked line names by an id made under its note's old name or place:
    Obsidian rewrote the line's `from` link to where the note is now (in full, or by its
    name alone when that is unique) and kept its words, the old title. The id must be that
    item's under that title in the note's folder or, for a note moved, another folder of the
    `notes` or of those just `gone`; for a person's note renamed (as well), under the name
    the line's link to it still shows. A 128-bit id: nothing is guessed."""
    found = _FROM.search(line)
    if found is None:
        return []
    target, title = found.groups()
    if "/" not in target:  # Obsidian's shortest form: the one note of that name
        named = [p[:-3] for p in notes if p.rpartition("/")[2] == f"{target}.md"]
        target = named[0] if len(named) == 1 else target
    mine = [i for i in analysis.items if i.source == f"{target}.md"]
    folders = dict.fromkeys([target.rpartition("/")[0], *_folders([*notes, *gone])])  # its own first
    olds = [f"{folder}/{title}.md" if folder else f"{title}.md" for folder in folders]
    names = [("", "")]  # the person as now, then as each link's words still show them
    for link in _ALIASED.finditer(line, 0, found.start()):  # `[[People/Thomas Lee|Tom Lee]]`
        new, was = link.group(1).rpartition("/")[2], link.group(2)
        names += [(new, was)] if new != was else []
    for new, was in names:
        for old in olds:
            hits = [i for i in mine if _as_was(i, old, new, was).uid.startswith(short.casefold())]
            if hits:
                return hits
    return []


def _as_was(item: FollowUp, source: str, new: str, was: str) -> FollowUp:
    """The item as it was made from its note at `source`, with the person now named `new`
    still named `was` (nobody renamed when `new` is empty)."""
    if not new:
        return item._replace(source=source)
    person = was if item.person == new else item.person
    return item._replace(source=source, person=person, text=item.text.replace(new, was))


def _folders(paths: Iterable[str]) -> list[str]:
    """Every folder holding a note, and the folders above them ("" for the vault's own)."""
    out = {""}
    for path in paths:
        while "/" in path:
            path = path.rpartition("/")[0]
            if path in out:
                break
            out.add(path)
    return sorted(out)
