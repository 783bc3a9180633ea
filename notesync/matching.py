"""What an import does: who is new, who the vault already knows, and who is left out and why.

People are matched as the vault matches them, strongest evidence first: the LinkedIn
profile (one per person), then an email address, then the name or an alias compared by
`name_key` (case and Unicode form ignored), then the name with its accents ignored when
that names one known person only. A person the vault knows (with a contact note or only
mentioned) is never made again, so importing a file twice creates nothing the second
time: the first import's notes are known people by then.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple, Protocol

from .importers import Imported, has_file_name
from .links import company_key, linkedin_url, name_key
from .resolve import Network

MatchedBy = Literal["linkedin", "email", "name", "alias"]
SkipReason = Literal["duplicate", "no-name", "me", "no-file-name", "remembered"]
_WHAT = {"linkedin": "LinkedIn profile", "email": "email", "name": "name", "alias": "name"}


def what_matched(by: str) -> str:
    """How the output names what a match was made on ("LinkedIn profile")."""
    return "alias" if by == "alias" else _WHAT.get(by, by)


class KnownPerson(NamedTuple):
    """Someone the vault already has: their canonical name, the other names their
    contact note lists, and what identifies them beyond a name."""

    name: str
    aliases: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    linkedin: tuple[str, ...] = ()  # normalised by `links.linkedin_url`
    note: str | None = None  # vault path of their contact note; None: only mentioned
    company: str | None = None
    role: str | None = None


class KnownPeople(NamedTuple):
    """The vault's people, indexed by what an import matches on (see `known_people`)."""

    people: tuple[KnownPerson, ...]
    by_linkedin: dict[str, int]
    by_email: dict[str, int]
    by_name: dict[str, int]
    by_alias: dict[str, int]
    by_folded: dict[str, int | None]  # accent-free name key -> person; None: more than one
    me: str  # name_key of the user themself ("" when unknown)


class Matched(NamedTuple):
    """An imported person the vault already knows. `updates` is what `--update` would
    record in their contact note: a company or role that differs from the note's, or an
    email or LinkedIn profile the note lacks, as (property, value) pairs."""

    person: Imported
    known: KnownPerson
    by: MatchedBy
    updates: tuple[tuple[str, str], ...] = ()


class Skipped(NamedTuple):
    """An imported person who gets no note, and why (`detail` says it to the user)."""

    person: Imported
    reason: SkipReason
    detail: str


class ImportPlan(NamedTuple):
    """The whole decision, in file order within each list."""

    new: list[Imported]
    matched: list[Matched]
    skipped: list[Skipped]

    @property
    def remember(self) -> set[str]:
        """The keys to add to the remembered set once the new notes exist (see
        `remember_keys`); leave out those of any note that could not be written."""
        return {key for person in self.new for key in remember_keys(person)}


# --- the vault's side -------------------------------------------------------------------------

_EMAIL_SPLIT = re.compile(r"[,;\s]+")


def _email_key(email: str) -> str:
    return email.strip().casefold()


def _profile_key(text: str) -> str | None:
    return linkedin_url(text, slug_ok=True)


def accent_key(name: str) -> str:
    """`name_key` with accents left out: `José García` -> `jose garcia`."""
    decomposed = unicodedata.normalize("NFD", name)
    return name_key("".join(c for c in decomposed if not unicodedata.combining(c)))


def person(
    name: str,
    *,
    aliases: Iterable[str] = (),
    emails: Iterable[str] = (),
    linkedin: Iterable[str] = (),
    note: str | None = None,
    company: str | None = None,
    role: str | None = None,
) -> KnownPerson:
    """A known person from plain lists; emails may hold several addresses in one string
    ("a@x.com, b@y.com") and LinkedIn profiles any spelling (or a bare id)."""
    mails = tuple(m for text in emails for m in _EMAIL_SPLIT.split(text) if "@" in m)
    profiles = tuple(p for p in (_profile_key(t) for t in linkedin) if p)
    return KnownPerson(name, tuple(aliases), mails, profiles, note, company, role)


def known_people(people: Iterable[KnownPerson], me: str | None = None) -> KnownPeople:
    """Index the vault's people. The first person with a given key keeps it (callers pass
    people in the vault's order: by key, as `Network.people` is)."""
    listed = tuple(people)
    by_linkedin: dict[str, int] = {}
    by_email: dict[str, int] = {}
    by_name: dict[str, int] = {}
    by_alias: dict[str, int] = {}
    by_folded: dict[str, int | None] = {}
    for i, known in enumerate(listed):
        for url in known.linkedin:
            by_linkedin.setdefault(url, i)
        for email in known.emails:
            by_email.setdefault(_email_key(email), i)
        by_name.setdefault(name_key(known.name), i)
        for alias in known.aliases:
            by_alias.setdefault(name_key(alias), i)
        for spelling in {accent_key(n) for n in (known.name, *known.aliases)}:
            by_folded[spelling] = i if by_folded.get(spelling, i) == i else None
    return KnownPeople(listed, by_linkedin, by_email, by_name, by_alias, by_folded, name_key(me or ""))


class ContactFields(Protocol):
    """What `known_from_vault` reads of a contact note: `model.Note` and `model.Identity`
    both have it."""

    @property
    def path(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def linkedin(self) -> str | None: ...


def known_from_vault(network: Network, notes: Iterable[ContactFields]) -> KnownPeople:
    """The vault's people as an import matches them: every person of the resolved network
    (with or without a contact note), with the email and LinkedIn profile of their note."""
    by_path = {n.path: n for n in notes}
    people = []
    for p in network.people.values():
        fields = by_path.get(p.note) if p.note else None
        people.append(
            person(
                p.name,
                aliases=p.aliases,
                emails=[fields.email] if fields and fields.email else [],
                linkedin=[fields.linkedin] if fields and fields.linkedin else [],
                note=p.note,
                company=p.company,
                role=p.role,
            )
        )
    return known_people(people, me=network.me.name)


# --- matching -------------------------------------------------------------------------------------


def _find(known: KnownPeople, p: Imported) -> tuple[int, MatchedBy] | None:
    """The known person this imported one is, and by what; strongest evidence first."""
    if p.linkedin and p.linkedin in known.by_linkedin:
        return known.by_linkedin[p.linkedin], "linkedin"
    if p.email and _email_key(p.email) in known.by_email:
        return known.by_email[_email_key(p.email)], "email"
    if not p.name:
        return None
    key = name_key(p.name)
    if key in known.by_name:
        return known.by_name[key], "name"
    if key in known.by_alias:
        return known.by_alias[key], "alias"
    folded = known.by_folded.get(accent_key(p.name))
    if folded is not None:
        return folded, "name"
    return None


def _updates(p: Imported, known: KnownPerson) -> tuple[tuple[str, str], ...]:
    """What the export knows that the contact note does not; nothing without a note."""
    if known.note is None:
        return ()
    out: list[tuple[str, str]] = []
    if p.company and (not known.company or company_key(p.company) != company_key(known.company)):
        out.append(("company", p.company))
    if p.role and (not known.role or name_key(p.role) != name_key(known.role)):
        out.append(("role", p.role))
    if p.email and not known.emails:
        out.append(("email", p.email))
    if p.linkedin and not known.linkedin:
        out.append(("linkedin", p.linkedin))
    return tuple(out)


def remember_keys(p: Imported) -> set[str]:
    """What identifies an imported person in the remembered set: `linkedin:<url>`,
    `email:<address, case-folded>` and `name:<name_key>`, for those they have."""
    keys = set()
    if p.linkedin:
        keys.add(f"linkedin:{p.linkedin}")
    if p.email:
        keys.add(f"email:{_email_key(p.email)}")
    if p.name:
        keys.add(f"name:{name_key(p.name)}")
    return keys


REMEMBERED_VERSION = 1


def dump_remembered(keys: Iterable[str]) -> bytes:
    """The remembered set as the caller stores it (e.g. `.notesync/imported.json`): sorted
    JSON, so the same set gives the same bytes on every device."""
    body = {"version": REMEMBERED_VERSION, "imported": sorted(set(keys))}
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def load_remembered(data: bytes) -> set[str]:
    """The remembered set from `dump_remembered`'s bytes. ValueError when they are damaged:
    reading that as "nothing imported yet" would make every deleted note again."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"not readable JSON: {exc}") from None
    if not isinstance(body, dict) or body.get("version") != REMEMBERED_VERSION:
        raise ValueError(f"not a version {REMEMBERED_VERSION} list of imported people")
    keys = body.get("imported")
    if not isinstance(keys, list):
        raise ValueError(f"not a version {REMEMBERED_VERSION} list of imported people")
    if not all(isinstance(k, str) for k in keys):
        raise ValueError("an entry of the imported list is not text")
    return set(keys)


class _Seen:
    """The people met so far in this file, to tell a repeated row from a namesake: two
    rows of one export are one person when they share a LinkedIn profile, or an email or
    a name without having two different profiles (one export's profiles are all current,
    so two of them are two people)."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], Imported] = {}

    def find(self, p: Imported) -> tuple[Imported, MatchedBy] | None:
        if p.linkedin and ("linkedin", p.linkedin) in self.keys:
            return self.keys["linkedin", p.linkedin], "linkedin"
        candidates: list[tuple[tuple[str, str], MatchedBy]] = []
        if p.email:
            candidates.append((("email", _email_key(p.email)), "email"))
        if p.name:
            candidates.append((("name", name_key(p.name)), "name"))
        for key, by in candidates:
            earlier = self.keys.get(key)
            if earlier is not None and not (
                p.linkedin and earlier.linkedin and p.linkedin != earlier.linkedin
            ):
                return earlier, by
        return None

    def add(self, p: Imported, first: Imported) -> None:
        for kind, value in (
            ("linkedin", p.linkedin),
            ("email", p.email and _email_key(p.email)),
            ("name", p.name and name_key(p.name)),
        ):
            if value:
                self.keys.setdefault((kind, value), first)


def _skip_reason(p: Imported, remembered: set[str]) -> Skipped | None:
    """Why a person the vault does not know gets no note, if they get none."""
    if not p.name:
        what = "an email" if p.email else "a LinkedIn profile" if p.linkedin else "a company"
        return Skipped(p, "no-name", f"no name, only {what}")
    if not has_file_name(p.name):
        return Skipped(p, "no-file-name", f"{p.name!r} has nothing a note's file name can hold")
    # known by the strongest thing they have: a namesake with another profile is someone else
    kind = "linkedin" if p.linkedin else "email" if p.email else "name"
    if any(k in remembered for k in remember_keys(p) if k.startswith(f"{kind}:")):
        return Skipped(
            p, "remembered", f"imported before (same {_WHAT[kind]}) and since deleted from the vault"
        )
    return None


def plan_import(people: Sequence[Imported], known: KnownPeople, remembered: set[str]) -> ImportPlan:
    """Decide, for each person of one export, in file order: a repeat of an earlier row is
    skipped; a person the vault knows is matched (with what `--update` would record); a
    person without a name, the user themself, a name no file can be called, and a person
    imported before whose note the user has since deleted (`remembered`, see
    `remember_keys`) are skipped; everyone else is new."""
    plan = ImportPlan([], [], [])
    seen = _Seen()
    for p in people:
        earlier = seen.find(p)
        if earlier is not None:
            first, by = earlier
            seen.add(p, first)
            plan.skipped.append(Skipped(p, "duplicate", f"same {_WHAT[by]} as line {first.line}"))
            continue
        seen.add(p, p)
        if known.me and p.name and name_key(p.name) == known.me:
            plan.skipped.append(Skipped(p, "me", "this is you"))
        elif (hit := _find(known, p)) is not None:
            match = known.people[hit[0]]
            plan.matched.append(Matched(p, match, hit[1], _updates(p, match)))
        elif (skip := _skip_reason(p, remembered)) is not None:
            plan.skipped.append(skip)
        else:
            plan.new.append(p)
    return plan
