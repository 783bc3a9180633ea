"""The plain `notesync sync` of `__main__`, run without click: it says what click's `sync`
says, to the byte and with the same exit code, and leaves every other command line to click."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from notesync import report
from notesync.__main__ import plain_sync
from notesync.cli import main

from .conftest import TODAY


def _plain(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | None, str, str]:
    code = plain_sync(args)
    out, err = capsys.readouterr()
    return code, out, err


def _click(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def _tick_first_box(vault: Path) -> None:
    page = vault / "notesync" / "Follow-ups.md"
    page.write_text(page.read_text("utf-8").replace("- [ ] ", "- [x] ", 1), "utf-8")


def test_plain_sync_says_what_clicks_sync_says(
    example_vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies of a vault, the same steps on each: one through `plain_sync`, one
    through click. Pages created, a no-op, a tick recorded, the vault found from a
    subfolder, an error: the same words, streams and exit codes."""
    twin = tmp_path / "twin"
    shutil.copytree(example_vault, twin)
    (example_vault / "Journal").mkdir(exist_ok=True)
    (twin / "Journal").mkdir(exist_ok=True)
    seen: list[str] = []

    def both(args: list[str], here: str | None = None) -> None:
        if here is not None:
            monkeypatch.chdir(example_vault / here)
        code, out, err = _plain(args + ([str(example_vault)] if here is None else []), capsys)
        if here is not None:
            monkeypatch.chdir(twin / here)
        expected = _click(args + ([str(twin)] if here is None else []))
        got = (code, out.replace(str(example_vault), "VAULT"), err.replace(str(example_vault), "VAULT"))
        assert got == (expected[0], *(s.replace(str(twin), "VAULT") for s in expected[1:]))
        seen.append(out + err)

    both(["sync", "--today", TODAY])
    both(["sync", f"--today={TODAY}"])
    _tick_first_box(example_vault)
    _tick_first_box(twin)
    both(["sync", "--today", TODAY])
    both(["sync", "--today", TODAY], here="Journal")
    for vault in (example_vault, twin):
        (vault / ".notesync.toml").write_text("no_such_setting = 1\n", "utf-8")
    both(["sync", "--today", TODAY])
    assert "created notesync/Follow-ups.md" in seen[0]
    assert "wrote 0 pages" in seen[1]
    assert "recorded " in seen[2]
    assert "wrote 0 pages" in seen[3]
    assert seen[4].startswith("Error: ")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["followups"],
        ["sync", "--dry-run"],
        ["sync", "--help"],
        ["sync", "--today"],
        ["sync", "--today", "2026-13-01"],
        ["sync", "--today=26/11/2026"],
        ["sync", "--today", TODAY, "--today", TODAY],
        ["sync", "VAULT", "VAULT"],
        ["sync", "VAULT/note.md"],
        ["sync", "no such folder"],
        ["sync", "--", "VAULT"],
        ["sync", "VAULT", "--json"],
    ],
)
def test_every_other_command_line_is_left_to_click(
    args: list[str], make_vault: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "note.md").write_text("---\ntype: contact\n---\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    before = sorted(vault.rglob("*"))
    assert plain_sync([a.replace("VAULT", str(vault)) for a in args]) is None
    assert sorted(vault.rglob("*")) == before  # nothing run


def test_a_plain_sync_imports_no_click_and_a_no_op_no_dataclasses(example_vault: Path) -> None:
    """A no-op's time is mostly Python's start and imports: `dataclasses` alone (with
    `inspect`) would be a tenth of it (see `config.Config`)."""
    code = (
        "import sys; from notesync.__main__ import plain_sync\n"
        "code = plain_sync(['sync', sys.argv[1], '--today', '2026-11-26'])\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('click', 'dataclasses')], file=sys.stderr)\n"
        "sys.exit(code)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code, str(example_vault)], capture_output=True, text=True)
        for _ in range(2)
    ]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert "notes read" in runs[1].stdout and "wrote 0 pages" in runs[1].stdout
    assert "click" not in runs[0].stderr.strip().splitlines()[-1]
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("colour", ["red", "yellow", "cyan", None])
def test_lines_are_coloured_as_click_colours_them_on_a_terminal(
    colour: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for tty in (True, False):
        stream = Terminal() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", stream)
        report.show([report.Line("a line", True, colour)])
        styled = click.style("a line", fg=colour) if tty and colour else "a line"
        assert stream.getvalue() == styled + "\n"


def test_a_stream_whose_encoding_cannot_say_a_name_gets_it_as_click_writes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """(PYTHONIOENCODING=ascii, say: click writes UTF-8 all the same, and so does `show`.)"""

    def by_click() -> None:
        click.echo("Zoë Sato")

    def by_show() -> None:
        report.show([report.Line("Zoë Sato")])

    written = []
    for say in (by_show, by_click):
        raw = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
        say()
        sys.stdout.flush()
        written.append(raw.getvalue())
    assert written[0] == written[1] == "Zoë Sato\n".encode()


def test_a_closed_stream_is_skipped_as_click_skips_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    report.show([report.Line("wrote 0 pages")])  # (click.echo does nothing either)


def test_shell_completion_is_left_to_click(monkeypatch: pytest.MonkeyPatch, example_vault: Path) -> None:
    monkeypatch.setenv("_NOTESYNC_COMPLETE", "bash_source")
    assert plain_sync(["sync", str(example_vault)]) is None


def test_a_current_folder_deleted_is_an_error_on_both_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    plain = _plain(["sync"], capsys)
    assert plain == _click(["sync"])
    assert plain[0] == 1 and plain[2].startswith("Error: ") and "Traceback" not in plain[2]


@pytest.mark.parametrize("closed", ["1", "2"])
def test_a_command_started_with_stdout_or_stderr_closed_still_runs(example_vault: Path, closed: str) -> None:
    """As a scheduler or a service may start it: nothing to say where it cannot be said,
    and the work done all the same (closed stderr made a sync write nothing)."""
    command = f'"{sys.executable}" -m notesync sync "$1" --today 2026-11-26 {closed}>&-'
    done = subprocess.run(["sh", "-c", command, "sh", str(example_vault)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert len(list((example_vault / "notesync").iterdir())) == 8
    shown = subprocess.run(
        [
            "sh",
            "-c",
            f'"{sys.executable}" -m notesync followups "$1" --today 2026-11-26 {closed}>&-',
            "sh",
            str(example_vault),
        ],
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr
