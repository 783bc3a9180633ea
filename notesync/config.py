"""Settings from `.notesync.toml` at the vault root, validated up front.

An unknown key is an error that names the file and the key: a typo in a rule name
must not silently leave the default in place.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigError
from .limits import MAX_DAYS, MAX_DEBOUNCE_MS
from .links import basename, is_wikilink, link_target
from .obsidian import folder_problem, plain_folder, read_daily_notes, skipped_folders
from .reading import FIELDS, Reading, Shape, with_settings

CONFIG_NAME = ".notesync.toml"
STATE_DIR = ".notesync"


class Rules(NamedTuple):
    """Day counts of the follow-up rules; `None` turns a rule off."""

    action: bool = True
    no_response: int | None = 7
    move_on: int | None = 7  # after the one follow-up of a request, with still no answer
    thank_you: int | None = 1
    update_referrer: int | None = 3
    contact_referral: int | None = 7
    keep_in_touch: int | None = 90
    prepare: int | None = 1  # days before a scheduled conversation
    record_outcome: int | None = 1  # days after a scheduled conversation still marked scheduled
    business_days: bool = False


NOTES_FOLDER = "Networking"  # `new`'s folder for the first note of its kind, unless notes_folder says


class Config(NamedTuple):
    """Everything a sync needs to know besides the notes and today's date. (Settings and
    their parts are named tuples, not dataclasses, as everything a no-op sync imports is:
    `dataclasses` alone takes a tenth of a no-op's time to import.)"""

    output: str = "notesync"
    me: str = "Me"
    ignore: tuple[str, ...] = ()
    notes_folder: str | None = None  # None: where the vault keeps its conversations (see `new`)
    upcoming_days: int = 7
    long_overdue_days: int = 30  # past this, an item moves to Follow-ups' folded "Long overdue"
    write_back: bool = True  # a ticked follow-up is recorded in its note (see `done`)
    calendar: bool = True  # write Follow-ups.ics
    base: bool = True  # write Networking.base when it is missing (once there, it is the user's)
    vault_name: str | None = None  # as Obsidian names the vault (default: its folder's name)
    targets: tuple[str, ...] = ()  # companies you want to work for (see Targets.md)
    debounce_ms: int = 30
    rules: Rules = Rules()
    reading: Reading = Reading()  # how the vault marks people and conversations
    source: str | None = None  # the file the settings came from, for messages


_TOP_KEYS = {
    "output",
    "me",
    "ignore",
    "notes_folder",
    "upcoming_days",
    "long_overdue_days",
    "write_back",
    "calendar",
    "base",
    "vault_name",
    "targets",
}
_SECTIONS = {"rules", "watch", "contacts", "conversations", "properties"}
_SHAPE_KEYS = {"type": "types", "category": "categories", "tag": "tags", "folder": "folders"}
_RULE_KEYS = set(Rules._fields)
_WATCH_KEYS = {"debounce_ms"}


def check_folder(value: Any, key: str, where: str, *, allow_empty: bool = False) -> str:
    """A setting naming a folder inside the vault, tidied (`Meta/Templates/` -> `Meta/Templates`);
    ConfigError when Obsidian or a file system would refuse it (see `obsidian.folder_problem`)."""
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a folder name (a string)")
    folder = plain_folder(value)
    if folder is not None:
        return folder
    if not value.strip().strip("/"):
        if allow_empty:
            return ""
        raise ConfigError(f"{where}: {key} must not be empty")
    raise ConfigError(f"{where}: {key} {folder_problem(value)}")


def _count(value: Any, what: str, where: str, most: int, unit: str = "days") -> int:
    """A whole number from 0 to `most`: a bigger one is a typo that would overflow dates."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: {what} must be a number of {unit}, not {repr(value)[:40]}")
    if value > most:
        raise ConfigError(f"{where}: {what} = {value} is too large: at most {most} {unit}")
    return value


def _days(value: Any, key: str, where: str) -> int | None:
    if value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: rules.{key} must be a number of days or false, not {repr(value)[:40]}")
    return _count(value, f"rules.{key}", where, MAX_DAYS)


def _overlap(output: str, notes_folder: str, where: str) -> None:
    """`new` must not put notes into the output folder, where they would never be read."""
    out, notes = output.casefold(), notes_folder.casefold()
    if notes and (notes == out or notes.startswith(out + "/")):
        raise ConfigError(
            f"{where}: notes_folder {notes_folder!r} is inside the output folder {output!r}, "
            "which notesync never reads; keep new notes in a folder of their own"
        )


def parse_config(data: dict[str, Any], where: str = CONFIG_NAME) -> Config:
    """Build a `Config` from parsed TOML, rejecting unknown keys and bad values."""
    for key in data:
        if key not in _TOP_KEYS and key not in _SECTIONS:
            raise ConfigError(f"{where}: unknown key {key!r}")
    kwargs: dict[str, Any] = {"source": where}
    if "output" in data:
        kwargs["output"] = check_folder(data["output"], "output", where)
    if "notes_folder" in data:
        kwargs["notes_folder"] = check_folder(data["notes_folder"], "notes_folder", where, allow_empty=True)
    if "me" in data:
        me = data["me"]
        if not isinstance(me, str) or not me.strip():
            raise ConfigError(f"{where}: me must be a non-empty name")
        kwargs["me"] = me.strip()
    if "ignore" in data:
        ignore = data["ignore"]
        if not isinstance(ignore, list):
            raise ConfigError(f"{where}: ignore must be a list of folders")
        kwargs["ignore"] = tuple(check_folder(v, "ignore", where) for v in ignore)
    for key in ("upcoming_days", "long_overdue_days"):
        if key in data:
            kwargs[key] = _count(data[key], key, where, MAX_DAYS)
    for key in ("write_back", "calendar", "base"):
        if key in data:
            if not isinstance(data[key], bool):
                raise ConfigError(f"{where}: {key} must be true or false")
            kwargs[key] = data[key]
    if "targets" in data:
        # a company as a note names it, `[[Contoso]]` too (as `company:` reads it)
        named = _names(data["targets"], "targets", where)
        kwargs["targets"] = tuple(basename(link_target(n) or n) if is_wikilink(n) else n for n in named)
    if "vault_name" in data:
        if not isinstance(data["vault_name"], str) or not data["vault_name"].strip():
            raise ConfigError(f"{where}: vault_name must be the vault's name as Obsidian shows it")
        kwargs["vault_name"] = data["vault_name"].strip()
    kwargs["reading"] = _reading(data, where)
    if kwargs.get("notes_folder") is not None:  # (unset, `new` finds a folder of notes)
        _overlap(kwargs.get("output", Config().output), kwargs["notes_folder"], where)
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: [rules] must be a table")
    rule_kwargs: dict[str, Any] = {}
    for key, value in rules.items():
        if key not in _RULE_KEYS:
            raise ConfigError(f"{where}: unknown key 'rules.{key}'")
        if key in ("action", "business_days"):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: rules.{key} must be true or false")
            rule_kwargs[key] = value
        else:
            rule_kwargs[key] = _days(value, key, where)
    kwargs["rules"] = Rules(**rule_kwargs)
    watch = data.get("watch", {})
    if not isinstance(watch, dict):
        raise ConfigError(f"{where}: [watch] must be a table")
    for key, value in watch.items():
        if key not in _WATCH_KEYS:
            raise ConfigError(f"{where}: unknown key 'watch.{key}'")
        kwargs[key] = _count(value, f"watch.{key}", where, MAX_DEBOUNCE_MS, "milliseconds")
    return Config(**kwargs)


def _names(value: Any, what: str, where: str) -> tuple[str, ...]:
    """A name or a list of names."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise ConfigError(f"{where}: {what} must be a name or a list of names")
    return tuple(v.strip() for v in items)


def _shape(data: Any, section: str, where: str) -> Shape:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: [{section}] must be a table")
    found: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        plural = _SHAPE_KEYS[key] if key in _SHAPE_KEYS else str(key)
        if plural not in _SHAPE_KEYS.values():
            raise ConfigError(
                f"{where}: unknown key '{section}.{key}' (one of folders, tags, types, categories)"
            )
        names = _names(value, f"{section}.{key}", where)
        if plural == "folders":
            names = tuple(check_folder(n, f"{section}.{key}", where) for n in names)
        found[plural] = (*found.get(plural, ()), *(n.lstrip("#").strip("[]") for n in names))
    return Shape(**found)


def _reading(data: dict[str, Any], where: str) -> Reading:
    """How the vault marks its people and conversations, and what its properties are called."""
    names: dict[str, tuple[str, ...]] = {}
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        raise ConfigError(f"{where}: [properties] must be a table")
    for key, value in properties.items():
        if key not in FIELDS:
            raise ConfigError(f"{where}: unknown key 'properties.{key}' (one of {', '.join(FIELDS)})")
        names[key] = _names(value, f"properties.{key}", where)
    contacts = _shape(data["contacts"], "contacts", where) if "contacts" in data else None
    conversations = _shape(data["conversations"], "conversations", where) if "conversations" in data else None
    reading = with_settings(contacts, conversations, names)
    owner: dict[str, str] = {}  # a property name -> the field it stands for
    for field_name in FIELDS:
        for name in reading.names_of(field_name):
            other = owner.setdefault(name, field_name)
            if other != field_name:  # (`thanked = ["status"]`: a conversation's status read as its thanks)
                said, named = (field_name, other) if field_name in names else (other, field_name)
                raise ConfigError(f"{where}: properties.{said}: {name!r} is already the name of {named}")
    return reading


def template_folders(vault: Path) -> tuple[str, ...]:
    """The folders the walk leaves out for Obsidian's sake: the templates folders and the
    folders Obsidian's "Excluded files" names whole (see `obsidian.skipped_folders`)."""
    return skipped_folders(vault)


def load_config(vault: Path) -> Config:
    """Read `.notesync.toml` from the vault root (defaults when there is none), and the
    Obsidian settings that decide how notes are read (daily notes)."""
    cfg = _settings(vault)
    daily = read_daily_notes(vault)
    return cfg if daily is None else cfg._replace(reading=cfg.reading._replace(daily=daily))


def _settings(vault: Path) -> Config:
    path = vault / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    import tomllib  # only for a vault that has settings: a one-note sync has no time to spare

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return parse_config(data, str(path))


# --- the one edit of the settings: `notesync targets --add` -------------------------------

_TARGETS_LINE = re.compile(  # `targets = [...]` on one line, or one company as a string
    r"^targets[ \t]*=[ \t]*(?:\[[^\r\n]*\]|\"[^\"\r\n]*\"|'[^'\r\n]*')[ \t]*(#[^\r\n]*)?(?=\r?$)",
    re.MULTILINE,
)
_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def targets_added(text: str, companies: list[str]) -> str | None:
    """`.notesync.toml`'s text with these companies added to `targets` (the line is
    rewritten, or added before the first table), everything else as it was; None when
    every one is a target already. ConfigError for settings it cannot edit safely (a
    `targets` list over several lines): it would rather not than garble the file."""
    import json
    import tomllib

    from .links import company_key

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{CONFIG_NAME}: invalid TOML: {exc}") from exc
    current = list(parse_config(data).targets)
    have = {company_key(c) for c in current}
    new = [
        c for c in dict.fromkeys(" ".join(c.split()) for c in companies) if c and company_key(c) not in have
    ]
    if not new:
        return None
    wanted = current + new
    line = "targets = [" + ", ".join(json.dumps(c, ensure_ascii=False) for c in wanted) + "]"
    found = _TARGETS_LINE.search(text)
    table = _TABLE.search(text)
    if found is not None and (table is None or found.start() < table.start()):
        comment = f"  {found.group(1)}" if found.group(1) else ""
        after = text[: found.start()] + line + comment + text[found.end() :]
    elif "targets" in data:
        raise ConfigError(
            f"{CONFIG_NAME}: targets is written over several lines; add {new[0]!r} there by hand"
        )
    else:
        nl = "\r\n" if "\r\n" in text else "\n"  # the file's own line ends
        lines = text.splitlines(keepends=True)
        at = len(lines)  # at the end, or before the first table and the comment just above it
        if table is not None:
            at = text.count("\n", 0, table.start())
            while at and lines[at - 1].lstrip().startswith("#"):
                at -= 1
        if lines and at == len(lines) and not lines[-1].endswith("\n"):
            lines[-1] += nl
        lines.insert(at, line + nl + (nl if table is not None else ""))
        after = "".join(lines)
    if tomllib.loads(after) != {**data, "targets": wanted}:  # the proof that nothing else changed
        raise ConfigError(
            f"{CONFIG_NAME}: cannot add the targets without changing other settings; add them by hand"
        )
    return after


def add_targets(vault: Path, companies: list[str]) -> tuple[str, ...]:
    """Add target companies to the vault's `.notesync.toml` (made if there is none), only
    if the file is unchanged since it was read; the targets it then names."""
    from .edit import Edit, apply_edit
    from .write import create_new

    path = vault / CONFIG_NAME
    try:
        before: bytes | None = path.read_bytes()
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    bom = before is not None and before.startswith(b"\xef\xbb\xbf")
    try:
        text = before.decode("utf-8-sig") if before is not None else ""
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8: {exc}") from exc
    after = targets_added(text, companies)
    if after is not None:
        data = (b"\xef\xbb\xbf" if bom else b"") + after.encode("utf-8")
        try:
            if before is None:
                create_new(path, data)
            else:
                refused = apply_edit(path, Edit(before, data, (), "targets"))
                if refused is not None:
                    raise ConfigError(f"{path}: {refused.message}")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write: {exc.strerror}") from exc
    return _settings(vault).targets
