"""What each person's notes add to the pages, kept for the next one-off run.

A sync makes Follow-ups.md and Contacts.md from parts: a line per follow-up and a row
per person (see `render.pages`), and it decides whether the other pages changed from
each person's facts (`render.person_facts`). Every part comes from one bucket of
notes (`rules.bucket_of`: a person's conversations and contact note) and from who is
who. So when the notes changed since the last run change nobody's identity (a status,
a thank-you, a ticked task, text), the next run need not read the other notes: it
parses the changed ones, remakes their buckets' parts, and takes every other part
from the ledger (redrawing Companies and the map from everyone's figures kept there
when they changed). On a new day the items stay the same but every line reads
differently ("N days overdue"), so all lines are made again from the kept items.
Anything else - a note added, deleted or renamed, someone new, other settings or
code - goes the whole way, and that run writes a new ledger.

A run that goes the whole way (or remakes every line) writes the ledger; a run from
the ledger writes only what it remade (with the notes it parsed) to a second, small
file, so that its cost does not grow with the vault. Both are JSON under `.notesync/cache/`, with a checksum
like the note cache; what does not check out is ignored. Parts are keyed by each
note's mtime and size, and a note saved within two seconds of the files is read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import cache
from .config import STATE_DIR, Config
from .diagnostics import Diagnostic
from .links import name_key
from .model import FollowUp, Note, Person, PersonRef
from .resolve import Network, identity
from .rules import best_referrals, bucket_follow_ups, bucket_of, sort_key
from .scan import Entry
from .stats import PersonStats, stats_of

if TYPE_CHECKING:
    from .graph import Referrals
    from .pipeline import Analysis
    from .render import View

LEDGER_FILE = "ledger.json"
CHANGES_FILE = "ledger-changes.json"
MAX_CHANGED = 100  # more changed notes than this: reading them all is about as quick
MAX_KEPT_CHANGES = 500  # notes in the changes file before a run goes the whole way again


class NoteRecord(NamedTuple):  # a named tuple: one per note, made at every run
    mtime_ns: int
    size: int
    kind: str | None  # None: the note could not be parsed
    bucket: str | None  # None: not a networking note
    identity: str | None  # digest of `resolve.identity`, for networking notes
    diagnostics: tuple[Diagnostic, ...]  # its own, and misspelt names in it


Line = str | None  # a follow-up's line on the page; None when it is not due by the horizon
Parsed = dict[str, tuple[Entry, Note | None, list[Diagnostic]]]  # changed notes, just parsed


@dataclass(frozen=True)
class BucketPart:
    items: tuple[tuple[FollowUp, Line], ...]
    candidates: tuple[tuple[str, FollowUp, Line], ...]  # referrals, by referred person key


@dataclass(frozen=True)
class PersonPart:
    order: tuple[str, str]  # `render.pages.contact_order`
    cells: str  # `render.pages.contact_cells`
    met: bool
    facts: tuple[str, str]  # `render.person_facts`
    figures: list[Any]  # the rest of their `PersonStats`, as `_figures` keeps them


def _figures(s: PersonStats) -> list[Any]:
    """What `stats_from` needs besides the person and their referrers."""
    latest = None
    if s.latest is not None:
        n = s.latest
        contact = [None, False] if n.contact is None else [n.contact.target, n.contact.bare]
        latest = [cache.day_number(n.date), n.path, n.status, *contact, n.title]
    return [s.company, s.role, s.conversations, cache.day_number(s.last_conversation), s.status, latest]


def _undate(v: Any) -> date | None:
    return None if v is None else date.fromordinal(v)


def stats_from(person: Person, referred_by: tuple[str, ...], figures: list[Any]) -> PersonStats:
    """A person's `PersonStats` from what the ledger keeps; the latest note is rebuilt
    with just what the pages show of it (date, path, status, contact, title)."""
    company, role, conversations, last, status, latest_in = figures
    opt = cache.as_opt_str
    latest = None
    if latest_in is not None:
        when, path, note_status, target, bare, title = latest_in
        contact = None if target is None else PersonRef(cache.as_str(target), 0, bare is True)
        latest = Note(
            cache.as_str(path),
            cache.as_str(title),
            "interview",
            contact,
            None,
            _undate(when),
            status=opt(note_status),
        )
    return PersonStats(
        person.key,
        person.name,
        person.note,
        opt(company),
        opt(role),
        referred_by,
        cache.as_int(conversations),
        _undate(last),
        cache.as_str(status),
        latest,
    )


@dataclass
class Ledger:
    version: str  # the people's digest (`pipeline.Analysis.version`); the people are in the cache
    day: date  # the lines read "N days overdue" as of this day
    notes: dict[str, NoteRecord]
    buckets: dict[str, BucketPart]
    persons: dict[str, PersonPart]  # in person-key order, like `Network.people`
    written_ns: int = 0
    base: str = ""  # checksum of the ledger file the changes apply to
    # Remade since the ledger file was written (what the changes file holds), with the
    # notes parsed for it: the note cache is not rewritten by a run from the ledger.
    parsed: dict[str, Note | None] = field(default_factory=dict)
    remade: set[str] = field(default_factory=set)  # buckets
    relined: bool = False  # every line made again for a new day: the file is to be written whole
    # Read but not decoded yet (see `load`): buckets, persons and parsed notes, as stored.
    pending: list[tuple[list[Any], list[Any], list[tuple[str, Any]]]] = field(default_factory=list)

    def complete(self) -> None:
        """Decode what `load` left as stored; raises (one of `cache.BAD`) on anything malformed."""
        for n, (buckets, persons, notes) in enumerate(self.pending):
            changes = n > 0  # the first is the ledger file's, the others the changes file's
            for name, part in map(_unbucket, buckets):
                self.buckets[name] = part
                if changes:
                    self.remade.add(name)
            for key, person in map(_unperson, persons):
                if changes and key not in self.persons:
                    raise KeyError(key)
                self.persons[key] = person
            for path, encoded in notes:
                note = None if encoded is None else cache.decode_note(encoded)
                if note is not None and note.path != path:
                    raise ValueError("mismatched note")
                self.parsed[path] = note
        self.pending = []


def _identity_digest(note: Note) -> str:
    return hashlib.sha256(repr(identity(note)).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _line(view: View, item: FollowUp, horizon: date) -> Line:
    from .render.pages import followup_line

    return followup_line(view, item) if item.due <= horizon else None


def _bucket_part(view: View, owed: tuple[list[FollowUp], list[tuple[str, FollowUp]]]) -> BucketPart:
    from datetime import timedelta

    horizon = view.today + timedelta(days=view.config.upcoming_days)
    items, candidates = owed
    return BucketPart(
        tuple((i, _line(view, i, horizon)) for i in items),
        tuple((k, i, _line(view, i, horizon)) for k, i in candidates),
    )


def _person_part(view: View, s: PersonStats) -> PersonPart:
    from .render import person_facts
    from .render.pages import contact_cells, contact_order

    return PersonPart(contact_order(s), contact_cells(view, s), s.met, person_facts(s), _figures(s))


def build(analysis: Analysis, view: View) -> Ledger:
    """The ledger of a sync that went the whole way."""
    net = analysis.net
    misspelt: dict[str, list[Diagnostic]] = {}
    for d in analysis.diagnostics:
        if d.code == "person-unknown":
            misspelt.setdefault(d.path, []).append(d)
    notes: dict[str, NoteRecord] = {}
    for path in sorted(analysis.read):
        mtime, size, note, diags = analysis.read[path]
        networking = note is not None and note.kind != "other"
        notes[path] = NoteRecord(
            mtime,
            size,
            None if note is None else note.kind,
            bucket_of(net, note) if note is not None and networking else None,
            _identity_digest(note) if note is not None and networking else None,
            (*diags, *misspelt.get(path, ())),
        )
    persons = {key: _person_part(view, s) for key, s in view.stats.items()}
    buckets = {bucket: _bucket_part(view, owed) for bucket, owed in analysis.owed.items()}
    assert isinstance(analysis.version, str)
    return Ledger(analysis.version, analysis.today, notes, buckets, persons)


@dataclass(frozen=True)
class Assembled:
    followups: str  # Follow-ups.md
    contacts: str  # Contacts.md
    items: list[FollowUp]  # settled, as `rules.settle` makes them
    digests: dict[str, str]  # of the other pages, from everyone's facts (`render.digests_of`)


def assemble(ledger: Ledger, today: date, config: Config) -> Assembled:
    """Follow-ups.md and Contacts.md from the parts, as rendering them whole would make them."""
    from .render import digests_of
    from .render.pages import contact_row, contacts_page, followups_page, next_followups

    lines: dict[int, Line] = {}
    items: list[FollowUp] = []
    candidates: list[tuple[str, FollowUp]] = []
    for part in ledger.buckets.values():
        for item, line in part.items:
            items.append(item)
            lines[id(item)] = line
        for key, item, line in part.candidates:
            candidates.append((key, item))
            lines[id(item)] = line
    items.extend(best_referrals(candidates))
    items.sort(key=sort_key)
    shown = [(i, line) for i in items if (line := lines[id(i)]) is not None]
    nxt = next_followups(items)
    ordered = sorted(ledger.persons.items(), key=lambda kv: kv[1].order)
    rows = [contact_row(p.cells, nxt.get(key), today) for key, p in ordered]
    met = sum(1 for p in ledger.persons.values() if p.met)
    return Assembled(
        followups_page(today, config.upcoming_days, shown),
        contacts_page(len(ledger.persons), met, rows),
        items,
        digests_of(ledger.version, config, [p.facts for p in ledger.persons.values()]),
    )


@dataclass
class Replayed:
    """A ledger brought up to date with the notes changed since it was written."""

    ledger: Ledger
    net: Network  # the people, without notes
    referrals: Referrals
    people_diagnostics: list[Diagnostic]

    @property
    def people(self) -> int:
        return len(self.net.people)

    def view(self, items: list[FollowUp], today: date, config: Config) -> View:
        """A view for drawing the pages that show everyone, from the ledger's figures."""
        from .render import View

        people, referrers = self.net.people, self.referrals.referrers
        stats = {k: stats_from(people[k], referrers[k], p.figures) for k, p in self.ledger.persons.items()}
        return View(self.net, self.referrals, items, today, config, known_stats=stats)

    @property
    def notes_read(self) -> int:
        return sum(1 for r in self.ledger.notes.values() if r.kind is not None)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The notes' and the people's (unsorted)."""
        out = [d for r in self.ledger.notes.values() for d in r.diagnostics]
        out.extend(self.people_diagnostics)
        return out


def replay(vault: Path, config: Config, today: date, entries: list[Entry]) -> Replayed | None:
    """The last run's ledger with the changed notes' buckets remade, or None when this
    run must go the whole way (see the module's docstring)."""
    from .checks import misspelling_diagnostics
    from .graph import Referrals
    from .render import View

    ledger = load(vault, config, len(entries))
    if ledger is None or len(ledger.parsed) > MAX_KEPT_CHANGES:
        return None
    changed = _changed(ledger, entries)
    new_day = ledger.day != today
    if changed is None:
        return None
    if not changed and not new_day:
        return None  # the notes are as they were: something else changed (a page, the state)
    fresh = _parse(vault, changed)
    if fresh is None or not _same_people(ledger, fresh):
        return None
    people = cache.load_people(vault, ledger.version, name_key(config.me))
    if people is None:
        return None
    (persons, index, referrers, hints, people_diags), plain = people
    net = Network((), persons, Person(name_key(config.me), config.me), index)
    known = ledger.notes
    affected: set[str] = set()
    for path, (_, note, _) in fresh.items():
        if note is not None and note.kind != "other":
            bucket = bucket_of(net, note)
            if bucket != known[path].bucket:
                return None
            affected.add(bucket)
    ledger.complete()  # the changed notes leave who is who alone: the rest of the ledger is needed
    if ledger.persons.keys() != persons.keys():
        return None  # not the people it was made with (written by hand, or by a broken run)
    members = _members(vault, ledger, fresh, affected)
    if members is None:
        return None
    view = View(net, Referrals(net, referrers=referrers, plain=plain), [], today, config)
    for path, (entry, note, diags) in fresh.items():
        own = misspelling_diagnostics(net, hints, [note]) if note is not None and note.kind != "other" else []
        old = known[path]
        kind = None if note is None else note.kind
        known[path] = NoteRecord(entry.mtime_ns, entry.size, kind, old.bucket, old.identity, (*diags, *own))
        ledger.parsed[path] = note
    # `rules.contacted` from the records: an interview's bucket is its contact, if it has one
    done = {
        r.bucket
        for r in known.values()
        if r.kind == "interview" and (r.bucket in persons or r.bucket == net.me.key)
    }
    for bucket, mine in members.items():
        ledger.buckets[bucket] = _bucket_part(view, bucket_follow_ups(net, config.rules, bucket, mine, done))
        if bucket in persons:
            interviews = [n for n in mine if n.kind == "interview"]
            ledger.persons[bucket] = _person_part(
                view, stats_of(persons[bucket], referrers[bucket], interviews)
            )
        ledger.remade.add(bucket)
    if new_day:  # the same items, on another day: every line reads differently
        for bucket, part in ledger.buckets.items():
            if bucket not in members:
                items = [i for i, _ in part.items]
                ledger.buckets[bucket] = _bucket_part(view, (items, [(k, i) for k, i, _ in part.candidates]))
        ledger.day, ledger.relined = today, True
    return Replayed(ledger, net, view.referrals, people_diags)


def _changed(ledger: Ledger, entries: list[Entry]) -> list[Entry] | None:
    """The notes whose stat differs from the ledger's (or that may have changed unseen);
    None when there are too many to be worth it, or a note the ledger does not know."""
    racy = ledger.written_ns - cache.RACY_NS
    changed: list[Entry] = []
    for e in entries:
        record = ledger.notes.get(e.path)
        if record is None:
            return None
        if (record.mtime_ns, record.size) != (e.mtime_ns, e.size) or e.mtime_ns >= racy:
            changed.append(e)
            if len(changed) > MAX_CHANGED:
                return None
    return changed


def _same_people(ledger: Ledger, fresh: Parsed) -> bool:
    """Do the changed notes leave who is who as it was? (Decided before the people or the
    rest of the ledger are read: when they do not, the whole way is taken at once.)"""
    for path, (_, note, _) in fresh.items():
        record = ledger.notes[path]
        networking = note is not None and note.kind != "other"
        if networking != (record.bucket is not None):
            return False  # a note joins or leaves the network
        if note is not None and networking and _identity_digest(note) != record.identity:
            return False
    return True


def _members(vault: Path, ledger: Ledger, fresh: Parsed, buckets: set[str]) -> dict[str, list[Note]] | None:
    """Every note of these buckets, in path order (as `rules.buckets` gives them): as just
    parsed, as parsed by an earlier run from the ledger, or from the note cache."""
    paths: dict[str, list[str]] = {b: [] for b in buckets}
    for path, record in ledger.notes.items():
        if record.bucket in paths:
            paths[record.bucket].append(path)
    shards: dict[int, dict[str, cache.Entry]] = {}
    out: dict[str, list[Note]] = {}
    for bucket, members in paths.items():
        notes = []
        for path in sorted(members):
            if path in fresh:
                note = fresh[path][1]
            elif path in ledger.parsed:
                note = ledger.parsed[path]
            else:
                note = _cached(vault, path, ledger.notes[path], shards)
            if note is None:
                return None
            notes.append(note)
        out[bucket] = notes
    return out


def _parse(vault: Path, changed: list[Entry]) -> Parsed | None:
    from .parse import parse_note

    out: Parsed = {}
    for e in changed:
        try:
            with open(os.path.join(vault, e.path), "rb") as fh:
                data = fh.read()
        except OSError:
            return None  # unreadable now: the whole way reports it
        note, diags = parse_note(e.path, data)
        out[e.path] = (e, note, diags)
    return out


def _cached(
    vault: Path, path: str, record: NoteRecord, shards: dict[int, dict[str, cache.Entry]]
) -> Note | None:
    """A note from the note cache, if it is the one the ledger saw."""
    shard = cache.shard_of(path)
    if shard not in shards:
        try:
            shards[shard] = cache.load_shard(vault, shard)
        except cache.BAD:
            shards[shard] = {}
    hit = shards[shard].get(path)
    if hit is None or (hit[0], hit[1]) != (record.mtime_ns, record.size):
        return None
    return hit[2]


# --- the files ------------------------------------------------------------------------------------


def _file(vault: Path, name: str = LEDGER_FILE) -> Path:
    return vault / STATE_DIR / cache.CACHE_DIR / name


def _scope(version: str, config: Config) -> str:
    """What the whole ledger is valid for: these people (and code) and settings."""
    text = repr((version, config))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _item(i: FollowUp) -> list[Any]:
    return [i.kind, i.person, i.due.toordinal(), i.text, i.source, i.line]


def _unitem(v: list[Any]) -> FollowUp:
    kind, person, due, text, source, line = v
    str_ = cache.as_str
    return FollowUp(
        str_(kind), str_(person), date.fromordinal(due), str_(text), str_(source), cache.as_int(line)
    )


def _record(path: str, r: NoteRecord) -> list[Any]:
    return [path, r.mtime_ns, r.size, r.kind, r.bucket, r.identity, [d.to_row() for d in r.diagnostics]]


def _unrecord(v: list[Any]) -> tuple[str, NoteRecord]:
    path, mtime, size, kind, bucket, ident, diags = v
    opt = cache.as_opt_str
    diagnostics = tuple(map(Diagnostic.from_row, diags)) if diags else ()
    record = NoteRecord(
        cache.as_int(mtime), cache.as_int(size), opt(kind), opt(bucket), opt(ident), diagnostics
    )
    return cache.as_str(path), record


def _bucket(name: str, part: BucketPart) -> list[Any]:
    items = [[*_item(i), line] for i, line in part.items]
    return [name, items, [[key, *_item(i), line] for key, i, line in part.candidates]]


def _unbucket(v: list[Any]) -> tuple[str, BucketPart]:
    name, items, candidates = v
    opt = cache.as_opt_str
    return cache.as_str(name), BucketPart(
        tuple((_unitem(i[:6]), opt(i[6])) for i in items),
        tuple((cache.as_str(c[0]), _unitem(c[1:7]), opt(c[7])) for c in candidates),
    )


def _person(key: str, p: PersonPart) -> list[Any]:
    return [key, *p.order, p.cells, p.met, *p.facts, p.figures]


def _unperson(v: list[Any]) -> tuple[str, PersonPart]:
    key, a, b, cells, met, f, g, figures = v
    str_ = cache.as_str
    if type(figures) is not list:
        raise TypeError("bad figures")
    return str_(key), PersonPart((str_(a), str_(b)), str_(cells), met is True, (str_(f), str_(g)), figures)


def save(vault: Path, config: Config, ledger: Ledger) -> None:
    """Write the ledger whole (and drop older changes). Notes parsed by runs from the
    ledger are kept in a new changes file: the note cache still holds their old text."""
    payload = {
        "notes": [_record(p, r) for p, r in ledger.notes.items()],
        "buckets": [_bucket(b, part) for b, part in ledger.buckets.items()],
        "persons": [_person(k, p) for k, p in ledger.persons.items()],
    }
    with contextlib.suppress(OSError):
        _file(vault, CHANGES_FILE).unlink(missing_ok=True)
    base = cache.write_checked(
        _file(vault),
        payload,
        version=ledger.version,
        scope=_scope(ledger.version, config),
        day=ledger.day.isoformat(),
        notes=len(ledger.notes),
        written_ns=time.time_ns(),
    )
    if base is not None and ledger.parsed:
        ledger.base, ledger.remade = base, set()
        save_changes(vault, ledger)


def save_changes(vault: Path, ledger: Ledger) -> None:
    """Write what runs from the ledger remade since it was written, with their notes."""
    payload = {
        "notes": [
            [*_record(path, ledger.notes[path]), None if note is None else cache.encode_note(note)]
            for path, note in sorted(ledger.parsed.items())
        ],
        "buckets": [_bucket(b, ledger.buckets[b]) for b in sorted(ledger.remade)],
        "persons": [_person(k, ledger.persons[k]) for k in sorted(ledger.remade) if k in ledger.persons],
    }
    cache.write_checked(_file(vault, CHANGES_FILE), payload, base=ledger.base, written_ns=time.time_ns())


def load(vault: Path, config: Config, notes: int) -> Ledger | None:
    """The ledger with its changes, if it checks out and was made for these settings and
    this many notes (a note added or deleted since is seen before the ledger is read).
    Only the notes' records are decoded: `Ledger.complete` decodes the rest, once a run
    knows it can use it."""

    def made_for_this(header: dict[str, Any]) -> bool:
        version = header.get("version")
        return (
            isinstance(version, str)
            and header.get("scope") == _scope(version, config)
            and header.get("notes") == notes
        )

    try:
        header, body = cache.read_checked(_file(vault), made_for_this)
        if len(body["notes"]) != header["notes"]:
            return None
        records = dict(_unrecord(v) for v in body["notes"])
        base = cache.as_str(header["sha256"])
        version, day = cache.as_str(header["version"]), date.fromisoformat(cache.as_str(header["day"]))
        ledger = Ledger(version, day, records, {}, {}, cache.as_int(header["written_ns"]), base)
        ledger.pending = [(body["buckets"], body["persons"], [])]
    except cache.BAD:
        return None
    try:
        header, body = cache.read_checked(_file(vault, CHANGES_FILE), base=ledger.base)
        changes = [(_unrecord(v[:7]), v[7]) for v in body["notes"]]
        pending = (body["buckets"], body["persons"], [(path, note) for (path, _), note in changes])
        written_ns = cache.as_int(header["written_ns"])
    except cache.BAD:
        changes = []  # no changes, or none for this ledger
    else:
        for (path, record), _ in changes:
            if path not in records:
                return None
            records[path] = record
            ledger.parsed[path] = None  # decoded by `complete`
        ledger.pending.append(pending)
        ledger.written_ns = max(ledger.written_ns, written_ns)
    return ledger
