"""Daily notes (issue 13): "Coffee with [[Jane Smith]]" in a daily note is a day in touch
with Jane (it resets keep-in-touch and is her last contact, but it is no conversation), and a
task line in any note that links a known person is that person's action item."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from notesync.config import load_config
from notesync.parse import parse_note

from .conftest import TODAY
from .vault_shapes import MakeVault, contacts, conversations, followups, owed, page, people, run

NETWORK: dict[str, str | bytes] = {
    "People/Jane Smith.md": "---\ntype: contact\ncompany: Northwind Traders\nrole: Account Executive\n---\n",
    "People/Marcus Webb.md": "---\ntype: contact\ncompany: Fabrikam\n---\n",
    "Networking/2026-08-01 Jane Smith.md": """---
type: interview
contact: "[[Jane Smith]]"
date: 2026-08-01
status: done
thanked: 2026-08-02
company: Northwind Traders
---
""",
}
COFFEE = "## Notes\nCoffee with [[Jane Smith]] at Blue Bottle\n"
THANK_MARCUS = "- [ ] Thank [[Marcus Webb]] for the call 📅 2026-11-13\n"


def vault_with(make_vault: MakeVault, **notes: str) -> Path:
    return make_vault({**NETWORK, **notes})


def test_without_daily_notes_keep_in_touch_counts_from_the_last_conversation(make_vault: MakeVault) -> None:
    vault = vault_with(make_vault)
    assert owed(vault) == [("keep-in-touch", "Jane Smith", "2026-10-30")]  # 2026-08-01 + 90 days
    assert contacts(vault)["Jane Smith"]["Last contact"] == "2026-08-01"


def test_a_daily_note_mention_resets_keep_in_touch(make_vault: MakeVault) -> None:
    vault = vault_with(make_vault, **{"Daily/2026-11-20.md": COFFEE})
    keep = [i for i in followups(vault) if i["kind"] == "keep-in-touch"]
    assert [(i["person"], i["due"], i["source"], i["line"]) for i in keep] == [
        ("Jane Smith", "2027-02-18", "Daily/2026-11-20.md", 2)  # 2026-11-20 + 90 days
    ]
    row = contacts(vault)["Jane Smith"]
    assert (row["Last contact"], row["Next follow-up"]) == ("2026-11-20", "2027-02-18 keep in touch")


def test_a_daily_note_mention_is_not_a_conversation(make_vault: MakeVault) -> None:
    vault = vault_with(make_vault, **{"Daily/2026-11-20.md": COFFEE})
    assert conversations(vault) == ["Networking/2026-08-01 Jane Smith.md"]
    assert [i for i in followups(vault) if i["kind"] != "keep-in-touch"] == []  # no thank-you for a mention
    row = contacts(vault)["Jane Smith"]
    assert (row["Last contact"], row["Conversations"], row["Status"]) == ("2026-11-20", "1", "done")


SAYS_NOTHING_HAPPENED = {
    "fenced code": "```\nCoffee with [[Jane Smith]]\n```\n",
    "tilde fence": "~~~markdown\n- [x] Coffee with [[Jane Smith]]\n~~~\n",
    "quote": "> Coffee with [[Jane Smith]] at Blue Bottle\n",
    "callout": "> [!note] Plan\n> Coffee with [[Jane Smith]]\n",
    "unticked task": "- [ ] Call [[Jane Smith]]\n",
    "task in progress": "- [/] Call [[Jane Smith]]\n",
    "comment": "%% Coffee with [[Jane Smith]] %%\n",
    "comment over lines": "%%\nCoffee with [[Jane Smith]]\n%%\n",
    "comment in a line": "Lunch alone. %% with [[Jane Smith]]? %% Then home.\n",
    "html comment": "hi\n<!-- Coffee with [[Jane Smith]] -->\n",
    "html comment over lines": "Lunch. <!-- and then\ncoffee with [[Jane Smith]] -->\n",
    "inline code": "Wrote `Coffee with [[Jane Smith]]` in the template.\n",
    "embed": "![[Jane Smith]]\n",
}


@pytest.mark.parametrize("text", SAYS_NOTHING_HAPPENED.values(), ids=SAYS_NOTHING_HAPPENED.keys())
def test_a_mention_that_says_nothing_happened_does_not_count(make_vault: MakeVault, text: str) -> None:
    """The day of the plain mention (2026-11-20) is the last contact, not the later one."""
    vault = vault_with(
        make_vault, **{"Daily/2026-11-20.md": COFFEE, "Daily/2026-11-22.md": f"## Notes\n\n{text}"}
    )
    assert contacts(vault)["Jane Smith"]["Last contact"] == "2026-11-20"
    assert owed(vault, "keep-in-touch") == [("keep-in-touch", "Jane Smith", "2027-02-18")]


@pytest.mark.parametrize(
    "text",
    [
        "<!-- a note to self -->\nCoffee with [[Jane Smith]]\n",  # a comment ends where it closes
        "%% plan %%\nCoffee with [[Jane Smith]]\n",
        "<!-- from\nearlier --> Coffee with [[Jane Smith]]\n",  # the rest of the line is text
        "Showed Bo the `<!--` trick.\nCoffee with [[Jane Smith]]\n",  # code, not a comment
        "`%%` then [[Jane Smith]] then `%%`\n",
        "Notes\n\n<!--\n<div>old</div> -->\nCoffee with [[Jane Smith]]\n",  # (no HTML block after it)
        "Met Bo.\nnote %%\nhidden\n%%\n<b>Lunch</b> with [[Jane Smith]]\n",  # (a comment's end: no blank line)
    ],
)
def test_a_mention_after_a_comment_counts(make_vault: MakeVault, text: str) -> None:
    vault = vault_with(make_vault, **{"Daily/2026-11-22.md": text})
    assert contacts(vault)["Jane Smith"]["Last contact"] == "2026-11-22"


def test_a_ticked_task_linking_someone_in_a_daily_note_counts(make_vault: MakeVault) -> None:
    vault = vault_with(make_vault, **{"Daily/2026-11-21.md": "- [x] Call [[Jane Smith]] ✅ 2026-11-21\n"})
    assert contacts(vault)["Jane Smith"]["Last contact"] == "2026-11-21"
    assert owed(vault, "keep-in-touch") == [("keep-in-touch", "Jane Smith", "2027-02-19")]


def test_what_a_daily_note_says_happened() -> None:
    """What the parse reads of a daily note: the links of running text and of done tasks."""
    text = "\n".join(
        [
            "## Notes",
            "Coffee with [[Jane Smith]] at Blue Bottle",  # 2
            "- [x] Called [[Marcus Webb|Marcus]]",  # 3
            *SAYS_NOTHING_HAPPENED.values(),
        ]
    )
    note, diags = parse_note("Daily/2026-11-20.md", text.encode())
    assert note is not None and diags == []
    assert note.day == date(2026, 11, 20)
    assert [(m.target, m.line) for m in note.mentions] == [("Jane Smith", 2), ("Marcus Webb", 3)]


def test_a_daily_note_task_linking_a_known_person_is_their_action(make_vault: MakeVault) -> None:
    vault = vault_with(make_vault, **{"Daily/2026-11-20.md": COFFEE + "\n" + THANK_MARCUS})
    actions = [i for i in followups(vault) if i["kind"] == "action"]
    assert [{k: v for k, v in i.items() if k != "id"} for i in actions] == [
        {
            "kind": "action",
            "person": "Marcus Webb",
            "due": "2026-11-13",
            "days_overdue": 13,
            "text": "Thank [[Marcus Webb]] for the call",
            "source": "Daily/2026-11-20.md",
            "line": 4,
        }
    ]
    listed = run("followups", str(vault), "--today", TODAY)
    assert "Marcus Webb: Thank [[Marcus Webb]] for the call  (Daily/2026-11-20.md:4)" in listed.stdout
    follow_ups = page(vault, "Follow-ups.md")
    line = next(line for line in follow_ups.splitlines() if "Thank [[Marcus Webb]] for the call" in line)
    assert line.startswith("- [ ] **13 days overdue** · due 2026-11-13 · ")
    assert "from [[Daily/2026-11-20|2026-11-20]]" in line
    assert contacts(vault)["Marcus Webb"]["Next follow-up"] == "2026-11-13 action (overdue)"


def test_a_task_in_any_note_that_links_a_known_person_is_their_action(make_vault: MakeVault) -> None:
    project = "# Job hunt\n\n- [ ] Send [[Jane Smith]] my portfolio 📅 2026-11-25\n"
    vault = vault_with(make_vault, **{"Projects/Job hunt.md": project})
    assert owed(vault, "action") == [("action", "Jane Smith", "2026-11-25")]


def test_links_and_tasks_about_no_one_known_make_no_one(make_vault: MakeVault) -> None:
    daily = "Coffee with [[Jane Smith]] at [[Blue Bottle]]\n- [x] Read [[Out of Control]]\n"
    shopping = "- [ ] Buy [[Oat Milk]] 📅 2026-11-21\n- [ ] Call the plumber 📅 2026-11-20\n"
    vault = vault_with(make_vault, **{"Daily/2026-11-20.md": daily, "Lists/Shopping.md": shopping})
    assert people(vault) == {"Jane Smith", "Marcus Webb"}
    assert owed(vault, "action") == []


JOURNAL: dict[str, str | bytes] = {
    ".obsidian/daily-notes.json": '{"folder": "Journal", "format": "DD-MM-YYYY"}',
    "Journal/20-11-2026.md": COFFEE,
    "Journal/Journal.md": "An overview of the journal: [[Jane Smith]]\n",  # in the folder, not a day
    "Other/2026-11-22.md": COFFEE,  # named as a date, outside the daily notes folder
}


def test_obsidians_daily_notes_settings_say_which_notes_are_daily(make_vault: MakeVault) -> None:
    vault = make_vault({**NETWORK, **JOURNAL})
    reading = load_config(vault).reading
    days = {
        rel: note.day
        for rel in ("Journal/20-11-2026.md", "Journal/Journal.md", "Other/2026-11-22.md")
        if (note := parse_note(rel, (vault / rel).read_bytes(), reading)[0]) is not None
    }
    assert days == {
        "Journal/20-11-2026.md": date(2026, 11, 20),
        "Journal/Journal.md": None,
        "Other/2026-11-22.md": None,
    }


def test_a_note_in_the_daily_notes_folder_and_format_counts_and_one_elsewhere_does_not(
    make_vault: MakeVault,
) -> None:
    vault = make_vault({**NETWORK, **JOURNAL})
    assert contacts(vault)["Jane Smith"]["Last contact"] == "2026-11-20"
    assert owed(vault, "keep-in-touch") == [("keep-in-touch", "Jane Smith", "2027-02-18")]


def test_a_daily_note_written_after_a_sync_changes_the_pages_on_the_next(make_vault: MakeVault) -> None:
    vault = vault_with(make_vault)
    assert contacts(vault)["Jane Smith"]["Last contact"] == "2026-08-01"
    (vault / "Daily").mkdir()
    (vault / "Daily" / "2026-11-20.md").write_text(COFFEE + "\n" + THANK_MARCUS, "utf-8")
    rows = contacts(vault)  # a second sync, with what the first kept
    assert rows["Jane Smith"]["Last contact"] == "2026-11-20"
    assert rows["Marcus Webb"]["Next follow-up"] == "2026-11-13 action (overdue)"


def test_a_comment_left_open_hides_what_follows_but_not_what_came_before() -> None:
    """`<!--` ten thousand times on a line: the link before them counts, and nothing after
    (the line is read in one pass: once per opener took seconds a line, hours at 4 MB)."""
    text = "[[Jane Smith]] " + "<!--" * 10_000 + "\n" + "`%% " * 5_000 + "\n" + "`a` " * 20_000 + "%%"
    note, _ = parse_note("Daily/2026-11-20.md", text.encode())
    assert note is not None and [m.target for m in note.mentions] == ["Jane Smith"]
