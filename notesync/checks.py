"""Vault-wide checks that no single note can see: typos in names, one person under
two names, titles Obsidian cannot link to. Each runs in about linear time."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator

from .diagnostics import Diagnostic
from .model import Note, PersonRef
from .resolve import Network

# Obsidian refuses these in file names (and `#^[]|` break links to the note).
FORBIDDEN_IN_TITLE = set('*"\\/<>:|?#^[]')


def _fold(name: str) -> str:
    """Case- and accent-insensitive form: `Zoe` and `Zoë` compare equal."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _mentions(notes: Iterable[Note]) -> Iterator[tuple[Note, PersonRef]]:
    for note in notes:
        for ref in (note.contact, note.referrer, *note.referrals):
            if ref is not None:
                yield note, ref


def _known(net: Network) -> dict[str, str]:
    """People with a contact note or a conversation of their own: key -> name."""
    known = {k: p.name for k, p in net.people.items() if p.note}
    for note in net.interviews():
        key = net.key(note.contact)
        if key is not None and key != net.me.key:
            known[key] = net.name(key)
    return known


def one_typo(a: str, b: str) -> bool:
    """At most one letter missing, extra, changed, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i in range(len(short)) if short[i] != long[i]), len(short))
    return short[i:] == long[i + 1 :]


def _slots(words: tuple[str, ...]) -> Iterator[tuple[object, ...]]:
    """For each word of a name: the rest of the name, where the word is, its first letter.
    Two names that differ by a typo in one word (not in its first letter) share a slot."""
    for i, word in enumerate(words):
        if word:
            yield (words[:i], words[i + 1 :], word[0])


def _likely_typo(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One typo in one word of five letters or more, not in its first letter: `Brad Jonson`
    for `Brad Johnson`, but not `Eva Wong` for `Ava Wong` (two people, most likely)."""
    if a == b:
        return True
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    return max(len(x), len(y)) >= 5 and x[:1] == y[:1] and one_typo(x, y)


def suggestions(net: Network) -> dict[str, str]:
    """Person key -> the known name it is probably a misspelling of.

    Candidates come from an index of "the name with one word left out", so the cost
    is linear in the number of names, not quadratic; each candidate is then confirmed
    to be exactly one typo away.
    """
    known = _known(net)
    index: dict[tuple[object, ...], list[str]] = defaultdict(list)
    first_names: dict[str, list[str]] = defaultdict(list)
    words_of: dict[str, tuple[str, ...]] = {}
    for key, name in known.items():
        words = words_of[key] = tuple(_fold(name).split(" "))
        for slot in _slots(words):
            index[slot].append(key)
        if len(words) > 1:
            first_names[words[0]].append(key)
    out: dict[str, str] = {}
    for key, person in net.people.items():
        if key in known:
            continue
        folded = _fold(person.name)
        if not folded:
            continue
        words = tuple(folded.split(" "))
        if len(words) == 1 and len(first_names.get(folded, [])) == 1:
            out[key] = known[first_names[folded][0]]
            continue
        candidates = {k for slot in _slots(words) for k in index.get(slot, ())}
        close = sorted(known[k] for k in candidates if _likely_typo(words, words_of[k]))
        if len(close) == 1 and len(folded) >= 5:  # two equally close names: no guess
            out[key] = close[0]
    return out


def misspelling_diagnostics(
    net: Network, hints: dict[str, str], notes: Iterable[Note] | None = None
) -> list[Diagnostic]:
    """Where each probably misspelt name is written (`hints` from `suggestions`), in
    `notes` (by default every networking note)."""
    diags: list[Diagnostic] = []
    if not hints:
        return diags
    misspelt = {mention for mention, key in net.index.items() if key in hints}
    for note, ref in _mentions(net.notes if notes is None else notes):
        if (ref.target, ref.bare) in misspelt:
            key = net.index[ref.target, ref.bare]
            name = net.name(key)
            diags.append(
                Diagnostic(
                    note.path,
                    ref.line,
                    "person-unknown",
                    f"{name!r} has no note and no conversation; did you mean {hints[key]}?",
                )
            )
    return diags


def people_diagnostics(net: Network, hints: dict[str, str] | None = None) -> list[Diagnostic]:
    """Every vault-wide check about people; pass `hints` to reuse `suggestions(net)`."""
    diags = misspelling_diagnostics(net, suggestions(net) if hints is None else hints)
    by_contact: dict[tuple[str, str], list[str]] = defaultdict(list)
    for note in net.notes:
        if note.kind != "contact":
            continue
        bad = sorted(set(note.title) & FORBIDDEN_IN_TITLE)
        if bad:
            diags.append(
                Diagnostic(
                    note.path,
                    1,
                    "title-forbidden",
                    f"Obsidian does not allow {' '.join(bad)} in a note's name; rename the note",
                )
            )
        for field, value in (("email", note.email), ("linkedin", note.linkedin)):
            if value:
                by_contact[(field, value.strip().casefold().rstrip("/"))].append(note.path)
    for (field, value), paths in sorted(by_contact.items()):
        if len(paths) > 1:
            first, *rest = sorted(paths)
            for path in rest:
                title = path.rsplit("/", 1)[-1][:-3]
                other = first.rsplit("/", 1)[-1][:-3]
                diags.append(
                    Diagnostic(
                        path,
                        1,
                        "person-duplicate",
                        f"{title} and {other} share the {field} {value}: the same person under two names? "
                        f"Keep one note and list the other name in its aliases",
                    )
                )
    return diags
