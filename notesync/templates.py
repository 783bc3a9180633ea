"""The note templates: which copy to use, and filling one in as Obsidian does.

The templates are Markdown that Obsidian's core Templates plugin fills in (`{{title}}`,
`{{date}}`, `{{time}}`); notesync fills them the same way, so a note started in
Obsidian and one started by `notesync new` look alike. A vault's own copy of a template
(in its templates folder) wins over the one notesync ships: the user may have changed it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ScaffoldError
from .kinds import MESSAGE
from .moment import moment_format as moment_format  # the formatter `{{date:FORMAT}}` uses
from .obsidian import DEFAULT_TEMPLATES_FOLDER, read_template_settings

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

INTERVIEW_TEMPLATE = "Interview note.md"
CONTACT_TEMPLATE = "Contact note.md"
MESSAGE_TEMPLATES = {
    "outreach": "Outreach message.md",
    "follow-up": "Follow-up message.md",
    "thank-you": "Thank-you note.md",
    "referrer-update": "Referrer update.md",
}
TEMPLATE_NAMES = (INTERVIEW_TEMPLATE, CONTACT_TEMPLATE, *MESSAGE_TEMPLATES.values(), "Question bank.md")


def package_templates() -> Traversable:
    """The templates notesync ships: inside the installed package (a wheel), or the
    top-level `templates/` folder of a source checkout (an editable install)."""
    here = Path(__file__).resolve().parent
    for folder in (here / "templates", here.parent / "templates"):  # (installed, checkout)
        if folder.is_dir():
            return folder
    from importlib import resources  # (only a zipped install needs it: it costs every run 3 ms)

    packaged = resources.files("notesync") / "templates"
    if packaged.is_dir():
        return packaged
    raise ScaffoldError("notesync's templates are missing from this installation; reinstall notesync")


def templates_folder(vault: Path) -> tuple[str, str]:
    """The folder the vault keeps its templates in (the core Templates plugin's, else
    Templater's, else `Templates`), and a hint for the user ("" when none is needed)."""
    settings = read_template_settings(vault)
    fallback = DEFAULT_TEMPLATES_FOLDER
    if settings.core:
        return settings.core, ""
    if settings.templater:
        return settings.templater, (
            "these templates use {{title}} and {{date}}, which Templater leaves as written: insert "
            f"them with Obsidian's core Templates plugin, its folder set to {settings.templater}"
        )
    if settings.problems:
        return fallback, f"{'; '.join(settings.problems)}; using {fallback}"
    return fallback, f"in Obsidian, set Settings > Templates > Template folder location to {fallback}"


def read_template(name: str, vault: Path | None = None) -> tuple[str, str]:
    """A template's text and where it came from: the vault's own copy when it has one
    (in any templates folder it has set), else the one notesync ships."""
    if vault is not None:
        for folder in read_template_settings(vault).folders:
            try:
                data = (vault / folder / name).read_bytes()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue
            except OSError as exc:
                raise ScaffoldError(f"{folder}/{name}: cannot read the template: {exc}") from exc
            try:
                return data.decode("utf-8-sig").replace("\r\n", "\n"), f"{folder}/{name}"
            except UnicodeDecodeError as exc:
                raise ScaffoldError(f"{folder}/{name}: cannot read the template: {exc}") from exc
    try:
        text = (package_templates() / name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise ScaffoldError(f"notesync's template {name!r} is missing; reinstall notesync") from exc
    return text, f"notesync's {name}"


# --- filling a template the way Obsidian does -------------------------------------------------

# Obsidian's variables, and any other `{{name}}` (filled only when the caller has a value).
_OBSIDIAN_VARIABLE = re.compile(r"{{(?:(date|time)(?::(.*?))?|(title)|(\w+))}}", re.IGNORECASE)


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


def front_matter_span(text: str) -> tuple[int, int] | None:
    """Start and end offsets of the lines between a template's `---` fences, if any."""
    if not re.match(r"---[ \t]*\n", text):
        return None
    start = text.index("\n") + 1
    m = _CLOSING.search(text, start)
    return None if m is None else (start, m.start())


def quoted(text: str) -> str:
    """A double-quoted string that YAML and TOML both read back as `text` (JSON's syntax)."""
    return json.dumps(text, ensure_ascii=False)


def fill_note(text: str, title: str, when: dt.datetime, vault: Path) -> str:
    """Fill as Obsidian would, with the vault's date and time formats, but keep the
    front-matter valid YAML whatever the title holds."""
    settings = read_template_settings(vault)
    formats = (settings.date_format, settings.time_format)
    bounds = front_matter_span(text)
    if bounds is None:
        return obsidian_fill(text, title, when, *formats)
    start, end = bounds
    head = obsidian_fill(text[start:end], quoted(title)[1:-1], when, *formats)
    return text[:start] + head + obsidian_fill(text[end:], title, when, *formats)


def message_templates(vault: Path) -> dict[str, str]:
    """The message template for each kind of item the calendar drafts a message for, as
    the vault has it (its templates folders hold no notes, so no walk sees them change)."""
    return {kind: read_template(MESSAGE_TEMPLATES[m], vault)[0] for kind, m in MESSAGE.items()}


_SAYS_THE_DAY = re.compile(r"\{\{\s*(?:date|time)\b", re.IGNORECASE)  # Obsidian's {{date}}, {{Time:HH:mm}}


def says_the_day(template: str) -> bool:
    """Does the template say the day or the time (then a message made from it changes daily)?"""
    return _SAYS_THE_DAY.search(template) is not None
