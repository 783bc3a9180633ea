"""People, resolved the way Obsidian resolves links.

`[[Jane Smith]]`, `[[jane smith|Jane]]`, `[[People/Jane Smith]]`, an alias from Jane's
contact note and the bare string `Jane Smith` all name one person. A person with a
contact note is called by its title; anyone else by the spelling the vault uses most
(a tie goes to the spelling in the first note by sorted path).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .links import basename, name_key, path_key
from .model import Identity, Mention, Person, PersonRef


@dataclass(frozen=True)
class Network:
    """Every person of the vault, and whom each mention of a person names."""

    people: dict[str, Person]  # key -> person, sorted by key, without "Me"
    me: Person
    index: dict[tuple[str, bool], str] = field(repr=False)  # mention (target, bare) -> person key

    def key(self, ref: PersonRef | Mention | None) -> str | None:
        """Person key of a mention; None for no mention."""
        if ref is None:
            return None
        return self.index[ref.target, ref.bare]

    def name(self, key: str) -> str:
        if key == self.me.key:
            return self.me.name
        return self.people[key].name

    def person(self, key: str) -> Person:
        return self.me if key == self.me.key else self.people[key]


def resolve(notes: Iterable[Identity], me_name: str = "Me") -> tuple[Network, list[Diagnostic]]:
    """Build the people of the vault from its networking notes' identities."""
    ordered = sorted(notes, key=lambda n: n.path)
    diags: list[Diagnostic] = []
    me = Person(key=name_key(me_name), name=me_name)
    by_title: dict[str, Person] = {}
    by_path: dict[str, str] = {}
    for note in ordered:
        if note.kind != "contact":
            continue
        key = name_key(note.title)
        if key == me.key:
            diags.append(
                Diagnostic(note.path, 1, "contact-is-me", f"a contact note named {note.title!r} is you")
            )
            continue
        if key in by_title:
            other = by_title[key].note
            diags.append(
                Diagnostic(
                    note.path, 1, "contact-duplicate", f"{note.title} already has a contact note: {other}"
                )
            )
            by_path[path_key(note.path)] = key
            continue
        by_title[key] = Person(
            key=key,
            name=note.title,
            note=note.path,
            company=note.company,
            role=note.role,
            keep_in_touch=note.keep_in_touch,
            aliases=note.aliases,
            source=note.source,
        )
        by_path[path_key(note.path)] = key
    by_path = _with_suffixes(by_path)
    by_alias: dict[str, str] = {}
    for key, person in by_title.items():
        for alias in person.aliases:
            akey = name_key(alias)
            if akey in by_title or akey == me.key:
                continue
            if akey in by_alias and by_alias[akey] != key:
                diags.append(
                    Diagnostic(
                        person.note or "",
                        1,
                        "alias-conflict",
                        f"alias {alias!r} is also an alias of {by_title[by_alias[akey]].name}",
                    )
                )
                continue
            by_alias[akey] = key

    keys: dict[tuple[str, bool], str] = {}
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[str, dict[str, int]] = defaultdict(dict)
    order = 0
    for note in ordered:
        for ref in note.mentions:
            target = ref.target
            if (target, ref.bare) in keys:
                key = keys[target, ref.bare]
            else:
                key = _lookup(target, ref.bare, me.key, by_title, by_alias, by_path)
                keys[target, ref.bare] = key
            if key != me.key and key not in by_title:
                spelled = target if ref.bare else basename(target)
                spellings[key][spelled] += 1
                first_seen[key].setdefault(spelled, order)
                order += 1

    people: dict[str, Person] = dict(by_title)
    for key, counts in spellings.items():
        best = min(counts, key=lambda s: (-counts[s], first_seen[key][s]))
        people[key] = Person(key=key, name=best)
    for note in ordered:  # links in a note's text point at people named elsewhere, or at no one
        for ref in note.links:
            if (ref.target, ref.bare) not in keys:
                key = _lookup(ref.target, ref.bare, me.key, by_title, by_alias, by_path)
                if key in people:
                    keys[ref.target, ref.bare] = key
    network = Network(
        people=dict(sorted(people.items())),
        me=me,
        index=keys,
    )
    return network, diags


def _lookup(
    target: str,
    bare: bool,
    me_key: str,
    by_title: dict[str, Person],
    by_alias: dict[str, str],
    by_path: dict[str, str],
) -> str:
    if "/" in target and not bare:
        pkey = path_key(target)
        if pkey in by_path:
            return by_path[pkey]
    key = name_key(target if bare else basename(target))
    if key == me_key or key == "me":
        return me_key
    if key in by_title:
        return key
    return by_alias.get(key, key)


def _with_suffixes(by_path: dict[str, str]) -> dict[str, str]:
    """Index every trailing part of each path: `[[People/Jane]]` finds `Work/People/Jane.md`."""
    out: dict[str, str] = {}
    for path in sorted(by_path):
        parts = path.split("/")
        for i in range(len(parts) - 1):
            out.setdefault("/".join(parts[i:]), by_path[path])
    out.update(by_path)
    return out
