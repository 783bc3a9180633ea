"""Networking.base is written when it is missing and is the user's from then on: Obsidian
saves view changes into it, so it is never overwritten, never backed up, never reported
as an edited page, whatever changes in the notes or the settings."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml
from click.testing import CliRunner

from notesync.cli import main
from notesync.pipeline import sync

from .conftest import EXAMPLE
from .ticking import backups

TODAY = date(2026, 11, 26)
BASE = Path("notesync") / "Networking.base"
PAGE = "notesync/Networking.base"


def copy_example(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    return dest


def users_version(vault: Path) -> bytes:
    """The base as Obsidian saves it after the user sorted a view and hid a column."""
    data = yaml.safe_load((vault / BASE).read_text("utf-8"))
    view = data["views"][0]
    view["order"] = list(reversed(view.get("order", [])))
    view["sort"] = [{"property": "file.name", "direction": "DESC"}]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


def test_written_when_missing(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    result = sync(vault, today=TODAY)
    assert [c.action for c in result.changes if c.page == PAGE] == ["create"]
    data = yaml.safe_load((vault / BASE).read_text("utf-8"))
    assert isinstance(data, dict) and data["views"]
    assert all(v["type"] == "table" for v in data["views"])


def test_the_follow_up_column_waits_as_long_as_the_rules_say(tmp_path: Path) -> None:
    """`no_response = 10`: the open requests' column counts 10 days, as Follow-ups.md does."""
    vault = copy_example(tmp_path / "vault")
    (vault / ".notesync.toml").write_text("[rules]\nno_response = 10\n", "utf-8")
    sync(vault, today=TODAY)
    data = yaml.safe_load((vault / BASE).read_text("utf-8"))
    assert '+ "10d" <= today()' in data["formulas"]["week_old"]
    assert data["properties"]["formula.week_old"] == {"displayName": "10 days without an answer"}


def test_the_templates_folder_obsidian_names_is_left_out(tmp_path: Path) -> None:
    """A template is shaped like a conversation; the walk skips the folder Obsidian's
    Templates settings name, and the base's views leave it out too."""
    vault = copy_example(tmp_path / "vault")
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text('{"folder": "Extras/Tpl"}', "utf-8")
    (vault / "Extras" / "Tpl").mkdir(parents=True)
    (vault / "Extras" / "Tpl" / "Interview.md").write_text("---\ntype: interview\ncontact:\n---\n", "utf-8")
    sync(vault, today=TODAY)
    data = yaml.safe_load((vault / BASE).read_text("utf-8"))
    assert '!file.inFolder("Extras/Tpl")' in data["filters"]["and"]


def test_a_dry_run_does_not_write_it(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    result = sync(vault, today=TODAY, dry_run=True)
    assert [c.action for c in result.changes if c.page == PAGE] == ["create"]
    assert not (vault / BASE).exists()


def test_the_users_changes_are_kept_byte_for_byte_and_not_reported(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=TODAY)
    mine = users_version(vault)
    assert mine != (vault / BASE).read_bytes()
    (vault / BASE).write_bytes(mine)

    for today in (TODAY, date(2026, 11, 27)):
        result = sync(vault, today=today)
        assert (vault / BASE).read_bytes() == mine
        assert PAGE not in [c.page for c in result.written]
        assert not [c for c in result.changes if c.page == PAGE and (c.edited or c.backup)]
    assert backups(vault) == []

    out = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-11-28", "--force"])
    assert out.exit_code == 0, out.output
    assert "Networking.base" not in out.output
    assert (vault / BASE).read_bytes() == mine
    assert backups(vault) == []


def test_kept_when_the_notes_would_make_another_base(tmp_path: Path) -> None:
    """Other property names in the notes would change what notesync writes; the user's
    file stays as it is."""
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=TODAY)
    first = (vault / BASE).read_bytes()
    fresh = copy_example(tmp_path / "fresh")
    for note in [*(vault / "Interviews").glob("*.md"), *(fresh / "Interviews").glob("*.md")]:
        note.write_text(note.read_text("utf-8").replace("\nstatus:", "\nStage:"), "utf-8")
    (vault / ".notesync.toml").write_text('[properties]\nstatus = "Stage"\n', "utf-8")
    (fresh / ".notesync.toml").write_text('[properties]\nstatus = "Stage"\n', "utf-8")
    sync(fresh, today=TODAY)
    assert (fresh / BASE).read_bytes() != first  # a new vault of this shape gets another base

    result = sync(vault, today=TODAY)
    assert (vault / BASE).read_bytes() == first
    assert PAGE not in [c.page for c in result.changes if c.action != "unchanged"]
    assert backups(vault) == []


def test_a_users_own_file_of_that_name_is_never_replaced(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    (vault / "notesync").mkdir()
    mine = b"views:\n  - type: table\n    name: Mine\n"
    (vault / BASE).write_bytes(mine)
    sync(vault, today=TODAY)
    assert (vault / BASE).read_bytes() == mine
    assert backups(vault) == []


def test_written_again_once_deleted(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=TODAY)
    first = (vault / BASE).read_bytes()
    (vault / BASE).unlink()
    result = sync(vault, today=TODAY)
    assert [c.action for c in result.changes if c.page == PAGE] == ["create"]
    assert (vault / BASE).read_bytes() == first


def test_written_again_once_deleted_by_the_next_sync_that_changes_something(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    sync(vault, today=TODAY)
    first = (vault / BASE).read_bytes()
    (vault / BASE).write_bytes(users_version(vault))
    sync(vault, today=TODAY)
    (vault / BASE).unlink()
    result = sync(vault, today=date(2026, 11, 27))
    assert [c.action for c in result.changes if c.page == PAGE] == ["create"]
    assert (vault / BASE).read_bytes() == first


def test_base_false_writes_none_and_leaves_one_there_alone(tmp_path: Path) -> None:
    vault = copy_example(tmp_path / "vault")
    (vault / ".notesync.toml").write_text("base = false\n", "utf-8")
    result = sync(vault, today=TODAY)
    assert not (vault / BASE).exists()
    assert PAGE not in [c.page for c in result.changes]
    assert sync(vault, today=TODAY).written == []  # a missing base is no reason to run again
    (vault / BASE).write_bytes(b"views: []\n")  # the user's own
    sync(vault, today=date(2026, 11, 27))
    assert (vault / BASE).read_bytes() == b"views: []\n"
    (vault / ".notesync.toml").write_text('base = "no"\n', "utf-8")
    out = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-11-26"])
    assert out.exit_code != 0 and "base must be true or false" in out.output
