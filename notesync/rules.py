"""The follow-up etiquette of referral networking, as pure functions of the notes.

Each rule yields `FollowUp` values with a due date, whatever the day; "today" enters
only at the end: `current` drops what no longer makes sense (preparing for a conversation
already held), and `due_by` keeps what is overdue, due today or upcoming.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from .config import Rules
from .kinds import ORDER
from .links import name_key
from .model import Action, FollowUp, Identity, Mention, Note, PersonRef
from .resolve import Network


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


def _known(net: Network, mention: Mention | PersonRef) -> str | None:
    """The person a link in a note's text points at, if it is someone in the network
    (such a link makes no one: a shopping list's [[Milk]] is not a person)."""
    key = net.index.get((mention.target, mention.bare))
    return key if key is not None and key in net.people else None


def buckets_of(net: Network, note: Identity) -> tuple[str, ...]:
    """Whose follow-ups a note feeds: each person a conversation was with, the person a
    contact note describes, the referrer of a conversation (telling them how it went is
    being in touch with them), and anyone in the network its tasks or, in a daily note,
    its text link to. A conversation or contact note about nobody known is a bucket of
    its own. Every rule reads only one bucket's notes (and who is who), so a changed
    note changes only its buckets' follow-ups."""
    out: list[str] = []
    if note.kind == "contact":
        own = name_key(note.title)
        out.append(own if own in net.people else "\0" + note.path)
    elif note.kind == "interview":
        keys = [k for m in note.contacts if (k := net.key(m)) is not None]
        out.extend(keys or ["\0" + note.path])
        ref = net.key(note.referrer)
        if ref is not None and ref in net.people:
            out.append(ref)
    out.extend(k for m in note.links if (k := _known(net, m)) is not None)
    return tuple(dict.fromkeys(out))


def contacted(net: Network, notes: Iterable[Identity]) -> frozenset[str]:
    """People with a conversation note of their own (asked, met or declined)."""
    return frozenset(
        key for n in notes if n.kind == "interview" for m in n.contacts if (key := net.key(m)) is not None
    )


def _with(net: Network, note: Note) -> list[str]:
    """The keys of the people a conversation was with."""
    return [k for r in note.contacts if (k := net.key(r)) is not None]


def _has_later(note: Note, others: list[Note]) -> bool:
    assert note.date is not None
    for other in others:
        if other is note or other.date is None:
            continue
        if other.date > note.date or (other.date == note.date and other.status not in (None, "requested")):
            return True
    return False


def _owner(net: Network, note: Note, action: Action, bucket: str) -> str | None:
    """Whose action item this is: the person in the network its text links to, else the
    person its note is about (a conversation's first person); None: not a networking one."""
    for mention in action.people:
        key = _known(net, mention)
        if key is not None:
            return key
    if note.kind == "contact":
        own = name_key(note.title)
        return own if own in net.people else bucket
    if note.kind == "interview":
        keys = _with(net, note)
        return keys[0] if keys else bucket
    return None


def _actions(net: Network, bucket: str, notes: list[Note]) -> Iterator[FollowUp]:
    for note in notes:
        for action in note.actions:
            if action.done or action.due is None or _owner(net, note, action, bucket) != bucket:
                continue
            person = net.name(bucket) if bucket in net.people else note.title
            yield FollowUp("action", person, action.due, action.text, note.path, action.line)


def _both(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


MOVE_ON = "move on and set status: no-response"


def moving_on(item: FollowUp) -> bool:
    """The second no-response item: no more follow-ups, the request is over."""
    return item.kind == "no-response" and item.text.endswith(MOVE_ON)


def _requests(rules: Rules, name: str, note: Note, convs: list[Note]) -> Iterator[FollowUp]:
    """An unanswered request: follow up once after a week; a week after that, move on."""
    assert note.date is not None
    if rules.no_response is None or _has_later(note, convs):
        return
    when = note.date.isoformat()
    if note.followed_up is None:
        due = add_days(note.date, rules.no_response, rules.business_days)
        text = f"Follow up with {name}: no answer to your request of {when}"
        yield FollowUp("no-response", name, due, text, note.path, note.status_line)
    elif rules.move_on is not None and note.followed_up >= note.date:
        due = add_days(note.followed_up, rules.move_on, rules.business_days)
        text = f"No answer from {name} after your follow-up on {note.followed_up.isoformat()}: {MOVE_ON}"
        yield FollowUp("no-response", name, due, text, note.path, note.status_line)


def _conversation_rules(net: Network, rules: Rules, key: str, convs: list[Note]) -> Iterator[FollowUp]:
    name = net.name(key)
    for note in convs:
        if note.date is None:
            continue
        when = note.date.isoformat()
        if note.status == "requested":
            yield from _requests(rules, name, note, convs)
        if note.status == "scheduled":
            if rules.prepare is not None and not note.prepared:
                due = add_days(note.date, -rules.prepare)
                text = (
                    f"Prepare 5-10 questions for {name} (the conversation of {when}): see the Question bank"
                )
                yield FollowUp("prepare", name, due, text, note.path, note.status_line)
            if rules.record_outcome is not None:
                due = add_days(note.date, rules.record_outcome)
                text = f"Record how the conversation with {name} of {when} went, and set its status"
                yield FollowUp("record-outcome", name, due, text, note.path, note.status_line)
        if note.status != "done":
            continue
        thanked = note.thanked or any(net.key(m) == key for m in note.thanked_people if m in net.index)
        if rules.thank_you is not None and not thanked:
            due = add_days(note.date, rules.thank_you)
            text = f"Send {name} a thank-you note for the conversation of {when}"
            yield FollowUp("thank-you", name, due, text, note.path, note.status_line)
        ref = net.key(note.referrer)
        keys = _with(net, note)
        if (
            rules.update_referrer is not None
            and ref is not None
            and ref != net.me.key
            and ref not in keys
            and keys[0] == key  # once per conversation, in its first person's bucket
            and not note.referrer_updated
        ):
            ref_name = net.name(ref)
            due = add_days(note.date, rules.update_referrer)
            text = f"Tell {ref_name} how the conversation with {_both([net.name(k) for k in keys])} went"
            line = note.referrer.line if note.referrer is not None else note.status_line
            yield FollowUp("update-referrer", ref_name, due, text, note.path, line)


def _referrals(
    net: Network, rules: Rules, key: str | None, interviews: list[Note], done: frozenset[str]
) -> Iterator[tuple[str, FollowUp]]:
    """(person key, item) for each referral not yet reached out to: candidates, of which
    `best_referrals` keeps one per person. A conversation's referrals are its first
    person's to give."""
    if rules.contact_referral is None:
        return
    for note in interviews:
        if note.date is None or not note.referrals:
            continue
        keys = _with(net, note)
        if key is not None and keys[:1] != [key]:
            continue
        who = net.name(key) if key is not None else note.title
        for ref in note.referrals:
            rkey = net.key(ref)
            if rkey is None or rkey == net.me.key or rkey in keys or rkey in done:
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


def interactions(net: Network, key: str, notes: list[Note]) -> list[tuple[date, str, int]]:
    """Every day the notes show you in touch with a person, with the note and line that
    say so: a conversation held (status done, or none: a meeting noted), a daily note
    linking them, the day you told them how a conversation they set up went."""
    out: list[tuple[date, str, int]] = []
    for note in notes:
        if note.last_contact is not None and (
            (note.kind == "contact" and name_key(note.title) == key)
            or (note.kind == "interview" and key in _with(net, note))
        ):
            out.append((note.last_contact, note.path, 1))
        if note.kind == "interview":
            if note.date is not None and note.held and key in _with(net, note):
                out.append((note.date, note.path, note.date_line))
            if (
                note.referrer_updated_on is not None
                and note.referrer is not None
                and net.key(note.referrer) == key
            ):
                out.append((note.referrer_updated_on, note.path, note.referrer.line))
        elif note.day is not None:
            lines = [m.line for m in note.mentions if _known(net, m) == key]
            if lines:
                out.append((note.day, note.path, lines[0]))
    return sorted(out)


def _keep_in_touch(
    net: Network, rules: Rules, key: str, convs: list[Note], notes: list[Note]
) -> Iterator[FollowUp]:
    """Once you have met someone, get back in touch every so often: counted from the last
    day the notes show you in touch, unless something later is already planned."""
    if rules.keep_in_touch is None:
        return
    person = net.person(key)
    days = person.keep_in_touch if person.keep_in_touch is not None else rules.keep_in_touch
    if not days or not any(n.date is not None and n.held for n in convs):
        return
    touched = interactions(net, key, notes)
    if not touched:
        return
    last, source, line = touched[-1]
    if any(n.date is not None and n.date > last for n in convs):
        return
    due = add_days(last, days)
    text = f"Keep in touch with {person.name}: last in touch on {last.isoformat()}"
    yield FollowUp("keep-in-touch", person.name, due, text, source, line)


def finished(net: Network, rules: Rules, bucket: str, notes: list[Note]) -> list[tuple[FollowUp, date]]:
    """The items the notes record as done, with the day they say (a calendar that had
    them as events is told they are cancelled): thank-yous, referrer updates, follow-ups
    of requests, and tasks ticked with a done date. Each as it was while it was open, so
    it is known by the same id."""
    key = bucket if bucket in net.people else None
    out: list[tuple[FollowUp, date]] = []
    for note in notes:
        for action in note.actions:
            if action.done_on is None or action.due is None or _owner(net, note, action, bucket) != bucket:
                continue
            person = net.name(bucket) if key is not None else note.title
            item = FollowUp("action", person, action.due, action.text, note.path, action.line)
            out.append((item, action.done_on))
    if key is None:
        return out
    for note in conversations_with(net, key, notes):
        recorded = {
            "thank-you": note.thanked_on,
            "update-referrer": note.referrer_updated_on,
            "no-response": note.followed_up,
            "prepare": note.prepared_on,
        }
        if note.date is None or not any(recorded.values()):
            continue
        # the note as it was before they were recorded: the same rules gave these items then
        was = note._replace(
            thanked=False, thanked_people=(), referrer_updated=False, followed_up=None, prepared=False
        )
        for item in _conversation_rules(net, rules, key, [was]):
            day = recorded.get(item.kind)
            if day is not None:
                out.append((item, day))
    out.extend(_kept_in_touch(net, rules, key, notes))
    out.extend(_reached_out(net, rules, key, notes))
    return out


def _kept_in_touch(
    net: Network, rules: Rules, key: str, notes: list[Note]
) -> Iterator[tuple[FollowUp, date]]:
    """Getting in touch recorded (`last_contact: D`, by hand or by a tick), when it is the
    latest the notes show: the keep-in-touch item as it was before, done on D."""
    touched = interactions(net, key, notes)
    if not touched:
        return
    day, path, _ = touched[-1]
    if not any(n.path == path and n.last_contact == day for n in notes):
        return
    before = [n._replace(last_contact=None) if n.path == path else n for n in notes]
    yield from (
        (item, day) for item in _keep_in_touch(net, rules, key, conversations_with(net, key, before), before)
    )


def _reached_out(net: Network, rules: Rules, key: str, notes: list[Note]) -> Iterator[tuple[FollowUp, date]]:
    """A referral reached: the first conversation with someone this person referred you to
    (a request note, made by hand or by ticking the item) ends their contact-referral
    item, on its date. Such a note names its referrer, so it is in the referrer's bucket."""
    convs = conversations_with(net, key, notes)
    for note in notes:
        ref = net.key(note.referrer) if note.kind == "interview" else None
        if ref != key or note.date is None:
            continue
        for rkey in _with(net, note):
            first = min(conversations_with(net, rkey, notes), key=lambda n: (n.date or date.max, n.path))
            if first.path != note.path:
                continue
            candidates = [item for k, item in _referrals(net, rules, key, convs, frozenset()) if k == rkey]
            for item in best_referrals([(rkey, i) for i in candidates]):
                yield item, note.date


def conversations_with(net: Network, key: str, notes: list[Note]) -> list[Note]:
    """The conversations with a person among `notes`, oldest first."""
    found = (n for n in notes if n.kind == "interview" and key in _with(net, n))
    return sorted(found, key=lambda n: (n.date or date.min, n.path))


def bucket_follow_ups(
    net: Network, rules: Rules, bucket: str, notes: list[Note], done: frozenset[str]
) -> Owing:
    """What one bucket's notes owe (`done`: who of those they name was `contacted`): its
    items, and its referral candidates, which are settled across buckets by `best_referrals`."""
    key = bucket if bucket in net.people or bucket == net.me.key else None
    interviews = [n for n in notes if n.kind == "interview"]
    items: list[FollowUp] = list(_actions(net, bucket, notes)) if rules.action else []
    convs = conversations_with(net, key, notes) if key is not None else []
    if key is not None and convs:
        items.extend(_conversation_rules(net, rules, key, convs))
        items.extend(_keep_in_touch(net, rules, key, convs, notes))
    return items, list(_referrals(net, rules, key, convs if key is not None else interviews, done))


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
    # Two identical tasks of one note are one thing to do, with one id: listed once (the
    # first), the other comes up when that one is done.
    out: list[FollowUp] = []
    seen: set[tuple[object, ...]] = set()
    for item in items:
        if item.kind == "action":  # (the only kind a note can hold twice)
            if item[:5] in seen:  # all but its line
                continue
            seen.add(item[:5])
        out.append(item)
    return out


def sort_key(item: FollowUp) -> tuple[date, int, str, str, int, str]:
    """Most overdue first, then a fixed order, so output never depends on dict order."""
    return (
        item.due,
        ORDER.get(item.kind, len(ORDER)),
        item.person.casefold(),
        item.source,
        item.line,
        item.text,
    )


def current(item: FollowUp, today: date) -> bool:
    """Does the item still make sense today? Preparing for a conversation that has been
    held does not; recording how one went makes sense only once it has been held."""
    if item.kind == "prepare":
        return today <= add_days(item.due, 1)
    if item.kind == "record-outcome":
        return today >= item.due
    return True


def due_by(items: list[FollowUp], today: date, upcoming_days: int = 0) -> list[FollowUp]:
    """Items overdue, due today, or due within `upcoming_days` after today (and current)."""
    horizon = add_days(today, upcoming_days)
    return [item for item in items if item.due <= horizon and current(item, today)]
