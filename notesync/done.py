"""Recording a follow-up as done in the note it comes from: the one edit the user asks
for, by ticking the item on Follow-ups.md or with `notesync done ID`.

What a tick records, by kind of item (in the vault's own property names):

- thank-you: `thanked: <day>` in the conversation note; in a conversation with several
  people, that person is added to `thanked: ["[[Jane Smith]]"]` (the others stay owed);
- update-referrer: `referrer_updated: <day>`;
- no-response: `followed_up: <day>`; after that follow-up, `status: no-response` (a
  request naming several people is refused: its `followed_up` would count for all);
- action: the task line ticked as the Tasks plugin ticks it, or `done: true` on the
  item of the `actions` list;
- contact-referral: a new request note for the referred person (`status: requested`,
  the referrer, the day), as `notesync new` makes it;
- keep-in-touch: `last_contact: <day>` in the person's contact note (or, without one or
  without properties in it, in their latest conversation, unless it names others too);
- prepare: `prepared: <day>`; record-outcome: `status: done` (it was held).

Each edit changes one line of the note (see `edit`), only if the item is still open in
the note as it is now, and never over a save made meanwhile. The vault's own property
names are used (see `reading`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from .edit import Edit, Refusal, add_to_list, apply_edit, mark_action_done, replace_value, set_date, tick_task
from .links import name_key
from .model import FollowUp, Note
from .reading import Reading
from .resolve import Network
from .rules import conversations_with


class Recorded(NamedTuple):
    """One item recorded as done (or, with `refusal`, not), for the output and for undo."""

    item: FollowUp
    path: str  # the note edited or created, vault-relative
    what: str  # what was recorded, as the output says it
    edit: Edit | None = None  # the edit of an existing note
    created: bytes | None = None  # the note created (a ticked contact-referral), as written
    refusal: str | None = None  # why nothing was recorded


def _names(reading: Reading, field: str) -> tuple[str, ...]:
    """A field's property names as written in notes: the vault's first, then notesync's."""
    return tuple(dict(reading.names)[field])


def _front_index(note: Note, line: int) -> int:
    """The place of an `actions` item among the list's items (task lines come after)."""
    listed = [a.line for a in note.actions if not a.task]
    return listed.index(line) if line in listed else len(listed)


def _not(*values: str) -> Any:
    def accept(value: Any) -> bool:
        if isinstance(value, list) and len(value) == 1:  # `status: [requested]`, as the parser reads it
            value = value[0]
        return str(value).strip().casefold() in values

    return accept


def _older_than(day: date) -> Any:
    def accept(value: Any) -> bool:
        if isinstance(value, list) and len(value) == 1:  # `last_contact: [2026-12-01]`
            value = value[0]
        try:
            return date.fromisoformat(str(value)[:10]) < day
        except ValueError:
            return True

    return accept


def plan(
    item: FollowUp, note: Note, data: bytes, net: Network, reading: Reading, day: date
) -> Edit | Refusal:
    """The edit of `note` (whose bytes are `data`, as they are now) that records `item`
    done on `day`. A contact-referral and a keep-in-touch without a contact note are the
    caller's (see `record`)."""
    iso = day.isoformat()
    kind = item.kind
    if kind == "thank-you":
        if len(note.contacts) > 1:
            return add_to_list(data, _names(reading, "thanked"), f"[[{item.person}]]")
        return set_date(data, _names(reading, "thanked"), day)
    if kind == "update-referrer":
        return set_date(data, _names(reading, "referrer_updated"), day)
    if kind == "no-response":
        if len(note.contacts) > 1:  # followed_up is one day for the whole note
            return _shared(note, "followed_up", "write one request note per person")
        if note.followed_up is None:
            return set_date(data, _names(reading, "followed_up"), day)
        return replace_value(data, _names(reading, "status"), "no-response", _not("requested"))
    if kind == "action":
        action = next((a for a in note.actions if a.line == item.line and a.text == item.text), None)
        action = action or next((a for a in note.actions if a.text == item.text and not a.done), None)
        if action is None or action.done:
            return Refusal("already-recorded", f"the action {item.text!r} is done or gone")
        if action.task:
            return tick_task(data, action.line, action.text, day)
        return mark_action_done(data, _front_index(note, action.line), action.text)
    if kind == "keep-in-touch":
        if note.kind == "interview" and len(note.contacts) > 1:  # no contact note: the conversation's
            instead = f'add a contact note for them (notesync new contact "{item.person}")'
            return _shared(note, "last_contact", instead)
        return replace_value(data, _names(reading, "last_contact"), iso, _older_than(day), add_missing=True)
    if kind == "prepare":
        return set_date(data, _names(reading, "prepared"), day)
    if kind == "record-outcome":
        return replace_value(data, _names(reading, "status"), "done", _not("scheduled"))
    return Refusal("cannot-edit", f"a {kind} item cannot be recorded from a tick")


def _shared(note: Note, field: str, instead: str) -> Refusal:
    """A tick that would record one person's item for everyone the note names."""
    return Refusal(
        "ambiguous", f"{field} in {note.path} would count for everyone it names, not just them; {instead}"
    )


def keep_in_touch_note(item: FollowUp, net: Network, theirs: list[Note]) -> str:
    """Where a keep-in-touch tick is recorded: the person's contact note when there is one
    with properties, else their latest conversation (`theirs`: the notes about them), whose
    `last_contact` counts for them; never a note that only names them as a referrer."""
    key = name_key(item.person)
    person = net.people.get(key)
    note = person.note if person is not None else None
    contact = next((n for n in theirs if n.path == note), None)
    if note is not None and (contact is None or contact.shape):  # (no properties: no last_contact)
        return note
    own = conversations_with(net, key, theirs)
    return own[-1].path if own else note or item.source


def record(
    vault: Path,
    item: FollowUp,
    notes: dict[str, tuple[Note, bytes]],
    net: Network,
    reading: Reading,
    day: date,
    *,
    where: str | None = None,
    dry_run: bool = False,
) -> Recorded:
    """Record one item done (or, `dry_run`, say what would be). `notes`: the notes it
    may edit, as read now, by path; `where`: the one to edit, when not the item's own
    (a keep-in-touch: see `keep_in_touch_note`)."""
    if item.kind == "contact-referral":
        return _new_request(vault, item, notes, day, dry_run=dry_run)
    path = where if where is not None else item.source
    found = notes.get(path)
    if found is None:
        return Recorded(item, path, "", refusal=f"{path} is gone")
    note, data = found
    made = plan(item, note, data, net, reading, day)
    if isinstance(made, Refusal):
        return Recorded(item, path, "", refusal=made.message)
    if not dry_run:
        try:
            refused = apply_edit(vault / path, made)
        except OSError as exc:  # a read-only note, a full disk: this item, not the run
            return Recorded(item, path, "", refusal=f"cannot write {path}: {exc.strerror or exc}")
        if refused is not None:
            return Recorded(item, path, "", refusal=refused.message)
    return Recorded(item, path, made.description, edit=made)


def _new_request(
    vault: Path, item: FollowUp, notes: dict[str, tuple[Note, bytes]], day: date, *, dry_run: bool
) -> Recorded:
    """A ticked contact-referral: the request you just sent, as a new note (never over one)."""
    from .errors import NotesyncError
    from .new import new_note

    source = notes.get(item.source)
    referrer = source[0].contact.target if source and source[0].contact else None
    what = f"a request to {item.person} on {day.isoformat()}"
    if dry_run:
        return Recorded(item, "", what)  # a note to create, on a dry run
    try:
        path = new_note(
            vault, "interview", item.person, referrer=referrer, date=day, status="requested", near=item.source
        )
    except NotesyncError as exc:
        return Recorded(item, "", "", refusal=str(exc))
    except OSError as exc:
        return Recorded(item, "", "", refusal=f"cannot create the note: {exc.strerror or exc}")
    rel = path.relative_to(vault).as_posix()
    return Recorded(item, rel, f"created {what}", created=path.read_bytes())
