"""The command line, through click's CliRunner: help, exit codes, output shapes."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from notesync.cli import main, run

from .conftest import ROOT, TODAY


def all_commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help_and_is_documented(name: str) -> None:
    command = main.commands[name]
    assert command.help and len(command.help) > 20
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"notesync {name}" in readme, f"README does not document `notesync {name}`"
    for param in command.params:
        if isinstance(param, click.Option) and param.help is None:
            pytest.fail(f"option {param.name} of {name} has no help")


def test_sync_prints_a_one_line_summary(example_vault: Path) -> None:
    result = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY])
    assert result.exit_code == 0
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == "23 notes read, 14 people, 5 overdue, 1 due today; wrote 8 pages, 0 unchanged"


def test_sync_json(example_vault: Path) -> None:
    result = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY, "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["notes"] == 23 and data["overdue"] == 5 and data["today"] == TODAY
    assert {p["action"] for p in data["pages"]} == {"create"}
    assert {d["code"] for d in data["diagnostics"]} == {"link-unquoted", "person-unknown"}


def test_followups_text_and_json_agree(example_vault: Path) -> None:
    text = CliRunner().invoke(main, ["followups", str(example_vault), "--today", TODAY])
    data = json.loads(
        CliRunner().invoke(main, ["followups", str(example_vault), "--today", TODAY, "--json"]).stdout
    )
    assert text.exit_code == 0
    assert len(text.stdout.strip().splitlines()) == len(data) == 6
    assert all(
        set(item) == {"id", "kind", "person", "due", "days_overdue", "text", "source", "line"}
        for item in data
    )
    assert [i["days_overdue"] for i in data] == sorted((i["days_overdue"] for i in data), reverse=True)


def test_check_lists_the_example_mistakes_and_exits_1(example_vault: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(example_vault)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "Interviews/2026-10-15 Omar Haddad.md:5: person-unknown: 'Brad Jonson' has no note and no conversation; "
        "did you mean Brad Johnson?",
        "Interviews/2026-11-10 Linda Park.md:3: link-unquoted: contact: [[Linda Park]] is read as a YAML list; "
        'write contact: "[[Linda Park]]"',
    ]


def test_missing_vault_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sync", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such folder" in result.output
    assert "Traceback" not in result.output


def test_bad_today_is_a_usage_error(example_vault: Path) -> None:
    result = CliRunner().invoke(main, ["followups", str(example_vault), "--today", "2026-02-30"])
    assert result.exit_code == 2


def test_run_returns_exit_codes(example_vault: Path) -> None:
    assert run(["sync", str(example_vault), "--today", TODAY]) == 0
    assert run(["sync", str(example_vault), "--today", "2026-12-30", "--check"]) == 1
    assert run(["nonsense"]) == 2


@pytest.mark.parametrize("args", [["sync", ""], ["followups", ""], ["done", "abc", "--vault", ""]])
def test_an_empty_vault_is_refused_not_taken_for_the_current_folder(
    args: list[str], example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`notesync sync "$VAULT"` with the variable unset must not sync whatever folder the
    command runs in (a home folder, say)."""
    monkeypatch.chdir(example_vault)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "is empty" in result.output
    assert not (example_vault / "notesync").exists()


def test_the_library_refuses_an_empty_vault_too(example_vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notesync import VaultError, sync

    monkeypatch.chdir(example_vault)
    with pytest.raises(VaultError, match="empty"):
        sync("")
    assert not (example_vault / "notesync").exists()
