"""Copies that sync services make of a note edited on two devices at once are reported, not read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from notesync.pipeline import analyse, sync
from notesync.scan import conflict_copy_of

DAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("name", "original"),
    [
        ("2026-11-20 Tom Lee.sync-conflict-20261128-123456-ABCDEFG.md", "2026-11-20 Tom Lee.md"),  # Syncthing
        ("Tom Lee.sync-conflict-20261128-123456.md", "Tom Lee.md"),  # Syncthing before device ids
        ("Jane Smith (conflicted copy).md", "Jane Smith.md"),  # Dropbox
        ("Jane Smith (Jane's conflicted copy 2026-11-28).md", "Jane Smith.md"),
        ("Jane Smith (Jane\u2019s conflicted copy 2026-11-28) (1).md", "Jane Smith.md"),
        ("Jane Smith (Case Conflict).md", "Jane Smith.md"),
        ("Jane Smith (case conflict 2).md", "Jane Smith.md"),
        ("Jane Smith (Selective Sync Conflict).md", "Jane Smith.md"),
        ("Jane Smith (Conflicted copy MacBook 202611281234).md", "Jane Smith.md"),  # Obsidian Sync
        ("Jane Smith (conflicted copy 2026-11-28 123456).md", "Jane Smith.md"),  # Nextcloud, ownCloud
        ("Jane Smith_conflict-20261128-123456.md", "Jane Smith.md"),  # ownCloud's older clients
    ],
)
def test_conflict_copy_names(name: str, original: str) -> None:
    assert conflict_copy_of(name) == original


@pytest.mark.parametrize(
    "name",
    ["Conflict resolution.md", "War (conflict).md", "Jane Smith.md", "conflicted copy.md", "a.sync.md"],
)
def test_notes_that_only_mention_conflicts_are_notes(name: str) -> None:
    assert conflict_copy_of(name) is None


def test_a_conflict_copy_is_not_read_and_names_its_note(make_vault: Callable[..., Path]) -> None:
    note = '---\ntype: contact\naliases: ["Jane S."]\n---\n'
    vault = make_vault(
        {
            "People/Jane Smith.md": note,
            "People/Jane Smith (conflicted copy).md": note,
            "a.md": '---\ncontact: "[[Jane S.]]"\ndate: 2026-11-01\nstatus: requested\n---\n',
        }
    )
    result = sync(vault, today=DAY)
    analysis = analyse(vault, today=DAY)
    assert result.summary.notes == analysis.notes_read == 2
    assert [str(d) for d in result.diagnostics] == [
        "People/Jane Smith (conflicted copy).md:0: conflict-copy: a sync service's conflicting copy of "
        "People/Jane Smith.md; not read — merge it into that note and delete it"
    ]
    (item,) = analysis.items
    assert item.person == "Jane Smith"
