"""The follow-up etiquette of referral networking, as pure functions of the notes.

Each rule yields `FollowUp` values with a due date; which of them are overdue,
due today or upcoming is decided by `due_by`, the only place "today" enters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from .config import Rules
from .links import name_key
from .model import FollowUp, Identity, Note
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
    """`days` calendar days later, or `days` working days (Mon-Fri) later. Never raises:
    past either end of the calendar it stops at that end (notes and settings are kept
    far from it, see `limits`; this only keeps a stray value from stopping a sync)."""
    try:
        if not business:
            return start + timedelta(days=days)
        if days <= 0:
            return start
        # 5 working days after a working day are a week later; from a weekend, count from its Friday
        current = start - timedelta(days=max(0, start.weekday() - 4)) if days >= 5 else start
        current += timedelta(weeks=days // 5)
        left = days % 5
        while left > 0:
            current += timedelta(days=1)
            if current.weekday() < 5:
                left -= 1
        return current
    except OverflowError:
        return date.max if days > 0 else date.min


Owing = tuple[list[FollowUp], list[tuple[str, FollowUp]]]  # what `bucket_follow_ups` yields


def bucket_of(net: Network, note: Identity) -> str:
    """Whose follow-ups a note feeds: the person an interview note is with, or the one a
    contact note describes; a note about nobody known is a bucket of its own. Every rule
    reads only one bucket's notes (and who is who), so a changed note changes only its
    bucket's follow-ups."""
    if note.kind == "contact":
        own = name_key(note.title)
        return own if own in net.people else "\0" + note.path
    key = net.key(note.contact)
    return key if key is not None else "\0" + note.path


def contacted(net: Network, notes: Iterable[Identity]) -> frozenset[str]:
    """People with a conversation note of their own (asked, met or declined)."""
    return frozenset(key for n in notes if n.kind == "interview" and (key := net.key(n.contact)) is not None)


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


def _actions(net: Network, notes: list[Note]) -> Iterator[FollowUp]:
    for note in notes:
        open_ = [a for a in note.actions if not a.done and a.due is not None]
        if open_:
            person = _person_of(net, note)
            for action in open_:
                assert action.due is not None
                yield FollowUp("action", person, action.due, action.text, note.path, action.line)


def _conversation_rules(net: Network, rules: Rules, key: str, convs: list[Note]) -> Iterator[FollowUp]:
    name = net.name(key)
    for note in convs:
        if note.date is None:
            continue
        when = note.date.isoformat()
        if note.status == "requested" and rules.no_response is not None and not _has_later(note, convs):
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
    net: Network, rules: Rules, key: str | None, interviews: list[Note], done: frozenset[str]
) -> Iterator[tuple[str, FollowUp]]:
    """(person key, item) for each referral not yet reached out to: candidates, of which
    `best_referrals` keeps one per person."""
    if rules.contact_referral is None:
        return
    for note in interviews:
        if note.date is None or not note.referrals:
            continue
        who = net.name(key) if key is not None else note.title
        for ref in note.referrals:
            rkey = net.key(ref)
            if rkey is None or rkey == net.me.key or rkey == key or rkey in done:
                continue
            name = net.name(rkey)
            due = add_days(note.date, rules.contact_referral)
            text = f"Reach out to {name}, referred by {who}"
            yield rkey, FollowUp("contact-referral", name, due, text, note.path, ref.line)


def best_referrals(candidates: list[tuple[str, FollowUp]]) -> list[FollowUp]:
    """One item per referred person: the earliest due (then the first note by path)."""
    best: dict[str, FollowUp] = {}
    for rkey, item in candidates:
        old = best.get(rkey)
        if old is None or (item.due, item.source) < (old.due, old.source):
            best[rkey] = item
    return list(best.values())


def _keep_in_touch(net: Network, rules: Rules, key: str, convs: list[Note]) -> Iterator[FollowUp]:
    if rules.keep_in_touch is None:
        return
    person = net.person(key)
    days = person.keep_in_touch if person.keep_in_touch is not None else rules.keep_in_touch
    if not days:
        return
    done = [n for n in convs if n.status == "done" and n.date is not None]
    if not done:
        return
    last = done[-1]
    assert last.date is not None
    if any(n.date is not None and n.date > last.date for n in convs):
        return
    due = add_days(last.date, days)
    text = f"Keep in touch with {person.name}: last spoke on {last.date.isoformat()}"
    yield FollowUp("keep-in-touch", person.name, due, text, last.path, last.date_line)


def bucket_follow_ups(
    net: Network, rules: Rules, bucket: str, notes: list[Note], done: frozenset[str]
) -> Owing:
    """What one bucket's notes owe (`done`: who of those they name was `contacted`): its items, and its
    referral candidates, which are settled across buckets by `best_referrals`."""
    key = bucket if bucket in net.people or bucket == net.me.key else None
    interviews = [n for n in notes if n.kind == "interview"]
    items: list[FollowUp] = list(_actions(net, notes)) if rules.action else []
    if key is not None and interviews:
        convs = sorted(interviews, key=lambda n: (n.date or date.min, n.path))
        items.extend(_conversation_rules(net, rules, key, convs))
        items.extend(_keep_in_touch(net, rules, key, convs))
    return items, list(_referrals(net, rules, key, interviews, done))


def settle(owed: Iterable[Owing]) -> list[FollowUp]:
    """Every open obligation with a due date, whatever today is, in a stable order: all
    the buckets' items and the best referral candidates."""
    items: list[FollowUp] = []
    candidates: list[tuple[str, FollowUp]] = []
    for bucket_items, bucket_candidates in owed:
        items.extend(bucket_items)
        candidates.extend(bucket_candidates)
    items.extend(best_referrals(candidates))
    items.sort(key=sort_key)
    return items


def sort_key(item: FollowUp) -> tuple[date, int, str, str, int, str]:
    """Most overdue first, then a fixed order, so output never depends on dict order."""
    return (item.due, KIND_ORDER.get(item.kind, 9), item.person.casefold(), item.source, item.line, item.text)


def due_by(items: list[FollowUp], today: date, upcoming_days: int = 0) -> list[FollowUp]:
    """Items overdue, due today, or due within `upcoming_days` after today."""
    horizon = add_days(today, upcoming_days)
    return [item for item in items if item.due <= horizon]
