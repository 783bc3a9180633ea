"""What a sync can reuse from the last one, cached under `.notesync/cache/`.

* Parsed notes, keyed by path, mtime and size, in sixteen files. A note's shard is
  fixed by its path, so a changed note rewrites one small file, not the whole cache.
* The people: who is who, each person's referrers, the checks on them and a plain
  copy of their graph, keyed by a digest of every note field they are made from. Most
  edits (a status, a thank-you, a task) change none of those fields, and the next run
  skips resolving the people and building the graph.
* The ledger of page parts (`ledger.py`), written with this module's file format.

Every file is JSON (never pickle: they live in a folder that may sync between
devices), led by a header line with a format version, a fingerprint of the code that
made it and a SHA-256 of the body. Anything that does not check out - truncated,
corrupt, written by another version - is ignored and rebuilt; the cache can make a
sync faster, never different.
"""

from __future__ import annotations

import hashlib
import json
import time
import zlib
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import STATE_DIR
from .diagnostics import Diagnostic
from .model import Action, Note, Person, PersonRef

if TYPE_CHECKING:
    from .graph import PlainData, PlainGraph

CACHE_DIR = "cache"
PEOPLE_FILE = "people.json"
SHARDS = 16
FORMAT = 2
_PARSER_MODULES = ("parse.py", "properties.py", "tasks.py", "links.py", "model.py", "cache.py")

Entry = tuple[int, int, Note | None, list[Diagnostic]]  # mtime_ns, size, note, diagnostics
# What reading a damaged or hand-made cache file can raise (RecursionError: JSON nested too deep)
BAD = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, RecursionError)
RACY_NS = 2_000_000_000  # a file touched this close to the last save may have changed unseen


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Changes whenever the code that turns text into notes changes."""
    h = hashlib.sha256(str(FORMAT).encode())
    here = Path(__file__).resolve().parent
    for name in _PARSER_MODULES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Changes whenever any of notesync's code changes: pages may come out differently."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted(here.rglob("*.py")):
        h.update(path.relative_to(here).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _ref(r: PersonRef | None) -> list[Any] | None:
    return None if r is None else [r.target, r.line, r.bare]


def day_number(d: date | None) -> int | None:
    """A date as JSON keeps it here."""
    return None if d is None else d.toordinal()


def encode_note(n: Note) -> list[Any]:
    return [
        n.path,
        n.title,
        n.kind,
        _ref(n.contact),
        _ref(n.referrer),
        day_number(n.date),
        n.date_line,
        n.status,
        n.status_line,
        n.company,
        n.role,
        n.channel,
        [_ref(r) for r in n.referrals],
        n.thanked,
        n.referrer_updated,
        [[a.text, day_number(a.due), a.done, a.line, a.status] for a in n.actions],
        list(n.aliases),
        n.keep_in_touch,
        n.email,
        n.linkedin,
    ]


def as_opt_str(v: Any) -> str | None:
    if v is not None and type(v) is not str:
        raise TypeError("expected text")
    return v


def as_str(v: Any) -> str:
    if type(v) is not str:
        raise TypeError("expected text")
    return v


def as_int(v: Any) -> int:
    if type(v) is not int:
        raise TypeError("expected a number")
    return v


def _unrefs(v: Any) -> tuple[PersonRef, ...]:
    return tuple(PersonRef(as_str(t), as_int(line), bare is True) for t, line, bare in v) if v else ()


def decode_note(v: list[Any]) -> Note:
    """The inverse of `encode_note`; raises on anything malformed. (Every sync decodes
    every note: this is written for speed, with exact type checks instead of casts.)"""
    if type(v) is not list or len(v) != 20:
        raise ValueError("bad note record")
    path, title, kind, contact, referrer, day, date_line, status, status_line = v[:9]
    company, role, channel, referrals, thanked, updated, actions, aliases, keep, email, linkedin = v[9:]
    if kind not in ("interview", "contact", "other"):
        raise ValueError("bad kind")
    return Note(
        as_str(path),
        as_str(title),
        kind,
        None if contact is None else PersonRef(as_str(contact[0]), as_int(contact[1]), contact[2] is True),
        None
        if referrer is None
        else PersonRef(as_str(referrer[0]), as_int(referrer[1]), referrer[2] is True),
        None if day is None else date.fromordinal(day),
        as_int(date_line),
        as_opt_str(status),
        as_int(status_line),
        as_opt_str(company),
        as_opt_str(role),
        as_opt_str(channel),
        _unrefs(referrals),
        thanked is True,
        updated is True,
        tuple(
            Action(
                as_str(a[0]),
                None if a[1] is None else date.fromordinal(a[1]),
                a[2] is True,
                as_int(a[3]),
                as_str(a[4]),
            )
            for a in actions
        )
        if actions
        else (),
        tuple(as_str(a) for a in aliases) if aliases else (),
        None if keep is None else as_int(keep),
        as_opt_str(email),
        as_opt_str(linkedin),
    )


def _decode_diags(path: str, v: Any) -> list[Diagnostic]:
    return [
        Diagnostic(path, int(d[0]), str(d[1]), str(d[2]), "error" if d[3] == "error" else "warning")
        for d in v
    ]


def shard_of(path: str) -> int:
    """Which cache file holds a note: a save rewrites only the shards that changed."""
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % SHARDS


def _shard_file(vault: Path, shard: int) -> Path:
    return vault / STATE_DIR / CACHE_DIR / f"{shard:02d}.json"


def read_checked(
    file: Path, accept: Callable[[dict[str, Any]], bool] | None = None, **expected: str
) -> tuple[dict[str, Any], Any]:
    """Header and body of a cache file; raises unless it is whole, made by this code, has
    the `expected` header values and one `accept` takes (checked before the body is read)."""
    head, _, body = file.read_bytes().partition(b"\n")
    header = json.loads(head)
    if header.get("format") != FORMAT or any(header.get(k) != v for k, v in expected.items()):
        raise ValueError("another version")
    if accept is not None and not accept(header):
        raise ValueError("not the one wanted")
    if header.get("sha256") != hashlib.sha256(body).hexdigest():
        raise ValueError("corrupt")
    return header, json.loads(body)


def write_checked(file: Path, payload: Any, **header: object) -> str | None:
    """Atomically, with the header `read_checked` checks; failing to is never an error.
    Returns the body's checksum, or None when the file could not be written."""
    from .write import atomic_write

    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    checksum = hashlib.sha256(body).hexdigest()
    head = {"format": FORMAT, **header, "sha256": checksum}
    try:
        atomic_write(file, json.dumps(head).encode("ascii") + b"\n" + body)
    except OSError:
        return None
    return checksum


def load_shard(vault: Path, shard: int) -> dict[str, Entry]:
    """One file of the note cache; raises (one of `BAD`) unless it checks out."""
    header, body = read_checked(_shard_file(vault, shard), parser=fingerprint())
    racy = int(header["written_ns"]) - RACY_NS
    out: dict[str, Entry] = {}
    for path, (mtime, size, note, diags) in body.items():
        decoded = None if note is None else decode_note(note)
        if decoded is not None and decoded.path != path:
            raise ValueError("mismatched record")
        if int(mtime) < racy:
            out[path] = (int(mtime), int(size), decoded, _decode_diags(path, diags))
    return out


def load(vault: Path) -> dict[str, Entry]:
    """The cached entries worth trusting: a shard that does not check out is skipped."""
    out: dict[str, Entry] = {}
    for shard in range(SHARDS):
        try:
            out.update(load_shard(vault, shard))
        except BAD:
            continue
    return out


def save(vault: Path, entries: dict[str, Entry], shards: Iterable[int] | None = None) -> None:
    """Rewrite the given shards (all by default) atomically; failing to is never an error."""
    todo = set(range(SHARDS) if shards is None else shards)
    groups: dict[int, dict[str, list[Any]]] = {shard: {} for shard in todo}
    for path in sorted(entries):
        shard = shard_of(path)
        if shard in todo:
            mtime, size, note, diags = entries[path]
            groups[shard][path] = [
                mtime,
                size,
                None if note is None else encode_note(note),
                [[d.line, d.code, d.message, d.severity] for d in diags],
            ]
    for shard, payload in groups.items():
        write_checked(_shard_file(vault, shard), payload, parser=fingerprint(), written_ns=time.time_ns())


People = tuple[
    dict[str, Person],  # key -> person, as in `Network.people`
    dict[tuple[str, bool], str],  # mention -> person key, as in `Network.index`
    dict[str, tuple[str, ...]],  # person key -> referrers, as in `Referrals.referrers`
    dict[str, str],  # probable misspellings, as from `checks.suggestions`
    list[Diagnostic],  # the checks on the people (misspellings aside: their lines move)
]


def save_people(vault: Path, identity: str, people: People, graph: PlainData) -> None:
    """Keep the people (and their graph) made from notes whose identity digest is `identity`."""
    persons, keys, referrers, hints, diags = people
    payload = {
        "people": [
            [p.key, p.name, p.note, p.company, p.role, p.keep_in_touch, list(p.aliases), list(referrers[k])]
            for k, p in persons.items()
        ],
        "keys": [[target, bare, key] for (target, bare), key in keys.items()],
        "hints": sorted(hints.items()),
        "diagnostics": [d.to_row() for d in diags],
        "graph": graph,
    }
    write_checked(
        vault / STATE_DIR / CACHE_DIR / PEOPLE_FILE, payload, code=code_fingerprint(), identity=identity
    )


def load_people(vault: Path, identity: str, me: str) -> tuple[People, PlainGraph] | None:
    """The people saved for exactly this identity digest and this code, or None; `me` is
    the key of "Me", the one person named that is not among them."""
    from .graph import load_plain

    try:
        _, body = read_checked(
            vault / STATE_DIR / CACHE_DIR / PEOPLE_FILE, code=code_fingerprint(), identity=identity
        )
        persons: dict[str, Person] = {}
        referrers: dict[str, tuple[str, ...]] = {}
        for key, name, note, company, role, keep, aliases, refs in body["people"]:
            persons[str(key)] = Person(
                str(key),
                str(name),
                as_opt_str(note),
                as_opt_str(company),
                as_opt_str(role),
                None if keep is None else int(keep),
                tuple(str(a) for a in aliases),
            )
            referrers[str(key)] = tuple(str(r) for r in refs)
        keys = {(str(target), bool(bare)): str(key) for target, bare, key in body["keys"]}
        hints = {str(k): str(v) for k, v in body["hints"]}
        diags = [Diagnostic.from_row(d) for d in body["diagnostics"]]
        graph = load_plain(body["graph"])
    except BAD:
        return None
    everyone = {*persons, me}
    if (
        not set(keys.values()) <= everyone
        or not all(set(r) <= everyone for r in referrers.values())
        or not set(hints) <= everyone
        or set(graph.nodes) != everyone
    ):
        return None  # it does not add up: written by hand, or by a broken run
    return (persons, keys, referrers, hints, diags), graph
