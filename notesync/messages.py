"""Messages to send, filled from the message templates and what a note says.

The message templates use `{{variable}}` placeholders (listed in VARIABLES). A paragraph
that uses a variable with no value, say the referrer of someone you found yourself, is
left out, so a template can hold optional sentences without a template language. Pure
(but for `{{time}}`, which says now unless given a time): `draft` finds the person and
the note for `notesync draft`; the calendar (see `render.calendar`) drafts one message
per follow-up with `draft_for`.
"""

from __future__ import annotations

import datetime as dt
import re

from .model import Action, FollowUp, Note
from .moment import MONTHS, WEEKDAYS
from .resolve import Network
from .templates import obsidian_fill

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


def spoken_date(day: dt.date, today: dt.date) -> str:
    """`Friday 20 November`, with the year only when it is not this year's."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def first_name(name: str) -> str:
    return name.split(" ", 1)[0] if name else ""


def action_line(action: Action, today: dt.date) -> str:
    due = f" (by {spoken_date(action.due, today)})" if action.due is not None else ""
    return f"- {action.text}{due}"


def fill_message(template: str, values: dict[str, str], today: dt.date, at: dt.time | None = None) -> str:
    """The template with its `%%` comments removed, Obsidian's variables and ours filled,
    and every paragraph that uses a variable without a value left out. Each paragraph is
    filled in one pass: a name or an action holding `{{referrer}}` is written as it is.
    `at`: the time `{{time}}` says (default: now)."""
    text = _COMMENT.sub("", template.replace("\r\n", "\n"))
    now = dt.datetime.combine(today, at if at is not None else dt.datetime.now().time())
    kept = []
    for paragraph in _PARAGRAPH_BREAK.split(text.strip("\n")):
        used = [v for v in _VARIABLE.findall(paragraph) if v in values]
        if any(not values[v] for v in used) or not paragraph.strip():
            continue
        kept.append(obsidian_fill(paragraph, values.get("contact", ""), now, extra=values))
    return "\n\n".join(kept) + "\n"


def draft_for(item: FollowUp, note: Note, net: Network, template: str, today: dt.date) -> str:
    """The message to send for an item, drafted from the note it comes from (for the
    calendar's events: the same message `notesync draft` writes, at a fixed time of day
    so the same notes give the same text)."""
    with_ = [net.name(k) for r in note.contacts if (k := net.index.get((r.target, r.bare)))]
    first = with_[0] if with_ else note.title
    if item.kind == "update-referrer":
        contact, referrer = first, item.person
    elif item.kind == "contact-referral":
        contact, referrer = item.person, first
    else:
        contact = item.person
        ref = net.index.get((note.referrer.target, note.referrer.bare)) if note.referrer else None
        referrer = net.name(ref) if ref is not None and ref != net.me.key else ""
    referrals = [net.name(k) for r in note.referrals if (k := net.index.get((r.target, r.bare)))]
    values = {
        "contact": contact,
        "contact_first": first_name(contact),
        "referrer": referrer,
        "referrer_first": first_name(referrer),
        "company": note.company or "",
        "role": note.role or "",
        "when": spoken_date(note.date, today) if note.date else "",
        "actions": "\n".join(action_line(a, today) for a in note.actions if not a.done),
        "referrals": join_names(list(dict.fromkeys(referrals))),
    }
    return fill_message(template, values, today, dt.time(9, 0))
