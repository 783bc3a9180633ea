"""The output folder is a folder of its own: never one that holds notes, contains them, or
leads (through a symbolic link) into a folder the walk reads."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from notesync.cli import main
from notesync.errors import OutputError
from notesync.outfolder import output_problem
from notesync.pipeline import sync

from .conftest import TODAY, tree_hashes

DAY = date(2026, 11, 26)


def _refused(vault: Path, *commands: str) -> list[str]:
    """Each command exits 1 with a clean message; the vault is left byte for byte."""
    before = tree_hashes(vault)
    messages = []
    for command in commands:
        result = CliRunner().invoke(main, [command, str(vault), "--today", TODAY])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert "Traceback" not in result.output
        messages.append(result.output)
    assert tree_hashes(vault) == before
    assert not (vault / ".notesync").exists()
    return messages


def test_output_set_to_a_folder_of_notes_is_refused(example_vault: Path) -> None:
    (example_vault / ".notesync.toml").write_text('output = "Interviews"\n', "utf-8")
    for out in _refused(example_vault, "sync", "check", "followups"):
        assert "output folder 'Interviews' holds notes notesync did not write (Interviews/2026-" in out


def test_output_set_to_a_parent_of_notes_is_refused(make_vault: Callable[..., Path]) -> None:
    vault = make_vault(
        {
            ".notesync.toml": 'output = "Networking"\nnotes_folder = "Notes"\n',
            "Networking/People/Ann.md": "---\ntype: contact\n---\n",
        }
    )
    (out,) = _refused(vault, "sync")
    assert "(Networking/People/Ann.md)" in out


def test_a_link_named_like_the_output_folder_into_the_notes_is_refused(example_vault: Path) -> None:
    os.symlink("Interviews", example_vault / "notesync")
    (out,) = _refused(example_vault, "sync")
    assert "output folder 'notesync' leads to 'Interviews', a folder notesync reads notes from" in out


def test_a_folder_of_something_else_is_refused_until_it_holds_notesyncs_pages(
    make_vault: Callable[..., Path],
) -> None:
    """A `notesync/` that is a program's source, or a folder of pictures: the pages would
    land among its files. Once a sync wrote its pages there, a file the user adds is fine."""
    vault = make_vault(
        {"a.md": "---\ntype: contact\n---\n", "notesync/__init__.py": "", "notesync/Thumbs.db": ""}
    )
    (out,) = _refused(vault, "sync")
    assert "output folder 'notesync' holds files notesync did not write (notesync/__init__.py)" in out
    (vault / "notesync" / "__init__.py").unlink()
    assert sync(vault, today=DAY).written  # an operating system's file is no one's
    (vault / "notesync" / "photo.png").write_bytes(b"\x89PNG")
    assert sync(vault, today=DAY).diagnostics == []
    for page in (vault / "notesync").glob("*.md"):  # the Markdown pages deleted, to be made again
        page.unlink()
    assert sync(vault, today=DAY).written  # (the canvas and the calendar say whose folder it is)


def test_a_users_own_file_with_a_pages_name_does_not_make_a_folder_notesyncs(example_vault: Path) -> None:
    """`Networking.base` of the user's own in a folder of notes: the notes there are still
    refused, not dropped (only what notesync writes on a page's first lines says it was there)."""
    (example_vault / "Interviews" / "Networking.base").write_text("views: []\n", "utf-8")
    (example_vault / "Interviews" / "Referral Map.canvas").write_text('{"nodes":[]}', "utf-8")
    (example_vault / ".notesync.toml").write_text('output = "Interviews"\n', "utf-8")
    (out,) = _refused(example_vault, "sync")
    assert "output folder 'Interviews' holds notes notesync did not write" in out


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ('output = "."', "output must be a folder inside the vault, not the vault itself ('.')"),
        ('ignore = ["./"]', "ignore must be a folder inside the vault, not the vault itself ('./')"),
        ('output = "Job search plan.md"', "output folder 'Job search plan.md' is a file, not a folder"),
    ],
)
def test_a_setting_that_names_no_folder_is_said_in_one_clear_line(
    example_vault: Path, setting: str, said: str
) -> None:
    (example_vault / ".notesync.toml").write_text(setting + "\n", "utf-8")
    (out,) = _refused(example_vault, "sync")
    assert said in out and "None" not in out and out.count("\n") == 1, out


def test_a_link_into_an_empty_folder_the_walk_reads_is_refused(example_vault: Path) -> None:
    """Pages written there would be read back as notes on the next pass."""
    (example_vault / "Pages").mkdir()
    os.symlink("Pages", example_vault / "notesync")
    with pytest.raises(OutputError, match="leads to 'Pages'"):
        sync(example_vault, today=DAY)
    assert list((example_vault / "Pages").iterdir()) == []


def test_a_link_into_a_hidden_or_ignored_folder_is_fine(make_vault: Callable[..., Path]) -> None:
    vault = make_vault({"a.md": "x", ".pages/.keep": "", "Archive/.keep": ""})
    os.symlink(".pages", vault / "notesync")
    os.symlink("Archive", vault / "out")
    assert output_problem(vault, "notesync") == (None, [])
    assert output_problem(vault, "out", ("Archive",)) == (None, [])
    assert output_problem(vault, "out")[0] is not None


def test_the_pages_of_an_earlier_sync_and_foreign_pages_are_not_notes(example_vault: Path) -> None:
    sync(example_vault, today=DAY)
    out = example_vault / "notesync"
    (out / "Targets.md").write_text("---\nnotesync: generated\n---\n# Targets\n", "utf-8")  # an older page
    (out / "Contacts.md").write_text("my own list\n", "utf-8")  # the writer keeps it and says so
    assert output_problem(example_vault, "notesync") == (None, [])
    # a note that lands among notesync's pages later (Obsidian's "Untitled.md") is reported, not fatal
    (out / "Untitled.md").write_text("a note Obsidian put here\n", "utf-8")
    assert output_problem(example_vault, "notesync") == (None, ["notesync/Untitled.md"])
    result = sync(example_vault, today=DAY)
    assert (
        "notesync/Untitled.md:0: note-in-output: a note in notesync's output folder is not read; move it out"
        in [str(d) for d in result.diagnostics]
    )


def test_a_missing_output_folder_is_fine_and_one_outside_the_vault_is_not(
    make_vault: Callable[..., Path], tmp_path: Path
) -> None:
    vault = make_vault({"a.md": "x"})
    assert output_problem(vault, "notesync") == (None, [])
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", vault / "notesync")
    assert "is not inside the vault" in (output_problem(vault, "notesync")[0] or "")
