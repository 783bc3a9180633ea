"""`notesync draft`: a message to send, filled from the message templates and the notes.

The message templates use `{{variable}}` placeholders (listed in VARIABLES). A paragraph
that uses a variable with no value, say the referrer of someone you found yourself, is
left out, so a template can hold optional sentences without a template language.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ScaffoldError
from .links import basename, link_target, name_key
from .model import Action, Note
from .moment import MONTHS, WEEKDAYS
from .pipeline import analyse
from .resolve import Network
from .templates import MESSAGE_TEMPLATES, obsidian_fill, read_template

DRAFT_KINDS = ("thank-you", "referrer-update", "follow-up", "outreach")
VARIABLES = {
    "contact": "the person's name",
    "contact_first": "their first name",
    "referrer": "who put you in touch",
    "referrer_first": "the referrer's first name",
    "company": "their company",
    "role": "their role",
    "when": "the day of the conversation (or of the request), as 'Friday 20 November'",
    "actions": "the open action items of that note, one '- ' line each",
    "referrals": "the people they suggested you speak with, as 'Tom Lee and Ann Chu'",
}
_VARIABLE = re.compile(r"{{(\w+)}}")
_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Draft:
    """A drafted message, with where its facts and its wording came from."""

    kind: str
    person: str  # canonical name of the person the message is about
    source: str | None  # vault path of the note it was drafted from
    template: str  # where the template came from
    text: str


def spoken_date(day: dt.date, today: dt.date) -> str:
    """`Friday 20 November`, with the year only when it is not this year's."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _first(name: str) -> str:
    return name.split(" ", 1)[0] if name else ""


def find_person(net: Network, name: str) -> str:
    """The key of the person `name` means, matched as links are (case, aliases, folders)."""
    text = link_target(name) or ""
    if not text:
        raise ScaffoldError("give the name of a person")
    index: dict[str, str] = {}
    shown: dict[str, str] = {}  # folded spelling -> canonical name, for suggestions
    for key, person in net.people.items():
        index.setdefault(key, key)
        shown[person.name.casefold()] = person.name
        for alias in person.aliases:
            index.setdefault(name_key(alias), key)
            shown.setdefault(alias.casefold(), person.name)
    for candidate in dict.fromkeys((text, basename(text))):
        key = name_key(candidate)
        if key == net.me.key:
            raise ScaffoldError(f"{text} is you (the `me` setting); name the person the message is for")
        if key in index:
            return index[key]
    close = difflib.get_close_matches(text.casefold(), list(shown), n=3, cutoff=0.6)
    names = list(dict.fromkeys(shown[c] for c in close))
    hint = f"; did you mean {' or '.join(names)}?" if names else ""
    raise ScaffoldError(f"no one called {text!r} in the notes{hint}")


def _referrer(net: Network, key: str, notes: list[Note], interviews: list[Note]) -> str | None:
    """Who put you in touch: the latest of their `notes` that says so, else whoever named
    them in `referrals` (of all the `interviews`)."""
    for note in reversed(notes):
        ref = net.key(note.referrer)
        if ref is not None and ref != net.me.key:
            return ref
    named = [n for n in interviews if n.contact is not None and any(net.key(r) == key for r in n.referrals)]
    named.sort(key=lambda n: (n.date or dt.date.min, n.path))
    for note in reversed(named):
        ref = net.key(note.contact)
        if ref is not None and ref != net.me.key and ref != key:
            return ref
    return None


def _pick(kind: str, who: str, notes: list[Note]) -> Note | None:
    """The note a message of this kind is about; ScaffoldError when there is none."""
    if kind in ("thank-you", "referrer-update"):
        done = [n for n in notes if n.status == "done"]
        if not done:
            raise ScaffoldError(
                f"no conversation with {who} has status done yet; a {kind} message follows a conversation"
            )
        return done[-1]
    if kind == "follow-up":
        if not notes:
            raise ScaffoldError(f"no request to {who} is in the notes; a follow-up chases a request")
        latest = notes[-1]
        if latest.status != "requested":
            raise ScaffoldError(
                f"the latest note about {who} ({latest.path}) has status {latest.status or 'none'}, "
                "not requested: there is no unanswered request to follow up"
            )
        return latest
    return notes[-1] if notes else None


def _action_line(action: Action, today: dt.date) -> str:
    due = f" (by {spoken_date(action.due, today)})" if action.due is not None else ""
    return f"- {action.text}{due}"


def fill_message(template: str, values: dict[str, str], today: dt.date) -> str:
    """The template with its `%%` comments removed, Obsidian's variables and ours filled,
    and every paragraph that uses a variable without a value left out. Each paragraph is
    filled in one pass: a name or an action holding `{{referrer}}` is written as it is."""
    text = _COMMENT.sub("", template.replace("\r\n", "\n"))
    now = dt.datetime.combine(today, dt.datetime.now().time())
    kept = []
    for paragraph in _PARAGRAPH_BREAK.split(text.strip("\n")):
        used = [v for v in _VARIABLE.findall(paragraph) if v in values]
        if any(not values[v] for v in used) or not paragraph.strip():
            continue
        kept.append(obsidian_fill(paragraph, values.get("contact", ""), now, extra=values))
    return "\n\n".join(kept) + "\n"


def draft_message(
    vault: Path | str,
    kind: str,
    name: str,
    *,
    today: dt.date | None = None,
) -> Draft:
    """Draft a thank-you, referrer update, follow-up or outreach message to or about `name`."""
    if kind not in MESSAGE_TEMPLATES:
        raise ScaffoldError(f"cannot draft a {kind!r} message; one of: {', '.join(DRAFT_KINDS)}")
    analysis = analyse(vault, today=today)
    net = analysis.net
    interviews = [n for n in analysis.notes if n.kind == "interview"]
    key = find_person(net, name)
    person = net.people[key]
    notes = sorted(
        (n for n in interviews if net.key(n.contact) == key),
        key=lambda n: (n.date or dt.date.min, n.path),
    )
    note = _pick(kind, person.name, notes)
    ref = _referrer(net, key, notes, interviews)
    if kind == "referrer-update" and ref is None:
        raise ScaffoldError(f"the notes name no referrer for {person.name}: there is no one to update")
    referrer = net.name(ref) if ref is not None else ""
    referrals = (
        [net.name(k) for k in dict.fromkeys(net.key(r) for r in note.referrals) if k is not None]
        if note is not None
        else []
    )
    values = {
        "contact": person.name,
        "contact_first": _first(person.name),
        "referrer": referrer,
        "referrer_first": _first(referrer),
        "company": (note.company if note is not None else None) or person.company or "",
        "role": (note.role if note is not None else None) or person.role or "",
        "when": spoken_date(note.date, analysis.today) if note is not None and note.date else "",
        "actions": "\n".join(
            _action_line(a, analysis.today) for a in (note.actions if note is not None else ()) if not a.done
        ),
        "referrals": _join(referrals),
    }
    text, source = read_template(MESSAGE_TEMPLATES[kind], analysis.vault)
    return Draft(
        kind,
        person.name,
        note.path if note is not None else None,
        source,
        fill_message(text, values, analysis.today),
    )
