"""`notesync import`: the people an export knows (LinkedIn, a vCard file, Google
Contacts) become contact notes, unless the vault knows them already.

Reading the file is `importers`, deciding who is new is `matching`; this module runs
the two against the vault as a sync reads it, creates the new notes (new files only,
never over one) and remembers what it imported in `.notesync/imported.json`, so a note
the user deletes is not made again by the next import. `--update` records what the
export knows and a contact note does not, by the rules of the one edit (`edit`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

from .config import STATE_DIR
from .diagnostics import Diagnostic
from .edit import Edit, Refusal, apply_edit, replace_value
from .errors import NotesyncError
from .explain import unread_place
from .importers import contact_notes, read_export, yaml_string
from .matching import (
    ImportPlan,
    Matched,
    dump_remembered,
    known_from_vault,
    load_remembered,
    plan_import,
    remember_keys,
)
from .model import Note
from .new import contact_paths, usual_folder
from .pipeline import LOCK_WAIT, Session
from .read import bytes_digest
from .reading import Reading, key_name
from .results import SyncResult
from .write import atomic_write, create_new

REMEMBERED = f"{STATE_DIR}/imported.json"
DEFAULT_FOLDER = "People"  # for a vault with no contact notes yet

Progress = Callable[[int, int], None]


class Update(NamedTuple):
    """What `--update` recorded (or would record) in one contact note."""

    path: str
    fields: tuple[tuple[str, str], ...]  # (property, value)
    refused: str | None = None  # why the note was left as it was


class ImportReport(NamedTuple):
    source: str  # "linkedin", "vcard" or "google"
    layout: str  # the variant of the file recognised
    plan: ImportPlan
    folder: str  # where the new notes go ("" is the top of the vault)
    created: list[tuple[str, str]]  # (vault path, name) of each new note, or each planned one
    failed: list[tuple[str, str]]  # (vault path, why) of a note that could not be created
    updates: list[Update]
    problems: list[Diagnostic]  # rows or cards of the file that could not be read
    dry_run: bool
    synced: SyncResult | None  # the pages brought up to date afterwards (not on a dry run)


def import_people(
    vault: Path | str,
    source: str,
    export: Path | str,
    *,
    dry_run: bool = False,
    update: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
    wait: float | None = LOCK_WAIT,
) -> ImportReport:
    """Import one export file into the vault; then sync, so the pages show the new people."""
    export = Path(export)
    try:
        data = export.read_bytes()
    except OSError as exc:
        raise NotesyncError(f"{export}: cannot read: {exc.strerror or exc}") from exc
    try:
        result = read_export(source, data)
    except ValueError as exc:
        raise NotesyncError(str(exc)) from exc
    problems = [p.diagnostic(export.name) for p in result.problems]
    session = Session(vault, what="notesync import")
    try:
        with session.locked(wait):
            analysis = session.analyse(wait=wait)
            contacts = [n for n in analysis.notes if n.kind == "contact"]
            remembered = _remembered(session.vault)
            plan = plan_import(result.people, known_from_vault(analysis.net, contacts), remembered)
            found = usual_folder(contact_paths(analysis.notes))
            chosen = analysis.config.notes_folder  # ("": the top of the vault, as for `new`)
            folder = found if found is not None else chosen if chosen is not None else DEFAULT_FOLDER
            notes = contact_notes(plan.new, folder, (n.path for n in analysis.notes))
            unread = unread_place(session.vault, [path for path, _ in notes], analysis.config)
            if unread is not None:  # (the notes would be made and never counted)
                raise NotesyncError(
                    f"the new contact notes would go in {folder or 'the top of the vault'}, which a sync "
                    f"does not read: {unread}; set notes_folder in .notesync.toml to a folder that is read"
                )
            names = {path: p.name for (path, _), p in zip(notes, plan.new, strict=True)}
            assert session.rows is not None
            seen = {n.path: (n, session.rows[n.path].content) for n in analysis.notes}  # as read
            reading = analysis.config.reading
            to_update = [m for m in plan.matched if m.updates and m.known.note is not None] if update else []
            report = ImportReport(
                source, result.layout, plan, folder, list(names.items()), [], [], problems, dry_run, None
            )
            if dry_run:
                return report._replace(
                    updates=[_update(session.vault, seen, m, reading, dry_run=True) for m in to_update]
                )
            created, failed = _create(session.vault, notes, progress)
            made = set(created)
            keys = {
                k
                for (path, _), p in zip(notes, plan.new, strict=True)
                if path in made
                for k in remember_keys(p)
            }
            if keys:
                atomic_write(session.vault / REMEMBERED, dump_remembered(remembered | keys))
            updates = [_update(session.vault, seen, m, reading, dry_run=False) for m in to_update]
            return report._replace(
                created=[(path, names[path]) for path in created],
                failed=failed,
                updates=updates,
                synced=session.sync(today=today, wait=wait),
            )
    finally:
        session.close()


def _remembered(vault: Path) -> set[str]:
    path = vault / REMEMBERED
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise NotesyncError(f"{REMEMBERED}: cannot read: {exc.strerror or exc}") from exc
    try:
        return load_remembered(data)
    except (ValueError, json.JSONDecodeError) as exc:
        raise NotesyncError(
            f"{REMEMBERED} is damaged ({exc}): it lists who was imported before, so that a note you "
            "deleted is not made again. Restore it, or delete it to import everyone not in the vault"
        ) from exc


def _create(
    vault: Path, notes: list[tuple[str, str]], progress: Progress | None
) -> tuple[list[str], list[tuple[str, str]]]:
    """Create each note as a new file: one there already (made meanwhile) is left alone."""
    created: list[str] = []
    failed: list[tuple[str, str]] = []
    for i, (path, text) in enumerate(notes, 1):
        try:
            create_new(vault / path, text.encode("utf-8"))
            created.append(path)
        except FileExistsError:
            failed.append((path, "a file of that name appeared meanwhile; left as it is"))
        except OSError as exc:
            failed.append((path, f"cannot create: {exc.strerror or exc}"))
        if progress is not None:
            progress(i, len(notes))
    return created, failed


def updatable(match: Matched) -> bool:
    """`--update` trusts only a match by profile or email: a namesake is not the same
    person for certain, and their note is not rewritten on a guess."""
    return bool(match.updates) and match.known.note is not None and match.by in ("linkedin", "email")


def _update(
    vault: Path, seen: dict[str, tuple[Note, str]], match: Matched, reading: Reading, *, dry_run: bool
) -> Update:
    """Record a matched person's new company or role (and a missing email or profile) in
    their contact note: each property set in place, or added when absent; nothing else
    changes, and nothing at all if the note changed since the import read the vault."""
    assert match.known.note is not None
    path = match.known.note
    target = vault / path
    try:
        before = target.read_bytes()
    except OSError as exc:
        return Update(path, match.updates, f"cannot read: {exc.strerror or exc}")
    if not updatable(match):
        return Update(
            path,
            match.updates,
            "matched by name only; with their email or LinkedIn profile in the note, --update can change it",
        )
    note, content = seen.get(path, (None, ""))
    if bytes_digest(before) != content:
        return Update(path, match.updates, "changed since notesync read it; not updated")
    data, lines = before, list[int]()
    for prop, value in match.updates:
        replaceable = prop in ("company", "role")  # what changes; an email or profile is only added
        edit = replace_value(
            data,
            _names(note, prop, reading),
            yaml_string(value),
            (lambda _v: True) if replaceable else (lambda v: v in (None, "", [])),
            add_missing=True,
        )
        if isinstance(edit, Refusal):
            return Update(path, match.updates, edit.message)
        data = edit.after
        lines.extend(edit.lines)
    if dry_run:
        return Update(path, match.updates)
    try:
        refused = apply_edit(target, Edit(before, data, tuple(sorted(set(lines))), "imported fields"))
    except OSError as exc:  # a read-only note: this one is not updated, the others are
        return Update(path, match.updates, f"cannot write: {exc.strerror or exc}")
    return Update(path, match.updates, refused.message if refused is not None else None)


def _names(note: Note | None, prop: str, reading: Reading) -> tuple[str, ...]:
    """The property's name as this note spells it (`org`, `Company`, a name the vault's
    settings give it), else the vault's first name for it."""
    names = dict(reading.names).get(prop, (prop,))
    wanted = {key_name(n) for n in names}
    written = [k for k in (note.shape if note is not None else ()) if key_name(k) in wanted]
    return (*written, *names)
