"""What Obsidian allows and how a vault is set up, in one place.

Name rules (what a file or folder name may hold), the settings Obsidian and its plugins
keep in `.obsidian/` (templates folders, daily notes, excluded files, Tasks), which note
is a daily note, and where the vault holding a folder starts. Everything here reads;
nothing writes. A settings file that is missing or unreadable means "not set", never an
error: notesync must work on a vault Obsidian has never opened.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from .errors import ScaffoldError
from .limits import MAX_NAME_BYTES, date_in_range
from .moment import moment_parse

# --- names ------------------------------------------------------------------------------------

# What Obsidian refuses in a file or folder name (Windows, Android and iOS refuse most of them
# too, and `#^[]|` would break a link to the note).
FORBIDDEN_IN_NAMES = frozenset('*"\\/<>:|?#^[]')
_FORBIDDEN = re.compile(r'[*"\\/<>:|?#^\[\]]')
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSAFE = re.compile(r'[*"\\/<>:|?#^\[\]\x00-\x1f\x7f-\x9f\ud800-\udfff]')
# Device names Windows keeps, whatever extension follows (`con.txt`, `LPT1.md`).
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
SAFE_NAME_BYTES = 150  # of a name notesync makes: room for a date before it and ".md" after


def linkable_name(name: str) -> bool:
    """Can `[[name]]` point at (or create) a note called `name`?"""
    return bool(name.strip()) and _FORBIDDEN.search(name) is None and not name.startswith(".")


def windows_reserved(name: str) -> bool:
    """Is `name` (`CON`, `con.backup`, `LPT1 .md`) one Windows keeps for a device?"""
    return name.partition(".")[0].strip().upper() in WINDOWS_RESERVED


def _plain_name(name: str) -> bool:
    """Can a folder of the vault have this name, on every system, and be seen by Obsidian?"""
    return not (
        name in (".", "..")
        or name.startswith(".")
        or name != name.strip()
        or _FORBIDDEN.search(name)
        or CONTROL.search(name)
        or windows_reserved(name)
    )


def folder_problem(value: str) -> str | None:
    """Why `value` is not a plain folder inside the vault, worded to follow the setting's
    name (`output must be a folder inside the vault, not '/etc'`); None when it is one."""
    if value.startswith("/") or (len(value) > 1 and value[1] == ":"):
        return f"must be a folder inside the vault, not {value!r}"
    parts = PurePosixPath(value.strip().strip("/")).parts
    if not parts and value.strip().strip("/"):  # `.`: the vault itself
        return f"must be a folder inside the vault, not the vault itself ({value!r})"
    for part in parts:
        if not _plain_name(part):
            return f"{value!r} is not a plain folder inside the vault"
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            return (
                f"holds a folder name of {len(part)} characters; "
                f"file systems take at most {MAX_NAME_BYTES} bytes"
            )
    return None


def plain_folder(value: object) -> str | None:
    """`value` as a vault-relative folder (`Meta/Templates/` -> `Meta/Templates`), or None
    when it is not a string naming a plain folder inside the vault."""
    if not isinstance(value, str) or folder_problem(value) is not None:
        return None
    return "/".join(PurePosixPath(value.strip().strip("/")).parts) or None


def safe_file_name(name: str, prefix: str = "") -> str:
    """A note's file name (without `.md`) for `name`, after `prefix` (a date, say), that
    Obsidian and every common system accept: forbidden characters become spaces, no
    leading dot, no reserved name, not too long. ScaffoldError when nothing is left."""
    text = _UNSAFE.sub(" ", unicodedata.normalize("NFC", name))
    text = " ".join(text.split()).lstrip(". ")
    text = text.encode("utf-8")[:SAFE_NAME_BYTES].decode("utf-8", errors="ignore").rstrip()
    if not text:
        raise ScaffoldError(f"{name!r} has nothing a note's file name can hold; give a name with letters")
    stem = prefix + text
    if windows_reserved(stem):
        head, dot, rest = stem.partition(".")
        return f"{head.rstrip()}_{dot}{rest}"
    return stem


# --- where the vault starts -------------------------------------------------------------------

SETTINGS_FOLDER = ".obsidian"


def find_vault_root(start: Path) -> Path | None:
    """The nearest folder from `start` up (itself included) that holds `.obsidian/` or
    `.notesync.toml`, as git finds its repository: a command run in a subfolder works on
    the whole vault. None when there is none up to the file system's root."""
    from .config import CONFIG_NAME  # config reads its name rules from here

    here = start.absolute()
    for folder in (here, *here.parents):
        try:
            if (folder / SETTINGS_FOLDER).is_dir() or (folder / CONFIG_NAME).is_file():
                return folder
        except OSError:  # a folder on the way up we may not look into
            continue
    return None


def vault_here() -> Path:
    """The vault a command given none works on: the one holding the current folder, else
    the current folder."""
    return find_vault_root(Path.cwd()) or Path(".")


# --- settings files ---------------------------------------------------------------------------

CORE_TEMPLATES = ".obsidian/templates.json"
TEMPLATER = ".obsidian/plugins/templater-obsidian/data.json"
DAILY_NOTES = ".obsidian/daily-notes.json"
PERIODIC_NOTES = ".obsidian/plugins/periodic-notes/data.json"
APP = ".obsidian/app.json"
TASKS_PLUGIN = ".obsidian/plugins/obsidian-tasks-plugin"
# The settings a sync reads (a watcher syncs again when one changes)
SETTINGS_READ = frozenset(
    {CORE_TEMPLATES, TEMPLATER, DAILY_NOTES, PERIODIC_NOTES, APP, f"{TASKS_PLUGIN}/data.json"}
)


def _settings(vault: Path, rel: str) -> tuple[dict[str, Any] | None, str]:
    """A settings file as a JSON object, or None; with why when it is there but unusable."""
    try:
        raw = (vault / rel).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None, ""
    except OSError as exc:
        return None, f"{rel}: cannot read it: {exc.strerror}"
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None, f"{rel} is not readable JSON"
    if not isinstance(data, dict):
        return None, f"{rel} is not the shape Obsidian writes"
    return data, ""


def _text(data: dict[str, Any] | None, key: str, default: str) -> str:
    value = data.get(key) if data is not None else None
    return value if isinstance(value, str) and value.strip() else default


DEFAULT_TEMPLATES_FOLDER = "Templates"  # Obsidian's own suggestion, used when none is set


class TemplateSettings(NamedTuple):
    """Where the Templates and Templater plugins keep templates, and the formats the core
    plugin fills `{{date}}` and `{{time}}` with. (Named tuples, here as in `model`: a
    sync reads these settings on every run, and a dataclass costs more to define.)"""

    core: str | None = None  # the core Templates plugin's folder
    templater: str | None = None  # Templater's templates_folder
    date_format: str = "YYYY-MM-DD"
    time_format: str = "HH:mm"
    problems: tuple[str, ...] = ()  # a folder set but unusable, a file unreadable: for messages

    @property
    def folders(self) -> tuple[str, ...]:
        """Every templates folder set, core first, else the `Templates` Obsidian suggests
        (where `notesync init` puts its templates): none of them holds notes."""
        found = tuple(dict.fromkeys(f for f in (self.core, self.templater) if f))
        return found or (DEFAULT_TEMPLATES_FOLDER,)


def _folder_setting(data: dict[str, Any] | None, key: str, what: str, problems: list[str]) -> str | None:
    value = data.get(key) if data is not None else None
    if value is None or (isinstance(value, str) and not value.strip(" /")):
        return None
    folder = plain_folder(value)
    if folder is None:
        problems.append(f"{what} {value!r} is not a plain folder inside the vault")
    return folder


def read_template_settings(vault: Path) -> TemplateSettings:
    """The templates folders and formats, from `.obsidian/templates.json` and Templater's settings."""
    problems: list[str] = []
    core, why = _settings(vault, CORE_TEMPLATES)
    templater, why_templater = _settings(vault, TEMPLATER)
    problems.extend(p for p in (why, why_templater) if p)
    return TemplateSettings(
        core=_folder_setting(core, "folder", "template folder", problems),
        templater=_folder_setting(templater, "templates_folder", "Templater's template folder", problems),
        date_format=_text(core, "dateFormat", "YYYY-MM-DD"),
        time_format=_text(core, "timeFormat", "HH:mm"),
        problems=tuple(problems),
    )


# --- daily notes ------------------------------------------------------------------------------

DEFAULT_DAILY_FORMAT = "YYYY-MM-DD"


class DailyNotes(NamedTuple):
    """Where daily notes live and how they are named, as Obsidian makes them."""

    folder: str = ""  # vault-relative; "" is the whole vault
    format: str = DEFAULT_DAILY_FORMAT  # Moment.js; a `/` in it makes subfolders
    source: str = DAILY_NOTES  # the settings file it comes from, for messages


def _periodic_daily(data: dict[str, Any]) -> dict[str, Any] | None:
    """The daily settings of Periodic Notes when they are on: its 0.x shape (`daily`) or
    its 1.x shape (`calendarSets`, the active one's `day`)."""
    daily = data.get("daily")
    if not isinstance(daily, dict):
        sets = data.get("calendarSets")
        sets = [s for s in sets if isinstance(s, dict)] if isinstance(sets, list) else []
        active = [s for s in sets if s.get("id") == data.get("activeCalendarSet")] or sets[:1]
        daily = active[0].get("day") if active else None
    return daily if isinstance(daily, dict) and daily.get("enabled") is True else None


def read_daily_notes(vault: Path) -> DailyNotes | None:
    """The daily notes settings: the Periodic Notes plugin's when it makes daily notes (as
    Obsidian's own daily-notes library decides), else the core Daily notes plugin's; None
    when neither is set. A folder that cannot be in the vault means the whole vault."""
    periodic, _ = _settings(vault, PERIODIC_NOTES)
    daily = _periodic_daily(periodic) if periodic is not None else None
    source = PERIODIC_NOTES
    if daily is None:
        daily, _ = _settings(vault, DAILY_NOTES)
        source = DAILY_NOTES
    if daily is None:
        return None
    return DailyNotes(
        folder=plain_folder(daily.get("folder")) or "",
        format=_text(daily, "format", DEFAULT_DAILY_FORMAT),
        source=source,
    )


def daily_note_date(path: str, settings: DailyNotes | None) -> dt.date | None:
    """The day of the daily note at `path` (vault-relative, `/`-separated), or None when it
    is not one.

    As Obsidian and its calendar plugins find them: a note anywhere under the daily notes
    folder whose name reads with the last part of the format (`YYYY-MM-DD-dddd` of
    `YYYY/MM-MMMM/[Daily Notes]/YYYY-MM-DD-dddd`), so notes filed into year folders still
    count; when that part does not name the whole day (`YYYY/MM/DD`), the folders above
    the note are read with the rest of the format. With no settings, a note named with
    an ISO date (`2026-11-20.md`) anywhere. A day the rules cannot count from is none."""
    if not path.endswith(".md"):
        return None
    parts = path[:-3].split("/")
    if settings is None:
        day = moment_parse(parts[-1], DEFAULT_DAILY_FORMAT)
    else:
        folder = settings.folder.split("/") if settings.folder else []
        inside = parts[len(folder) :]
        if not inside or [p.casefold() for p in parts[: len(folder)]] != [f.casefold() for f in folder]:
            return None
        pieces = settings.format.split("/")
        day = moment_parse(parts[-1], pieces[-1])
        if day is None and 1 < len(pieces) <= len(inside):
            day = moment_parse("/".join(inside[-len(pieces) :]), settings.format)
    return day if day is not None and date_in_range(day) else None


# --- excluded files ---------------------------------------------------------------------------


class IgnoreFilters(NamedTuple):
    """Obsidian's "Excluded files" (`userIgnoreFilters` in `.obsidian/app.json`): each entry
    a case-insensitive prefix of a vault-relative path (`Archive/`), or a regular
    expression between slashes (`/(^|\\/)Archive\\//`), searched without regard to case."""

    prefixes: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    invalid: tuple[str, ...] = ()  # expressions Python cannot read: matched nothing, for a message

    @classmethod
    def parse(cls, entries: Iterable[object]) -> IgnoreFilters:
        """Filters from the entries as Obsidian stores them. An empty entry is dropped: as a
        prefix it would exclude the whole vault."""
        prefixes: list[str] = []
        patterns: list[re.Pattern[str]] = []
        invalid: list[str] = []
        for entry in entries:
            if not isinstance(entry, str) or not entry.strip():
                continue
            if len(entry) > 1 and entry.startswith("/") and entry.endswith("/"):
                try:
                    patterns.append(re.compile(entry[1:-1], re.IGNORECASE))
                except re.error:
                    invalid.append(entry)
            else:
                prefixes.append(entry)
        return cls(tuple(prefixes), tuple(patterns), tuple(invalid))

    @property
    def folders(self) -> tuple[str, ...]:
        """The folders a prefix excludes whole (`Archive/`, or `Arch` for a folder `Arch`),
        for a walk that skips folders by name; the rest of a prefix (`Arch` also matches
        `Archive.md`) and every expression take `ignored`."""
        return tuple(dict.fromkeys(f for f in map(plain_folder, self.prefixes) if f))

    @property
    def empty(self) -> bool:
        """Nothing is excluded (a walk then tests no path)."""
        return not (self.prefixes or self.patterns)


def read_ignore_filters(vault: Path) -> IgnoreFilters:
    """The vault's "Excluded files" setting; none when it is not set or not readable."""
    app, _ = _settings(vault, APP)
    entries = app.get("userIgnoreFilters") if app is not None else None
    return IgnoreFilters.parse(entries if isinstance(entries, list) else ())


def ignored(path: str, filters: IgnoreFilters) -> bool:
    """Does Obsidian exclude the note at `path` (vault-relative, `/`-separated)?"""
    folded = path.casefold()
    return any(folded.startswith(p.casefold()) for p in filters.prefixes) or any(
        p.search(path) is not None for p in filters.patterns
    )


def ignored_folder(folder: str, filters: IgnoreFilters) -> bool:
    """Is everything under `folder` excluded, so a walk need not enter it? Only a prefix
    can say so: an expression may match some paths under a folder and not others."""
    folded = folder.casefold() + "/"
    return any(folded.startswith(p.casefold()) for p in filters.prefixes)


# --- what the walk leaves out, and the Tasks plugin --------------------------------------------


def skipped_folders(vault: Path) -> tuple[str, ...]:
    """The folders a walk leaves out for Obsidian's sake: templates folders (templates are
    not notes, and many are not even valid YAML) and folders "Excluded files" names whole."""
    found = (*read_template_settings(vault).folders, *read_ignore_filters(vault).folders)
    return tuple(dict.fromkeys(found))


def tasks_global_query(vault: Path) -> str | None:
    """The Tasks plugin's global query ("" when it has none), or None when Tasks is not
    installed: its queries then show every checkbox notesync writes."""
    if not (vault / TASKS_PLUGIN).is_dir():
        return None
    data, _ = _settings(vault, f"{TASKS_PLUGIN}/data.json")
    query = data.get("globalQuery") if data is not None else None
    return query if isinstance(query, str) else ""
