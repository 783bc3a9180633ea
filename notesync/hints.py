"""When a vault yields no or few people, say why, and what to add to `.notesync.toml`.

A vault marks its people and meetings its own way; when none of the shapes notesync
knows matches (see `reading`), the notes it did not count usually show what would:
a folder of notes with `Name:` and `Company:`, a folder of meetings with `Attendees:`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .model import Note
from .reading import key_name

# Properties that make a note look like a person's, or like a conversation with people.
PERSONISH = {
    "name",
    "company",
    "org",
    "email",
    "e_mail",
    "phone",
    "phone_number",
    "role",
    "position",
    "linkedin",
}
MEETINGISH = {"people", "attendees", "participants", "contacts", "with", "contact"}
FEW = 3  # a vault with fewer people than this gets hints
FOLDER = 2  # notes alike in one folder: enough to suggest the folder


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _top(counts: Counter[str], n: int) -> list[str]:
    """The `n` most common, ties by name: the same hint on every run."""
    return sorted(counts, key=lambda k: (-counts[k], k))[:n]


def hints(others: Iterable[Note], people: int) -> list[str]:
    """Hints from the notes that are neither a person's nor a conversation (`others`),
    for a vault with `people` people; none when it has enough of them."""
    if people >= FEW:
        return []
    person_like: Counter[str] = Counter()
    meeting_like: Counter[str] = Counter()
    shown_keys: dict[str, Counter[str]] = {}
    spelled: dict[str, Counter[str]] = {}  # a property's name -> as the notes write it
    for note in others:
        keys = {key_name(k) for k in note.shape}
        for k in note.shape:
            spelled.setdefault(key_name(k), Counter())[k] += 1
        folder = _folder(note.path)
        if len(keys & set(PERSONISH)) >= 2 and not keys & MEETINGISH:
            person_like[folder] += 1
            shown_keys.setdefault(folder, Counter()).update(keys & set(PERSONISH))
        elif keys & MEETINGISH and any("date" in k for k in keys):
            meeting_like[folder] += 1
            shown_keys.setdefault(f"meet:{folder}", Counter()).update(keys & MEETINGISH)

    def as_written(key: str) -> str:
        return min(spelled[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]

    out: list[str] = []
    for folder in _top(person_like, 3):
        count = person_like[folder]
        if count < FOLDER or not folder:
            continue
        shown = " and ".join(f"`{as_written(k)}:`" for k in _top(shown_keys[folder], 2))
        out.append(
            f"{count} notes in {folder}/ have {shown} but nothing marks them as people. "
            f'Add to .notesync.toml:\n    [contacts]\n    folders = ["{folder}"]'
        )
    for folder in _top(meeting_like, 3):
        count = meeting_like[folder]
        if count < FOLDER or not folder:
            continue
        (key,) = _top(shown_keys[f"meet:{folder}"], 1)
        out.append(
            f"{count} notes in {folder}/ have a date and `{as_written(key)}:` but nothing marks them as "
            f'conversations. Add to .notesync.toml:\n    [conversations]\n    folders = ["{folder}"]'
        )
    if not out and people == 0:
        out.append(
            "no note is marked as a person or a conversation: notesync reads `type: interview` and "
            '`type: contact`, `type: person|meeting|call`, `categories: ["[[People]]"]` or '
            '`["[[Meetings]]"]`, and #person tags; see "The notes it reads" in the README'
        )
    return out
