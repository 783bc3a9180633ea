"""Starting notes the right way: the templates, `notesync new` and `notesync init`.

The templates are Markdown that Obsidian's core Templates plugin fills in (`{{title}}`,
`{{date}}`, `{{time}}`); `new` fills them the same way, so a note started in Obsidian
and one started here look alike. Nothing here ever replaces a file that exists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from .config import CONFIG_NAME, Config, check_folder, load_config
from .errors import ConfigError, ScaffoldError
from .limits import MAX_DAYS, MAX_DEBOUNCE_MS
from .links import is_wikilink, link_target, name_key
from .model import STATUSES
from .parse import parse_note
from .pipeline import check_vault
from .render.markdown import linkable_name
from .scan import scan
from .write import atomic_write

INTERVIEW_TEMPLATE = "Interview note.md"
CONTACT_TEMPLATE = "Contact note.md"
MESSAGE_TEMPLATES = {
    "outreach": "Outreach message.md",
    "follow-up": "Follow-up message.md",
    "thank-you": "Thank-you note.md",
    "referrer-update": "Referrer update.md",
}
TEMPLATE_NAMES = (INTERVIEW_TEMPLATE, CONTACT_TEMPLATE, *MESSAGE_TEMPLATES.values(), "Question bank.md")
DEFAULT_TEMPLATES_FOLDER = "Templates"  # Obsidian's own suggestion, used when none is set
OBSIDIAN_TEMPLATES_SETTINGS = ".obsidian/templates.json"
OBSIDIAN_TYPES = ".obsidian/types.json"
# Obsidian guesses a property's type from its first value; these must not be guessed as text.
PROPERTY_TYPES = {"date": "date", "thanked": "date", "referrer_updated": "date", "referrals": "multitext"}

NewKind = Literal["interview", "contact"]
InitAction = Literal["created", "unchanged", "kept", "updated", "skipped"]

# What Obsidian (and Windows, Android, iCloud) refuse in a file name, plus control characters.
_NOT_IN_FILE_NAMES = re.compile(r'[*"\\/<>:|?#^\[\]\x00-\x1f\x7f-\x9f]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
MAX_NAME_BYTES = 150  # leaves room for a date prefix and ".md" under the usual 255-byte limit


# --- the templates ---------------------------------------------------------------------------


def package_templates() -> Traversable:
    """The templates notesync ships: inside the installed package (a wheel), or the
    top-level `templates/` folder of a source checkout (an editable install)."""
    packaged = resources.files("notesync") / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise ScaffoldError("notesync's templates are missing from this installation; reinstall notesync")


def templates_folder(vault: Path) -> tuple[str, str]:
    """The vault's templates folder as Obsidian's Templates plugin has it, and a hint
    when notesync had to fall back to `Templates` (empty when Obsidian agrees)."""
    settings = vault / OBSIDIAN_TEMPLATES_SETTINGS
    fallback = DEFAULT_TEMPLATES_FOLDER
    try:
        data = json.loads(settings.read_text("utf-8"))
    except FileNotFoundError:
        return fallback, f"in Obsidian, set Settings > Templates > Template folder location to {fallback}"
    except (OSError, ValueError):
        return fallback, f"{OBSIDIAN_TEMPLATES_SETTINGS} is not readable JSON; using {fallback}"
    folder = data.get("folder") if isinstance(data, dict) else None
    if not isinstance(folder, str) or not folder.strip(" /"):
        return fallback, f"in Obsidian, set Settings > Templates > Template folder location to {fallback}"
    try:
        return check_folder(folder, "folder", OBSIDIAN_TEMPLATES_SETTINGS), ""
    except ConfigError:
        return (
            fallback,
            f"template folder {folder!r} is not a plain folder inside the vault; using {fallback}",
        )


def _obsidian_formats(vault: Path) -> tuple[str, str]:
    """The date and time formats the Templates plugin fills `{{date}}` and `{{time}}` with."""
    try:
        data = json.loads((vault / OBSIDIAN_TEMPLATES_SETTINGS).read_text("utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    date_format, time_format = data.get("dateFormat"), data.get("timeFormat")
    return (
        date_format if isinstance(date_format, str) and date_format else "YYYY-MM-DD",
        time_format if isinstance(time_format, str) and time_format else "HH:mm",
    )


def read_template(name: str, vault: Path | None = None) -> tuple[str, str]:
    """A template's text and where it came from: the vault's own copy when it has one
    (the user may have changed it), else the one notesync ships."""
    if vault is not None:
        folder, _ = templates_folder(vault)
        local = vault / folder / name
        try:
            return local.read_bytes().decode("utf-8-sig").replace("\r\n", "\n"), f"{folder}/{name}"
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        except (OSError, UnicodeDecodeError) as exc:
            raise ScaffoldError(f"{folder}/{name}: cannot read the template: {exc}") from exc
    try:
        text = (package_templates() / name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise ScaffoldError(f"notesync's template {name!r} is missing; reinstall notesync") from exc
    return text, f"notesync's {name}"


# --- filling a template the way Obsidian does -------------------------------------------------

# Obsidian's variables, and any other `{{name}}` (filled only when the caller has a value).
_OBSIDIAN_VARIABLE = re.compile(r"{{(?:(date|time)(?::(.*?))?|(title)|(\w+))}}", re.IGNORECASE)
_MOMENT_TOKEN = re.compile(r"\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|Do|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_MOMENT: dict[str, Callable[[dt.datetime], str]] = {
    "YYYY": lambda t: f"{t.year:04d}",
    "YY": lambda t: f"{t.year % 100:02d}",
    "MMMM": lambda t: MONTHS[t.month - 1],
    "MMM": lambda t: MONTHS[t.month - 1][:3],
    "MM": lambda t: f"{t.month:02d}",
    "M": lambda t: str(t.month),
    "Do": lambda t: _ordinal(t.day),
    "DD": lambda t: f"{t.day:02d}",
    "D": lambda t: str(t.day),
    "dddd": lambda t: WEEKDAYS[t.weekday()],
    "ddd": lambda t: WEEKDAYS[t.weekday()][:3],
    "HH": lambda t: f"{t.hour:02d}",
    "H": lambda t: str(t.hour),
    "hh": lambda t: f"{(t.hour - 1) % 12 + 1:02d}",
    "h": lambda t: str((t.hour - 1) % 12 + 1),
    "mm": lambda t: f"{t.minute:02d}",
    "m": lambda t: str(t.minute),
    "ss": lambda t: f"{t.second:02d}",
    "s": lambda t: str(t.second),
    "A": lambda t: "AM" if t.hour < 12 else "PM",
    "a": lambda t: "am" if t.hour < 12 else "pm",
}


def moment_format(when: dt.datetime, fmt: str) -> str:
    """The common Moment.js tokens Obsidian's date formats use; `[text]` is literal."""

    def token(m: re.Match[str]) -> str:
        return m.group(1) if m.group(1) is not None else _MOMENT[m.group(0)](when)

    return _MOMENT_TOKEN.sub(token, fmt)


def obsidian_fill(
    text: str,
    title: str,
    when: dt.datetime,
    date_format: str = "YYYY-MM-DD",
    time_format: str = "HH:mm",
    extra: Mapping[str, str] | None = None,
) -> str:
    """What Obsidian's core Templates plugin inserts: `{{title}}`, `{{date}}`, `{{time}}` and
    `{{date:FORMAT}}` replaced, and `{{name}}` for each name in `extra`; every other `{{...}}`
    left as written. One pass: a value that holds `{{date}}` is inserted as it is, never filled."""

    def value(m: re.Match[str]) -> str:
        if m.group(4) is not None:
            return extra.get(m.group(4), m.group(0)) if extra is not None else m.group(0)
        if m.group(3) is not None:
            return title
        default = date_format if m.group(1).lower() == "date" else time_format
        return moment_format(when, m.group(2) or default)

    return _OBSIDIAN_VARIABLE.sub(value, text)


_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)


def _front_matter(text: str) -> tuple[int, int] | None:
    """Start and end offsets of the lines between the `---` fences, if any."""
    if not re.match(r"---[ \t]*\n", text):
        return None
    start = text.index("\n") + 1
    m = _CLOSING.search(text, start)
    return None if m is None else (start, m.start())


def _set_key(text: str, key: str, value: str) -> str:
    """Front-matter with `key: value` in place of the key's old value (or added at the end)."""
    bounds = _front_matter(text)
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
    bounds = _front_matter(text)
    if bounds is None:
        return False
    block = text[bounds[0] : bounds[1]]
    return re.search(rf"^{re.escape(key)}[ \t]*:", block, re.IGNORECASE | re.MULTILINE) is not None


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def _fill_note(text: str, title: str, when: dt.datetime, formats: tuple[str, str]) -> str:
    """Fill as Obsidian would, but keep the front-matter valid YAML whatever the title holds."""
    bounds = _front_matter(text)
    if bounds is None:
        return obsidian_fill(text, title, when, *formats)
    start, end = bounds
    head = obsidian_fill(text[start:end], _quoted(title)[1:-1], when, *formats)
    return text[:start] + head + obsidian_fill(text[end:], title, when, *formats)


# --- names ------------------------------------------------------------------------------------


def person_name(value: str, what: str = "name") -> str:
    """A person's name as typed, tidied: link brackets off, one space between words."""
    text = link_target(value) if is_wikilink(value) else value
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if _CONTROL.search(text):
        raise ScaffoldError(f"the {what} {value!r} holds control characters")
    if not text:
        raise ScaffoldError(f"the {what} is empty")
    return text


def _name_part(name: str) -> str:
    text = _NOT_IN_FILE_NAMES.sub(" ", unicodedata.normalize("NFC", name))
    text = " ".join(text.split()).lstrip(". ")
    text = text.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip()
    if not text:
        raise ScaffoldError(f"{name!r} has nothing a note's file name can hold; give a name with letters")
    return text


def _unreserved(stem: str) -> str:
    """`CON`, `con.backup`, `LPT1`: names Windows reserves, made usable by a suffix."""
    head, dot, rest = stem.partition(".")
    if head.rstrip(" ").upper() in _WINDOWS_RESERVED:
        return f"{head.rstrip(' ')}_{dot}{rest}"
    return stem


def safe_file_name(name: str) -> str:
    """A note's file name (without `.md`) for `name` that Obsidian and every common system
    accept: forbidden characters become spaces, no leading dot, no reserved name, not too long."""
    return _unreserved(_name_part(name))


def _person_value(name: str) -> str:
    """`"[[Jane Smith]]"`, or the bare quoted name when a link cannot hold it."""
    return _quoted(f"[[{name}]]") if linkable_name(name) else _quoted(name)


def _inside(path: Path, root: Path) -> bool:
    real = path.parent.resolve() / path.name
    return root.resolve() in real.parents


def _create(path: Path, data: bytes) -> None:
    """Write a new file; FileExistsError if anything is already there (never overwrites)."""
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


# --- notesync new -----------------------------------------------------------------------------


def _same_name_in(folder: Path, file_name: str) -> str | None:
    """A file in `folder` whose name differs from `file_name` only in case, if any."""
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    wanted = file_name.casefold()
    return next((n for n in names if n.casefold() == wanted), None)


def _existing_contact(root: Path, config: Config, titles: set[str]) -> str | None:
    """The vault path of a contact note with one of these titles (case-insensitive), if any."""
    for entry in scan(root, config.output, config.ignore).entries:
        title = entry.path.rsplit("/", 1)[-1][:-3]
        if name_key(title) not in titles:
            continue
        try:
            data = (root / entry.path).read_bytes()
        except OSError:
            continue
        note, _ = parse_note(entry.path, data)
        if note is not None and note.kind == "contact":
            return entry.path
    return None


def new_note(
    vault: Path | str,
    kind: str,
    name: str,
    *,
    referrer: str | None = None,
    date: dt.date | None = None,
    status: str | None = None,
    config: Config | None = None,
) -> Path:
    """Create an interview or contact note from its template in the notes folder.

    Interview notes are named `YYYY-MM-DD Name.md`, contact notes `Name.md`. The person's
    real name goes into the front-matter even when the file name had to be changed. An
    existing note is never replaced: that raises ScaffoldError, as does an unusable name.
    """
    root = check_vault(vault)
    cfg = config if config is not None else load_config(root)
    person = person_name(name)
    now = dt.datetime.now()
    if kind == "interview":
        day = date if date is not None else now.date()
        if status is not None and status not in STATUSES:
            raise ScaffoldError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        stem = _unreserved(f"{day.isoformat()} {_name_part(person)}")
        template = INTERVIEW_TEMPLATE
        when = dt.datetime.combine(day, now.time())
    elif kind == "contact":
        if date is not None or status is not None:
            raise ScaffoldError("a date and a status belong to interview notes, not to contact notes")
        stem = safe_file_name(person)
        template = CONTACT_TEMPLATE
        when = now
    else:
        raise ScaffoldError(f"cannot make a {kind!r} note; make an interview or a contact note")
    folder = root / cfg.notes_folder if cfg.notes_folder else root
    target = folder / f"{stem}.md"
    rel = target.relative_to(root).as_posix()
    try:
        _check_target(root, cfg, kind, person, stem, target, rel)
    except OSError as exc:  # a path too long or impossible for this system
        raise ScaffoldError(f"{_shorten(rel)}: cannot create: {exc.strerror}") from exc

    text, source = read_template(template, root)
    filled = _fill_note(text, person, when, _obsidian_formats(root))
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
    try:
        _create(target, data)
    except FileExistsError as exc:
        raise ScaffoldError(f"{rel} already exists; notesync new never overwrites a note") from exc
    except OSError as exc:
        raise ScaffoldError(f"{_shorten(rel)}: cannot create: {exc.strerror}") from exc
    return target


def _check_target(root: Path, cfg: Config, kind: str, person: str, stem: str, target: Path, rel: str) -> None:
    """Refuse a note that would be outside the vault, in place of a file, or a second one
    for the same file name or contact; OSError when the disk cannot even say."""
    folder = target.parent
    if not _inside(target, root):
        raise ScaffoldError(f"{_shorten(rel)} would be outside the vault {root}; not created")
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{_shorten(cfg.notes_folder)} is a file, not a folder; cannot create {rel}")
    clash = _same_name_in(folder, target.name)
    if clash is not None:
        shown = (Path(cfg.notes_folder) / clash).as_posix() if cfg.notes_folder else clash
        raise ScaffoldError(f"{shown} already exists; notesync new never overwrites a note")
    if kind == "contact":
        other = _existing_contact(root, cfg, {name_key(stem), name_key(person)})
        if other is not None:
            raise ScaffoldError(f"{person} already has a contact note: {other}")


def _shorten(path: str, most: int = 120) -> str:
    """A path for a message: a 10,000-character one is cut in the middle."""
    return path if len(path) <= most else f"{path[: most // 2]}…{path[-most // 3 :]}"


# --- notesync init ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InitStep:
    """What `init` did to one file, and why when it left the file alone."""

    path: str  # vault-relative, "/"-separated
    action: InitAction
    detail: str = ""


def _toml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_quoted(i) for i in items) + "]"


def config_text(ignore: tuple[str, ...] | None = None) -> str:
    """A commented `.notesync.toml` listing every setting at its default value.

    `ignore` replaces the default list of ignored folders: `init` puts the templates
    folder there, so that the templates themselves are not read as notes.
    """
    d = Config()
    r = d.rules

    def days(value: int | None) -> str:
        return "false" if value is None else str(value)

    def flag(value: bool) -> str:
        return "true" if value else "false"

    if ignore is None or tuple(ignore) == d.ignore:
        ignore_comment = "# Folders notesync does not read."
        ignored = d.ignore
    else:
        ignore_comment = (
            f"# Folders notesync does not read (default: {_toml_list(d.ignore)}). Your templates folder\n"
            "# is listed so that the templates themselves are not read as notes."
        )
        ignored = tuple(ignore)

    def setting(line: str, comment: str) -> str:
        return f"{line:<24}# {comment}"

    return "\n".join(
        [
            "# notesync settings. Every setting is listed with its default value: change what you need.",
            "# An unknown key is an error, so a misspelt setting never silently keeps its default.",
            "",
            "# The folder notesync writes its pages into (and never reads): a folder of its own,",
            "# never one that holds your notes or a folder of them.",
            f"output = {_quoted(d.output)}",
            "",
            "# Your name at the root of the referral map.",
            f"me = {_quoted(d.me)}",
            "",
            ignore_comment,
            f"ignore = {_toml_list(ignored)}",
            "",
            '# Where `notesync new` puts new notes ("" is the top of the vault).',
            f"notes_folder = {_quoted(d.notes_folder)}",
            "",
            f"# How many days ahead Follow-ups.md lists what is coming up (at most {MAX_DAYS}).",
            f"upcoming_days = {d.upcoming_days}",
            "",
            "# Items overdue longer than this move to a folded list at the end of Follow-ups.md.",
            f"long_overdue_days = {d.long_overdue_days}",
            "",
            "# Ticking an item in Follow-ups.md (or `notesync done ID`) records it in its note;",
            "# false: Follow-ups.md lists plain bullets and notesync never edits a note.",
            f"write_back = {flag(d.write_back)}",
            "",
            "# Write Follow-ups.ics, the open items as calendar events for your phone.",
            f"calendar = {flag(d.calendar)}",
            "",
            "# The follow-up rules: how many days after the conversation (or the request) each",
            f"# falls due (at most {MAX_DAYS}); false turns a rule off.",
            "[rules]",
            setting(f"action = {flag(r.action)}", "action items with a due date (true or false)"),
            setting(f"thank_you = {days(r.thank_you)}", "send a thank-you note"),
            setting(f"no_response = {days(r.no_response)}", "follow up once on a request with no answer"),
            setting(f"move_on = {days(r.move_on)}", "after that follow-up, still no answer: move on"),
            setting(f"business_days = {flag(r.business_days)}", "count no_response in working days"),
            setting(f"update_referrer = {days(r.update_referrer)}", "tell the referrer how it went"),
            setting(f"contact_referral = {days(r.contact_referral)}", "reach out to each referral"),
            setting(
                f"keep_in_touch = {days(r.keep_in_touch)}",
                "get back in touch after this long (a contact note's keep_in_touch wins)",
            ),
            setting(
                f"prepare = {days(r.prepare)}", "days before a scheduled conversation: prepare questions"
            ),
            setting(
                f"record_outcome = {days(r.record_outcome)}",
                "days after a conversation still `scheduled`: record how it went",
            ),
            "",
            "[watch]",
            setting(
                f"debounce_ms = {d.debounce_ms}",
                f"notesync watch: quiet milliseconds before a sync (at most {MAX_DEBOUNCE_MS})",
            ),
            "",
        ]
    )


def _install(root: Path, rel: str, data: bytes) -> InitStep:
    """Create a file, or leave the one there alone (and say whether it is notesync's)."""
    path = root / rel
    if not _inside(path, root):
        return InitStep(rel, "skipped", "it would be outside the vault")
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        return InitStep(rel, "skipped", f"cannot read it: {exc.strerror}")
    if current is not None:
        if current.replace(b"\r\n", b"\n") == data:
            return InitStep(rel, "unchanged")
        return InitStep(rel, "kept", "yours differs from notesync's; left as it is")
    try:
        _create(path, data)
    except FileExistsError:
        return InitStep(rel, "kept", "it appeared while init ran; left as it is")
    except OSError as exc:
        return InitStep(rel, "skipped", f"cannot create it: {exc.strerror}")
    return InitStep(rel, "created")


def _init_config(root: Path, folder: str) -> InitStep:
    step = _install(root, CONFIG_NAME, config_text(ignore=(folder,)).encode("utf-8"))
    if step.action != "kept":
        return step
    try:
        cfg = load_config(root)
    except ConfigError as exc:
        return InitStep(step.path, "kept", f"{step.detail}; it has a problem: {exc}")
    if folder.casefold() not in {i.casefold() for i in cfg.ignore}:
        return InitStep(
            step.path,
            "kept",
            f"{step.detail}; add {_quoted(folder)} to ignore, or sync reads the templates as notes",
        )
    return step


def _init_types(root: Path) -> InitStep:
    """Declare notesync's property types in Obsidian, keeping every entry already there."""
    path = root / OBSIDIAN_TYPES
    try:
        raw: str | None = path.read_text("utf-8")
    except FileNotFoundError:
        raw = None
    except (OSError, UnicodeDecodeError) as exc:
        return InitStep(OBSIDIAN_TYPES, "skipped", f"cannot read it ({exc}); left untouched")
    if raw is None:
        data: dict[str, object] = {"types": dict(PROPERTY_TYPES)}
        action: InitAction = "created"
        added = list(PROPERTY_TYPES)
        differ: list[str] = []
    else:
        try:
            loaded = json.loads(raw)
        except ValueError:
            return InitStep(OBSIDIAN_TYPES, "skipped", "not valid JSON; left untouched")
        types = loaded.get("types", {}) if isinstance(loaded, dict) else None
        if not isinstance(types, dict):
            return InitStep(OBSIDIAN_TYPES, "skipped", "not the shape Obsidian writes; left untouched")
        data = loaded
        have = {str(k).casefold(): k for k in types}
        added, differ = [], []
        for key, kind in PROPERTY_TYPES.items():
            if key not in have:
                types[key] = kind
                added.append(key)
            elif types[have[key]] != kind:
                differ.append(f"{have[key]} is {types[have[key]]!r} (notesync reads it as {kind})")
        data["types"] = types
        action = "updated" if added else ("kept" if differ else "unchanged")
    notes = []
    if added and raw is not None:
        notes.append("added " + ", ".join(f"{k} ({PROPERTY_TYPES[k]})" for k in added))
    if differ:
        notes.append("kept your types: " + "; ".join(differ))
    if added:
        try:
            atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            return InitStep(OBSIDIAN_TYPES, "skipped", f"cannot write it: {exc.strerror}")
    return InitStep(OBSIDIAN_TYPES, action, "; ".join(notes))


def init_vault(vault: Path | str) -> list[InitStep]:
    """Set a vault up for notesync: settings, templates, property types. Safe to repeat:
    a file the user has changed is kept and reported, never overwritten."""
    root = check_vault(vault)
    folder, hint = templates_folder(root)
    steps = [_init_config(root, folder)]
    shipped = package_templates()
    for name in TEMPLATE_NAMES:
        step = _install(root, f"{folder}/{name}", (shipped / name).read_bytes())
        steps.append(step)
    if hint:
        steps[1] = InitStep(steps[1].path, steps[1].action, "; ".join(filter(None, [steps[1].detail, hint])))
    steps.append(_init_types(root))
    return steps
