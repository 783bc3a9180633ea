"""The method's missing steps, as `notesync followups --json` lists them: follow up once
on an unanswered request, then move on; prepare for a scheduled conversation; record
how it went once it has been held. And the counts a user reads against the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from notesync.cli import main

from .ticking import MakeVault, read_page

REQUEST = "Networking/2026-11-01 Nina Ross.md"
MEETING = "Networking/2026-11-30 Hal Prep.md"


def listed(vault: Path, today: str, upcoming: int = 0) -> list[dict[str, object]]:
    out = CliRunner().invoke(
        main, ["followups", str(vault), "--today", today, "--json", "--upcoming", str(upcoming)]
    )
    assert out.exit_code == 0, out.output
    rows: list[dict[str, object]] = json.loads(out.stdout)
    return rows


def brief(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(r["kind"], r["person"], r["due"], r["days_overdue"], r["source"]) for r in rows]


def request(extra: str = "", status: str = "requested") -> str:
    return f'---\ntype: interview\ncontact: "[[Nina Ross]]"\ndate: 2026-11-01\nstatus: {status}\n{extra}---\n'


def meeting(status: str = "scheduled", extra: str = "") -> str:
    return f'---\ntype: interview\ncontact: "[[Hal Prep]]"\ndate: 2026-11-30\nstatus: {status}\n{extra}---\n'


# --- follow up once, then move on ---------------------------------------------------


def test_an_unanswered_request_is_followed_up_after_a_week(make_vault: MakeVault) -> None:
    vault = make_vault({REQUEST: request()})
    assert listed(vault, "2026-11-07") == []
    rows = listed(vault, "2026-11-08")
    assert brief(rows) == [("no-response", "Nina Ross", "2026-11-08", 0, REQUEST)]
    assert rows[0]["text"] == "Follow up with Nina Ross: no answer to your request of 2026-11-01"
    assert brief(listed(vault, "2026-11-01", upcoming=7)) == [
        ("no-response", "Nina Ross", "2026-11-08", -7, REQUEST)
    ]


def test_after_the_follow_up_a_second_item_says_move_on_a_week_later(make_vault: MakeVault) -> None:
    vault = make_vault({REQUEST: request("followed_up: 2026-11-09\n")})
    assert listed(vault, "2026-11-15") == []  # the first item is gone: the follow-up is recorded
    rows = listed(vault, "2026-11-16")
    assert brief(rows) == [("no-response", "Nina Ross", "2026-11-16", 0, REQUEST)]
    text = str(rows[0]["text"])
    assert "2026-11-09" in text and "move on" in text and "status: no-response" in text
    assert "request of 2026-11-01" not in text  # not the first item again


def test_once_moved_on_nothing_more_is_owed(make_vault: MakeVault) -> None:
    vault = make_vault({REQUEST: request("followed_up: 2026-11-09\n", status="no-response")})
    assert listed(vault, "2026-11-16", upcoming=365) == []
    assert listed(vault, "2027-06-01", upcoming=365) == []


def test_an_answer_after_the_follow_up_clears_the_move_on_item(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            REQUEST: request("followed_up: 2026-11-09\n"),
            "Networking/2026-11-12 Nina Ross.md": (
                '---\ncontact: "[[Nina Ross]]"\ndate: 2026-11-20\nstatus: scheduled\n---\n'
            ),
        }
    )
    assert [r for r in listed(vault, "2026-11-16", upcoming=2) if r["kind"] == "no-response"] == []


def test_move_on_is_configurable_and_can_be_turned_off(make_vault: MakeVault) -> None:
    vault = make_vault(
        {REQUEST: request("followed_up: 2026-11-09\n"), ".notesync.toml": "[rules]\nmove_on = 14\n"}
    )
    assert brief(listed(vault, "2026-11-23")) == [("no-response", "Nina Ross", "2026-11-23", 0, REQUEST)]
    (vault / ".notesync.toml").write_text("[rules]\nmove_on = false\n", "utf-8")
    assert listed(vault, "2026-12-31", upcoming=365) == []
    (vault / ".notesync.toml").write_text("[rules]\nno_response = false\n", "utf-8")
    assert listed(vault, "2026-12-31", upcoming=365) == []


# --- prepare, and record the outcome --------------------------------------------------


def test_a_scheduled_conversation_gets_a_prepare_item_the_day_before(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting()})
    rows = listed(vault, "2026-11-26", upcoming=7)
    assert brief(rows) == [("prepare", "Hal Prep", "2026-11-29", -3, MEETING)]
    assert str(rows[0]["text"]).startswith("Prepare 5-10 questions for Hal Prep")
    assert "Question bank" in str(rows[0]["text"])
    assert brief(listed(vault, "2026-11-29")) == [("prepare", "Hal Prep", "2026-11-29", 0, MEETING)]


def test_the_prepare_item_is_gone_once_the_date_has_passed(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting()})
    for today in ("2026-12-01", "2026-12-05", "2027-03-01"):
        assert [r for r in listed(vault, today, upcoming=7) if r["kind"] == "prepare"] == [], today


def test_a_prepared_conversation_needs_no_preparation(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting(extra="prepared: 2026-11-27\n")})
    assert listed(vault, "2026-11-26", upcoming=7) == []


def test_a_conversation_still_scheduled_after_its_date_asks_for_the_outcome(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting()})
    assert [r for r in listed(vault, "2026-11-30", upcoming=7) if r["kind"] == "record-outcome"] == []
    rows = listed(vault, "2026-12-01")
    assert brief(rows) == [("record-outcome", "Hal Prep", "2026-12-01", 0, MEETING)]
    assert str(rows[0]["text"]).startswith("Record how the conversation with Hal Prep of 2026-11-30 went")
    assert brief(listed(vault, "2026-12-10")) == [("record-outcome", "Hal Prep", "2026-12-01", 9, MEETING)]


def test_record_outcome_is_not_listed_before_the_date(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting()})
    for today in ("2026-11-20", "2026-11-29", "2026-11-30"):
        assert [r for r in listed(vault, today, upcoming=30) if r["kind"] == "record-outcome"] == [], today


def test_once_held_the_outcome_is_recorded_and_a_thank_you_is_owed(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting(status="done")})
    assert [r["kind"] for r in listed(vault, "2026-12-01")] == ["thank-you"]


def test_prepare_and_record_outcome_are_configurable_and_can_be_turned_off(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting(), ".notesync.toml": "[rules]\nprepare = 3\nrecord_outcome = 2\n"})
    assert brief(listed(vault, "2026-11-27")) == [("prepare", "Hal Prep", "2026-11-27", 0, MEETING)]
    assert brief(listed(vault, "2026-12-02")) == [("record-outcome", "Hal Prep", "2026-12-02", 0, MEETING)]
    (vault / ".notesync.toml").write_text("[rules]\nprepare = false\nrecord_outcome = false\n", "utf-8")
    assert listed(vault, "2026-11-29", upcoming=30) == []
    assert listed(vault, "2026-12-10", upcoming=30) == []


# --- what a user reads: the page against the counts -----------------------------------


def test_the_summary_counts_the_overdue_items_the_page_lists(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            MEETING: meeting(),  # held on 2026-11-30, still scheduled: record its outcome
            REQUEST: request(),
        }
    )
    out = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-12-05"])
    assert out.exit_code == 0, out.output
    said = re.search(r"(\d+) overdue", out.stdout)
    assert said is not None
    shown = [r for r in listed(vault, "2026-12-05") if int(str(r["days_overdue"])) > 0]
    page = read_page(vault)
    lines = [line for line in page.splitlines() if "days overdue**" in line or "day overdue**" in line]
    assert len(lines) == len(shown) == 2  # no-response and record-outcome; not "prepare"
    assert int(said.group(1)) == len(shown)


def test_a_conversation_with_two_people_lists_both_on_the_next_sync(make_vault: MakeVault) -> None:
    vault = make_vault(
        {"Panel.md": '---\ndate: 2026-11-20\nstatus: done\ncontact: ["[[Ann Alder]]", "[[Bo Birch]]"]\n---\n'}
    )
    first = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-11-28"])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-11-29"])  # from the store
    assert again.exception is None and again.exit_code == 0, again.output
    people = sorted(str(r["person"]) for r in listed(vault, "2026-11-29"))
    assert people == ["Ann Alder", "Bo Birch"]


def test_a_daily_note_mention_resets_keep_in_touch(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            "2026-05-01 Pat Ref.md": (
                '---\ncontact: "[[Pat Ref]]"\ndate: 2026-05-01\nstatus: done\nthanked: 2026-05-01\n---\n'
            ),
            "Daily/2026-10-10.md": "Coffee with [[Pat Ref]] at the market.\n",
        }
    )
    rows = [r for r in listed(vault, "2026-11-28", upcoming=365) if r["kind"] == "keep-in-touch"]
    assert [(r["due"], r["source"]) for r in rows] == [("2027-01-08", "Daily/2026-10-10.md")]


def test_a_task_linking_a_person_in_any_note_is_their_action_item(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            "2026-05-01 Pat Ref.md": (
                '---\ncontact: "[[Pat Ref]]"\ndate: 2026-11-01\nstatus: done\nthanked: 2026-11-01\n---\n'
            ),
            "Plan.md": "# Plan\n- [ ] Email [[Pat Ref]] the deck 📅 2026-11-20\n",
        }
    )
    rows = [r for r in listed(vault, "2026-11-28") if r["kind"] == "action"]
    assert [(r["person"], r["due"], r["source"]) for r in rows] == [("Pat Ref", "2026-11-20", "Plan.md")]
    assert "the deck" in str(rows[0]["text"])


def test_the_prepare_item_links_the_question_bank(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting()})
    assert CliRunner().invoke(main, ["init", str(vault)]).exit_code == 0
    assert (vault / "Templates" / "Question bank.md").exists()
    out = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-11-26"])
    assert out.exit_code == 0, out.output
    line = next(x for x in read_page(vault).splitlines() if "Prepare 5-10 questions" in x)
    assert re.search(r"\[\[(Templates/)?Question bank(\|[^\]]*)?\]\]", line), line


def test_contacts_next_follow_up_is_one_the_page_lists(make_vault: MakeVault) -> None:
    vault = make_vault({MEETING: meeting()})  # held on 2026-11-30, still scheduled
    out = CliRunner().invoke(main, ["sync", str(vault), "--today", "2026-12-03"])
    assert out.exit_code == 0, out.output
    row = next(line for line in read_page(vault, "Contacts.md").splitlines() if "Hal Prep" in line)
    assert "prepare" not in row
    assert "2026-12-01 record outcome (overdue)" in row
