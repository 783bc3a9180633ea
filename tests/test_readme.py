"""The README's first screen shows what a user sees: the output of its first command and
the start of the page it points to."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from notesync.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
DAY = "2026-11-26"


def block(after: str, lang: str) -> list[str]:
    """The lines of the first ```lang block after the text `after`."""
    start = README.index(after)
    found = re.search(rf"```{lang}\n(.*?)```", README[start:], re.S)
    assert found is not None, f"no {lang} block after {after!r}"
    return found.group(1).splitlines()


def test_the_first_commands_output_is_what_the_readme_shows(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(ROOT / "examples" / "vault", vault, ignore=shutil.ignore_patterns("notesync"))
    result = CliRunner().invoke(main, ["sync", str(vault), "--today", DAY])
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    seen = [*out[:-1], *result.stderr.splitlines(), out[-1]]  # as a terminal shows them
    assert seen == block(f"with `--today {DAY}` it prints", "text")


def test_the_page_the_readme_quotes_begins_as_shown() -> None:
    page = (ROOT / "tests" / "golden" / "example" / "Follow-ups.md").read_text("utf-8")
    shown = [line for line in block("comes the list:", "markdown") if line]
    lines = page.splitlines()
    at = lines.index(shown[0])
    assert [line for line in lines[at : at + 2 * len(shown)] if line][: len(shown)] == shown


def test_the_readme_shows_the_hint_for_a_folder_of_ordinary_notes(tmp_path: Path) -> None:
    (tmp_path / "Recipe.md").write_text("---\ntags: [food]\n---\nFlour, water.\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    hint = next(line for line in result.stderr.splitlines() if line.startswith("hint: "))
    assert hint in block("On a folder of ordinary notes:", "text")
