"""Vault-wide checks that no single note can see: typos in names, one person under
two names, titles Obsidian cannot link to. Each runs in about linear time."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from .diagnostics import Diagnostic
from .model import Note, PersonRef
from .resolve import Network

# Obsidian refuses these in file names (and `#^[]|` break links to the note).
FORBIDDEN_IN_TITLE = set('*"\\/<>:|?#^[]')
SIMILAR = 0.84


def _fold(name: str) -> str:
    """Case- and accent-insensitive form: `Zoe` and `Zoë` compare equal."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _mentions(net: Network) -> Iterator[tuple[Note, PersonRef]]:
    for note in net.notes:
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


def _suggestions(net: Network) -> dict[str, str]:
    """Person key -> the known name it is probably a misspelling of."""
    known = _known(net)
    buckets: dict[str, list[str]] = defaultdict(list)
    first_names: dict[str, list[str]] = defaultdict(list)
    for key, name in known.items():
        folded = _fold(name)
        if folded:
            buckets[folded[0]].append(key)
        first = folded.split(" ")[0]
        if " " in folded:
            first_names[first].append(key)
    out: dict[str, str] = {}
    for key, person in net.people.items():
        if key in known:
            continue
        folded = _fold(person.name)
        if not folded:
            continue
        if " " not in folded and len(first_names.get(folded, [])) == 1:
            out[key] = known[first_names[folded][0]]
            continue
        best, best_ratio = None, SIMILAR
        for other in buckets.get(folded[0], []):
            other_fold = _fold(known[other])
            if abs(len(other_fold) - len(folded)) > 3:
                continue
            ratio = difflib.SequenceMatcher(None, folded, other_fold).ratio()
            if ratio > best_ratio or (ratio == best_ratio and best is not None and known[other] < best):
                best, best_ratio = known[other], ratio
        if best is not None:
            out[key] = best
    return out


def people_diagnostics(net: Network) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    hints = _suggestions(net)
    for note, ref in _mentions(net):
        key = net.key(ref)
        if key in hints:
            name = net.name(key)
            diags.append(
                Diagnostic(
                    note.path,
                    ref.line,
                    "person-unknown",
                    f"{name!r} has no note and no conversation; did you mean {hints[key]}?",
                )
            )
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
