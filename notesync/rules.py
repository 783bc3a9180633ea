"""The follow-up etiquette of referral networking, as pure functions of the notes.

Each rule yields `FollowUp` values with a due date; which of them are overdue,
due today or upcoming is decided by `due_by`, the only place "today" enters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from .config import Rules
from .links import name_key
from .model import FollowUp, Note
from .resolve import Network

KIND_ORDER = {
    "thank-you": 0,
    "no-response": 1,
    "update-referrer": 2,
    "action": 3,
    "contact-referral": 4,
    "keep-in-touch": 5,
}


def add_days(start: date, days: int, business: bool = False) -> date:
    """`days` calendar days later, or `days` working days (Mon-Fri) later."""
    if not business:
        return start + timedelta(days=days)
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


Interview = tuple[Note, str | None]  # an interview note and the key of its contact


def _by_contact(interviews: list[Interview]) -> dict[str, list[Note]]:
    out: dict[str, list[Note]] = defaultdict(list)
    for note, key in interviews:
        if key is not None:
            out[key].append(note)
    for notes in out.values():
        notes.sort(key=lambda n: (n.date or date.min, n.path))
    return out


def _has_later(note: Note, others: list[Note]) -> bool:
    assert note.date is not None
    for other in others:
        if other is note or other.date is None:
            continue
        if other.date > note.date or (other.date == note.date and other.status not in (None, "requested")):
            return True
    return False


def _person_of(net: Network, note: Note) -> str:
    if note.kind == "contact":
        own = name_key(note.title)
        return net.people[own].name if own in net.people else note.title
    key = net.key(note.contact)
    return net.name(key) if key is not None else note.title


def _actions(net: Network) -> Iterator[FollowUp]:
    for note in net.notes:
        open_ = [a for a in note.actions if not a.done and a.due is not None]
        if open_:
            person = _person_of(net, note)
            for action in open_:
                assert action.due is not None
                yield FollowUp("action", person, action.due, action.text, note.path, action.line)


def _conversation_rules(
    net: Network, rules: Rules, interviews: list[Interview], convs: dict[str, list[Note]]
) -> Iterator[FollowUp]:
    for note, key in interviews:
        if key is None or note.date is None:
            continue
        name = net.name(key)
        when = note.date.isoformat()
        if note.status == "requested" and rules.no_response is not None and not _has_later(note, convs[key]):
            due = add_days(note.date, rules.no_response, rules.business_days)
            text = f"Follow up with {name}: no answer to your request of {when}"
            yield FollowUp("no-response", name, due, text, note.path, note.status_line)
        if note.status != "done":
            continue
        if rules.thank_you is not None and not note.thanked:
            due = add_days(note.date, rules.thank_you)
            text = f"Send {name} a thank-you note for the conversation of {when}"
            yield FollowUp("thank-you", name, due, text, note.path, note.status_line)
        ref = net.key(note.referrer)
        if (
            rules.update_referrer is not None
            and ref is not None
            and ref != net.me.key
            and ref != key
            and not note.referrer_updated
        ):
            ref_name = net.name(ref)
            due = add_days(note.date, rules.update_referrer)
            text = f"Tell {ref_name} how the conversation with {name} went"
            line = note.referrer.line if note.referrer is not None else note.status_line
            yield FollowUp("update-referrer", ref_name, due, text, note.path, line)


def _referrals(
    net: Network, rules: Rules, interviews: list[Interview], convs: dict[str, list[Note]]
) -> Iterator[FollowUp]:
    if rules.contact_referral is None:
        return
    best: dict[str, FollowUp] = {}
    for note, key in interviews:
        if note.date is None or not note.referrals:
            continue
        who = net.name(key) if key is not None else note.title
        for ref in note.referrals:
            rkey = net.key(ref)
            if rkey is None or rkey == net.me.key or rkey == key or rkey in convs:
                continue
            name = net.name(rkey)
            due = add_days(note.date, rules.contact_referral)
            item = FollowUp(
                "contact-referral", name, due, f"Reach out to {name}, referred by {who}", note.path, ref.line
            )
            old = best.get(rkey)
            if old is None or (item.due, item.source) < (old.due, old.source):
                best[rkey] = item
    yield from best.values()


def _keep_in_touch(net: Network, rules: Rules, convs: dict[str, list[Note]]) -> Iterator[FollowUp]:
    if rules.keep_in_touch is None:
        return
    for key, notes in convs.items():
        person = net.person(key)
        days = person.keep_in_touch if person.keep_in_touch is not None else rules.keep_in_touch
        if not days:
            continue
        done = [n for n in notes if n.status == "done" and n.date is not None]
        if not done:
            continue
        last = done[-1]
        assert last.date is not None
        if any(n.date is not None and n.date > last.date for n in notes):
            continue
        due = last.date + timedelta(days=days)
        text = f"Keep in touch with {person.name}: last spoke on {last.date.isoformat()}"
        yield FollowUp("keep-in-touch", person.name, due, text, last.path, last.date_line)


def follow_ups(net: Network, rules: Rules) -> list[FollowUp]:
    """Every open obligation with a due date, whatever today is, in a stable order."""
    interviews = [(note, net.key(note.contact)) for note in net.notes if note.kind == "interview"]
    convs = _by_contact(interviews)
    items: list[FollowUp] = []
    if rules.action:
        items.extend(_actions(net))
    items.extend(_conversation_rules(net, rules, interviews, convs))
    items.extend(_referrals(net, rules, interviews, convs))
    items.extend(_keep_in_touch(net, rules, convs))
    items.sort(key=sort_key)
    return items


def sort_key(item: FollowUp) -> tuple[date, int, str, str, int, str]:
    """Most overdue first, then a fixed order, so output never depends on dict order."""
    return (item.due, KIND_ORDER.get(item.kind, 9), item.person.casefold(), item.source, item.line, item.text)


def due_by(items: list[FollowUp], today: date, upcoming_days: int = 0) -> list[FollowUp]:
    """Items overdue, due today, or due within `upcoming_days` after today."""
    horizon = today + timedelta(days=upcoming_days)
    return [item for item in items if item.due <= horizon]
