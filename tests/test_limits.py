"""Values out of range: a diagnostic or a settings error naming the file and key, never an
OverflowError from the date arithmetic of the rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from notesync.cli import main
from notesync.config import parse_config
from notesync.errors import ConfigError
from notesync.limits import LAST_DATE, MAX_DAYS, MAX_DEBOUNCE_MS
from notesync.parse import parse_note
from notesync.rules import add_days, due_by

DAY = date(2026, 11, 26)


def _naive_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 60))
def test_working_days_jump_by_weeks_and_agree_with_counting_day_by_day(start: date, days: int) -> None:
    assert add_days(start, days, business=True) == _naive_working_days(start, days)


@pytest.mark.parametrize("business", [False, True])
@pytest.mark.parametrize("days", [10**6, 10**30, -(10**30)])
def test_add_days_stops_at_the_ends_of_the_calendar(days: int, business: bool) -> None:
    end = add_days(date(9999, 12, 30), days, business)
    assert end in (date.max, date.min, date(9999, 12, 30))


def test_due_by_near_the_end_of_the_calendar() -> None:
    assert due_by([], date.max, MAX_DAYS) == []


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "9900-01-01"])
@pytest.mark.parametrize("key", ["date"])
def test_a_date_the_rules_cannot_count_from_is_invalid(key: str, value: str) -> None:
    text = f'---\ncontact: "[[Eve]]"\n{key}: {value}\nstatus: done\n---\n'
    note, diags = parse_note("n.md", text.encode())
    assert note is not None and note.date is None
    assert [f"{d.line}: {d.code}" for d in diags] == ["3: date-invalid"]
    assert "out of range" in diags[0].message and LAST_DATE.isoformat() in diags[0].message


def test_the_last_date_is_read() -> None:
    text = f'---\ncontact: "[[Eve]]"\ndate: {LAST_DATE.isoformat()}\nstatus: done\n---\n'
    note, diags = parse_note("n.md", text.encode())
    assert note is not None and note.date == LAST_DATE and diags == []


@pytest.mark.parametrize(
    "value", ["99999999999999999999999", '"99999999999999999999999"', '"' + "9" * 5000 + '"', "3651"]
)
def test_a_huge_keep_in_touch_is_ignored_with_a_diagnostic(value: str) -> None:
    note, diags = parse_note("People/Eve.md", f"---\ntype: contact\nkeep_in_touch: {value}\n---\n".encode())
    assert note is not None and note.keep_in_touch is None
    assert [(d.line, d.code) for d in diags] == [(3, "field-invalid")]


def test_keep_in_touch_up_to_ten_years_is_read() -> None:
    note, _ = parse_note("People/Eve.md", f'---\ntype: contact\nkeep_in_touch: "{MAX_DAYS}"\n---\n'.encode())
    assert note is not None and note.keep_in_touch == MAX_DAYS


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ({"upcoming_days": 3_000_000}, "upcoming_days"),
        ({"rules": {"no_response": 99_999_999_999}}, "rules.no_response"),
        ({"rules": {"keep_in_touch": 4_000_000}}, "rules.keep_in_touch"),
        ({"rules": {"thank_you": MAX_DAYS + 1}}, "rules.thank_you"),
        ({"watch": {"debounce_ms": 100_000_000_000_000}}, "watch.debounce_ms"),
        ({"watch": {"debounce_ms": MAX_DEBOUNCE_MS + 1}}, "watch.debounce_ms"),
        ({"notes_folder": "x" * 10_000}, "notes_folder"),
        ({"output": "a/" + "y" * 256}, "output"),
        ({"notes_folder": "notesync/new"}, "notes_folder"),
        ({"output": "Networking", "notes_folder": "Networking"}, "notes_folder"),
    ],
)
def test_settings_out_of_range_name_the_file_and_key(toml: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(toml, "vault/.notesync.toml")
    message = str(err.value)
    assert message.startswith("vault/.notesync.toml: ") and key in message
    assert len(message) < 300


def test_settings_at_their_bounds_are_taken() -> None:
    cfg = parse_config(
        {
            "upcoming_days": MAX_DAYS,
            "rules": {"no_response": MAX_DAYS, "business_days": True},
            "watch": {"debounce_ms": MAX_DEBOUNCE_MS},
        }
    )
    assert cfg.upcoming_days == MAX_DAYS and cfg.debounce_ms == MAX_DEBOUNCE_MS


def test_the_longest_rules_from_the_last_date_stay_in_the_calendar(make_vault: Callable[..., Path]) -> None:
    rules = "\n".join(
        f"{k} = {MAX_DAYS}" for k in ("no_response", "thank_you", "update_referrer", "contact_referral")
    )
    last = LAST_DATE.isoformat()
    vault = make_vault(
        {
            ".notesync.toml": f"upcoming_days = {MAX_DAYS}\n[rules]\nbusiness_days = true\n{rules}\n"
            f"keep_in_touch = {MAX_DAYS}\n",
            "a.md": f'---\ncontact: "[[Ann]]"\nreferrer: "[[Bob]]"\nreferrals: ["[[Cy]]"]\ndate: {last}\n'
            "status: done\n---\n",
            "b.md": f'---\ncontact: "[[Dee]]"\ndate: {last}\nstatus: requested\n---\n',
        }
    )
    for args in (["sync"], ["followups", "--upcoming", str(MAX_DAYS)], ["check"]):
        result = CliRunner().invoke(main, [*args, str(vault), "--today", last])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code in (0, 1)


@pytest.mark.parametrize(
    "args",
    [
        ["followups", "--today", "9999-12-31"],
        ["followups", "--upcoming", "99999999999"],
        ["sync", "--today", "0001-01-01"],
        ["watch", "--debounce", "100000000000000"],
        ["new", "interview", "Bob", "--date", "9999-12-31"],
        ["followups", "--today", "2026-W47-5"],  # an ISO week date: not YYYY-MM-DD
        ["followups", "--today", "2026-02-30"],
        ["followups", "--today", "20261126"],
    ],
)
def test_command_line_values_out_of_range_are_usage_errors(example_vault: Path, args: list[str]) -> None:
    where = ["--vault", str(example_vault)] if args[0] == "new" else [str(example_vault)]
    result = CliRunner().invoke(main, [args[0], *where, *args[1:]])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "Invalid value" in result.output


def test_a_day_may_leave_out_its_leading_zeros(example_vault: Path) -> None:
    result = CliRunner().invoke(
        main, ["sync", str(example_vault), "--today", "2026-11-5", "--dry-run", "--json"]
    )
    assert result.exit_code in (0, 1), result.output
    assert '"today": "2026-11-05"' in result.output
