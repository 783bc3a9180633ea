"""What a run reuses must make it faster, never different: after every kind of edit, a
sync that reuses the memo (one-off runs, through the store; the watcher, in memory)
gives exactly the pages and diagnostics of a sync that reuses nothing."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from notesync import parts, people
from notesync.pipeline import Session, sync
from notesync.render import PAGE_NAMES

from .conftest import EXAMPLE, ROOT

TOM = "Interviews/2026-11-20 Tom Lee.md"
JANE = "People/Jane Smith.md"
ANN = "Interviews/2026-11-24 Ann Chu.md"
DAY = date(2026, 11, 26)
Edit = Callable[[Path], tuple[str, ...]]


def edit(rel: str, old: str, new: str) -> Edit:
    def apply(vault: Path) -> tuple[str, ...]:
        path = vault / rel
        text = path.read_text("utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
        return (rel,)

    return apply


def add(rel: str, text: str) -> Edit:
    def apply(vault: Path) -> tuple[str, ...]:
        (vault / rel).write_text(text, "utf-8")
        return (rel,)

    return apply


def remove(rel: str) -> Edit:
    def apply(vault: Path) -> tuple[str, ...]:
        (vault / rel).unlink()
        return (rel,)

    return apply


EDITS: list[tuple[str, Edit]] = [
    ("thanked", edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n")),
    ("body text", edit(TOM, "## Notes\n", "## Notes\nMore thoughts.\n")),
    ("line shift above mentions", edit(TOM, "---\ntype", "---\n# a comment line\ntype")),
    ("status", edit(ANN, "status: requested", "status: declined")),
    ("new referral", edit(TOM, '["[[Mei Wong]]"]', '["[[Mei Wong]]", "[[Brad Jonson]]"]')),
    ("alias", edit(JANE, 'aliases: ["Jane S."]', 'aliases: ["Jane S.", "JS"]')),
    ("company", edit(JANE, "company: Northwind Traders", "company: Contoso")),
    ("date", edit(ANN, "date: 2026-11-24", "date: 2026-11-10")),
    ("task done", edit("Interviews/2026-11-14 Helen Brooks.md", "- [/] Draft", "- [x] Draft")),
    (
        "new note",
        add("Interviews/new.md", '---\ncontact: "[[Brad Jonson]]"\ndate: 2026-11-02\nstatus: done\n---\n'),
    ),
    ("typo fixed", edit("Interviews/2026-10-15 Omar Haddad.md", "Brad Jonson", "Brad Johnson")),
    ("deleted note", remove("Interviews/new.md")),
    ("renamed person", edit(TOM, '"[[Tom Lee]]"', '"[[Tom Leigh]]"')),
]
SAME_PEOPLE = {"thanked", "body text", "line shift above mentions", "status", "task done"}


def copy_example(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    return dest


def age(vault: Path, seconds: float = 10) -> None:
    """Make every note look saved a while ago, as a vault's notes mostly are."""
    past = time.time() - seconds
    for path in vault.rglob("*.md"):
        os.utime(path, (past, past))


def assert_same_as_fresh(vault: Path, tmp_path: Path, name: str, day: date, diags: list[str]) -> None:
    fresh = tmp_path / f"fresh-{name}"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(vault, fresh, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    expected = sync(fresh, today=day, use_cache=False)
    for page in PAGE_NAMES:
        got = (vault / "notesync" / page).read_text("utf-8")
        want = (fresh / "notesync" / page).read_text("utf-8")
        assert got == want, f"{page} differs after: {name}"
    assert diags == [str(d) for d in expected.diagnostics], name


class Spy:
    """Counts what a run made again: the people, and the parts of the buckets."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.people = 0
        self.parts = 0
        make_people, make_part = people.make_people, parts.make_part

        def count_people(*args: object, **kwargs: object) -> object:
            self.people += 1
            return make_people(*args, **kwargs)  # type: ignore[arg-type]

        def count_part(*args: object, **kwargs: object) -> object:
            self.parts += 1
            return make_part(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(people, "make_people", count_people)
        monkeypatch.setattr(parts, "make_part", count_part)

    def reset(self) -> None:
        self.people = self.parts = 0


@pytest.mark.parametrize("how", ["one-off runs (the store)", "the watcher (one session)"])
def test_runs_that_reuse_equal_fresh_syncs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    vault = copy_example(tmp_path / "vault")
    age(vault)
    spy = Spy(monkeypatch)
    watcher = Session(vault) if how.startswith("the watcher") else None
    try:

        def run(changed: tuple[str, ...] | None) -> list[str]:
            if watcher is not None:
                return [str(d) for d in watcher.sync(today=DAY, changed=changed).diagnostics]
            return [str(d) for d in sync(vault, today=DAY).diagnostics]

        run(None)
        for name, change in EDITS:
            changed = change(vault)
            in_place = all((vault / rel).exists() for rel in changed) and name != "new note"
            spy.reset()
            diags = run(changed if in_place else None)
            # an edit that leaves who-is-who alone redoes its note's buckets (its person's, and
            # its referrer's: telling them how it went is being in touch), and not the people
            if name in SAME_PEOPLE:
                assert spy.people == 0 and 1 <= spy.parts <= 2, name
            else:
                assert spy.people == 1, name
            assert_same_as_fresh(vault, tmp_path, name, DAY, diags)
    finally:
        if watcher is not None:
            watcher.close()


def test_a_new_referral_redoes_only_the_buckets_it_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = copy_example(tmp_path / "vault")
    spy = Spy(monkeypatch)
    sync(vault, today=DAY)
    everyone = spy.parts
    spy.reset()
    edit(TOM, '["[[Mei Wong]]"]', '["[[Mei Wong]]", "[[Nadia Ortiz]]"]')(vault)
    result = sync(vault, today=DAY)
    # Tom's note's buckets (Tom's, and his referrer Jane's) and Nadia's (a new person), no others
    assert spy.people == 1 and spy.parts == 3 < everyone
    assert_same_as_fresh(vault, tmp_path, "referral", DAY, [str(d) for d in result.diagnostics])


@pytest.mark.parametrize("how", ["one-off runs (the store)", "the watcher (one session)"])
def test_new_days_reuse_every_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Only the lines ("N days overdue") change with the day: no bucket is made again."""
    vault = copy_example(tmp_path / "vault")
    spy = Spy(monkeypatch)
    session = Session(vault) if how.startswith("the watcher") else None

    def run(day: date) -> list[str]:
        if session is not None:
            return [str(d) for d in session.sync(today=day).diagnostics]
        return [str(d) for d in sync(vault, today=day).diagnostics]

    run(DAY)
    # (the buckets of Tom's and Ann's notes: theirs, and their referrer Jane's)
    steps: list[tuple[str, date, Edit | None, int]] = [
        ("next day", date(2026, 11, 27), None, 0),
        (
            "thanked",
            date(2026, 11, 27),
            edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n"),
            2,
        ),
        ("status, a week later", date(2026, 12, 4), edit(ANN, "status: requested", "status: declined"), 2),
        ("back to the first day", date(2026, 11, 26), None, 0),
    ]
    for name, day, change, redone in steps:
        if change is not None:
            change(vault)
        spy.reset()
        diags = run(day)
        assert (spy.people, spy.parts) == (0, redone), name
        assert_same_as_fresh(vault, tmp_path, name, day, diags)
    if session is not None:
        session.close()


def test_random_edits_on_a_generated_vault_equal_fresh_syncs(tmp_path: Path) -> None:
    """Thirty seeded edits of the kinds people make between syncs, on a generated vault,
    each followed by a one-off sync and a pass of a long-lived session, both compared
    with a fresh sync."""
    vault = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_vault.py"), str(vault), "--notes", "300"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    watched = tmp_path / "watched"
    shutil.copytree(vault, watched)
    notes = sorted(p.relative_to(vault) for p in vault.rglob("*.md") if p.is_file())
    age(vault)
    age(watched)
    sync(vault, today=DAY)
    session = Session(watched)
    session.sync(today=DAY)
    rng = random.Random(5)
    try:
        for step in range(30):
            rel = rng.choice(notes)
            text = (vault / rel).read_text("utf-8")
            kind = rng.choice(["thanked", "task", "body", "status", "action", "referral"])
            if kind == "thanked" and "\nstatus: done\n" in text:
                text = text.replace("\nstatus: done\n", "\nstatus: done\nthanked: 2026-11-25\n", 1)
            elif kind == "task" and "- [ ]" in text:
                text = text.replace("- [ ]", "- [x]", 1)
            elif kind == "status" and "\nstatus: requested\n" in text:
                text = text.replace("\nstatus: requested\n", "\nstatus: declined\n", 1)
            elif kind == "referral" and text.startswith("---\n") and "\nreferrals:" not in text:
                text = text.replace("---\n", f'---\nreferrals: ["[[Someone New {step}]]"]\n', 1)
            elif kind == "action":
                text += f"\n- [ ] Step {step} 📅 2026-11-{10 + step % 20:02d}\n"
            else:
                text += f"\nA thought ({step}).\n"
            for root in (vault, watched):
                (root / rel).write_text(text, "utf-8")
            day = date(2026, 11, 20 + step % 10)
            name = f"step {step}: {kind} {rel.name}"
            result = sync(vault, today=day)
            assert_same_as_fresh(vault, tmp_path, name, day, [str(d) for d in result.diagnostics])
            passed = session.sync(today=day, changed=(rel.as_posix(),))
            assert_same_as_fresh(watched, tmp_path, name, day, [str(d) for d in passed.diagnostics])
    finally:
        session.close()
