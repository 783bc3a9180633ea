"""Each follow-up rule firing, and each reason for it not to, on tests/fixtures/rules_vault.

The expected items below were worked out by hand from the SPEC's rule table, not
copied from notesync's output; the comments say why each one is (or is not) there.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from notesync.cli import main
from notesync.config import Rules
from notesync.pipeline import analyse
from notesync.rules import add_days

from .conftest import TODAY


def line_of(vault: Path, rel: str, needle: str) -> int:
    """1-based line of the first line containing `needle`: where an item points."""
    for i, line in enumerate((vault / rel).read_text("utf-8").split("\n"), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {rel}")


def expected(vault: Path) -> list[dict[str, object]]:
    def item(
        kind: str, person: str, due: str, days: int, text: str, rel: str, needle: str
    ) -> dict[str, object]:
        return {
            "kind": kind,
            "person": person,
            "due": due,
            "days_overdue": days,
            "text": text,
            "source": rel,
            "line": line_of(vault, rel, needle),
        }

    return [
        # Dan Brown was referred on 2026-07-01 and has no conversation: +7 days.
        item(
            "contact-referral",
            "Dan Brown",
            "2026-07-08",
            141,
            "Reach out to Dan Brown, referred by Brad Johnson",
            "Interviews/a-brad.md",
            "[[Dan Brown]]",
        ),
        # Gina: last done conversation 2026-07-01, default keep_in_touch 90 days.
        item(
            "keep-in-touch",
            "Gina Lopez",
            "2026-09-29",
            58,
            "Keep in touch with Gina Lopez: last in touch on 2026-07-01",
            "Interviews/f-gina.md",
            "date:",
        ),
        # Erin: requested 2026-11-10 (bare name, no type key), nothing later: +7 days.
        item(
            "no-response",
            "Erin Wu",
            "2026-11-17",
            9,
            "Follow up with Erin Wu: no answer to your request of 2026-11-10",
            "Interviews/d-erin-request.md",
            "status:",
        ),
        # Jane: done 2026-11-20 and no `thanked`: +1 day.
        item(
            "thank-you",
            "Jane Smith",
            "2026-11-21",
            5,
            "Send Jane Smith a thank-you note for the conversation of 2026-11-20",
            "Interviews/b-jane.md",
            "status:",
        ),
        # A task in a contact note counts.
        item(
            "action",
            "Carol King",
            "2026-11-22",
            4,
            "Send Carol the link",
            "People/Carol King.md",
            "Send Carol",
        ),
        # Jane's referrer, written [[People/Brad Johnson|Brad]], was not told: +3 days, for Brad.
        item(
            "update-referrer",
            "Brad Johnson",
            "2026-11-23",
            3,
            "Tell Brad Johnson how the conversation with Jane Smith went",
            "Interviews/b-jane.md",
            "referrer:",
        ),
        # Carol's note (unquoted contact link) names her referrer by Jane's alias "Jenny".
        item(
            "update-referrer",
            "Jane Smith",
            "2026-11-23",
            3,
            "Tell Jane Smith how the conversation with Carol King went",
            "Interviews/c-carol.md",
            "referrer:",
        ),
        item(
            "action", "Jane Smith", "2026-11-24", 2, "Send Jane the deck", "Interviews/b-jane.md", "the deck"
        ),
        # In progress is not done: still owed. Dataview format.
        item(
            "action", "Jane Smith", "2026-11-25", 1, "Draft summary", "Interviews/b-jane.md", "Draft summary"
        ),
        # Hank's conversation was on 2026-11-25 and is still `scheduled`: record how it went.
        item(
            "record-outcome",
            "Hank Moody",
            "2026-11-26",
            0,
            "Record how the conversation with Hank Moody of 2026-11-25 went, and set its status",
            "Interviews/g-hank.md",
            "status:",
        ),
        # A front-matter action item due today.
        item(
            "action",
            "Hank Moody",
            "2026-11-26",
            0,
            "Prepare questions for Hank",
            "Interviews/g-hank.md",
            "Prepare questions",
        ),
        # An unknown status character counts as not done (Tasks' rule).
        item("action", "Jane Smith", "2026-11-26", 0, "Unknown status task", "Interviews/b-jane.md", "[?]"),
    ]
    # Not there, on purpose: the done, cancelled and code-block tasks; "Call Jane 📅 … about
    # the role" (text after the date: no due date); Frank's request (a later note exists);
    # Carol's thank-you (thanked); Brad's keep-in-touch (his own 365 days); Jane as a
    # referral (she has a conversation); the shopping list and the daily note (not
    # networking notes); "Later task" and "Already done".


def test_followups_json_lists_exactly_what_the_rules_give(rules_vault: Path) -> None:
    result = CliRunner().invoke(main, ["followups", str(rules_vault), "--today", TODAY, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected(rules_vault)


def test_upcoming_adds_items_due_within_n_days(rules_vault: Path) -> None:
    result = CliRunner().invoke(
        main, ["followups", str(rules_vault), "--today", TODAY, "--json", "--upcoming", "30"]
    )
    items = json.loads(result.stdout)
    later = [i for i in items if i["days_overdue"] < 0]
    assert [(i["text"], i["days_overdue"]) for i in later] == [("Later task", -24)]


def test_rules_can_be_turned_off_and_retimed(rules_vault: Path) -> None:
    (rules_vault / ".notesync.toml").write_text(
        "[rules]\nthank_you = false\nkeep_in_touch = 200\nno_response = 14\n", encoding="utf-8"
    )
    items = analyse(rules_vault, today=date(2026, 11, 26)).items
    kinds = {i.kind for i in items}
    assert "thank-you" not in kinds
    assert not any(
        i.kind == "keep-in-touch" and i.person == "Gina Lopez" and i.due.isoformat() == "2026-09-29"
        for i in items
    )
    erin = [i for i in items if i.kind == "no-response" and i.person == "Erin Wu"]
    assert [i.due.isoformat() for i in erin] == ["2026-11-24"]


def test_business_days_skip_weekends() -> None:
    # 2026-11-20 is a Friday: 7 working days later is Tuesday 2026-12-01.
    assert add_days(date(2026, 11, 20), 7, business=True) == date(2026, 12, 1)
    assert add_days(date(2026, 11, 20), 7) == date(2026, 11, 27)
    assert Rules(business_days=True).business_days


def test_business_days_setting_moves_no_response(rules_vault: Path) -> None:
    (rules_vault / ".notesync.toml").write_text("[rules]\nbusiness_days = true\n", encoding="utf-8")
    items = analyse(rules_vault, today=date(2026, 11, 26)).items
    erin = [i for i in items if i.kind == "no-response"]
    # requested Tuesday 2026-11-10 + 7 working days = Thursday 2026-11-19
    assert [i.due.isoformat() for i in erin] == ["2026-11-19"]
