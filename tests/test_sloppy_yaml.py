"""Front-matter as people write it (issue 13): unquoted links, slash dates, one-item lists,
`type: meeting`, property names in any case. Each is read as meant where it can be, and
`check` says what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import TODAY
from .vault_shapes import MakeVault, contacts, conversations, followups, owed, people, run


def conversation(contact: str, day: str, *lines: str, body: str = "") -> str:
    front = "\n".join(
        ["---", "type: interview", f'contact: "[[{contact}]]"', f"date: {day}", "status: done", *lines]
    )
    return f"{front}\n---\n{body}"


def check_lines(vault: Path) -> list[str]:
    """The diagnostics `notesync check` prints."""
    result = run("check", str(vault), "--today", TODAY)
    assert result.exit_code == (1 if result.stdout else 0), result.output
    return result.stdout.splitlines()


# --- several unquoted links ------------------------------------------------------------------

CHARLIE = conversation(
    "Charlie Three", "2026-11-10", "thanked: 2026-11-11", "referrals: [[Delta Four]], [[Echo Five]]"
)


def test_several_unquoted_links_are_read_and_check_shows_the_quoted_form(make_vault: MakeVault) -> None:
    vault = make_vault({"Networking/2026-11-10 Charlie Three.md": CHARLIE})
    assert check_lines(vault) == [
        "Networking/2026-11-10 Charlie Three.md:7: link-unquoted: referrals: [[Delta Four]], [[Echo Five]] "
        'is not valid YAML; read as referrals: ["[[Delta Four]]", "[[Echo Five]]"], write that'
    ]
    assert people(vault) == {"Charlie Three", "Delta Four", "Echo Five"}
    rows = contacts(vault)
    assert rows["Delta Four"]["Referred by"] == rows["Echo Five"]["Referred by"] == "Charlie Three"
    assert rows["Charlie Three"]["Conversations"] == "1"
    assert owed(vault, "contact-referral") == [
        ("contact-referral", "Delta Four", "2026-11-17"),
        ("contact-referral", "Echo Five", "2026-11-17"),
    ]


def test_several_unquoted_links_in_a_meetings_people(make_vault: MakeVault) -> None:
    meeting = (
        '---\ncategories: ["[[Meetings]]"]\npeople: [[Steph Ango]], [[Kevin Kelly]]\ndate: 2026-11-10\n---\n'
    )
    person = '---\ncategories: ["[[People]]"]\n---\n'
    vault = make_vault(
        {
            "Notes/2026-11-10 Meeting.md": meeting,
            # with notes of their own: see test_shapes' meeting with two people who have none
            "References/Steph Ango.md": person,
            "References/Kevin Kelly.md": person,
        }
    )
    assert people(vault) == {"Kevin Kelly", "Steph Ango"}
    rows = contacts(vault)
    assert rows["Steph Ango"]["Conversations"] == rows["Kevin Kelly"]["Conversations"] == "1"
    [line] = check_lines(vault)
    assert (
        'link-unquoted: people: [[Steph Ango]], [[Kevin Kelly]] is not valid YAML; read as people: ["[[Steph Ango]]", "[[Kevin Kelly]]"]'
        in line
    )


def test_an_unquoted_link_in_thanked_thanks_only_that_person(make_vault: MakeVault) -> None:
    meeting = (
        '---\ncategories: ["[[Meetings]]"]\npeople: ["[[Steph Ango]]", "[[Kevin Kelly]]"]\n'
        "date: 2026-11-10\nstatus: done\nthanked: [[Steph Ango]]\n---\n"
    )
    vault = make_vault({"Notes/2026-11-10 Interview.md": meeting})
    assert owed(vault, "thank-you") == [("thank-you", "Kevin Kelly", "2026-11-11")]
    assert any("link-unquoted: thanked" in line for line in check_lines(vault))


# --- one rule for dates ----------------------------------------------------------------------


def test_a_slash_date_gets_a_diagnostic_naming_both_readings(make_vault: MakeVault) -> None:
    vault = make_vault({"Networking/2026-11-03 Foxtrot Six.md": conversation("Foxtrot Six", "11/03/2026")})
    assert check_lines(vault) == [
        "Networking/2026-11-03 Foxtrot Six.md:4: date-ambiguous: date: 11/03/2026 could be "
        "3 November 2026 or 11 March 2026: write 2026-11-03 or 2026-03-11"
    ]
    # no guess: the conversation is listed, with no day to count from
    row = contacts(vault)["Foxtrot Six"]
    assert (row["Conversations"], row["Last contact"]) == ("1", "")
    assert owed(vault) == []


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("13/03/2026", "date-invalid: date: 13/03/2026 is 13 March 2026: write 2026-03-13"),
        ("03.11.2026", "date-ambiguous: date: 03.11.2026 could be 11 March 2026 or 3 November 2026"),
        ("11/03/26", "date-invalid: date: '11/03/26' is not a date (write YYYY-MM-DD)"),
    ],
)
def test_other_dates_that_are_not_iso_get_a_diagnostic(
    make_vault: MakeVault, written: str, said: str
) -> None:
    vault = make_vault({"Networking/Foxtrot Six.md": conversation("Foxtrot Six", written)})
    [line] = check_lines(vault)
    assert line.startswith(f"Networking/Foxtrot Six.md:4: {said}"), line


def test_a_slash_date_in_thanked_counts_as_thanked_with_a_diagnostic(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            "Networking/2026-11-20 Golf Seven.md": conversation(
                "Golf Seven", "2026-11-20", "thanked: 11/21/2026"
            )
        }
    )
    assert owed(vault, "thank-you") == []
    assert check_lines(vault) == [
        "Networking/2026-11-20 Golf Seven.md:6: date-format: thanked: 11/21/2026 is 21 November 2026: "
        "write 2026-11-21; read as done"
    ]


@pytest.mark.parametrize("due", ["📅 11/24/2026", "[due:: 11/24/2026]"])
def test_a_task_date_notesync_cannot_read_gets_a_diagnostic(make_vault: MakeVault, due: str) -> None:
    note = conversation(
        "Golf Seven", "2026-11-20", "thanked: 2026-11-21", body=f"- [ ] Send Golf the deck {due}\n"
    )
    vault = make_vault({"Networking/2026-11-20 Golf Seven.md": note})
    [line] = check_lines(vault)
    assert line.startswith("Networking/2026-11-20 Golf Seven.md:8: date-invalid: task date ")
    assert "11/24/2026 is not one the Tasks plugin reads; write it as YYYY-MM-DD" in line
    assert owed(vault, "action") == []  # no due date it could be listed by


# --- one-item lists, type: meeting, property names -------------------------------------------


@pytest.mark.parametrize("status", ["[done]", '["done"]', "Done", "- done"])
def test_status_as_a_one_item_list_or_in_any_case_is_read(make_vault: MakeVault, status: str) -> None:
    written = f"status:\n  {status}" if status.startswith("-") else f"status: {status}"
    note = f'---\ntype: interview\ncontact: "[[Hotel Eight]]"\ndate: 2026-11-21\n{written}\n---\n'
    vault = make_vault({"Networking/2026-11-21 Hotel Eight.md": note})
    assert owed(vault, "thank-you") == [("thank-you", "Hotel Eight", "2026-11-22")]  # it was held
    assert contacts(vault)["Hotel Eight"]["Status"] == "done"
    assert check_lines(vault) == []


@pytest.mark.parametrize(
    "kind",
    [
        "type: meeting",
        "type: Meeting",
        "type: call",
        "type: coffee",
        "type: [meeting]",
        'type: "[[Meeting]]"',
    ],
)
def test_type_meeting_with_a_contact_is_a_conversation(make_vault: MakeVault, kind: str) -> None:
    note = f'---\n{kind}\ncontact: "[[India Nine]]"\ndate: 2026-11-22\nstatus: done\n---\n'
    vault = make_vault({"Networking/2026-11-22 India Nine.md": note})
    assert conversations(vault) == ["Networking/2026-11-22 India Nine.md"]
    assert owed(vault, "thank-you") == [("thank-you", "India Nine", "2026-11-23")]
    explained = run("check", str(vault), "--explain", "Networking/2026-11-22 India Nine.md")
    assert explained.stdout.startswith("Networking/2026-11-22 India Nine.md: a conversation: `type: ")


@pytest.mark.parametrize(
    "updated", ["Referrer-Updated", "referrer updated", "Referrer_Updated", "REFERRER-UPDATED"]
)
@pytest.mark.parametrize("company", ["Company", "COMPANY", "Org", "organization"])
def test_property_names_in_any_case_or_with_dashes_or_spaces_are_read(
    make_vault: MakeVault, updated: str, company: str
) -> None:
    note = f"""---
Type: Interview
Contact: "[[Juliet Ten]]"
Referrer: "[[Kilo Eleven]]"
Date: 2026-11-05
Status: done
Thanked: 2026-11-06
{updated}: 2026-11-07
{company}: Tailspin Toys
Role: Designer
---
"""
    vault = make_vault({"Networking/2026-11-05 Juliet Ten.md": note})
    assert [i["kind"] for i in followups(vault)] == ["keep-in-touch"]  # thanked, referrer told
    row = contacts(vault)["Juliet Ten"]
    assert (row["Company"], row["Role"], row["Referred by"]) == ("Tailspin Toys", "Designer", "Kilo Eleven")
    assert contacts(vault)["Kilo Eleven"]["Last contact"] == "2026-11-07"  # the day they were told
    assert check_lines(vault) == []
