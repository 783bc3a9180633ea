"""One pass from the vault to its pages; the CLI and the watcher both call this."""

from __future__ import annotations

import functools
import gc
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from .config import Config, load_config, template_folders
from .diagnostics import Diagnostic
from .errors import VaultError
from .graph import Referrals
from .model import FollowUp, Note, Person
from .read import Progress, Store, read_notes
from .resolve import Network, identity, resolve
from .rules import Owed, Owing, owed, settle
from .scan import Entry, scan
from .stats import PersonStats

if TYPE_CHECKING:
    import networkx as nx

    from .ledger import Ledger, Replayed
    from .write import Change

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Memo:
    """What a long-running caller (the watcher) keeps between syncs, so that a small
    change costs little. Each entry is keyed by exactly the inputs it was made from:
    a memo can make a sync faster, never different."""

    notes: Store = field(default_factory=dict)  # parsed notes by path, as in the cache
    entries: dict[str, Entry] | None = None  # the last scan, kept up to date path by path
    scan_diags: list[Diagnostic] = field(default_factory=list)
    people: tuple[list[tuple[object, ...]], Network, Referrals, dict[str, str], list[Diagnostic]] | None = (
        None
    )
    pages: dict[str, tuple[object, str]] = field(default_factory=dict)  # page -> (its inputs, text)
    generation: int = 0  # bumped whenever the people or the graph change
    identities: dict[str, tuple[Note, tuple[object, ...]]] = field(default_factory=dict)
    fragments: dict[object, str] = field(default_factory=dict)  # rendered lines by their inputs
    stats: dict[str, tuple[list[Note], PersonStats]] = field(default_factory=dict)  # per person
    fragments_scope: object = None  # the (generation, day, config) the fragments were made for
    owed: dict[str, tuple[list[Note], Owing]] = field(default_factory=dict)  # follow-ups by bucket
    owed_scope: object = None  # the (generation, rules) they were made for


@dataclass
class Analysis:
    """The vault understood: notes, people, graph, follow-ups and problems."""

    vault: Path
    config: Config
    today: date
    notes_read: int
    net: Network
    referrals: Referrals
    items: list[FollowUp]  # every bucket's, settled (see `rules.settle`)
    diagnostics: list[Diagnostic]
    parsed: int = 0  # notes parsed this time (the rest came from the cache)
    # Stands for the people and the graph: the memo's generation (an int) in the watcher,
    # otherwise a digest of the note fields they are made from (a str, stable across runs).
    version: int | str = ""
    owed: Owed = field(default_factory=dict)  # the items by bucket, before they are settled
    read: Store = field(default_factory=dict)  # the notes as read: path -> mtime, size, note, diagnostics

    @property
    def graph(self) -> nx.DiGraph:
        return self.referrals.graph


@dataclass(frozen=True)
class Summary:
    """The figures of the one-line summary."""

    notes: int
    people: int
    overdue: int
    due_today: int

    @classmethod
    def of(cls, a: Analysis) -> Summary:
        return cls(
            a.notes_read,
            len(a.net.people),
            sum(1 for i in a.items if i.due < a.today),
            sum(1 for i in a.items if i.due == a.today),
        )


@dataclass
class SyncResult:
    """What a sync did. `analysis` is None when the sync did not read every note: nothing
    had changed (the answer came from the state file), or the pages were made from the
    ledger and the few notes changed since (see `ledger`)."""

    summary: Summary
    today: date
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dry_run: bool = False
    analysis: Analysis | None = None

    @property
    def written(self) -> list[Change]:
        return [c for c in self.changes if c.action in ("create", "update")]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.action == "unchanged"]

    @property
    def skipped(self) -> list[Change]:
        return [c for c in self.changes if c.action == "skip"]

    def text(self) -> str:
        """The one-line summary the CLI prints."""
        s = self.summary
        verb = "would write" if self.dry_run else "wrote"
        from .render.markdown import plural

        text = (
            f"{plural(s.notes, 'note')} read, {plural(s.people, 'person', 'people')}, {s.overdue} overdue, "
            f"{s.due_today} due today; {verb} {plural(len(self.written), 'page')}, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.skipped:
            text += f", {len(self.skipped)} not written"
        return text


def _without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """A sync makes about a million objects that all live until it ends. The cyclic
    garbage collector would scan them over and over (a third of a sync's time at 10,000
    notes) to find almost nothing: reference counting frees them anyway."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


def check_vault(vault: Path | str) -> Path:
    path = Path(vault).expanduser()
    if not path.is_dir():
        raise VaultError(f"{path}: no such folder")
    return path


def _inputs(
    vault: Path | str,
    config: Config | None,
    memo: Memo | None = None,
    changed: tuple[str, ...] | None = None,
) -> tuple[Path, Config, list[Entry], list[Diagnostic]]:
    """Settings and the notes' stat. With a memo and the paths of notes that were only
    modified, restat those; otherwise walk the vault."""
    root = check_vault(vault)
    cfg = config if config is not None else load_config(root)
    if memo is not None and memo.entries is not None and changed is not None:
        known = memo.entries
        if all(path in known for path in changed) and _restat(root, known, changed):
            return root, cfg, list(known.values()), list(memo.scan_diags)
    entries, diags = scan(root, cfg.output, (*cfg.ignore, *template_folders(root)))
    if memo is not None:
        memo.entries = {e.path: e for e in entries}
        memo.scan_diags = list(diags)
    return root, cfg, entries, diags


def _restat(root: Path, known: dict[str, Entry], paths: tuple[str, ...]) -> bool:
    """Update the stat of notes that were modified in place; False if one is not a plain
    note any more (a full walk then decides what it is)."""
    from .scan import MAX_NOTE_BYTES

    for path in paths:
        try:
            st = os.lstat(root / path)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_NOTE_BYTES:
            return False
        known[path] = Entry(path, st.st_mtime_ns, st.st_size)
    return True


@_without_gc
def analyse(
    vault: Path | str,
    *,
    today: date | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
    save_cache: bool = True,
    parallel: bool = True,
    scanned: tuple[Path, Config, list[Entry], list[Diagnostic]] | None = None,
    memo: Memo | None = None,
) -> Analysis:
    """Everything but the pages: the library behind `followups`, `check` and `graph`."""
    root, cfg, entries, scan_diags = scanned if scanned is not None else _inputs(vault, config, memo)
    diags = list(scan_diags)
    day = today if today is not None else date.today()
    notes, found, parsed, read = read_notes(
        root,
        entries,
        progress,
        use_cache=use_cache,
        save_cache=save_cache,
        parallel=parallel,
        store=memo.notes if memo is not None else None,
    )
    diags.extend(found)
    keep = root if use_cache else None
    net, referrals, found, version = _people(notes, cfg.me, memo, keep, save_cache)
    diags.extend(found)
    kept = None
    if memo is not None:
        if memo.owed_scope != (version, cfg.rules):  # other people, or other rules
            memo.owed, memo.owed_scope = {}, (version, cfg.rules)
        kept = memo.owed
    by_bucket = owed(net, cfg.rules, kept)
    diags.sort(key=lambda d: (d.path, d.line, d.code, d.message))
    return Analysis(
        root, cfg, day, len(notes), net, referrals, settle(by_bucket), diags, parsed, version, by_bucket, read
    )


def _people(
    notes: list[Note], me: str, memo: Memo | None, vault: Path | None, save: bool
) -> tuple[Network, Referrals, list[Diagnostic], int | str]:
    """People, graph and their diagnostics, remade only when a note changed who is who
    (a status, a thank-you, a task leave the people and referrals as they were): the
    watcher keeps them in its memo, a one-off run in the cache of `vault`."""
    from . import cache
    from .checks import misspelling_diagnostics, people_diagnostics, suggestions
    from .graph import cycle_diagnostics, plain_data
    from .links import name_key

    networking = [n for n in notes if n.kind != "other"]
    if memo is None:
        identities = [identity(n) for n in networking]
    else:  # unchanged notes are the very same objects as last pass: reuse their identity
        known = memo.identities
        identities = []
        for n in networking:
            hit = known.get(n.path)
            if hit is None or hit[0] is not n:
                hit = known[n.path] = (n, identity(n))
            identities.append(hit[1])
    if memo is not None and memo.people is not None and memo.people[0] == identities:
        _, old, referrals, hints, diags = memo.people
        if old.me.name == me:
            net = replace(old, notes=tuple(networking))  # the same people, this pass's notes
            found = [*diags, *misspelling_diagnostics(net, hints)]
            return net, referrals.with_notes(net), found, memo.generation
    version = _digest_people(me, identities) if memo is None else ""
    kept = cache.load_people(vault, version, name_key(me)) if vault is not None and version else None
    if kept is not None:
        (people, index, referrers, hints, diags), plain = kept
        net = Network(tuple(networking), people, Person(name_key(me), me), index)
        referrals = Referrals(net, referrers=referrers, plain=plain)
        return net, referrals, [*diags, *misspelling_diagnostics(net, hints)], version
    net, diags = resolve(notes, me)
    hints = suggestions(net)
    diags.extend(people_diagnostics(net, hints))
    referrals = Referrals(net)
    diags.extend(cycle_diagnostics(referrals.graph, net.me.key))
    lasting = [d for d in diags if d.code != "person-unknown"]  # misspellings carry lines, which move
    if memo is None:
        if vault is not None and save:
            people_made = (net.people, net.index, referrals.referrers, hints, lasting)
            cache.save_people(vault, version, people_made, plain_data(referrals.graph))
        return net, referrals, diags, version
    memo.people = (identities, net, referrals, hints, lasting)
    memo.generation += 1
    return net, referrals, diags, memo.generation


def _digest_people(me: str, identities: list[tuple[object, ...]]) -> str:
    """Stands for the people, the graph and the pages made from them: it changes with
    any note field they are made from, and with the code."""
    import hashlib

    from .cache import code_fingerprint

    text = repr((code_fingerprint(), me, identities))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Made:
    """A sync's pages before they are written, and what goes with them."""

    pages: dict[str, bytes]
    digests: dict[str, str]  # of what some pages are made from (see `render`)
    summary: Summary
    diagnostics: list[Diagnostic]
    analysis: Analysis | None = None  # None when made from the ledger
    ledger: Ledger | None = None  # to keep for the next one-off run (only its changes, when made from it)


def render(
    analysis: Analysis, memo: Memo | None = None, kept: dict[str, tuple[str, bytes]] | None = None
) -> Made:
    """Every page, and digests of what some of them are made from.

    `kept` holds pages as the last run wrote them, with their digests: a page made from
    the same inputs is taken as it is rather than made again (most edits change only
    Follow-ups and Contacts, and the map is the dearest page to draw). A one-off run
    (no memo) makes Follow-ups and Contacts from the parts in a ledger, which it keeps.
    """
    from . import ledger as ledgers
    from .render import CONTACTS, FOLLOWUPS, PAGE_NAMES, View, render_pages

    fragments = stats = None
    if memo is not None:
        scope = (analysis.version, analysis.today, analysis.config)
        if memo.fragments_scope != scope:  # made for other people, another day, other settings
            memo.fragments, memo.stats, memo.fragments_scope = {}, {}, scope
        fragments, stats = memo.fragments, memo.stats
    view = View(
        analysis.net, analysis.referrals, analysis.items, analysis.today, analysis.config, fragments, stats
    )
    version = analysis.version
    made: dict[str, str] = {}
    ledger = None
    if memo is None and isinstance(version, str):
        ledger = ledgers.build(analysis, view)
        assembled = ledgers.assemble(ledger, analysis.today, analysis.config)
        made = {FOLLOWUPS: assembled.followups, CONTACTS: assembled.contacts}
        digests = assembled.digests
    else:
        digests = {}  # the watcher keeps pages in its memo instead
    reuse = {name for name, (made_from, _) in (kept or {}).items() if digests.get(name) == made_from}
    made.update(render_pages(view, memo.pages if memo is not None else None, version, skip={*reuse, *made}))
    pages = {
        name: kept[name][1] if kept and name in reuse else made[name].encode("utf-8") for name in PAGE_NAMES
    }
    return Made(pages, digests, Summary.of(analysis), analysis.diagnostics, analysis, ledger)


def _replay(
    root: Path,
    cfg: Config,
    day: date,
    entries: list[Entry],
    scan_diags: list[Diagnostic],
    kept: dict[str, tuple[str, bytes]],
) -> Made | None:
    """The pages from the last run's ledger and the notes changed since, if that is enough."""
    from . import cache
    from . import ledger as ledgers

    try:
        replayed = ledgers.replay(root, cfg, day, entries)
        return None if replayed is None else _made_from(replayed, cfg, day, scan_diags, kept)
    except cache.BAD:  # a ledger that checks out but does not add up (written by hand?)
        return None


def _made_from(
    replayed: Replayed,
    cfg: Config,
    day: date,
    scan_diags: list[Diagnostic],
    kept: dict[str, tuple[str, bytes]],
) -> Made:
    """The pages from a replayed ledger: Follow-ups and Contacts assembled from its parts,
    the others kept as they are or drawn again from its figures."""
    from . import ledger as ledgers
    from .render import CONTACTS, FOLLOWUPS, PAGE_NAMES, render_pages

    assembled = ledgers.assemble(replayed.ledger, day, cfg)
    pages = {FOLLOWUPS: assembled.followups.encode("utf-8"), CONTACTS: assembled.contacts.encode("utf-8")}
    stale = set()
    for name, made_from in assembled.digests.items():
        if kept.get(name, ("", b""))[0] == made_from:
            pages[name] = kept[name][1]
        else:
            stale.add(name)
    if stale:  # pages that show everyone, drawn from everyone's figures in the ledger
        view = replayed.view(assembled.items, day, cfg)
        drawn = render_pages(view, skip=set(PAGE_NAMES) - stale)
        pages.update((name, text.encode("utf-8")) for name, text in drawn.items())
    diags = [*scan_diags, *replayed.diagnostics]
    diags.sort(key=lambda d: (d.path, d.line, d.code, d.message))
    items = assembled.items
    summary = Summary(
        replayed.notes_read,
        replayed.people,
        sum(1 for i in items if i.due < day),
        sum(1 for i in items if i.due == day),
    )
    return Made(pages, assembled.digests, summary, diags, None, replayed.ledger)


def _digest(cfg: Config, day: date, entries: list[Entry], scan_diags: list[Diagnostic]) -> str:
    """Everything a sync's output depends on: the code, the settings, today, every note's
    stat, and what the walk found wrong (a broken link to a note changes no note)."""
    import hashlib

    from .cache import code_fingerprint

    h = hashlib.sha256(f"{code_fingerprint()}\0{cfg!r}\0{day.isoformat()}\0".encode())
    h.update(
        "\n".join(f"{e.path}\t{e.mtime_ns}\t{e.size}" for e in entries).encode("utf-8", "surrogateescape")
    )
    h.update("\0".join(map(str, scan_diags)).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


@_without_gc
def sync(
    vault: Path | str,
    *,
    today: date | None = None,
    config: Config | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    use_cache: bool = True,
    parallel: bool = True,
    memo: Memo | None = None,
    changed: tuple[str, ...] | None = None,
) -> SyncResult:
    """Read the vault and bring its pages up to date (or say what would change).

    When nothing a sync depends on has changed since the last one (the same code,
    settings and day, every note with the same mtime and size, every page as written),
    the pages are known to be current and the answer comes from the state file. When
    the notes changed since then change nobody's identity, the pages are made from the
    ledger the last one-off sync kept and those notes alone.

    `memo` and `changed` are for the watcher: what it kept from the last sync, and the
    notes modified since (None when it does not know, and the vault is walked again).
    """
    from .write import State, apply, plan

    scanned = _inputs(vault, config, memo, changed)
    root, cfg, entries, scan_diags = scanned
    day = today if today is not None else date.today()
    state = State.load(root)
    digest = _digest(cfg, day, entries, scan_diags)
    if use_cache and not force:
        known = state.unchanged_since(digest, root, entries)
        if known is not None:
            summary, diags, changes = known
            return SyncResult(Summary(*summary), day, changes, diags, dry_run)
    kept = state.kept_pages(root, cfg.output) if use_cache and memo is None else {}
    made = (
        _replay(root, cfg, day, entries, scan_diags, kept)
        if memo is None and use_cache and not force
        else None
    )
    if made is None:
        analysis = analyse(
            root,
            today=day,
            progress=progress,
            use_cache=use_cache,
            save_cache=not dry_run,
            parallel=parallel,
            scanned=scanned,
            memo=memo,
        )
        made = render(analysis, memo, kept)
    diagnostics = made.diagnostics
    changes = plan(root, cfg.output, made.pages, state, force=force)
    result = SyncResult(made.summary, day, changes, diagnostics, dry_run, made.analysis)
    if not dry_run:
        result.changes, write_diags = apply(root, changes, made.pages, state, cfg.output)
        diagnostics.extend(write_diags)
    for change in result.changes:
        if change.action == "skip" and change.reason and not any(d.path == change.page for d in diagnostics):
            diagnostics.append(Diagnostic(change.page, 0, "page-skipped", change.reason, "error"))
    if not dry_run:
        if use_cache:
            _keep(root, cfg, made)
        made_from = {f"{cfg.output}/{name}": d for name, d in made.digests.items()}
        run = (digest, [c.page for c in result.changes], result.summary, diagnostics, made_from)
        state.finish(root, run if use_cache and not result.skipped else None)
    return result


def _keep(root: Path, cfg: Config, made: Made) -> None:
    """Save the ledger for the next one-off run (or, for one replayed, its changes)."""
    from . import ledger as ledgers

    if made.ledger is None:
        return
    if made.analysis is None and not made.ledger.relined:  # made from the ledger: its changes
        ledgers.save_changes(root, made.ledger)
    else:
        ledgers.save(root, cfg, made.ledger)
