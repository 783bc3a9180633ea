"""`Follow-ups.md`, `Contacts.md` and `Companies.md`.

Follow-ups and Contacts are assembled from lines and rows that each bucket of notes
makes once (see `parts`): `item_text` and `contact_cells` here are those pieces.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import NamedTuple

from ..body import links_in
from ..kinds import LABEL
from ..links import company_key, name_key
from ..model import FollowUp, short_ids
from ..owner import front_matter
from ..resolve import Network
from ..rules import add_days, due_by
from ..stats import PersonStats
from .context import Context
from .markdown import cell, link, linkable_name, plural, rich_text, table, table_head, table_row, text

QUESTION_BANK = "Question bank"  # see templates/Question bank.md


def link_to(name: str, note: str | None, *, table: bool = False) -> str:
    """A link to a person's contact note, or to the note they don't have yet."""
    if note:
        return link(note[:-3] if note.endswith(".md") else note, name, table=table)
    return link(name, table=table) if linkable_name(name) else text(name)


def person_link(net: Network, name: str, *, table: bool = False) -> str:
    """`link_to` for a person named in the notes; "Me" is plain text."""
    key = name_key(name)
    if key == net.me.key:
        return text(net.me.name)
    person = net.people.get(key)
    return link_to(person.name if person else name, person.note if person else None, table=table)


def note_link(path: str) -> str:
    """The link to the note an item comes from, with the note's title as its words even
    at the vault's root: Obsidian rewrites a link's target when the note is renamed or
    moved and keeps its words, which then still say the note's old name (see `ticks`)."""
    target = path[:-3] if path.endswith(".md") else path
    title = target.rsplit("/", 1)[-1]
    made = link(target, title)
    return f"[[{target}|{title}]]" if made == f"[[{target}]]" else made


def _links_to(net: Network, words: str, person: str) -> bool:
    """Whether the text has a link to this person (by their name, an alias or a path)."""
    keys = (net.index.get((m.target, m.bare)) for m in links_in(words))
    return any(k is not None and net.name(k) == person for k in keys)


def item_text(net: Network, item: FollowUp) -> str:
    """An item's line on Follow-ups.md but its day-dependent start: what to do, with the
    person's name as a link to them, and the note it comes from. An action's text is the
    user's own: their links in it keep working (see `rich_text`)."""
    at = item.text.find(item.person) if item.kind != "action" else -1
    if item.kind == "action" and _links_to(net, item.text, item.person):
        what = rich_text(item.text)  # `Thank [[Marcus Webb]]`: the name once
    elif at < 0:
        shown = rich_text(item.text) if item.kind == "action" else text(item.text)
        what = f"{shown} (for {person_link(net, item.person)})"
    else:
        before, after = item.text[:at], item.text[at + len(item.person) :]
        what = f"{text(before)}{person_link(net, item.person)}{text(after)}".strip()
    if item.kind == "prepare":  # the template `notesync init` installs, found by its name
        head, sep, tail = what.rpartition(QUESTION_BANK)
        what = f"{head}{link(QUESTION_BANK)}{tail}" if sep else what
    return f"{what} · from {note_link(item.source)}"


def _when(item: FollowUp, today: date) -> str:
    days = item.days_overdue(today)
    if days > 0:
        return f"**{plural(days, 'day')} overdue** · due {item.due.isoformat()}"
    if days == 0:
        return "**Due today**"
    return f"**In {plural(-days, 'day')}** · due {item.due.isoformat()}"


class Listing(NamedTuple):
    """How Follow-ups.md lists its items (the settings it reads)."""

    upcoming_days: int  # how far ahead it looks
    long_overdue_days: int  # past this, an item goes to the folded "Long overdue" list
    checkboxes: bool  # write-back on: each item a box to tick, with its id


def followups_inputs(ctx: Context) -> tuple[date, Listing, list[tuple[FollowUp, str]], dict[str, str]]:
    cfg = ctx.config
    listing = Listing(cfg.upcoming_days, cfg.long_overdue_days, cfg.write_back)
    return ctx.today, listing, [(i, ctx.texts[i]) for i in ctx.items], short_ids(ctx.items)


def render_followups(
    today: date, listing: Listing, items: list[tuple[FollowUp, str]], ids: dict[str, str]
) -> str:
    """The page from every open item (sorted, as `rules.settle` makes them) with its
    `item_text`: what is overdue, due today and coming up, and at the end, folded and by
    person, what has been overdue for long (so the first screen is today's work)."""
    texts = dict(items)
    whens: dict[date, str] = {}  # items share due days: each day's words are made once

    def line(item: FollowUp) -> str:
        when = whens.get(item.due)
        if when is None:
            when = whens[item.due] = _when(item, today)
        if listing.checkboxes:
            return f"- [ ] {when} · {texts[item]} ^{ids[item.uid]}"
        return f"- {when} · {texts[item]}"

    shown = due_by([i for i, _ in items], today, listing.upcoming_days)
    cut = add_days(today, -listing.long_overdue_days)
    old = [i for i in shown if i.due < cut]
    overdue = [line(i) for i in shown if cut <= i.due < today]
    due_today = [line(i) for i in shown if i.due == today]
    upcoming = [line(i) for i in shown if i.due > today]
    days = listing.upcoming_days
    out = [front_matter(), "# Follow-ups\n\n"]
    out.append(
        f"As of {today.isoformat()}: **{len(overdue) + len(old)} overdue**"
        + (
            f" ({len(old)} of them for more than {plural(listing.long_overdue_days, 'day')}, "
            "folded at the end)"
            if old
            else ""
        )
        + f", {len(due_today)} due today, {len(upcoming)} due in the next {plural(days, 'day')}. "
        + (
            "Tick an item once it is done: the next sync records it in the note it comes from "
            "and takes it off this page.\n"
            if listing.checkboxes
            else "This page is rebuilt from your notes: record what you did in the note it links to "
            "(`thanked:`, `referrer_updated:`, a ticked task) and the item goes away.\n"
        )
    )
    for title, section, empty in (
        ("Overdue", overdue, "Nothing is overdue."),
        ("Due today", due_today, "Nothing is due today."),
        (f"Upcoming (next {plural(days, 'day')})", upcoming, "Nothing is coming up."),
    ):
        out.append(f"\n## {title}\n\n")
        out.append("\n".join(section) + "\n" if section else empty + "\n")
    if old:
        out.append(f"\n> [!note]- Long overdue ({len(old)})\n")
        by_person: dict[str, list[FollowUp]] = {}
        for item in old:
            by_person.setdefault(item.person, []).append(item)
        for person in sorted(by_person, key=str.casefold):
            out.append(f"> \n> **{text(person)}**\n> \n")
            out.append("".join(f"> {line(i)}\n" for i in by_person[person]))
    return "".join(out)


def next_followups(items: list[FollowUp]) -> dict[str, FollowUp]:
    """Person (canonical name, which names one person) -> the first of their items
    (`items` sorted, as `rules.settle` makes them)."""
    first: dict[str, FollowUp] = {}
    for item in items:
        first.setdefault(item.person, item)
    return first


def _next_cell(item: FollowUp | None, today: date) -> str:
    if item is None:
        return ""
    days = item.days_overdue(today)
    flag = " (overdue)" if days > 0 else (" (today)" if days == 0 else "")
    return f"{item.due.isoformat()} {LABEL.get(item.kind, item.kind).lower()}{flag}"


def contact_cells(net: Network, s: PersonStats) -> str:
    """A person's row on Contacts.md but its last cell (their next follow-up, which
    changes with other people's notes)."""
    row = table_row(
        [
            link_to(s.name, s.note, table=True),
            cell(s.company or ""),
            cell(s.role or ""),
            ", ".join(person_link(net, net.name(k), table=True) for k in s.referred_by),
            s.last_contact.isoformat() if s.last_contact else "",
            str(s.conversations),
            cell(s.status),
        ]
    )
    return row[:-2]  # "| a | ... | status " without its closing "|\n"


def contact_order(s: PersonStats) -> tuple[str, str]:
    return (s.name.casefold(), s.key)


def people_of(ctx: Context) -> list[tuple[PersonStats, str]]:
    """Every person's figures and Contacts cells, in person-key order, but the imported
    connections you have not spoken with (see `People.connections`)."""
    aside = ctx.people.connections
    return [
        (p.person, p.cells) for p in ctx.parts.values() if p.person is not None and p.person.key not in aside
    ]


def connections_line(count: int) -> str:
    """What Contacts and Companies say of the imported connections they leave out."""
    if not count:
        return ""
    return (
        f"Not listed: {plural(count, 'imported connection')} you have not spoken with yet; "
        "Targets.md shows those at the companies you want to work for.\n\n"
    )


def contacts_inputs(ctx: Context) -> tuple[date, list[tuple[PersonStats, str]], list[FollowUp], int]:
    return ctx.today, people_of(ctx), ctx.items, len(ctx.people.connections)


def render_contacts(
    today: date, people: list[tuple[PersonStats, str]], items: list[FollowUp], connections: int = 0
) -> str:
    """The page from every person with their `contact_cells`, and every open item."""
    nxt = next_followups(items)
    rows = [
        f"{cells}| {_next_cell(nxt.get(s.name), today) or ' '} |\n"
        for s, cells in sorted(people, key=lambda p: contact_order(p[0]))
    ]
    met = sum(1 for s, _ in people if s.met)
    out = [front_matter(), "# Contacts\n\n"]
    out.append(
        f"{plural(len(people), 'person', 'people')} in your network, {met} met so far. "
        "Status is that of the latest note about each person.\n\n"
    )
    out.append(connections_line(connections))
    header = [
        "Name",
        "Company",
        "Role",
        "Referred by",
        "Last contact",
        "Conversations",
        "Status",
        "Next follow-up",
    ]
    out.append(table_head(header) + "".join(rows) if rows else "No contacts yet.\n")
    return "".join(out)


def _company_groups(stats: tuple[PersonStats, ...]) -> tuple[dict[str, list[PersonStats]], dict[str, str]]:
    groups: dict[str, list[PersonStats]] = {}
    spellings: dict[str, Counter[str]] = {}
    for s in stats:
        if not s.company:
            continue
        key = company_key(s.company)  # (`Contoso` and `CONTOSO, Inc.` are one, as on Targets.md)
        groups.setdefault(key, []).append(s)
        spellings.setdefault(key, Counter())[s.company] += 1
    names = {k: min(c, key=lambda n: (-c[n], n)) for k, c in spellings.items()}
    return groups, names


class PeopleFigures(tuple[PersonStats, ...]):
    """People's figures, with what stands for them in a page's key (each part's digest of
    its person, made with it): not the repr of thousands of figures on every run."""

    digests: tuple[str, ...]


def companies_inputs(ctx: Context) -> tuple[PeopleFigures, int]:
    aside = ctx.people.connections
    shown = [p for p in ctx.parts.values() if p.person is not None and p.person.key not in aside]
    figures = PeopleFigures(p.person for p in shown if p.person is not None)
    figures.digests = tuple(p.person_digest for p in shown)
    return figures, len(aside)


def render_companies(stats: tuple[PersonStats, ...], connections: int = 0) -> str:
    """The page from every person's figures."""
    groups, names = _company_groups(stats)
    out = [front_matter(), "# Companies\n\n"]
    out.append(f"{plural(len(groups), 'company', 'companies')} across your network.\n")
    if connections:
        out.append("\n" + connections_line(connections).rstrip("\n") + "\n")
    for key in sorted(groups, key=lambda k: (names[k].casefold(), k)):
        people = sorted(groups[key], key=contact_order)
        convs = sum(s.conversations for s in people)
        latest = max(
            ((s.latest, s.name) for s in people if s.latest is not None),
            key=lambda pair: (pair[0][0] or date.min, pair[0][1]),
            default=None,
        )
        out.append(f"\n## {text(names[key])}\n\n")
        summary = f"{plural(len(people), 'person', 'people')}, {plural(convs, 'conversation')}"
        if latest is not None:
            (when, _, status), who = latest
            summary += (
                f"; latest: {text(status)} with {text(who)} ({when.isoformat() if when else 'undated'})"
            )
        out.append(summary + ".\n\n")
        rows = [
            [
                link_to(s.name, s.note, table=True),
                cell(s.role or ""),
                str(s.conversations),
                s.last_conversation.isoformat() if s.last_conversation else "",
                cell(s.status),
            ]
            for s in people
        ]
        out.append(table(["Person", "Role", "Conversations", "Last conversation", "Status"], rows))
    loose = sorted((s for s in stats if not s.company), key=contact_order)
    if loose:
        out.append("\n## No company recorded\n\n")
        out.append(", ".join(link_to(s.name, s.note) for s in loose) + "\n")
    return "".join(out)
