"""A cache can make a run faster, never different.

Small vaults built from what real users write (notesync's interview and contact notes,
kepano's `categories` notes, daily notes, target companies, `.notesync.toml`), then a
sequence of the edits people make between syncs. After each one, a sync that reuses the
store (a one-off `sync`) and a pass of a long-lived `Session` (as the watcher keeps one)
must give exactly the bytes of a fresh sync of a copy of the vault with an empty cache:
every file of the output folder, the `followups --json` output, the summary and the
diagnostics.

The focused tests at the end each pin one input that a stage's memo key (or the no-op
answer, `Session._unchanged`) must cover.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notesync import pipeline
from notesync.analysis import Analysis
from notesync.cli import main
from notesync.model import short_ids
from notesync.pipeline import Session, sync
from notesync.results import SyncResult
from notesync.rules import due_by
from notesync.store import CACHE_ENV

OUT = "notesync"
UPCOMING = 60  # `followups --upcoming`: list what falls due within this many days too

# --- running and comparing ----------------------------------------------------------------------


@contextlib.contextmanager
def cache_dir(path: Path) -> Iterator[None]:
    """Stores under `path` for the commands run inside."""
    old = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = old


def output_files(vault: Path) -> dict[str, bytes]:
    """Every file of the output folder, by path inside it."""
    out = vault / OUT
    if not out.is_dir():
        return {}
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def followups_cli(vault: Path, day: date) -> str:
    """What `notesync followups VAULT --today DAY --json --upcoming N` prints."""
    result = CliRunner().invoke(
        main, ["followups", str(vault), "--today", day.isoformat(), "--json", "--upcoming", str(UPCOMING)]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def followups_json(analysis: Analysis) -> str:
    """What `followups --json` prints, from an analysis (the watcher's session)."""
    items = due_by(analysis.items, analysis.today, UPCOMING)
    ids = short_ids(analysis.items)
    rows = [i.to_dict(analysis.today, ids[i.uid]) for i in items]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Outcome:
    pages: dict[str, bytes]
    followups: str
    facts: tuple[Any, ...]  # the summary, the diagnostics and the hints the run reported


def facts(result: SyncResult) -> tuple[Any, ...]:
    return (result.summary, tuple(str(d) for d in result.diagnostics), tuple(result.hints))


def vault_digest(vault: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(vault.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(vault).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


class Fresh:
    """Fresh syncs of copies of a vault (same folder name, so the same vault name), each
    with an empty cache folder; remembered by the vault's bytes and the day."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self.known: dict[tuple[str, date], Outcome] = {}

    def of(self, vault: Path, day: date) -> Outcome:
        key = (vault_digest(vault), day)
        if key not in self.known:
            self.count += 1
            dest = self.root / f"fresh{self.count}" / vault.name
            shutil.copytree(vault, dest, symlinks=True)
            with cache_dir(self.root / f"fresh-cache{self.count}"):
                listed = followups_cli(dest, day)
                result = sync(dest, today=day, use_cache=False)
            self.known[key] = Outcome(output_files(dest), listed, facts(result))
            shutil.rmtree(dest.parent, ignore_errors=True)
        return self.known[key]


def differences(got: Outcome, want: Outcome) -> str:
    """What differs, readably ("" when nothing does)."""
    out: list[str] = []
    for name in sorted(set(got.pages) | set(want.pages)):
        a, b = got.pages.get(name), want.pages.get(name)
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"{name}: {'missing' if a is None else 'extra'}")
            continue
        diff = difflib.unified_diff(
            b.decode("utf-8", "replace").splitlines(),
            a.decode("utf-8", "replace").splitlines(),
            f"fresh/{name}",
            f"cached/{name}",
            lineterm="",
            n=1,
        )
        out.append("\n".join(list(diff)[:40]))
    if got.followups != want.followups:
        diff = difflib.unified_diff(
            want.followups.splitlines(), got.followups.splitlines(), "fresh followups", "cached", lineterm=""
        )
        out.append("\n".join(list(diff)[:40]))
    if got.facts != want.facts:
        out.append(f"summary/diagnostics/hints:\n  cached {got.facts}\n  fresh  {want.facts}")
    return "\n".join(out)


def assert_same_as_fresh(
    vault: Path, day: date, result: SyncResult, tmp: Path, listed: str | None = None
) -> None:
    """For the focused tests: the pages (and what `followups --json` says) as a fresh sync's."""
    got = Outcome(
        output_files(vault), listed if listed is not None else followups_cli(vault, day), facts(result)
    )
    want = Fresh(tmp / f"fresh-{time.monotonic_ns()}").of(vault, day)
    problems = differences(got, want)
    assert not problems, problems


# --- what users write ---------------------------------------------------------------------------

# Names that collide, alias each other and differ only in case or accents (and one in NFD).
NAMES = [
    "Jane Smith",
    "jane smith",
    "Jane S.",
    "Tom Lee",
    "Tom",
    "José Núñez",
    "Jose Nunez",
    "Zoë Ångström",
    "Zoe Angstrom",
    "Ann Chu",
    "Mei Wong",
]
NFD = unicodedata.normalize("NFD", "José Núñez")
LINK_NAMES = [*NAMES, NFD]
ALIASES = ["Jane S.", "JS", "Tom", "Tommy", "Jose Nunez", "Zoe Angstrom", "jane smith"]
COMPANIES = ["Fabrikam", "Contoso", "contoso", "Northwind Traders"]
DAY0 = date(2026, 11, 1)
TODAYS = [
    date(2026, 11, 20),
    date(2026, 11, 26),
    date(2026, 12, 3),
    date(2026, 12, 31),  # the drafts' year changes the next day
    date(2027, 1, 4),
    date(2027, 2, 15),
]
ACTION_TEXTS = ["Send CV", "Send CV", "Read the book", "Email [[Tom Lee]]", "Ask [[Jane Smith]] for intro"]

days = st.integers(0, 75).map(lambda n: DAY0 + timedelta(days=n))
iso = days.map(date.isoformat)


def q(text: str) -> str:
    """A YAML (and TOML) string."""
    return json.dumps(text, ensure_ascii=False)


def flow(items: list[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


names = st.sampled_from(NAMES)
wikilinks = st.builds(
    lambda name, form: form.format(name),
    st.sampled_from(LINK_NAMES),
    st.sampled_from(["[[{}]]", "[[{}]]", "[[People/{}]]", "[[{}|them]]"]),
)
links = wikilinks | st.sampled_from(NAMES)  # a bare name is a mention too
maybe = st.none  # a property removed


def prop(key: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str | None]]:
    return st.tuples(st.just(key), values | maybe())


actions_list = st.lists(
    st.one_of(
        st.sampled_from(ACTION_TEXTS).map(q),
        st.builds(
            lambda t, d: "{" + f'"text": {q(t)}, "due": {q(d)}' + "}", st.sampled_from(ACTION_TEXTS), iso
        ),
        st.builds(lambda t: "{" + f'"text": {q(t)}, "done": true' + "}", st.sampled_from(ACTION_TEXTS)),
    ),
    min_size=1,
    max_size=3,
).map(lambda items: "[" + ", ".join(items) + "]")

CONVERSATION_PROPS = st.one_of(
    prop("status", st.sampled_from(["requested", "scheduled", "done", "declined"])),
    prop("date", iso),
    prop("contact", links.map(q) | st.lists(wikilinks, min_size=2, max_size=3).map(flow)),
    prop("referrer", links.map(q)),
    prop("referrals", st.lists(links, min_size=1, max_size=3).map(flow)),
    prop("thanked", st.just("true") | iso | st.lists(wikilinks, min_size=1, max_size=2).map(flow)),
    prop("referrer_updated", st.just("true") | iso),
    prop("followed_up", iso),
    prop("prepared", st.just("true") | iso),
    prop("company", st.sampled_from(COMPANIES)),
    prop("role", st.sampled_from(["Engineer", "UX Research Lead"])),
    prop("actions", actions_list),
)
CONTACT_PROPS = st.one_of(
    prop("company", st.sampled_from(COMPANIES)),
    prop("role", st.sampled_from(["Engineer", "Account Executive"])),
    prop("aliases", st.lists(st.sampled_from(ALIASES), min_size=1, max_size=2).map(flow)),
    prop("keep_in_touch", st.sampled_from(["30", "90", "7"])),
    prop("last_contact", iso),
    prop("source", st.just("linkedin")),
    prop("referrer", links.map(q)),
    prop("email", st.just("someone@example.com")),
)
OTHER_PROPS = st.one_of(
    prop("type", st.sampled_from(["interview", "contact", "company", "meeting"])),
    prop("categories", st.sampled_from(['["[[People]]"]', '["[[Meetings]]"]', '["[[Companies]]"]'])),
    prop("people", st.lists(wikilinks, min_size=1, max_size=3).map(flow)),
    prop("target", st.just("true")),
    prop("notesync", st.just("ignore")),
)
ANY_PROP = st.one_of(CONVERSATION_PROPS, CONTACT_PROPS, OTHER_PROPS)

# Edits of a note's text as a whole: a box ticked in the note, a thought added, line ends
# as Windows writes them, a property typed twice, front-matter that is not YAML, and a save
# that changes nothing (a new stat, the same bytes).
TEXT_EDITS = ["tick a task", "a thought", "crlf", "duplicate property", "broken yaml", "touch"]

task_lines = st.builds(
    lambda status, text, due: f"- [{status}] {text}" + (f" 📅 {due}" if due else ""),
    st.sampled_from([" ", " ", "x"]),
    st.sampled_from(ACTION_TEXTS),
    iso | st.none(),
)


@dataclass(frozen=True)
class NoteSpec:
    folder: str
    title: str
    props: tuple[tuple[str, str], ...]
    body: str

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.title}.md"

    def text(self) -> str:
        if not self.props:
            return self.body
        return "---\n" + "".join(f"{k}: {v}\n" for k, v in self.props) + "---\n" + self.body


def _props(base: list[tuple[str, str]], extra: list[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    out = dict(base)
    for key, value in extra:
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return tuple(out.items())


@st.composite
def interview_notes(draw: st.DrawFn) -> NoteSpec:
    who = draw(st.lists(wikilinks, min_size=1, max_size=3))
    day = draw(days)
    base = [("contact", q(who[0]) if len(who) == 1 else flow(who)), ("date", day.isoformat())]
    if draw(st.booleans()) or draw(st.booleans()):
        base.insert(0, ("type", "interview"))  # else a `contact` property and no type
    extra = draw(st.lists(CONVERSATION_PROPS, max_size=6))
    tasks = draw(st.lists(task_lines, max_size=3))
    title = f"{day.isoformat()} {draw(names)}" + draw(st.sampled_from(["", "", " (request)"]))
    body = "## Notes\n" + "".join(t + "\n" for t in tasks)
    return NoteSpec(
        draw(st.sampled_from(["Interviews", "Interviews", "Archive"])), title, _props(base, extra), body
    )


@st.composite
def contact_notes(draw: st.DrawFn) -> NoteSpec:
    marker = draw(
        st.sampled_from(
            [("type", "contact"), ("type", "contact"), ("categories", '["[[People]]"]'), ("tags", "[person]")]
        )
    )
    extra = draw(st.lists(CONTACT_PROPS, max_size=5))
    title = draw(st.sampled_from([*NAMES, NFD]))  # (two files, one name: NFC and NFD)
    return NoteSpec("People", title, _props([marker], extra), "A person.\n")


@st.composite
def meeting_notes(draw: st.DrawFn) -> NoteSpec:
    """kepano's vault: `categories: ["[[Meetings]]"]` with `people:`."""
    who = draw(st.lists(wikilinks, min_size=1, max_size=3))
    day = draw(days)
    base = [("categories", '["[[Meetings]]"]'), ("people", flow(who)), ("date", day.isoformat())]
    extra = draw(
        st.lists(
            st.one_of(prop("org", st.sampled_from(COMPANIES)), prop("status", st.just("done"))), max_size=2
        )
    )
    return NoteSpec("Meetings", f"{day.isoformat()} Meeting", _props(base, extra), "")


@st.composite
def daily_notes(draw: st.DrawFn) -> NoteSpec:
    day = draw(days)
    who = draw(wikilinks)
    body = f"Coffee with {who}.\n" + "".join(t + "\n" for t in draw(st.lists(task_lines, max_size=2)))
    return NoteSpec("Daily", day.isoformat(), (), body)


@st.composite
def company_notes(draw: st.DrawFn) -> NoteSpec:
    marker = draw(st.sampled_from([("type", "company"), ("categories", '["[[Companies]]"]')]))
    return NoteSpec("Companies", draw(st.sampled_from(COMPANIES)), (marker, ("target", "true")), "")


@st.composite
def other_notes(draw: st.DrawFn) -> NoteSpec:
    """A plan with tasks that link someone, and one with nothing at all."""
    tasks = draw(st.lists(task_lines, min_size=1, max_size=3))
    return NoteSpec(
        "", draw(st.sampled_from(["Job search plan", "Shopping list"])), (), "".join(t + "\n" for t in tasks)
    )


notes = st.one_of(
    interview_notes(),
    interview_notes(),
    contact_notes(),
    contact_notes(),
    meeting_notes(),
    daily_notes(),
    company_notes(),
    other_notes(),
)


@st.composite
def settings_files(draw: st.DrawFn) -> str:
    """A `.notesync.toml` with targets and rules."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(
            f"targets = {json.dumps(draw(st.lists(st.sampled_from(COMPANIES), min_size=1, max_size=2)))}"
        )
    for key, values in (
        ("upcoming_days", ["3", "14"]),
        ("long_overdue_days", ["5", "60"]),
        ("me", ['"Jane Smith"']),
        ("write_back", ["false"]),
        ("calendar", ["false"]),
    ):
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"{key} = {draw(st.sampled_from(values))}")
    rules = draw(
        st.lists(
            st.sampled_from(
                [
                    "thank_you = 3",
                    "thank_you = false",
                    "no_response = 3",
                    "no_response = false",
                    "keep_in_touch = 30",
                    "keep_in_touch = false",
                    "business_days = true",
                    "contact_referral = 2",
                    "update_referrer = false",
                    "prepare = 3",
                    "record_outcome = false",
                    "move_on = 2",
                    "action = false",
                ]
            ),
            max_size=3,
            unique_by=lambda r: r.split(" = ")[0],
        )
    )
    if rules:
        lines += ["", "[rules]", *rules]
    if draw(st.integers(0, 3)) == 0:
        lines += ["", "[contacts]", 'folders = ["People"]']
    if draw(st.integers(0, 3)) == 0:
        lines += ["", "[properties]", 'company = ["Employer"]']
    return "\n".join(lines) + "\n"


DAILY_SETTINGS = ['{"folder": "Daily", "format": "YYYY-MM-DD"}', '{"folder": "Journal"}']


@dataclass(frozen=True)
class VaultSpec:
    notes: tuple[NoteSpec, ...]
    settings: str | None
    daily: str | None  # .obsidian/daily-notes.json
    today: date


vaults = st.builds(
    VaultSpec,
    st.lists(notes, min_size=2, max_size=12).map(tuple),
    settings_files() | st.none(),
    st.sampled_from(DAILY_SETTINGS) | st.none() | st.none(),
    st.sampled_from(TODAYS),
)

operations = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 50), ANY_PROP),
    st.tuples(st.just("edit"), st.integers(0, 50), CONVERSATION_PROPS),
    st.tuples(st.just("task"), st.integers(0, 50), task_lines),
    st.tuples(st.just("text"), st.integers(0, 50), st.sampled_from(TEXT_EDITS)),
    st.tuples(st.just("add"), notes),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("rename"), st.integers(0, 50), names, st.sampled_from(["", "Archive"])),
    st.tuples(st.just("settings"), settings_files() | st.none()),
    st.tuples(st.just("daily settings"), st.sampled_from(DAILY_SETTINGS) | st.none()),
    st.tuples(st.just("today"), st.sampled_from(TODAYS)),
    st.tuples(st.just("tick"), st.integers(0, 50)),
    st.tuples(st.just("tick"), st.integers(0, 50)),
)
# how each step's syncs are run (see `_run`)
variants = st.sampled_from(
    ["plain", "plain", "plain", "plain", "dry run first", "another command first", "forced"]
)
steps = st.lists(st.tuples(operations, variants), min_size=1, max_size=8)


# --- applying them --------------------------------------------------------------------------------


class Clock:
    """How old the vault's files look to a run. `settled`: the runs happen well after every
    edit (each edit with an mtime of its own), so a note's stat vouches for it and the store
    is trusted without reading; otherwise every edit is racy and its bytes must vouch."""

    def __init__(self, settled: bool) -> None:
        self.settled = settled
        self.next_ns = (time.time_ns() // 10**9 - 86_400) * 10**9

    def touched(self, path: Path) -> None:
        if self.settled and path.exists():
            self.next_ns += 1_000_000_007  # distinct from every other edit
            os.utime(path, ns=(self.next_ns, self.next_ns))

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        if not self.settled:
            yield
            return

        class Later:
            @staticmethod
            def time_ns() -> int:
                return time.time_ns() + 3_600 * 10**9

        with mock.patch.object(pipeline, "time", Later):
            yield


def write(path: Path, text: str, clock: Clock) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    clock.touched(path)


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def free(vault: Path, rel: str) -> str:
    """`rel`, or `rel` with a number when a note has that path already."""
    stem, n = rel[:-3], 2
    while (vault / rel).exists():
        rel = f"{stem} {n}.md"
        n += 1
    return rel


def build(vault: Path, spec: VaultSpec, clock: Clock) -> None:
    vault.mkdir(parents=True)
    for note in spec.notes:
        write(vault / free(vault, note.path.lstrip("/")), note.text(), clock)
    if spec.settings is not None:
        (vault / ".notesync.toml").write_text(spec.settings, "utf-8")
    if spec.daily is not None:
        write(vault / ".obsidian" / "daily-notes.json", spec.daily, clock)


def note_paths(vault: Path) -> list[str]:
    out = []
    for path in sorted(vault.rglob("*.md")):
        rel = path.relative_to(vault).as_posix()
        if not rel.startswith((f"{OUT}/", ".")):
            out.append(rel)
    return out


def set_property(text: str, key: str, value: str | None) -> str:
    """The note with `key: value` in its front-matter (replacing the key's lines), or
    without the key when `value` is None."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            head, rest = text[4 : end + 1], text[end + 1 :]
            kept: list[str] = []
            dropping = False
            for line in head.splitlines(keepends=True):
                if dropping and line.startswith((" ", "\t", "-")):
                    continue
                dropping = line.split(":", 1)[0].strip() == key
                if not dropping:
                    kept.append(line)
            if value is not None:
                kept.append(f"{key}: {value}\n")
            return "---\n" + "".join(kept) + rest
    return text if value is None else f"---\n{key}: {value}\n---\n" + text


def edit_text(text: str, how: str) -> str:
    if how == "tick a task":
        return text.replace("- [ ]", "- [x]", 1)
    if how == "a thought":
        return text + "\nA thought about [[Tom Lee]].\n"
    if how == "crlf":
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    if how == "duplicate property":
        return (
            text.replace("---\n", "---\nstatus: done\nStatus: declined\n", 1)
            if text.startswith("---\n")
            else text
        )
    if how == "broken yaml":
        return text.replace("---\n", "---\ncontact: [[unclosed\n", 1) if text.startswith("---\n") else text
    if how == "touch":
        return text
    raise AssertionError(how)


def tick(vault: Path, n: int, clock: Clock) -> bool:
    """Tick the n-th open item of Follow-ups.md (modulo how many there are), as in Obsidian."""
    page = vault / OUT / "Follow-ups.md"
    if not page.exists():
        return False
    lines = page.read_text("utf-8").split("\n")
    open_items = [
        i for i, line in enumerate(lines) if line.lstrip("> ").startswith("- [ ] ") and " ^" in line
    ]
    if not open_items:
        return False
    at = open_items[n % len(open_items)]
    lines[at] = lines[at].replace("- [ ]", "- [x]", 1)
    page.write_text("\n".join(lines), "utf-8")
    clock.touched(page)
    return True


def apply(vault: Path, op: tuple[Any, ...], clock: Clock) -> tuple[str, ...] | None:
    """Make the edit; what the watcher would pass as `changed`: the notes modified in
    place, () for a box ticked on Follow-ups.md, None when it walks the vault."""
    kind = op[0]
    paths = note_paths(vault)
    if kind in ("edit", "task", "text", "delete", "rename") and not paths:
        return None
    if kind == "edit":
        rel = paths[op[1] % len(paths)]
        key, value = op[2]
        write(vault / rel, set_property(read(vault / rel), key, value), clock)
        return (rel,)
    if kind == "task":
        rel = paths[op[1] % len(paths)]
        text = read(vault / rel)
        write(vault / rel, text + ("" if text.endswith("\n") or not text else "\n") + op[2] + "\n", clock)
        return (rel,)
    if kind == "text":
        rel = paths[op[1] % len(paths)]
        write(vault / rel, edit_text(read(vault / rel), op[2]), clock)
        return (rel,)
    if kind == "add":
        note: NoteSpec = op[1]
        write(vault / free(vault, note.path.lstrip("/")), note.text(), clock)
        return None
    if kind == "delete":
        (vault / paths[op[1] % len(paths)]).unlink()
        return None
    if kind == "rename":
        rel = paths[op[1] % len(paths)]
        folder = op[3] or rel.rpartition("/")[0]
        stem = rel.rpartition("/")[2][:-3]
        title = f"{stem[:10]} {op[2]}" if stem[:4].isdigit() and len(stem) > 10 else op[2]
        dest = free(vault, f"{folder}/{title}.md".lstrip("/"))
        (vault / dest).parent.mkdir(parents=True, exist_ok=True)
        os.rename(vault / rel, vault / dest)
        clock.touched(vault / dest)
        return None
    if kind == "settings":
        path = vault / ".notesync.toml"
        if op[1] is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(op[1], "utf-8")
        return None
    if kind == "daily settings":
        path = vault / ".obsidian" / "daily-notes.json"
        if op[1] is None:
            path.unlink(missing_ok=True)
        else:
            write(path, op[1], clock)
        return None
    if kind == "today":
        return None
    if kind == "tick":
        tick(vault, op[1], clock)
        return ()
    raise AssertionError(kind)


# --- the property ---------------------------------------------------------------------------------


def check(history: list[str], how: str, got: Outcome, want: Outcome) -> None:
    problems = differences(got, want)
    assert not problems, f"{how}, after:\n  " + "\n  ".join(history) + "\n" + problems


# NOTESYNC_FUZZ_EXAMPLES=5000 for a longer, random hunt (the default run is deterministic)
HUNT = int(os.environ.get("NOTESYNC_FUZZ_EXAMPLES", "0"))


@settings(
    max_examples=HUNT or 60,
    deadline=None,
    derandomize=not HUNT,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=vaults, steps=steps, settled=st.booleans())
def test_syncs_that_reuse_the_store_equal_fresh_syncs(
    tmp_path_factory: pytest.TempPathFactory, spec: VaultSpec, steps: list[tuple[Any, ...]], settled: bool
) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    try:
        _run(root, spec, steps, Clock(settled))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run(root: Path, spec: VaultSpec, steps: list[tuple[Any, ...]], clock: Clock) -> None:
    one_off = root / "one-off" / "vault"  # synced by one-off runs (the store)
    watched = root / "watched" / "vault"  # synced by one long-lived session (the watcher)
    build(one_off, spec, clock)
    build(watched, spec, clock)
    fresh = Fresh(root)
    day = spec.today
    history = [f"start on {day}"]
    with cache_dir(root / "cache"), clock.running():
        session = Session(watched, what="notesync watch")
        try:
            changed: tuple[str, ...] | None = None
            for step, how in [(None, "plain"), *steps]:
                if step is not None:
                    if step[0] == "today":
                        day = step[1]
                    changed = apply(watched, step, clock)
                    apply(one_off, step, clock)
                    history.append(f"{step!r} ({how})")
                # one-off runs: a dry run or `followups` first, or a forced sync
                if how == "dry run first":
                    sync(one_off, today=day, dry_run=True)
                elif how == "another command first":
                    followups_cli(one_off, day)
                result = sync(one_off, today=day, force=how == "forced")
                got = Outcome(output_files(one_off), followups_cli(one_off, day), facts(result))
                check(history, "one-off sync with the store", got, fresh.of(one_off, day))
                # the watcher's session: a dry run first, or a one-off sync of the same vault
                # (its own session, the same store) while it watches, or a forced pass
                if how == "dry run first":
                    session.sync(today=day, changed=changed, dry_run=True)
                elif how == "another command first":
                    # what it records of ticked items reaches the watcher as events too
                    other = sync(watched, today=day)
                    if any(r.created for r in other.recorded):
                        changed = None
                    elif changed is not None:
                        changed = tuple(sorted({*changed, *(r.path for r in other.recorded if r.edit)}))
                passed = session.sync(today=day, changed=changed, force=how == "forced")
                listed = followups_json(session.analyse(today=day))
                got = Outcome(output_files(watched), listed, facts(passed))
                check(history, f"watcher's session (changed={changed})", got, fresh.of(watched, day))
        finally:
            session.close()


# --- the inputs each memo key (and the no-op answer) must cover ------------------------------------

DAY = date(2026, 11, 21)
TOM = "Interviews/2026-11-20 Tom Lee.md"
TOM_NOTE = (
    '---\ntype: interview\ncontact: "[[Tom Lee]]"\ndate: 2026-11-20\nstatus: done\ncompany: Fabrikam\n---\n'
)
THANKS = "Thank-you note.md"


def template_vault(root: Path, template: str, folder: str = "Templates") -> Path:
    """A conversation owed a thank-you (so the calendar drafts the message), and the
    vault's own thank-you template in its templates folder."""
    vault = root / "vault"
    (vault / "Interviews").mkdir(parents=True)
    (vault / TOM).write_text(TOM_NOTE, "utf-8")
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text(json.dumps({"folder": folder}), "utf-8")
    (vault / folder).mkdir(parents=True)
    (vault / folder / THANKS).write_text(template, "utf-8")
    return vault


def calendar_text(vault: Path) -> str:
    """Follow-ups.ics with its folded lines joined."""
    return (vault / OUT / "Follow-ups.ics").read_bytes().decode("utf-8").replace("\r\n ", "")


def run(
    how: str, vault: Path, day: date, session: Session | None, changed: tuple[str, ...] | None = None
) -> SyncResult:
    if how == "one-off":
        return sync(vault, today=day)
    assert session is not None
    return session.sync(today=day, changed=changed)


HOW = ["one-off", "session"]


@pytest.mark.parametrize("how", HOW)
def test_an_edited_message_template_reaches_the_calendar(tmp_path: Path, how: str) -> None:
    vault = template_vault(tmp_path, "Dear {{contact_first}} thank you.\n")
    session = Session(vault) if how == "session" else None
    try:
        run(how, vault, DAY, session)
        assert "Dear Tom thank you." in calendar_text(vault)
        (vault / "Templates" / THANKS).write_text("Hello {{contact_first}}, many thanks!\n", "utf-8")
        result = run(how, vault, DAY, session, ("Templates/" + THANKS,))
        assert_same_as_fresh(vault, DAY, result, tmp_path)
    finally:
        if session is not None:
            session.close()


def test_swapping_the_templates_folders_reaches_the_calendar(tmp_path: Path) -> None:
    vault = template_vault(tmp_path, "From Templates: thanks {{contact_first}}.\n")
    (vault / "Meta").mkdir()
    (vault / "Meta" / THANKS).write_text("From Meta: thanks {{contact_first}}.\n", "utf-8")
    plugin = vault / ".obsidian" / "plugins" / "templater-obsidian"
    plugin.mkdir(parents=True)
    (plugin / "data.json").write_text(json.dumps({"templates_folder": "Meta"}), "utf-8")
    sync(vault, today=DAY)
    assert "From Templates" in calendar_text(vault)
    (vault / ".obsidian" / "templates.json").write_text(json.dumps({"folder": "Meta"}), "utf-8")
    (plugin / "data.json").write_text(json.dumps({"templates_folder": "Templates"}), "utf-8")
    result = sync(vault, today=DAY)
    assert_same_as_fresh(vault, DAY, result, tmp_path)


@pytest.mark.parametrize("how", HOW)
def test_a_template_that_says_the_date_is_drafted_anew_each_day(tmp_path: Path, how: str) -> None:
    vault = template_vault(tmp_path, "Dear {{contact_first}} thank you. ({{date}} {{date:dddd}})\n")
    session = Session(vault) if how == "session" else None
    try:
        run(how, vault, DAY, session)
        assert "(2026-11-21 Saturday)" in calendar_text(vault)
        later = DAY + timedelta(days=1)
        result = run(how, vault, later, session)
        assert_same_as_fresh(vault, later, result, tmp_path)
    finally:
        if session is not None:
            session.close()


@pytest.mark.parametrize("variable", ["{{Date}}", "{{DATE:dddd}}", "{{time:YYYY-MM-DD}}"])
def test_a_template_that_says_the_date_any_way_is_drafted_anew_each_day(
    tmp_path: Path, variable: str
) -> None:
    vault = template_vault(tmp_path, f"Dear {{{{contact_first}}}} thank you. ({variable})\n")
    sync(vault, today=DAY)
    later = DAY + timedelta(days=1)
    result = sync(vault, today=later)
    assert_same_as_fresh(vault, later, result, tmp_path)


def test_a_template_that_says_the_year_is_drafted_anew_each_year(tmp_path: Path) -> None:
    """(What the `_drafts` key does cover: the year, which `spoken_date` writes.)"""
    vault = template_vault(tmp_path, "Dear {{contact_first}} thank you for {{when}}.\n")
    (vault / TOM).write_text(TOM_NOTE.replace("2026-11-20", "2026-12-30"), "utf-8")
    sync(vault, today=date(2026, 12, 31))
    result = sync(vault, today=date(2027, 1, 1))
    assert_same_as_fresh(vault, date(2027, 1, 1), result, tmp_path)


@pytest.mark.parametrize("how", HOW)
def test_daily_notes_settings_are_an_input(tmp_path: Path, how: str) -> None:
    """.obsidian/daily-notes.json decides which notes are daily notes (the `Reading` the
    rows are kept by, and the run key through the settings)."""
    vault = tmp_path / "vault"
    (vault / "Journal").mkdir(parents=True)
    (vault / "Journal" / "2026-11-20.md").write_text("Coffee with [[Tom Lee]].\n", "utf-8")
    (vault / "Interviews").mkdir()
    (vault / TOM).write_text(TOM_NOTE.replace("2026-11-20", "2026-08-01"), "utf-8")
    (vault / ".obsidian").mkdir()
    settings_file = vault / ".obsidian" / "daily-notes.json"
    settings_file.write_text(json.dumps({"folder": "Daily"}), "utf-8")
    session = Session(vault) if how == "session" else None
    try:
        run(how, vault, DAY, session)
        settings_file.write_text(json.dumps({"folder": "Journal"}), "utf-8")
        result = run(how, vault, DAY, session)
        assert_same_as_fresh(vault, DAY, result, tmp_path)
        settings_file.unlink()
        result = run(how, vault, DAY, session)
        assert_same_as_fresh(vault, DAY, result, tmp_path)
    finally:
        if session is not None:
            session.close()


@pytest.mark.parametrize("how", HOW)
def test_excluded_files_are_an_input(tmp_path: Path, how: str) -> None:
    """.obsidian/app.json's "Excluded files" decide which notes the walk finds."""
    vault = tmp_path / "vault"
    (vault / "Archive").mkdir(parents=True)
    (vault / "Archive" / "2026-11-20 Ann Chu.md").write_text(TOM_NOTE.replace("Tom Lee", "Ann Chu"), "utf-8")
    (vault / "Interviews").mkdir()
    (vault / TOM).write_text(TOM_NOTE, "utf-8")
    (vault / ".obsidian").mkdir()
    app = vault / ".obsidian" / "app.json"
    session = Session(vault) if how == "session" else None
    try:
        run(how, vault, DAY, session)
        for filters in (["Archive/"], ["/ann/"], []):
            app.write_text(json.dumps({"userIgnoreFilters": filters}), "utf-8")
            result = run(how, vault, DAY, session)
            assert_same_as_fresh(vault, DAY, result, tmp_path)
    finally:
        if session is not None:
            session.close()


def test_setting_a_templates_folder_is_an_input(tmp_path: Path) -> None:
    """.obsidian/templates.json takes its folder out of the walk: its notes stop counting."""
    vault = tmp_path / "vault"
    (vault / "Meta").mkdir(parents=True)
    (vault / "Meta" / "Interview note.md").write_text(TOM_NOTE.replace("Tom Lee", "{{title}}"), "utf-8")
    (vault / "Interviews").mkdir()
    (vault / TOM).write_text(TOM_NOTE, "utf-8")
    sync(vault, today=DAY)
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text(json.dumps({"folder": "Meta"}), "utf-8")
    result = sync(vault, today=DAY)
    assert_same_as_fresh(vault, DAY, result, tmp_path)


OBSIDIAN_WALK_SETTINGS = {
    "excluded files": (".obsidian/app.json", {"userIgnoreFilters": ["Archive/"]}),
    "templates folder": (".obsidian/templates.json", {"folder": "Archive"}),
}


@pytest.mark.parametrize("setting", sorted(OBSIDIAN_WALK_SETTINGS))
def test_a_watchers_pass_after_obsidian_settings_change_what_is_walked(tmp_path: Path, setting: str) -> None:
    vault = tmp_path / "vault"
    (vault / "Archive").mkdir(parents=True)
    (vault / "Archive" / "2026-11-20 Ann Chu.md").write_text(TOM_NOTE.replace("Tom Lee", "Ann Chu"), "utf-8")
    (vault / "Interviews").mkdir()
    (vault / TOM).write_text(TOM_NOTE, "utf-8")
    session = Session(vault, what="notesync watch")
    try:
        session.sync(today=DAY)
        rel, value = OBSIDIAN_WALK_SETTINGS[setting]
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(json.dumps(value), "utf-8")  # (no event: a hidden folder)
        (vault / TOM).write_text(TOM_NOTE.replace("Fabrikam", "Contoso"), "utf-8")  # an event
        result = session.sync(today=DAY, changed=(TOM,))
        assert_same_as_fresh(vault, DAY, result, tmp_path)
    finally:
        session.close()


def test_a_watcher_and_a_command_reading_notes_two_ways_share_no_rows(tmp_path: Path) -> None:
    """Obsidian's daily notes folder switched (no event for the watcher), a command run,
    switched back, a note saved (the watcher passes), switched again, a command run."""
    vault = tmp_path / "vault"
    journal = "Journal/2026-11-25.md"  # a daily note only when the daily notes folder is Journal
    (vault / "Journal").mkdir(parents=True)
    (vault / journal).write_text("Coffee with [[Tom Lee]].\n", "utf-8")
    (vault / "Interviews").mkdir()
    (vault / TOM).write_text(TOM_NOTE.replace("2026-11-20", "2026-08-01"), "utf-8")
    (vault / ".obsidian").mkdir()
    daily = vault / ".obsidian" / "daily-notes.json"
    other, journals = json.dumps({"folder": "Daily"}), json.dumps({"folder": "Journal"})
    day = date(2026, 11, 26)
    daily.write_text(other, "utf-8")
    watcher = Session(vault, what="notesync watch")
    try:
        watcher.sync(today=day)
        daily.write_text(journals, "utf-8")
        sync(vault, today=day)  # labels the store's rows as read with Journal
        daily.write_text(other, "utf-8")
        (vault / journal).write_text("Coffee with [[Tom Lee]]. Good chat.\n", "utf-8")
        watcher.sync(today=day, changed=(journal,))  # the watcher reads it the other way
    finally:
        watcher.close()
    daily.write_text(journals, "utf-8")
    result = sync(vault, today=day)
    assert_same_as_fresh(vault, day, result, tmp_path)


# --- what a new process makes again: no key may follow the string hash seed ----------------------------

COUNT_PARTS = """
import sys
from datetime import date
from pathlib import Path

from notesync import parts
from notesync.pipeline import sync

made = []
make_part = parts.make_part
parts.make_part = lambda *args: made.append(args[1]) or make_part(*args)
sync(Path(sys.argv[1]), today=date(2026, 11, 26))
print(len(made))
"""


def test_a_new_referral_redoes_only_the_buckets_it_touches_in_a_new_process(tmp_path: Path) -> None:
    from .conftest import EXAMPLE, ROOT

    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))

    def parts_made(seed: str) -> int:
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", COUNT_PARTS, str(vault)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return int(done.stdout.split()[-1])

    parts_made("1")
    tom = vault / "Interviews" / "2026-11-20 Tom Lee.md"
    tom.write_text(
        tom.read_text("utf-8").replace('["[[Mei Wong]]"]', '["[[Mei Wong]]", "[[Nadia Ortiz]]"]'), "utf-8"
    )
    # Tom's note's buckets (Tom's, and his referrer Jane's) and Nadia's, as in the same
    # process (see test_incremental.test_a_new_referral_redoes_only_the_buckets_it_touches)
    assert parts_made("2") == 3


def test_a_key_part_stands_for_a_tuple_of_named_tuples_and_plain_values() -> None:
    from notesync.memo import digest_value
    from notesync.reading import Reading, with_settings

    assert digest_value(Reading()) == digest_value(Reading())
    assert digest_value(Reading()) != digest_value(with_settings(names={"company": ("Employer",)}))


def test_items_recorded_done_compare_by_what_they_hold() -> None:
    from notesync.model import FollowUp
    from notesync.parts import Finished

    day = date(2026, 11, 20)
    one = FollowUp("thank-you", "Jane Doe", day, "Thank Jane Doe", "a.md", 1)
    same = FollowUp("thank-you", "".join(["Jane", " Doe"]), day, "Thank Jane Doe", "a.md", 1)  # another str
    a, b = Finished.of([(one, day), (one, day)]), Finished.of([(one, day), (same, day)])
    assert a.packed != b.packed and a == b and hash(a) == hash(b)
    assert a != Finished.of([(one, day)]) and repr(a) == repr(b)
    assert a.between(day, day) == [(one, day)] * 2 and a.between(date(2026, 11, 21), date(2026, 12, 1)) == []
