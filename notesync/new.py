"""`notesync new`: start an interview or contact note from its template.

Interview notes go where the vault keeps its conversations (or into the `notes_folder`
setting's folder) as `YYYY-MM-DD Name.md` (`YYYY-MM-DD Name 2.md` for a second one that
day); contact notes go where the vault already keeps its contact notes, as `Name.md`. A
file that exists is never replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .config import CONFIG_NAME, NOTES_FOLDER, Config, load_config
from .errors import ScaffoldError
from .links import basename, is_wikilink, link_target, name_key
from .model import STATUSES, Note
from .obsidian import CONTROL, linkable_name, safe_file_name
from .parse import parse_note
from .pipeline import analyse, check_vault
from .templates import (
    CONTACT_TEMPLATE,
    INTERVIEW_TEMPLATE,
    fill_note,
    front_matter_span,
    quoted,
    read_template,
)
from .write import create_new, inside

MAX_NUMBER = 99  # `Name 99.md`: past that, something other than a busy day is going on


def person_name(value: str, what: str = "name") -> str:
    """A person's name as typed, tidied: link brackets off (and the folders of a link's
    path: `[[People/Jane Smith|Jane]]` is Jane Smith), one space between words."""
    text = basename(link_target(value) or "") if is_wikilink(value) else value
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if CONTROL.search(text):
        raise ScaffoldError(f"the {what} {value!r} holds control characters")
    if not text:
        raise ScaffoldError(f"the {what} is empty")
    return text


# --- the note's properties --------------------------------------------------------------------


def _set_key(text: str, key: str, value: str) -> str:
    """Front-matter with `key: value` in place of the key's old value (or added at the end)."""
    bounds = front_matter_span(text)
    if bounds is None:
        return f"---\n{key}: {value}\n---\n{text}"
    start, end = bounds
    lines = text[start:end].split("\n")
    pattern = re.compile(rf"{re.escape(key)}[ \t]*:(?:[ \t]|$)", re.IGNORECASE)
    out: list[str] = []
    found = False
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not found and pattern.match(line):
            found = True
            out.append(f"{key}: {value}")
            # the old value's continuation lines: indented, or a block list at column 0
            while i < len(lines) and (lines[i][:1] in (" ", "\t") or re.match(r"-(?:[ \t]|$)", lines[i])):
                i += 1
            continue
        out.append(line)
    if not found:
        out.insert(len(out) - 1 if out and out[-1] == "" else len(out), f"{key}: {value}")
    block = "\n".join(out)
    return text[:start] + block + ("" if block.endswith("\n") or not block else "\n") + text[end:]


def _has_key(text: str, key: str) -> bool:
    bounds = front_matter_span(text)
    if bounds is None:
        return False
    block = text[bounds[0] : bounds[1]]
    return re.search(rf"^{re.escape(key)}[ \t]*:", block, re.IGNORECASE | re.MULTILINE) is not None


def _person_value(name: str) -> str:
    """`"[[Jane Smith]]"`, or the bare quoted name when a link cannot hold it."""
    return quoted(f"[[{name}]]") if linkable_name(name) else quoted(name)


# --- where the vault keeps its contact notes --------------------------------------------------


def _in_people_folder(path: str) -> bool:
    folder = path.rpartition("/")[0]
    return folder.rpartition("/")[2].casefold() == "people"


def contact_paths(notes: Iterable[Note]) -> list[str]:
    """The vault paths of the notes about one person each: those a sync reads as contact
    notes (its conventions and the vault's settings, see `reading`), and the notes in a
    `People/` folder, which many vaults mark no other way."""
    return [n.path for n in notes if n.kind == "contact" or _in_people_folder(n.path)]


def contact_notes(root: Path) -> list[str]:
    """`contact_paths` of the vault as a sync reads it: one place decides what a note is."""
    return contact_paths(analyse(root).notes)


def conversation_notes(root: Path) -> list[str]:
    """The vault paths of the notes a sync reads as conversations."""
    return [n.path for n in analyse(root).notes if n.kind == "interview"]


def _usual_or_default(paths: list[str]) -> str:
    """Where notes like these go: where most of them are, else `NOTES_FOLDER`."""
    found = usual_folder(paths)
    return found if found is not None else NOTES_FOLDER


def usual_folder(paths: list[str]) -> str | None:
    """The folder holding most of these notes ("" is the top of the vault; a tie goes to
    the first by name), or None when there are none."""
    counts = Counter(p.rpartition("/")[0] for p in paths)
    return max(sorted(counts), key=lambda folder: counts[folder]) if counts else None


# --- notesync new -----------------------------------------------------------------------------


def new_note(
    vault: Path | str,
    kind: str,
    name: str,
    *,
    referrer: str | None = None,
    date: dt.date | None = None,
    status: str | None = None,
    config: Config | None = None,
    near: str | None = None,
) -> Path:
    """Create an interview or contact note from its template.

    The person's real name goes into the front-matter even when the file name had to be
    changed. An existing file is never replaced: a second interview note of the day is
    numbered, and a second contact note for a person, or an unusable name, raises
    ScaffoldError. An interview note goes into `notes_folder`, else beside the note `near`
    (a ticked referral's conversation), else where most of the vault's conversations are.
    """
    root = check_vault(vault)
    cfg = config if config is not None else load_config(root)
    person = person_name(name)
    now = dt.datetime.now()
    day = date if date is not None else now.date()
    if kind == "interview":
        if status is not None and status not in STATUSES:
            raise ScaffoldError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        stem = safe_file_name(person, prefix=f"{day.isoformat()} ")
        folder = cfg.notes_folder
        if folder is None and near is not None:
            folder = near.rpartition("/")[0]
        if folder is None:  # where the vault keeps its conversations
            folder = _usual_or_default(conversation_notes(root))
    elif kind == "contact":
        if date is not None or status is not None:
            raise ScaffoldError("a date and a status belong to interview notes, not to contact notes")
        stem = safe_file_name(person)
        notes = analyse(root).notes
        titles = {name_key(stem), name_key(person)}
        other = next((p for p in contact_paths(notes) if name_key(p.rpartition("/")[2][:-3]) in titles), None)
        if other is None:  # a name someone's note lists among their aliases: the same person
            aliased = (
                n.path for n in notes if n.kind == "contact" and titles & {name_key(a) for a in n.aliases}
            )
            other = next(aliased, None)
        if other is not None:
            raise ScaffoldError(f"{person} already has a contact note: {other}")
        found = usual_folder(contact_paths(notes))
        folder = found if found is not None else cfg.notes_folder
        if folder is None:
            folder = NOTES_FOLDER
    else:
        raise ScaffoldError(f"cannot make a {kind!r} note; make an interview or a contact note")
    out = cfg.output.casefold()
    if folder.casefold() == out or folder.casefold().startswith(out + "/"):
        raise ScaffoldError(
            f"{folder} is notesync's output folder, never read: set notes_folder in {CONFIG_NAME}"
        )
    first = f"{folder}/{stem}.md" if folder else f"{stem}.md"
    try:
        _check_folder(root, folder, first)
    except OSError as exc:  # a path too long or impossible for this system
        raise ScaffoldError(f"{_shorten(first)}: cannot create: {exc.strerror}") from exc
    data = _filled(root, kind, person, stem, first, referrer, status, day, now)
    return _create(root, folder, stem, data, numbered=kind == "interview")


def _filled(
    root: Path,
    kind: str,
    person: str,
    stem: str,
    rel: str,
    referrer: str | None,
    status: str | None,
    day: dt.date,
    now: dt.datetime,
) -> bytes:
    """The note's bytes: its template filled, the person's values set, checked to read back
    as the kind of note asked for."""
    template = INTERVIEW_TEMPLATE if kind == "interview" else CONTACT_TEMPLATE
    text, source = read_template(template, root)
    when = dt.datetime.combine(day, now.time()) if kind == "interview" else now
    filled = fill_note(text, person, when, root)
    if kind == "interview":
        filled = _set_key(filled, "contact", _person_value(person))
        filled = _set_key(filled, "date", day.isoformat())
        if status is not None or not _has_key(filled, "status"):
            filled = _set_key(filled, "status", status or "planned")
    elif name_key(stem) != name_key(person):
        # the file name had to change: the real name stays findable as an alias
        filled = _set_key(filled, "aliases", json.dumps([person], ensure_ascii=False))
    if referrer is not None:
        filled = _set_key(filled, "referrer", _person_value(person_name(referrer, "referrer")))
    data = filled.encode("utf-8")
    note, diags = parse_note(rel, data)
    errors = [d for d in diags if d.severity == "error"]
    if note is None or note.kind != kind or errors:
        why = f": {errors[0].code}: {errors[0].message}" if errors else " (it does not read as one)"
        raise ScaffoldError(f"the template {source} does not make a usable {kind} note{why}")
    return data


def _check_folder(root: Path, folder: str, rel: str) -> None:
    """Refuse a note that would land outside the vault or in place of a file; OSError when
    the disk cannot even say."""
    target = root / rel
    if not inside(target, root):
        raise ScaffoldError(f"{_shorten(rel)} would be outside the vault {root}; not created")
    if target.parent.exists() and not target.parent.is_dir():
        raise ScaffoldError(f"{_shorten(folder)} is a file, not a folder; cannot create {rel}")


def _create(root: Path, folder: str, stem: str, data: bytes, *, numbered: bool) -> Path:
    """Create `stem.md` in `folder`, or with `numbered` the first free of `stem 2.md`,
    `stem 3.md`...; a name taken in another case is taken (the disk may not tell them apart)."""
    where = root / folder if folder else root
    try:
        taken = {n.casefold(): n for n in os.listdir(where)}
    except OSError:
        taken = {}
    for n in range(1, MAX_NUMBER + 1):
        file_name = f"{stem}.md" if n == 1 else f"{stem} {n}.md"
        rel = f"{folder}/{file_name}" if folder else file_name
        clash = taken.get(file_name.casefold())
        if clash is None:
            try:
                create_new(where / file_name, data)
                return where / file_name
            except FileExistsError:
                clash = file_name
            except OSError as exc:
                raise ScaffoldError(f"{_shorten(rel)}: cannot create: {exc.strerror}") from exc
        if not numbered:
            shown = f"{folder}/{clash}" if folder else clash
            raise ScaffoldError(f"{shown} already exists; notesync new never overwrites a note")
    raise ScaffoldError(f"{_shorten(folder or '.')} already holds {stem}.md to {stem} {MAX_NUMBER}.md")


def _shorten(path: str, most: int = 120) -> str:
    """A path for a message: a 10,000-character one is cut in the middle."""
    return path if len(path) <= most else f"{path[: most // 2]}…{path[-most // 3 :]}"
