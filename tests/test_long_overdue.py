"""On a vault with history, Follow-ups.md keeps its first screen for today's work: only
items overdue by at most `long_overdue_days` (30) come before the folded
`> [!note]- Long overdue (N)` callout, which holds the rest, grouped by person."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from notesync.analysis import Analysis
from notesync.model import FollowUp, short_ids
from notesync.pipeline import analyse, sync
from notesync.render.markdown import text as md_text
from notesync.rules import due_by

from .conftest import ROOT
from .ticking import DAY, MakeVault, read_page, tick_vault

TODAY = date(2026, 11, 26)
NOTES = 1500  # big enough for hundreds of long-overdue items; big vaults belong to the benchmark
CALLOUT = re.compile(r"^> \[!note\]- Long overdue \((\d+)\)$")
WHEN = re.compile(r"^(?:> )?- \[ \] \*\*(?:(\d+) days? overdue|Due today|In (\d+) days?)\*\*")
ID = re.compile(r" \^([0-9a-f]+)$")


@dataclass
class Generated:
    vault: Path
    page: list[str]
    analysis: Analysis
    ids: dict[str, list[FollowUp]]  # short id on the page -> its items (two share one: see test_ticks)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    vault = tmp_path_factory.mktemp("long") / "generated"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_vault.py"), str(vault), "--notes", str(NOTES)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    sync(vault, today=TODAY)
    page = (vault / "notesync" / "Follow-ups.md").read_text("utf-8").splitlines()
    analysis = analyse(vault, today=TODAY)
    shorts = short_ids(analysis.items)
    ids: dict[str, list[FollowUp]] = {}
    for item in analysis.items:
        ids.setdefault(shorts[item.uid], []).append(item)
    yield Generated(vault, page, analysis, ids)


def split(page: list[str]) -> tuple[list[str], int, list[str]]:
    """(the lines above the callout, its N, the callout's lines)."""
    at = [n for n, line in enumerate(page) if CALLOUT.match(line)]
    assert len(at) == 1, "one Long overdue callout"
    m = CALLOUT.match(page[at[0]])
    assert m is not None
    return page[: at[0]], int(m.group(1)), page[at[0] + 1 :]


def overdue_days(line: str) -> int:
    """Days overdue as the line says it (0: due today, negative: coming up)."""
    m = WHEN.match(line)
    assert m is not None, line
    if m.group(1):
        return int(m.group(1))
    return -int(m.group(2)) if m.group(2) else 0


def item_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if ID.search(line)]


def ids_of(lines: list[str]) -> list[str]:
    """The ids of the item lines among `lines`, in order."""
    return [m.group(1) for line in lines if (m := ID.search(line))]


def test_above_the_callout_nothing_is_overdue_by_more_than_30_days(generated: Generated) -> None:
    above, count, _ = split(generated.page)
    items = item_lines(above)
    days = [overdue_days(line) for line in items]
    assert len(items) > 100 and max(days) <= 30
    assert max(days) > 20  # the cut is at 30 days, not far earlier
    assert count > 100  # this vault has long-overdue items to fold


def test_the_callout_holds_every_item_overdue_by_more_than_30_days_grouped_by_person(
    generated: Generated,
) -> None:
    above, count, callout = split(generated.page)
    assert all(line.startswith(">") for line in callout)  # the callout is the end of the page
    lines = item_lines(callout)
    assert len(lines) == count
    assert all(line.startswith("> - [ ] ") and overdue_days(line) > 30 for line in lines)

    headers = [n for n, line in enumerate(callout) if re.fullmatch(r"> \*\*.+\*\*", line)]
    names = [callout[n][4:-2] for n in headers]
    assert names == sorted(names, key=str.casefold) and len(set(names)) == len(names)
    for start, end, name in zip(headers, [*headers[1:], len(callout)], names, strict=True):
        group = item_lines(callout[start:end])
        assert group, name
        people = {i.person for short in ids_of(group) for i in generated.ids[short]}
        assert [md_text(p) for p in people] == [name]

    expected = [i for i in due_by(generated.analysis.items, TODAY, 7) if (TODAY - i.due).days > 30]
    assert sorted(ids_of(lines)) == sorted(
        short for short, items in generated.ids.items() for item in items if item in expected
    )
    shown_above = set(ids_of(above))
    assert not shown_above & set(ids_of(lines))


def test_the_first_screen_is_todays_work(generated: Generated) -> None:
    above, count, _ = split(generated.page)
    first_screen = generated.page[:40]
    assert "## Overdue" in first_screen
    items = item_lines(first_screen)
    assert len(items) >= 20
    assert all(0 <= overdue_days(line) <= 30 for line in items)
    days = [overdue_days(line) for line in item_lines(above)]
    assert days == sorted(days, reverse=True)  # most overdue first, then today, then upcoming
    said = re.search(
        r"(\d+) overdue\*\* \((\d+) of them for more than 30 days, folded at the end\), (\d+) due today",
        "\n".join(above),
    )
    assert said is not None
    assert int(said.group(2)) == count
    assert int(said.group(1)) == sum(1 for d in days if d > 0) + count  # every overdue item, folded or not
    assert int(said.group(3)) == sum(1 for d in days if d == 0)


def test_the_calendar_shows_what_is_above_the_callout(generated: Generated) -> None:
    above, _, _ = split(generated.page)
    shown = sorted(ids_of(above))
    cal = Calendar.from_ical((generated.vault / "notesync" / "Follow-ups.ics").read_bytes())
    open_events = sorted(str(e["UID"]) for e in cal.walk("VEVENT") if "STATUS" not in e)
    assert [u.split("@")[0] for u in open_events] == sorted({generated.ids[s][0].uid for s in shown})


@pytest.mark.parametrize("days", [7, 0])
def test_the_cut_is_the_long_overdue_days_setting(make_vault: MakeVault, days: int) -> None:
    vault = tick_vault(make_vault, config=f"long_overdue_days = {days}\n")
    sync(vault, today=DAY)
    page = read_page(vault).splitlines()
    above, count, callout = split(page)
    assert all(overdue_days(line) <= days for line in item_lines(above))
    assert all(overdue_days(line) > days for line in item_lines(callout))
    overdue = [i for i in due_by(analyse(vault, today=DAY).items, DAY, 7) if (DAY - i.due).days > days]
    assert count == len(item_lines(callout)) == len(overdue)
    if days == 0:
        assert "Nothing is overdue." in above
