"""`notesync draft`: a message to send, filled from the message templates and the notes.

The message templates use `{{variable}}` placeholders (see `messages.VARIABLES`).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from .analysis import Analysis
from .errors import ScaffoldError
from .links import basename, link_target, name_key
from .messages import action_line, fill_message, first_name, join_names, spoken_date
from .model import Note
from .pipeline import analyse
from .resolve import Network
from .templates import MESSAGE_TEMPLATES, read_template

DRAFT_KINDS = ("thank-you", "referrer-update", "follow-up", "outreach")
__all__ = ["DRAFT_KINDS", "Draft", "draft_message", "fill_message", "find_person"]


@dataclass(frozen=True)
class Draft:
    """A drafted message, with where its facts and its wording came from."""

    kind: str
    person: str  # canonical name of the person the message is about
    source: str | None  # vault path of the note it was drafted from
    template: str  # where the template came from
    text: str


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


def _updates_owed(analysis: Analysis, key: str) -> tuple[list[Note], list[str]]:
    """The conversations `key` is owed an update about as the referrer, and the referrers
    owed one about a conversation with `key`, most overdue first (as Follow-ups.md lists them)."""
    net = analysis.net
    about = {n.path: n for n in analysis.notes if n.kind == "interview"}
    items = [
        (i, about[i.source]) for i in analysis.items if i.kind == "update-referrer" and i.source in about
    ]
    to_them = [n for i, n in items if i.person == net.name(key)]
    waiting = [i.person for i, n in items if net.key(n.contact) == key]
    return to_them, waiting


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
    told: Note | None = None  # a referrer update Follow-ups.md lists under NAME, the referrer
    spoke: str | None = None  # ... and the person spoken with there
    if kind == "referrer-update":
        to_them, waiting = _updates_owed(analysis, key)
        spoke = net.key(to_them[0].contact) if to_them else None
        if spoke is not None and waiting:
            raise ScaffoldError(
                f"{net.name(key)} is owed an update about {net.name(spoke)}, and {waiting[0]} one about "
                f"{net.name(key)}: name {net.name(spoke)} or {waiting[0]} to say which"
            )
        told = to_them[0] if to_them else None
    referred_by = key
    if told is not None and spoke is not None:
        key = spoke
    person = net.people[key]
    notes = sorted(
        (n for n in interviews if net.key(n.contact) == key),
        key=lambda n: (n.date or dt.date.min, n.path),
    )
    note = told if told is not None else _pick(kind, person.name, notes)
    ref = referred_by if told is not None else _referrer(net, key, notes, interviews)
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
        "contact_first": first_name(person.name),
        "referrer": referrer,
        "referrer_first": first_name(referrer),
        "company": (note.company if note is not None else None) or person.company or "",
        "role": (note.role if note is not None else None) or person.role or "",
        "when": spoken_date(note.date, analysis.today) if note is not None and note.date else "",
        "actions": "\n".join(
            action_line(a, analysis.today) for a in (note.actions if note is not None else ()) if not a.done
        ),
        "referrals": join_names(referrals),
    }
    text, source = read_template(MESSAGE_TEMPLATES[kind], analysis.vault)
    return Draft(
        kind,
        person.name,
        note.path if note is not None else None,
        source,
        fill_message(text, values, analysis.today),
    )
