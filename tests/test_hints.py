"""When a vault yields no or few people, `sync` and `check` say why and what to add (issue 13).

`fixtures/help_notes/` holds five notes copied unchanged from Obsidian's own Help vault
(github.com/obsidianmd/obsidian-help, `en/`, commit fa179e91e86e): a vault with notes,
front-matter and links, and no networking note at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES, ROOT, TODAY
from .vault_shapes import MakeVault, hint_lines, people, run

HELP_NOTES = FIXTURES / "help_notes"
NO_NETWORKING = "hint: no note is marked as a person or a conversation"


def help_vault(make_vault: MakeVault) -> Path:
    notes = {p.relative_to(HELP_NOTES).as_posix(): p.read_text("utf-8") for p in HELP_NOTES.rglob("*.md")}
    assert len(notes) == 5
    return make_vault({".obsidian/app.json": "{}", **notes})


def test_sync_on_a_vault_with_no_networking_notes_prints_the_hint_and_exits_normally(
    make_vault: MakeVault,
) -> None:
    vault = help_vault(make_vault)
    result = run("sync", str(vault), "--today", TODAY)
    assert result.exit_code == 0, result.output
    hints = hint_lines(result.stderr)
    assert len(hints) == 1 and hints[0].startswith(NO_NETWORKING), result.stderr
    assert "`type: interview`" in hints[0] and '`categories: ["[[People]]"]`' in hints[0]
    assert result.stdout.splitlines()[-1] == (
        "5 notes read, 0 people, 0 overdue, 0 due today; wrote 8 pages, 0 unchanged"
    )
    assert (vault / "notesync" / "Contacts.md").is_file()


def test_check_on_a_vault_with_no_networking_notes_prints_the_hint_and_exits_normally(
    make_vault: MakeVault,
) -> None:
    vault = help_vault(make_vault)
    result = run("check", str(vault), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    hints = hint_lines(result.stderr)
    assert len(hints) == 1 and hints[0].startswith(NO_NETWORKING), result.stderr
    assert result.stderr.splitlines()[-1] == "5 notes checked: 0 errors, 0 warnings"


def test_the_hint_is_said_again_on_a_sync_that_changes_nothing(make_vault: MakeVault) -> None:
    vault = help_vault(make_vault)
    assert run("sync", str(vault), "--today", TODAY).exit_code == 0
    again = run("sync", str(vault), "--today", TODAY)
    assert again.stdout.splitlines()[-1].endswith("wrote 0 pages, 7 unchanged")
    assert [line.startswith(NO_NETWORKING) for line in hint_lines(again.stderr)] == [True]


def test_a_vault_with_enough_people_gets_no_hint(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            **{f"People/{n}.md": "---\ntype: person\n---\n" for n in ("Ann Chu", "Bo Li", "Cy Doe")},
            "Notes/Reading list.md": "---\nName: Reading list\nCompany: none\nRole: none\n---\n",
            "Notes/Another list.md": "---\nName: Another\nCompany: none\nRole: none\n---\n",
        }
    )
    assert people(vault) == {"Ann Chu", "Bo Li", "Cy Doe"}
    result = run("check", str(vault), "--today", TODAY)
    assert hint_lines(result.stderr) == []


def test_meetings_with_attendees_and_no_type_are_conversations_with_no_hint(make_vault: MakeVault) -> None:
    meeting = "---\nDate: 2026-11-{day}\nAttendees: ['[[Max Muster]]']\n---\n"
    vault = make_vault({f"Calls/2026-11-{d} call.md": meeting.format(day=d) for d in ("10", "12")})
    assert people(vault) == {"Max Muster"}
    assert hint_lines(run("check", str(vault), "--today", TODAY).stderr) == []


def test_a_folder_of_meetings_of_another_category_gets_a_conversations_hint(make_vault: MakeVault) -> None:
    meeting = "---\ncategories: ['[[Calls]]']\nDate: 2026-11-{day}\nAttendees: ['[[Max Muster]]']\n---\n"
    vault = make_vault({f"Calls/2026-11-{d} call.md": meeting.format(day=d) for d in ("10", "12")})
    hints = hint_lines(run("check", str(vault), "--today", TODAY).stderr)
    assert hints[0].startswith("hint: 2 notes in Calls/ have a date and `Attendees:`")
    assert hints[1:] == ["    [conversations]", '    folders = ["Calls"]']


CRM_PERSON = """---
Name: {name}
aliases:
Company: "[[Tree Company]]"
Position:
Person Tags:
E-mail:
Phone Number:
LinkedIn:
Social Media:
Priority: false
Active: true
Created: 2024-06-14 23:02
---
"""


def test_the_hint_is_the_same_on_every_run(make_vault: MakeVault, tmp_path: Path) -> None:
    vault = make_vault({f"People/{n}.md": CRM_PERSON.format(name=n) for n in ("Max Muster", "Thomas Neu")})
    said = set()
    for seed in range(4):
        env = {**os.environ, "PYTHONHASHSEED": str(seed), "NOTESYNC_CACHE_DIR": str(tmp_path / f"c{seed}")}
        done = subprocess.run(
            [sys.executable, "-m", "notesync", "check", str(vault), "--today", TODAY],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        said.add(hint_lines(done.stderr)[0])
    assert len(said) == 1, said


def test_the_hint_names_the_properties_as_the_notes_spell_them(make_vault: MakeVault) -> None:
    note = "---\nE-mail: {0}@example.com\nLinkedIn: in/{0}\n---\n"
    vault = make_vault({f"People/{n}.md": note.format(n) for n in ("max", "thomas")})
    hints = hint_lines(run("check", str(vault), "--today", TODAY).stderr)
    assert hints[0].startswith("hint: 2 notes in People/ have ")
    assert "`E-mail:`" in hints[0] and "`LinkedIn:`" in hints[0], hints[0]


README = (ROOT / "README.md").read_text("utf-8")


def test_the_readme_shows_the_hint_for_a_vault_with_no_networking_notes() -> None:
    assert "no note is marked as a person or a conversation" in README


def test_the_readme_documents_the_conventions_and_the_settings() -> None:
    for text in (
        '"[[People]]"',
        '"[[Meetings]]"',
        "org",
        "[contacts]",
        "[conversations]",
        "[properties]",
        "notesync: ignore",
        "--explain",
    ):
        assert text in README, text
