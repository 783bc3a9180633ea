"""`notesync init`: set a vault up for notesync.

It writes a commented `.notesync.toml`, installs the note templates into the vault's
templates folder, declares notesync's property types to Obsidian, and says what to
change in a plugin's settings that notesync must not edit itself. Safe to repeat: a
file the user has changed is kept and reported, never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .config import CONFIG_NAME, NOTES_FOLDER, Config, load_config
from .errors import ConfigError, ScaffoldError
from .limits import MAX_DAYS, MAX_DEBOUNCE_MS
from .obsidian import TASKS_PLUGIN, tasks_global_query
from .pipeline import check_vault
from .templates import TEMPLATE_NAMES, package_templates, quoted, templates_folder
from .write import atomic_write, create_new, inside

OBSIDIAN_TYPES = ".obsidian/types.json"
# Obsidian guesses a property's type from its first value; these must not be guessed as text.
PROPERTY_TYPES = {"date": "date", "thanked": "date", "referrer_updated": "date", "referrals": "multitext"}

InitAction = Literal["created", "unchanged", "kept", "updated", "skipped", "note"]


@dataclass(frozen=True)
class InitStep:
    """What `init` did to one file, why when it left the file alone, or (`note`) advice
    about a setting it does not change itself."""

    path: str  # vault-relative, "/"-separated
    action: InitAction
    detail: str = ""


def _toml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(quoted(i) for i in items) + "]"


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
            f"output = {quoted(d.output)}",
            "",
            "# Your name at the root of the referral map.",
            f"me = {quoted(d.me)}",
            "",
            ignore_comment,
            f"ignore = {_toml_list(ignored)}",
            "",
            '# Where `notesync new` puts new notes ("" is the top of the vault). Unset: interviews',
            "# go where most of your conversation notes are, contacts where most contact notes are.",
            f"# notes_folder = {quoted(NOTES_FOLDER)}",
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
            "# Write Networking.base (tables for Obsidian's Bases) when it is missing; once",
            "# there it is yours, and notesync leaves it alone. false: never.",
            f"base = {flag(d.base)}",
            "",
            "# The vault's name as Obsidian shows it, for the links in Follow-ups.ics",
            "# (default: the vault folder's name).",
            '# vault_name = "My Vault"',
            "",
            "# The companies you want to work for: Targets.md shows the warm path into each.",
            "# A company note with `target: true` is one too.",
            f"targets = {_toml_list(d.targets)}",
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
    if not inside(path, root):
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
        create_new(path, data)
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
        load_config(root)
    except ConfigError as exc:
        return InitStep(step.path, "kept", f"{step.detail}; it has a problem: {exc}")
    return step  # (the templates folder it fills is one the walk leaves out)


def _init_types(root: Path) -> InitStep:
    """Declare notesync's property types in Obsidian, keeping every entry already there."""
    path = root / OBSIDIAN_TYPES
    try:
        raw: str | None = path.read_bytes().decode("utf-8")  # (as it is: its line ends kept)
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
            text = json.dumps(data, indent=2, ensure_ascii=False)
            eol = "\r\n" if raw is not None and "\r\n" in raw else "\n"
            atomic_write(path, text.replace("\n", eol).encode("utf-8"))
        except OSError as exc:
            return InitStep(OBSIDIAN_TYPES, "skipped", f"cannot write it: {exc.strerror}")
    return InitStep(OBSIDIAN_TYPES, action, "; ".join(notes))


def _tasks_advice(root: Path) -> InitStep | None:
    """With the Tasks plugin, the checkboxes of Follow-ups.md would show in the user's Tasks
    queries. Its settings are the user's: say what to add, unless it is there already."""
    query = tasks_global_query(root)
    if query is None:
        return None
    try:
        output = load_config(root).output
    except ConfigError:
        output = Config().output
    excluded = output.casefold().rstrip("/")
    for line in query.casefold().splitlines():
        if "not include" in line and excluded in line:
            return None
    return InitStep(
        TASKS_PLUGIN,
        "note",
        f"add the line `path does not include {output}/` to Tasks' Global query (Settings > Tasks), "
        f"so that the checkboxes of {output}/Follow-ups.md stay out of your Tasks queries",
    )


def init_vault(vault: Path | str) -> list[InitStep]:
    """Set a vault up for notesync: settings, templates, property types, and advice on the
    plugins it finds. Safe to repeat: a file the user has changed is kept and reported."""
    root = check_vault(vault)
    folder, hint = templates_folder(root)
    try:
        output = load_config(root).output
    except ConfigError:
        output = Config().output
    if (folder + "/").casefold().startswith(output.casefold() + "/"):
        raise ScaffoldError(
            f"Obsidian's template folder {folder}/ is in notesync's output folder {output}/, which "
            "holds pages, not notes: choose another in Settings > Templates (or set output)"
        )
    steps = [_init_config(root, folder)]
    shipped = package_templates()
    for name in TEMPLATE_NAMES:
        steps.append(_install(root, f"{folder}/{name}", (shipped / name).read_bytes()))
    if hint:
        steps[1] = InitStep(steps[1].path, steps[1].action, "; ".join(filter(None, [steps[1].detail, hint])))
    steps.append(_init_types(root))
    advice = _tasks_advice(root)
    if advice is not None:
        steps.append(advice)
    return steps
