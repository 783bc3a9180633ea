"""Vault-wide checks that no single note can see: typos in names, one person under
two names, titles Obsidian cannot link to. Each runs in about linear time."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator

from .diagnostics import Diagnostic
from .links import linkedin_url
from .model import Identity, Note
from .obsidian import FORBIDDEN_IN_NAMES
from .resolve import Network


def _fold(name: str) -> str:
    """Case- and accent-insensitive form: `Zoe` and `Zoë` compare equal."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _known(net: Network, notes: Iterable[Identity]) -> dict[str, str]:
    """People with a contact note or a conversation of their own: key -> name."""
    known = {k: p.name for k, p in net.people.items() if p.note}
    for note in notes:
        if note.kind != "interview":
            continue
        for mention in note.contacts:
            key = net.key(mention)
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


def _variants(word: str) -> Iterator[str]:
    """The word and each way of leaving one letter out but the first: two words one typo
    apart (a letter missing, extra, changed, or two swapped) share one of these. Short
    words give none: they are never taken for typos (see `_likely_typo`)."""
    if len(word) >= 4:
        yield word
        for i in range(1, len(word)):
            yield word[:i] + word[i + 1 :]


def _slots(words: tuple[str, ...]) -> Iterator[tuple[object, ...]]:
    """For each word of a name: the rest of the name, where the word is, and a variant of
    the word. Two names that differ by one typo in one word share a slot, and names
    that merely share all but one word ("Person 1760", "Person 1761") mostly do not."""
    for i, word in enumerate(words):
        for variant in _variants(word):
            yield (words[:i], words[i + 1 :], variant)


def _likely_typo(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One typo in one word of five letters or more, not in its first letter: `Brad Jonson`
    for `Brad Johnson`, but not `Eva Wong` for `Ava Wong` (two people, most likely)."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    return max(len(x), len(y)) >= 5 and x[:1] == y[:1] and one_typo(x, y)


def suggestions(net: Network, notes: Iterable[Identity]) -> dict[str, str]:
    """Person key -> the known name it is probably a misspelling of.

    Candidates come from an index of each known name's one-letter-less variants, one
    word at a time, so the cost grows with the number of names, not its square; each
    candidate is then confirmed to be exactly one typo away.
    """
    known = _known(net, notes)
    index: dict[tuple[object, ...], list[str]] = defaultdict(list)
    first_names: dict[str, list[str]] = defaultdict(list)
    words_of: dict[str, tuple[str, ...]] = {}
    for key, name in known.items():
        words = words_of[key] = tuple(_fold(name).split(" "))
        for slot in set(_slots(words)):
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


def misspelling_diagnostics(net: Network, hints: dict[str, str], notes: Iterable[Note]) -> list[Diagnostic]:
    """Where in these notes each probably misspelt name is written (`hints` from
    `suggestions`)."""
    diags: list[Diagnostic] = []
    if not hints:
        return diags
    for note in notes:
        for ref in (*note.contacts, note.referrer, *note.referrals):
            if ref is None:
                continue
            key = net.index.get((ref.target, ref.bare))
            if key in hints:
                diags.append(
                    Diagnostic(
                        note.path,
                        ref.line,
                        "person-unknown",
                        f"{net.name(key)!r} has no note and no conversation; did you mean {hints[key]}?",
                    )
                )
    return diags


def people_diagnostics(notes: Iterable[Identity]) -> list[Diagnostic]:
    """The checks on contact notes that no single note can make: names Obsidian cannot
    link to, one person under two names."""
    diags: list[Diagnostic] = []
    by_contact: dict[tuple[str, str], list[str]] = defaultdict(list)
    for note in notes:
        if note.kind != "contact":
            continue
        bad = sorted(set(note.title) & FORBIDDEN_IN_NAMES)
        if bad:
            diags.append(
                Diagnostic(
                    note.path,
                    1,
                    "title-forbidden",
                    f"Obsidian does not allow {' '.join(bad)} in a note's name; rename the note",
                )
            )
        # (a placeholder a template leaves, `https://www.linkedin.com/in/`, is no profile)
        profile = linkedin_url(note.linkedin, slug_ok=True) if note.linkedin else None
        for field, value in (("email", note.email and note.email.strip().casefold()), ("linkedin", profile)):
            if value:
                by_contact[(field, value)].append(note.path)
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
