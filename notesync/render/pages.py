"""`Follow-ups.md`, `Contacts.md` and `Companies.md`."""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date

from ..links import name_key
from ..model import FollowUp
from ..rules import due_by
from ..stats import PersonStats
from . import View
from .markdown import (
    FRONT_MATTER,
    cell,
    link,
    linkable_name,
    plural,
    rich_text,
    table,
    table_head,
    table_row,
    text,
)

KIND_LABEL = {
    "action": "Action",
    "no-response": "No answer",
    "thank-you": "Thank-you",
    "update-referrer": "Update referrer",
    "contact-referral": "New referral",
    "keep-in-touch": "Keep in touch",
}


def person_link(view: View, name: str, *, table: bool = False) -> str:
    """A link to the person's contact note, or to the note they don't have yet."""
    found = view.links.get((name, table))
    if found is None:
        found = view.links[name, table] = _person_link(view, name, table)
    return found


def _person_link(view: View, name: str, table: bool) -> str:
    key = name_key(name)
    if key == view.net.me.key:
        return text(view.net.me.name)
    person = view.net.people.get(key)
    if person is not None and person.note:
        return link(person.note[:-3], person.name, table=table)
    return link(name, table=table) if linkable_name(name) else text(name)


def note_link(path: str, *, table: bool = False) -> str:
    title = path.rsplit("/", 1)[-1]
    title = title[:-3] if title.endswith(".md") else title
    return link(path[:-3] if path.endswith(".md") else path, title, table=table)


def _when(item: FollowUp, today: date) -> str:
    days = item.days_overdue(today)
    if days > 0:
        return f"**{plural(days, 'day')} overdue** · due {item.due.isoformat()}"
    if days == 0:
        return "**Due today**"
    return f"**In {plural(-days, 'day')}** · due {item.due.isoformat()}"


def _what(view: View, item: FollowUp) -> str:
    """The item's text with the person's name as a link to them. An action's text is the
    user's own: their links in it keep working (see `rich_text`)."""
    at = item.text.find(item.person) if item.kind != "action" else -1
    if at < 0:
        shown = rich_text(item.text) if item.kind == "action" else text(item.text)
        return f"{shown} (for {person_link(view, item.person)})"
    before, after = item.text[:at], item.text[at + len(item.person) :]
    return f"{text(before)}{person_link(view, item.person)}{text(after)}".strip()


def followup_line(view: View, item: FollowUp) -> str:
    """The item's line on Follow-ups.md (it reads "N days overdue": one day's line)."""
    return view.fragment(
        ("followup", item),
        lambda: f"- {_when(item, view.today)} · {_what(view, item)} · from {note_link(item.source)}",
    )


def render_followups(view: View) -> str:
    shown = due_by(view.items, view.today, view.config.upcoming_days)
    return followups_page(view.today, view.config.upcoming_days, [(i, followup_line(view, i)) for i in shown])


def followups_page(today: date, days: int, shown: list[tuple[FollowUp, str]]) -> str:
    """The page from the items due within `days` after today, in order, with their lines."""
    overdue = [line for i, line in shown if i.due < today]
    due_today = [line for i, line in shown if i.due == today]
    upcoming = [line for i, line in shown if i.due > today]
    out = [FRONT_MATTER, "# Follow-ups\n\n"]
    out.append(
        f"As of {today.isoformat()}: **{len(overdue)} overdue**, {len(due_today)} due today, "
        f"{len(upcoming)} due in the next {plural(days, 'day')}. "
        "This page is rebuilt from your notes: record what you did in the note it links to "
        "(`thanked:`, `referrer_updated:`, a ticked task) and the item goes away.\n"
    )
    for title, items, empty in (
        ("Overdue", overdue, "Nothing is overdue."),
        ("Due today", due_today, "Nothing is due today."),
        (f"Upcoming (next {plural(days, 'day')})", upcoming, "Nothing is coming up."),
    ):
        out.append(f"\n## {title}\n\n")
        if items:
            out.append("\n".join(items) + "\n")
        else:
            out.append(empty + "\n")
    return "".join(out)


def next_followups(items: list[FollowUp]) -> dict[str, FollowUp]:
    """Person key -> the first of their items (`items` sorted, as `rules.settle` makes them)."""
    first: dict[str, FollowUp] = {}
    for item in items:
        first.setdefault(name_key(item.person), item)
    return first


def _next_cell(item: FollowUp | None, today: date) -> str:
    if item is None:
        return ""
    days = item.days_overdue(today)
    flag = " (overdue)" if days > 0 else (" (today)" if days == 0 else "")
    return f"{item.due.isoformat()} {KIND_LABEL.get(item.kind, item.kind).lower()}{flag}"


def contact_cells(view: View, s: PersonStats) -> str:
    """A person's row on Contacts.md but its last cell (their next follow-up), which
    changes with other people's notes."""
    row = table_row(
        [
            person_link(view, s.name, table=True),
            cell(s.company or ""),
            cell(s.role or ""),
            ", ".join(person_link(view, view.net.name(k), table=True) for k in s.referred_by),
            s.last_conversation.isoformat() if s.last_conversation else "",
            str(s.conversations),
            cell(s.status),
        ]
    )
    return row[:-2]  # "| a | ... | status " without its closing "|\n"


def contact_row(cells: str, item: FollowUp | None, today: date) -> str:
    return f"{cells}| {_next_cell(item, today) or ' '} |\n"


def render_contacts(view: View) -> str:
    stats = view.stats
    nxt = next_followups(view.items)
    rows = []
    for s in sorted(stats.values(), key=contact_order):
        cells = view.fragment(("contact", s), functools.partial(contact_cells, view, s))
        rows.append(contact_row(cells, nxt.get(s.key), view.today))
    return contacts_page(len(stats), sum(1 for s in stats.values() if s.met), rows)


def contact_order(s: PersonStats) -> tuple[str, str]:
    return (s.name.casefold(), s.key)


def contacts_page(people: int, met: int, rows: list[str]) -> str:
    """The page from its rows, in `contact_order`."""
    out = [FRONT_MATTER, "# Contacts\n\n"]
    out.append(
        f"{plural(people, 'person', 'people')} in your network, {met} met so far. "
        "Status is that of the latest note about each person.\n\n"
    )
    header = [
        "Name",
        "Company",
        "Role",
        "Referred by",
        "Last conversation",
        "Conversations",
        "Status",
        "Next follow-up",
    ]
    out.append(table_head(header) + "".join(rows) if rows else "No contacts yet.\n")
    return "".join(out)


def _company_groups(stats: dict[str, PersonStats]) -> tuple[dict[str, list[PersonStats]], dict[str, str]]:
    groups: dict[str, list[PersonStats]] = {}
    spellings: dict[str, Counter[str]] = {}
    for s in stats.values():
        if not s.company:
            continue
        key = name_key(s.company)
        groups.setdefault(key, []).append(s)
        spellings.setdefault(key, Counter())[s.company] += 1
    names = {k: min(c, key=lambda n: (-c[n], n)) for k, c in spellings.items()}
    return groups, names


def render_companies(view: View) -> str:
    stats = view.stats
    groups, names = _company_groups(stats)
    out = [FRONT_MATTER, "# Companies\n\n"]
    out.append(f"{plural(len(groups), 'company', 'companies')} across your network.\n")
    for key in sorted(groups, key=lambda k: (names[k].casefold(), k)):
        people = sorted(groups[key], key=lambda s: (s.name.casefold(), s.key))
        convs = sum(s.conversations for s in people)
        latest = max(
            (s.latest for s in people if s.latest is not None),
            key=lambda n: (n.date or date.min, n.path),
            default=None,
        )
        out.append(f"\n## {text(names[key])}\n\n")
        summary = f"{plural(len(people), 'person', 'people')}, {plural(convs, 'conversation')}"
        if latest is not None:
            when = latest.date.isoformat() if latest.date else "undated"
            who = view.net.name(view.net.key(latest.contact) or "") if latest.contact else latest.title
            summary += f"; latest: {text(latest.status or 'no status')} with {text(who)} ({when})"
        out.append(summary + ".\n\n")
        rows = [
            [
                person_link(view, s.name, table=True),
                cell(s.role or ""),
                str(s.conversations),
                s.last_conversation.isoformat() if s.last_conversation else "",
                cell(s.status),
            ]
            for s in people
        ]
        out.append(table(["Person", "Role", "Conversations", "Last conversation", "Status"], rows))
    loose = sorted((s for s in stats.values() if not s.company), key=lambda s: (s.name.casefold(), s.key))
    if loose:
        out.append("\n## No company recorded\n\n")
        out.append(", ".join(person_link(view, s.name) for s in loose) + "\n")
    return "".join(out)
