"""`notesync: ignore` keeps a note out; `notesync check --explain PATH` says why a note counts
as a person, a conversation or neither, and what was read of it (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import TODAY
from .test_shapes import JOB_SEARCH, KEPANO_SETUP, MEETING, interview
from .vault_shapes import MakeVault, contacts, conversations, owed, people, run

IGNORED_PERSON = '---\ncategories:\n  - "[[People]]"\norg: ["[[Acme]]"]\nnotesync: ignore\n---\n'
PLAIN = "# Groceries\n\n- milk\n- bread\n"


def vault_of(make_vault: MakeVault) -> Path:
    return make_vault(
        {
            **KEPANO_SETUP,
            "Notes/2026-11-10 Job interview at Obsidian.md": interview(),
            "Notes/2026-08-20 Meeting with Steph.md": MEETING,
            "References/Old Friend.md": IGNORED_PERSON,
            "Notes/Groceries.md": PLAIN,
            "Records/Sample Person 1.md": JOB_SEARCH["30 Records/20 People/Sample Person 1.md"],
            "Notes/Out of Control.md": "---\ntype: book\nauthor: Kevin Kelly\n---\n",
        }
    )


def explain(vault: Path, *paths: str) -> list[str]:
    result = run("check", str(vault), *(a for p in paths for a in ("--explain", p)))
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


# --- notesync: ignore ---------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["notesync: ignore", "notesync: Ignore", "NoteSync: ignore"])
def test_an_ignored_person_note_is_no_one(make_vault: MakeVault, written: str) -> None:
    vault = make_vault(
        {**KEPANO_SETUP, "References/Old Friend.md": IGNORED_PERSON.replace("notesync: ignore", written)}
    )
    assert people(vault) == {"Kevin Kelly", "Steph Ango"}
    assert "Old Friend" not in contacts(vault)


def test_an_ignored_conversation_counts_for_nothing(make_vault: MakeVault) -> None:
    ignored = interview("notesync: ignore\n")
    vault = make_vault({**KEPANO_SETUP, "Notes/2026-11-10 Job interview at Obsidian.md": ignored})
    assert conversations(vault) == []
    assert owed(vault) == []
    assert contacts(vault)["Steph Ango"]["Conversations"] == "0"


def test_an_ignored_note_gets_no_diagnostic(make_vault: MakeVault) -> None:
    broken = (
        '---\ntype: interview\ncontact: "[[Nobody]]"\ndate: 11/03/2026\nstatus: dnoe\nnotesync: ignore\n---\n'
    )
    vault = make_vault({"Networking/Scratch.md": broken})
    result = run("check", str(vault), "--today", TODAY)
    assert result.stdout == ""


# --- check --explain ----------------------------------------------------------------------------


def test_explain_a_kepano_person(make_vault: MakeVault) -> None:
    lines = explain(vault_of(make_vault), "References/Steph Ango.md")
    assert lines[0].casefold() == "references/steph ango.md: a person's note: `categories` holds [[people]]"
    assert lines[1:] == ["  company: Obsidian"]


def test_explain_a_person_tagged_on_their_last_line(make_vault: MakeVault) -> None:
    lines = explain(vault_of(make_vault), "Records/Sample Person 1.md")
    assert lines == [
        "Records/Sample Person 1.md: a person's note: it is tagged #person",
        "  company: Sample Company 1",
        "  role: Recruiter",
    ]


def test_explain_an_ignored_note(make_vault: MakeVault) -> None:
    lines = explain(vault_of(make_vault), "References/Old Friend.md")
    assert lines == [
        "References/Old Friend.md: neither a person nor a conversation: it says `notesync: ignore`"
    ]


def test_explain_a_plain_note(make_vault: MakeVault) -> None:
    lines = explain(vault_of(make_vault), "Notes/Groceries.md")
    assert lines == [
        "Notes/Groceries.md: neither a person nor a conversation: nothing marks it as a person or a conversation"
    ]


def test_explain_a_note_whose_type_is_something_else(make_vault: MakeVault) -> None:
    lines = explain(vault_of(make_vault), "Notes/Out of Control.md")
    assert lines == [
        "Notes/Out of Control.md: neither a person nor a conversation: its type (book) is not one of a "
        "person or a conversation"
    ]


def test_explain_a_meeting_says_what_was_read_of_it(make_vault: MakeVault) -> None:
    lines = explain(vault_of(make_vault), "Notes/2026-11-10 Job interview at Obsidian.md")
    assert lines[0].casefold() == (
        "notes/2026-11-10 job interview at obsidian.md: a conversation: `categories` holds [[meetings]]"
    )
    assert lines[1:] == [
        "  with: Steph Ango, Kevin Kelly",
        "  date: 2026-11-10",
        "  status: done",
        "  company: Obsidian",
        "  role: Product Designer",
    ]


def test_explain_a_note_in_a_folder_the_settings_name(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            ".notesync.toml": '[contacts]\nfolders = ["People"]\n',
            "People/Max Muster.md": "---\nCompany: ETA Group\n---\n",
        }
    )
    assert explain(vault, "People/Max Muster.md") == [
        "People/Max Muster.md: a person's note: it is in the folder People/ (setting contacts.folders)",
        "  company: ETA Group",
    ]


def test_the_nearer_of_two_folders_the_settings_name_decides(make_vault: MakeVault) -> None:
    """Calls kept in `Network/Calls` inside a `Network` of people are conversations."""
    vault = make_vault(
        {
            ".notesync.toml": '[contacts]\nfolders = ["Network"]\n[conversations]\nfolders = ["Network/Calls"]\n',
            "Network/Ann Lee.md": "---\ncompany: Contoso\n---\n",
            "Network/Calls/2026-11-20 Ann Lee.md": '---\nwith: "[[Ann Lee]]"\ndate: 2026-11-20\nstatus: done\n---\n',
        }
    )
    lines = explain(vault, "Network/Ann Lee.md", "Network/Calls/2026-11-20 Ann Lee.md")
    assert (
        lines[0]
        == "Network/Ann Lee.md: a person's note: it is in the folder Network/ (setting contacts.folders)"
    )
    assert lines[2] == (
        "Network/Calls/2026-11-20 Ann Lee.md: a conversation: it is in the folder Network/Calls/ "
        "(setting conversations.folders)"
    )


def test_a_folder_named_for_both_people_and_conversations_holds_people(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            ".notesync.toml": '[contacts]\nfolders = ["Network"]\n[conversations]\nfolders = ["Network"]\n',
            "Network/Ann Lee.md": "---\ncompany: Contoso\n---\n",
        }
    )
    (line, _) = explain(vault, "Network/Ann Lee.md")
    assert line.startswith("Network/Ann Lee.md: a person's note")


def test_explain_shows_the_notes_diagnostics(make_vault: MakeVault) -> None:
    note = '---\ntype: interview\ncontact: "[[Foxtrot Six]]"\ndate: 11/03/2026\nstatus: done\n---\n'
    vault = make_vault({"Networking/Foxtrot Six.md": note})
    assert explain(vault, "Networking/Foxtrot Six.md") == [
        "Networking/Foxtrot Six.md: a conversation: `type: interview`",
        "  with: Foxtrot Six",
        "  status: done",
        "  Networking/Foxtrot Six.md:4: date-ambiguous: date: 11/03/2026 could be 3 November 2026 or "
        "11 March 2026: write 2026-11-03 or 2026-03-11",
    ]


def test_explain_several_notes_and_paths_from_anywhere(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = vault_of(make_vault)
    absolute = str(vault / "Notes" / "Groceries.md")
    lines = explain(vault, absolute, "References/Old Friend.md")
    assert [line.split(":")[0] for line in lines] == ["Notes/Groceries.md", "References/Old Friend.md"]
    (vault / ".obsidian" / "app.json").write_text("{}", "utf-8")
    monkeypatch.chdir(vault / "References")  # the vault is the one holding the current folder
    here = run("check", "--explain", "Steph Ango.md")
    assert here.exit_code == 0, here.output
    assert here.stdout.startswith("References/Steph Ango.md: a person's note")


def test_explain_a_note_that_is_not_there(make_vault: MakeVault) -> None:
    vault = vault_of(make_vault)
    result = run("check", str(vault), "--explain", "Notes/Nope.md")
    assert result.exit_code == 1
    assert "Notes/Nope.md: no such note" in result.output


def test_explain_says_what_a_daily_note_and_a_company_note_add(make_vault: MakeVault) -> None:
    """Neither a person nor a conversation, yet they count: a daily note's links are days in
    touch, its tasks that link someone are action items, a company marked a target is one."""
    daily = "Coffee with [[Priya Raman]] and [[Tom Lee]], then [[Priya Raman]] again.\n\n- [ ] Send [[Tom Lee]] the deck\n"
    vault = make_vault(
        {
            "Daily/2026-11-27.md": daily,
            "Companies/Acme.md": "---\ntype: company\ntarget: true\n---\n",
            "Daily/2026-11-28.md": "Quiet day.\n",
        }
    )
    lines = explain(vault, "Daily/2026-11-27.md", "Companies/Acme.md", "Daily/2026-11-28.md")
    assert lines == [
        "Daily/2026-11-27.md: neither a person nor a conversation: nothing marks it as a person or a conversation",
        "  a daily note of 2026-11-27: it links Priya Raman, Tom Lee: each of them was in touch that day",
        "  1 task linking someone: each is an action item",
        "Companies/Acme.md: neither a person nor a conversation: its type (company) is not one of a "
        "person or a conversation",
        "  a target company: Acme",
        "Daily/2026-11-28.md: neither a person nor a conversation: nothing marks it as a person or a conversation",
        "  a daily note of 2026-11-28: it links no one",
    ]


@pytest.mark.parametrize(
    ("path", "why"),
    [
        (
            "notesync/Follow-ups.md",
            "it is in notesync's output folder notesync/, which holds pages, not notes",
        ),
        ("Archive/Old call.md", "it is in Archive/, which `ignore` in .notesync.toml names"),
        ("Tpl/Interview.md", "it is in Tpl/, a templates folder or one Obsidian's Excluded files names"),
        (".trash/Gone.md", "it is in a hidden folder"),
        (".notesync.toml", "only Markdown notes (.md) are read"),
        ("Calls/Ann (conflicted copy 2026-11-28).md", "a sync service's conflicting copy of Calls/Ann.md"),
    ],
)
def test_explain_says_why_a_note_a_sync_never_reads_is_not_read(
    make_vault: MakeVault, path: str, why: str
) -> None:
    """It is not explained as the conversation it looks like: a sync never reads it."""
    talk = interview()
    vault = make_vault(
        {
            ".notesync.toml": 'ignore = ["Archive"]\n',
            ".obsidian/templates.json": '{"folder": "Tpl"}',
            "notesync/Follow-ups.md": "---\nnotesync: generated\n---\n- [ ] Thank [[Ann]]\n",
            "Archive/Old call.md": talk,
            "Tpl/Interview.md": talk,
            ".trash/Gone.md": talk,
            "Calls/Ann.md": talk,
            "Calls/Ann (conflicted copy 2026-11-28).md": talk,
        }
    )
    (line,) = explain(vault, path)
    assert line.startswith(f"{path}: not read: {why}"), line
