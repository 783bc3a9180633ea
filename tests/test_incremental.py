"""What is kept between syncs must make a sync faster, never different: after every kind
of edit, the pages and diagnostics of a sync that reuses the watcher's memo (people,
graph, pages and lines kept in memory) or the cache a one-off run leaves on disk
(notes, people, pages whose inputs are unchanged) are exactly those of a fresh sync."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from notesync import pipeline
from notesync.pipeline import Memo, sync
from notesync.render import PAGE_NAMES, referral_map

from .conftest import EXAMPLE

TOM = "Interviews/2026-11-20 Tom Lee.md"
JANE = "People/Jane Smith.md"
ANN = "Interviews/2026-11-24 Ann Chu.md"


def edit(rel: str, old: str, new: str) -> Callable[[Path], tuple[str, ...]]:
    def apply(vault: Path) -> tuple[str, ...]:
        path = vault / rel
        text = path.read_text("utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
        return (rel,)

    return apply


def add(rel: str, text: str) -> Callable[[Path], tuple[str, ...]]:
    def apply(vault: Path) -> tuple[str, ...]:
        (vault / rel).write_text(text, "utf-8")
        return (rel,)

    return apply


def remove(rel: str) -> Callable[[Path], tuple[str, ...]]:
    def apply(vault: Path) -> tuple[str, ...]:
        (vault / rel).unlink()
        return (rel,)

    return apply


EDITS = [
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
SAME_MAP = SAME_PEOPLE - {"status"}  # a status changes how a person is drawn


def assert_same_as_fresh(vault: Path, tmp_path: Path, name: str, day: date, diags: list[str]) -> None:
    fresh = tmp_path / f"fresh-{name}"
    shutil.copytree(vault, fresh, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    expected = sync(fresh, today=day, use_cache=False)
    for page in PAGE_NAMES:
        got = (vault / "notesync" / page).read_text("utf-8")
        want = (fresh / "notesync" / page).read_text("utf-8")
        assert got == want, f"{page} differs after: {name}"
    assert diags == [str(d) for d in expected.diagnostics], name


@pytest.mark.parametrize("day", [date(2026, 11, 26)])
def test_memoised_passes_equal_fresh_syncs(tmp_path: Path, day: date) -> None:
    watched = tmp_path / "watched"
    shutil.copytree(EXAMPLE, watched, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    memo = Memo()
    sync(watched, today=day, memo=memo)
    for name, change in EDITS:
        changed = change(watched)
        for rel in changed:
            memo.notes.pop(rel, None)
        in_place = all((watched / rel).exists() for rel in changed) and name != "new note"
        generation = memo.generation
        result = sync(watched, today=day, memo=memo, changed=changed if in_place else None)
        # the edits that leave who-is-who alone must reuse the people and the graph
        assert (memo.generation == generation) == (name in SAME_PEOPLE), name
        assert_same_as_fresh(watched, tmp_path, name, day, [str(d) for d in result.diagnostics])


def test_runs_from_the_disk_cache_equal_fresh_syncs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One-off runs (the CLI). An edit that changes nobody's identity is replayed from
    the ledger, without reading the other notes, and the map is drawn again (from the
    ledger's figures) only when what it shows changed; any other edit goes the whole
    way. Whichever way, the pages are those of a fresh sync."""
    day = date(2026, 11, 26)
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    ways: list[str] = []
    analyse, resolve, render_map = pipeline.analyse, pipeline.resolve, referral_map.render_map

    def spy(way: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            ways.append(way)
            return fn(*args, **kwargs)

        return call

    monkeypatch.setattr(pipeline, "analyse", spy("read all notes", analyse))
    monkeypatch.setattr(pipeline, "resolve", spy("made the people", resolve))
    monkeypatch.setattr(referral_map, "render_map", spy("drew the map", render_map))
    sync(vault, today=day)
    for name, change in EDITS:
        change(vault)
        ways.clear()
        result = sync(vault, today=day)
        if name in SAME_MAP:
            assert ways == [], name
        elif name in SAME_PEOPLE:
            assert ways == ["drew the map"], name
        else:
            assert ways == ["read all notes", "made the people", "drew the map"], name
        assert_same_as_fresh(vault, tmp_path, name, day, [str(d) for d in result.diagnostics])


def test_memo_survives_a_new_day(tmp_path: Path) -> None:
    vault = tmp_path / "v"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    memo = Memo()
    sync(vault, today=date(2026, 11, 26), memo=memo)
    sync(vault, today=date(2026, 11, 27), memo=memo, changed=())
    fresh = tmp_path / "fresh"
    shutil.copytree(vault, fresh, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    sync(fresh, today=date(2026, 11, 27), use_cache=False)
    for page in PAGE_NAMES:
        assert (vault / "notesync" / page).read_bytes() == (fresh / "notesync" / page).read_bytes(), page


def test_jane_smiths_notes_changed_one_run_after_another(tmp_path: Path) -> None:
    """Two notes of one person, changed in two runs from the ledger: the second run
    takes the first note as the first run parsed it (the note cache still holds the
    old one), and the pages are a fresh sync's."""
    day = date(2026, 11, 26)
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    sync(vault, today=day)
    conversation = "Interviews/2026-10-20 Jane Smith.md"
    edit(conversation, "## Notes\n", "## Notes\n- [ ] Send Jane the deck 📅 2026-11-25\n")(vault)
    sync(vault, today=day)
    (vault / JANE).write_text(
        (vault / JANE).read_text("utf-8") + "\n- [ ] Invite Jane to the meetup 📅 2026-12-02\n"
    )
    result = sync(vault, today=day)
    assert result.analysis is None  # made from the ledger
    followups = (vault / "notesync" / "Follow-ups.md").read_text("utf-8")
    assert "Send Jane the deck" in followups and "Invite Jane to the meetup" in followups
    assert_same_as_fresh(vault, tmp_path, "two of Jane's notes", day, [str(d) for d in result.diagnostics])


def test_random_edits_on_a_generated_vault_equal_fresh_syncs(tmp_path: Path) -> None:
    """Thirty seeded edits of the kinds people make between syncs, on a generated vault:
    after each, a sync (from the ledger or, for a new referral, the whole way) gives a
    fresh sync's pages."""
    import random
    import subprocess
    import sys

    from .conftest import ROOT

    day = date(2026, 11, 26)
    vault = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_vault.py"), str(vault), "--notes", "300"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    notes = sorted(p for p in vault.rglob("*.md") if p.is_file())
    past = time.time() - 10  # saved a while ago, as a vault's notes mostly are
    for note in notes:
        os.utime(note, (past, past))
    sync(vault, today=day)
    rng = random.Random(5)
    replayed = 0
    for step in range(30):
        path = rng.choice(notes)
        text = path.read_text("utf-8")
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
        path.write_text(text, "utf-8")
        result = sync(vault, today=day)
        replayed += result.analysis is None
        assert_same_as_fresh(
            vault, tmp_path, f"step {step}: {kind} {path.name}", day, [str(d) for d in result.diagnostics]
        )
    assert 15 <= replayed < 30, replayed  # most of these edits are made from the ledger


def test_new_days_are_made_from_the_ledger(tmp_path: Path) -> None:
    """Only the lines ("N days overdue") change with the day: a sync on a new day remakes
    them from the ledger, with or without edits, and gives a fresh sync's pages."""
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    sync(vault, today=date(2026, 11, 26))
    steps: list[tuple[str, date, Callable[[Path], tuple[str, ...]] | None]] = [
        ("next day", date(2026, 11, 27), None),
        ("thanked", date(2026, 11, 27), edit(TOM, "status: done\n", "status: done\nthanked: 2026-11-21\n")),
        ("status, a week later", date(2026, 12, 4), edit(ANN, "status: requested", "status: declined")),
        ("back to the first day", date(2026, 11, 26), None),
    ]
    for name, day, change in steps:
        if change is not None:
            change(vault)
        result = sync(vault, today=day)
        assert result.analysis is None, name  # made from the ledger
        assert_same_as_fresh(vault, tmp_path, name, day, [str(d) for d in result.diagnostics])
