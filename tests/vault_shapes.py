"""What a user sees of a small vault, for the tests of the shapes real vaults use (issue 13):
the follow-ups `notesync followups --json` lists, the rows of Contacts.md, the sections of
Companies.md, and the output of the commands. The notes copied here come from the public
vaults surveyed in research/vaults.md (kepano's vault template, an Obsidian CRM vault, a
job-search vault, a work vault), dated into 2026 so that the rules have something to say."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from notesync.analysis import Analysis
from notesync.cli import main
from notesync.pipeline import analyse, sync

from .conftest import TODAY

MakeVault = Callable[[dict[str, str | bytes]], Path]
DAY = date.fromisoformat(TODAY)

_LINK = re.compile(r"\[\[([^\]|\\]*)(?:\\?\|([^\]]*))?\]\]")


def run(*args: str) -> Result:
    """`notesync ARGS`, as a user runs it (stdout and stderr apart, and together in `output`)."""
    return CliRunner().invoke(main, list(args))


def followups(vault: Path, upcoming: int = 3650) -> list[dict[str, Any]]:
    """`notesync followups --json`, with everything due in the next `upcoming` days."""
    result = run("followups", str(vault), "--today", TODAY, "--json", "--upcoming", str(upcoming))
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def owed(vault: Path, kind: str | None = None) -> list[tuple[str, str, str]]:
    """(kind, person, due) of every open follow-up (of one kind), as `followups --json` lists them."""
    return [(i["kind"], i["person"], i["due"]) for i in followups(vault) if kind is None or i["kind"] == kind]


def people(vault: Path) -> set[str]:
    """The names of the people notesync finds in the vault."""
    return {p.name for p in understood(vault).net.people.values()}


def understood(vault: Path) -> Analysis:
    return analyse(vault, today=DAY)


def conversations(vault: Path) -> list[str]:
    """The paths of the notes read as conversations."""
    return sorted(n.path for n in understood(vault).notes if n.kind == "interview")


def _plain(cell: str) -> str:
    """A table cell as read on the page: links by the text they show."""

    def shown(m: re.Match[str]) -> str:
        return m.group(2) if m.group(2) is not None else m.group(1).rsplit("/", 1)[-1]

    return _LINK.sub(shown, cell).strip()


def _cells(line: str) -> list[str]:
    return [c.replace("\0", "|") for c in line.replace("\\|", "\0").strip().strip("|").split("|")]


def page(vault: Path, name: str) -> str:
    """A page as `notesync sync` writes it today (the sync is run first)."""
    sync(vault, today=DAY)
    return (vault / "notesync" / name).read_text("utf-8")


def contacts(vault: Path) -> dict[str, dict[str, str]]:
    """Contacts.md after a sync: name -> {column: cell as shown}."""
    lines = page(vault, "Contacts.md").splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("| Name |"))
    columns = [c.strip() for c in _cells(lines[head])]
    out: dict[str, dict[str, str]] = {}
    for line in lines[head + 2 :]:
        if not line.startswith("|"):
            break
        row = dict(zip(columns, (_plain(c) for c in _cells(line)), strict=True))
        out[row["Name"]] = row
    return out


def companies(vault: Path) -> dict[str, list[str]]:
    """Companies.md after a sync: company -> the people listed under it."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in page(vault, "Companies.md").splitlines():
        if line.startswith("## "):
            current = out.setdefault(line[3:].strip(), [])
        elif current is not None and line.startswith("| [["):
            current.append(_plain(_cells(line)[0]))
    return out


def hint_lines(output: str) -> list[str]:
    """The lines of a command's output that belong to its hints (a hint may go on over
    indented lines: the setting to add)."""
    out: list[str] = []
    inside = False
    for line in output.splitlines():
        if line.startswith("hint: "):
            inside = True
        elif not line.startswith("    "):
            inside = False
        if inside:
            out.append(line)
    return out
