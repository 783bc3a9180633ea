"""`notesync new` and `notesync init` on vaults set up the ways real vaults are, and the
commands run from a folder inside the vault."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from notesync.cli import main
from notesync.config import CONFIG_NAME, parse_config
from notesync.init import init_vault
from notesync.new import contact_notes, usual_folder
from notesync.pipeline import analyse
from notesync.templates import INTERVIEW_TEMPLATE, TEMPLATE_NAMES

from .conftest import TODAY, tree_hashes

MakeVault = Callable[[dict[str, str | bytes]], Path]
DAY = dt.date(2026, 11, 29)
TASKS = ".obsidian/plugins/obsidian-tasks-plugin"


def new(vault: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new", *args, "--vault", str(vault)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# --- new interview: a free name ---------------------------------------------------------------


def test_a_second_interview_note_the_same_day_gets_the_next_free_name(tmp_path: Path) -> None:
    assert new(tmp_path, "interview", "Sam Rivera", "--date", "2026-11-29") == (
        0,
        "Networking/2026-11-29 Sam Rivera.md\n",
    )
    first = (tmp_path / "Networking" / "2026-11-29 Sam Rivera.md").read_bytes()
    assert new(tmp_path, "interview", "Sam Rivera", "--date", "2026-11-29") == (
        0,
        "Networking/2026-11-29 Sam Rivera 2.md\n",
    )
    (tmp_path / "Networking" / "2026-11-29 sam rivera 3.md").write_text("mine\n", "utf-8")  # any case
    assert new(tmp_path, "interview", "sam rivera", "--date", "2026-11-29")[1] == (
        "Networking/2026-11-29 sam rivera 4.md\n"
    )
    assert (tmp_path / "Networking" / "2026-11-29 Sam Rivera.md").read_bytes() == first
    assert (tmp_path / "Networking" / "2026-11-29 sam rivera 3.md").read_text("utf-8") == "mine\n"
    a = analyse(tmp_path, today=DAY)
    assert a.diagnostics == []
    assert [p.name for p in a.net.people.values()] == ["Sam Rivera"]  # three conversations, one person
    assert len(a.networking) == 3


INTERVIEW = '---\ntype: interview\ncontact: "[[{}]]"\ndate: 2026-11-{}\nstatus: done\n---\n'


def test_a_new_interview_goes_where_the_vault_keeps_its_conversations(tmp_path: Path) -> None:
    for name, day in (("Ann Chu", "10"), ("Bo Li", "12")):
        path = tmp_path / "Talks" / "2026" / f"2026-11-{day} {name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(INTERVIEW.format(name, day), "utf-8")
    (tmp_path / "Daily").mkdir()
    for day in ("01", "02", "03"):  # more notes, but no conversations
        (tmp_path / "Daily" / f"2026-11-{day}.md").write_text("Lunch with [[Ann Chu]]\n", "utf-8")
    assert new(tmp_path, "interview", "Cy Doe", "--date", "2026-11-29") == (
        0,
        "Talks/2026/2026-11-29 Cy Doe.md\n",
    )
    # a notes_folder setting wins
    (tmp_path / ".notesync.toml").write_text('notes_folder = "Calls"\n', "utf-8")
    assert new(tmp_path, "interview", "Cy Doe", "--date", "2026-11-29") == (0, "Calls/2026-11-29 Cy Doe.md\n")


def test_new_never_puts_a_note_into_the_output_folder(tmp_path: Path) -> None:
    (tmp_path / ".notesync.toml").write_text('output = "Networking"\n', "utf-8")  # new's first folder
    code, out = new(tmp_path, "interview", "Cy Doe", "--date", "2026-11-29")
    assert code == 1 and "Networking is notesync's output folder, never read: set notes_folder" in out
    assert not (tmp_path / "Networking").exists()


def test_new_interview_gives_up_after_many_notes_of_one_day(tmp_path: Path) -> None:
    folder = tmp_path / "Networking"
    folder.mkdir()
    for n in range(1, 100):
        (folder / ("2026-11-29 Sam.md" if n == 1 else f"2026-11-29 Sam {n}.md")).write_text("", "utf-8")
    before = tree_hashes(tmp_path)
    code, out = new(tmp_path, "interview", "Sam", "--date", "2026-11-29")
    assert code == 1 and "already holds 2026-11-29 Sam.md to 2026-11-29 Sam 99.md" in out
    assert tree_hashes(tmp_path) == before


# --- new contact: where the vault keeps them --------------------------------------------------

PERSON = "---\ntype: person\ncompany: Acme\n---\n"


@pytest.mark.parametrize(
    ("files", "folder"),
    [
        ({}, "Networking"),  # no contact notes yet: notes_folder
        ({"Cards/People/Jane Doe.md": PERSON, "Cards/People/John Doe.md": PERSON}, "Cards/People"),
        # kepano: categories People (a list, a string, an unquoted link), among other references
        (
            {
                "References/Steph Ango.md": '---\ncategories:\n  - "[[People]]"\norg: ["[[Obsidian]]"]\n---\n',
                "References/Kevin Kelly.md": '---\ncategories: "[[People]]"\n---\n',
                "References/Out of Control.md": '---\ncategories: ["[[Books]]"]\n---\n',
                "Notes/Paul.md": "---\ncategories: [[People]]\n---\n",
            },
            "References",
        ),
        # a CRM vault: a People folder and capitalised keys, nothing else marks them
        ({"People/Max Muster.md": "---\nName: Max Muster\nCompany: Tree Company\n---\n"}, "People"),
        # type people with a comma-string tag; type contact; a person tag
        (
            {
                "Cards/Jane Doe.md": "---\ntype: people\ntags: people, 2023-06,\n---\n",
                "Cards/John Doe.md": "---\nType: [[Person]]\n---\n",
                "Networking/Ann Chu.md": "---\ntype: contact\n---\n",
            },
            "Cards",
        ),
        ({"A/x.md": "---\ntags: [person]\n---\n", "B/y.md": "---\ntags: '#contact'\n---\n"}, "A"),  # a tie
        # js-mickey: a tag on the last line of the text, none in the properties
        (
            {
                "30 Records/20 People/Sample Person 1.md": "---\nName: P1\n---\n# P1\n\n---\n#person\n",
                "30 Records/20 People/Sample Person 2.md": "---\nName: P2\n---\n#person",
                "30 Records/40 Logs/Call.md": "---\nContacts: ['[[P1]]']\n---\n#log-communication #personal\n",
                "Notes/x.md": "`#person` in code, #people/friends, a#person\n",
            },
            "30 Records/20 People",
        ),
        ({"Jane Doe.md": PERSON}, ""),  # at the top of the vault
    ],
)
def test_new_contact_goes_where_the_vault_keeps_contact_notes(
    make_vault: MakeVault, files: dict[str, str | bytes], folder: str
) -> None:
    vault = make_vault({**files, "Meetings/2026-11-20 Meeting.md": "---\ntype: meeting\n---\n"})
    before = tree_hashes(vault)
    code, out = new(vault, "contact", "Sam Rivera")
    assert code == 0, out
    expected = f"{folder}/Sam Rivera.md" if folder else "Sam Rivera.md"
    assert out == expected + "\n"
    after = tree_hashes(vault)
    assert {k: v for k, v in after.items() if k != expected} == before


def test_templates_and_excluded_files_are_not_where_contacts_are_kept(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            ".obsidian/templates.json": json.dumps({"folder": "Templates"}),
            ".obsidian/app.json": json.dumps({"userIgnoreFilters": ["Archive/"]}),
            "Templates/People Template.md": '---\ncategories:\n  - "[[People]]"\n---\n',
            "Templates/Author Template.md": '---\ncategories: "[[People]]"\n---\n',
            "Archive/A.md": PERSON,
            "Archive/B.md": PERSON,
            "Contacts/Jane Doe.md": PERSON,
        }
    )
    assert contact_notes(vault) == ["Contacts/Jane Doe.md"]
    assert new(vault, "contact", "Sam Rivera") == (0, "Contacts/Sam Rivera.md\n")


def test_contact_notes_are_what_a_sync_reads_as_contacts_and_the_people_folder(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            "a.md": "---\nTags: [Person]\n---\n",
            "b.md": "---\ncategories: [[People]]\n---\n",  # unquoted: a list in a list
            "c.md": "text\n\n#contact\n",
            "f.md": "---\ntype: contact person\ncategories: [x]\n---\n",
            "g.md": "---\ntype: [meeting]\npeople: ['[[Jane]]']\n---\n",
            "Cards/x.md": "---\nName: X\n---\n",
            "People/y.md": "---\nName: Y\n---\n",
        }
    )
    assert contact_notes(vault) == ["People/y.md", "a.md", "b.md", "c.md"]
    (vault / CONFIG_NAME).write_text('[contacts]\nfolders = ["Cards"]\n', "utf-8")  # the vault's settings
    assert contact_notes(vault) == ["Cards/x.md", "People/y.md", "a.md", "b.md", "c.md"]


def test_new_contact_refuses_a_person_who_has_a_note_in_any_of_these_shapes(make_vault: MakeVault) -> None:
    vault = make_vault({"People/Max Muster.md": "---\nName: Max Muster\n---\n", "Cards/Jane.md": PERSON})
    before = tree_hashes(vault)
    code, out = new(vault, "contact", "max muster")
    assert code == 1 and "max muster already has a contact note: People/Max Muster.md" in out
    code, out = new(vault, "contact", "[[Jane]]")
    assert code == 1 and "Jane already has a contact note: Cards/Jane.md" in out
    assert tree_hashes(vault) == before


def test_new_contact_refuses_a_name_someones_note_lists_among_their_aliases(make_vault: MakeVault) -> None:
    """`jane s.` is Jane Smith (her note says so): a second note would make two people of her."""
    vault = make_vault({"People/Jane Smith.md": '---\ntype: contact\naliases: ["Jane S."]\n---\n'})
    before = tree_hashes(vault)
    code, out = new(vault, "contact", "jane s.")
    assert code == 1 and "jane s. already has a contact note: People/Jane Smith.md" in out
    assert tree_hashes(vault) == before


def test_new_takes_a_link_with_a_folder_as_the_persons_name(make_vault: MakeVault) -> None:
    """`[[People/Jane Smith|Jane]]`, as Obsidian copies a link: the person is Jane Smith, linked
    as such (not a new person called "People/Jane Smith")."""
    vault = make_vault({"People/Jane Smith.md": "---\ntype: contact\n---\n"})
    code, out = new(vault, "interview", "[[People/Tom Lee]]", "--referrer", "[[People/Jane Smith|Jane]]")
    assert code == 0, out
    (made,) = [p for p in vault.rglob("*Tom Lee*.md")]
    text = made.read_text("utf-8")
    assert 'contact: "[[Tom Lee]]"' in text and 'referrer: "[[Jane Smith]]"' in text


def test_new_contact_never_overwrites_a_note_that_is_not_a_contact(make_vault: MakeVault) -> None:
    vault = make_vault({"Cards/Ann.md": PERSON, "Cards/Sam Rivera.md": "---\ntype: company\n---\n"})
    before = tree_hashes(vault)
    code, out = new(vault, "contact", "Sam Rivera")
    assert code == 1 and "Cards/Sam Rivera.md already exists; notesync new never overwrites a note" in out
    assert tree_hashes(vault) == before


def test_usual_folder() -> None:
    assert usual_folder([]) is None
    assert usual_folder(["a.md", "B/b.md", "B/c.md", "C/d.md"]) == "B"
    assert usual_folder(["Z/a.md", "A/b.md"]) == "A"


# --- init: the vault's templates folder, and the Tasks plugin ---------------------------------


def job_search_vault(make_vault: MakeVault) -> Path:
    """The shape of js-mickey's job-search vault: Templater's folder under `00 Settings/`,
    which Obsidian excludes, and no core templates setting."""
    return make_vault(
        {
            ".obsidian/app.json": json.dumps({"userIgnoreFilters": ["00 Settings/"]}),
            ".obsidian/plugins/templater-obsidian/data.json": json.dumps(
                {"templates_folder": "00 Settings/20 Templates", "enable_folder_templates": True}
            ),
            "00 Settings/20 Templates/Template-People.md": "<%* const x = 1 _%>\n---\nName: <% x %>\n---\n",
            "30 Records/20 People/Sample Person 1.md": "---\nName: Sample Person 1\n---\n\n---\n#person\n",
        }
    )


def test_init_uses_templaters_folder_when_that_is_the_one_set(make_vault: MakeVault) -> None:
    vault = job_search_vault(make_vault)
    steps = init_vault(vault)
    folder = vault / "00 Settings" / "20 Templates"
    assert {p.name for p in folder.iterdir()} == {*TEMPLATE_NAMES, "Template-People.md"}
    assert not (vault / "Templates").exists()
    assert parse_config(tomllib.loads((vault / CONFIG_NAME).read_text("utf-8"))).ignore == (
        "00 Settings/20 Templates",
    )
    first = steps[1]
    assert first.path == f"00 Settings/20 Templates/{INTERVIEW_TEMPLATE}" and first.action == "created"
    assert "Templater leaves as written" in first.detail and "core Templates plugin" in first.detail
    assert analyse(vault, today=DAY).diagnostics == []
    # and `new` fills the vault's copy
    assert new(vault, "interview", "Sam Rivera", "--date", "2026-11-29")[0] == 0


def test_init_prefers_the_core_templates_folder(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            ".obsidian/templates.json": json.dumps({"folder": "Miscellaneous/Templates"}),
            ".obsidian/plugins/templater-obsidian/data.json": json.dumps(
                {"templates_folder": "Miscellaneous/Templater"}
            ),
        }
    )
    steps = init_vault(vault)
    assert steps[1].path == f"Miscellaneous/Templates/{INTERVIEW_TEMPLATE}" and steps[1].detail == ""


def test_init_with_the_tasks_plugin_says_how_to_keep_follow_ups_out_of_its_queries(
    make_vault: MakeVault,
) -> None:
    vault = make_vault({f"{TASKS}/manifest.json": "{}", CONFIG_NAME: 'output = "Pages"\n'})
    before = tree_hashes(vault)
    result = CliRunner().invoke(main, ["init", str(vault)])
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert last.startswith(
        f"note      {TASKS} (add the line `path does not include Pages/` to Tasks' Global query"
    )
    assert tree_hashes(vault)[f"{TASKS}/manifest.json"] == before[f"{TASKS}/manifest.json"]
    assert not (vault / TASKS / "data.json").exists()  # advice only: the plugin's settings are the user's


def test_no_tasks_advice_when_the_global_query_already_leaves_the_pages_out(make_vault: MakeVault) -> None:
    query = "path does not include Extras/Templates\npath does not include notesync/"
    vault = make_vault({f"{TASKS}/data.json": json.dumps({"globalQuery": query})})
    assert [s.action for s in init_vault(vault)][-1] != "note"
    again = make_vault({f"{TASKS}/data.json": json.dumps({"globalQuery": "not done"})})
    assert init_vault(again)[-1].action == "note"


# --- the commands find the vault holding the current folder -----------------------------------

NOTE = (
    "---\ntype: interview\ncontact: '[[Jane Smith]]'\ndate: 2026-11-20\nstatus: done\n"
    "referrer: '[[Brad Johnson]]'\n---\n"
)


@pytest.mark.parametrize("marker", [".obsidian/app.json", CONFIG_NAME])
def test_sync_from_a_subfolder_writes_the_roots_pages_and_nothing_in_the_subfolder(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch, marker: str
) -> None:
    vault = make_vault(
        {
            marker: "{}\n" if marker.endswith(".json") else 'me = "Alex"\n',
            "Networking/2026-11-20 Jane Smith.md": NOTE,
            "People/Jane S.md": "---\ntype: contact\naliases: [Jane Smith]\n---\n",
        }
    )
    sub = vault / "Networking"
    monkeypatch.chdir(sub)
    result = CliRunner().invoke(main, ["sync", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("2 notes read, 2 people")  # settings and People/ read
    assert (vault / "notesync" / "Follow-ups.md").is_file()
    assert sorted(p.name for p in sub.iterdir()) == ["2026-11-20 Jane Smith.md"]  # no pages, no .notesync
    monkeypatch.chdir(vault)
    again = CliRunner().invoke(main, ["sync", "--today", TODAY])
    assert (
        again.output.splitlines()[-1]
        == "2 notes read, 2 people, 2 overdue, 0 due today; wrote 0 pages, 7 unchanged"
    )


def test_new_and_check_from_a_subfolder_work_on_the_whole_vault(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault({".obsidian/app.json": "{}", "People/Jane Smith.md": "---\ntype: person\n---\n"})
    (vault / "Networking").mkdir()
    monkeypatch.chdir(vault / "Networking")
    made = CliRunner().invoke(main, ["new", "interview", "Jane Smith", "--date", "2026-11-20"])
    assert made.exit_code == 0 and made.output == "Networking/2026-11-20 Jane Smith.md\n"
    assert (vault / "Networking" / "2026-11-20 Jane Smith.md").is_file()
    assert CliRunner().invoke(main, ["new", "contact", "Jane Smith"]).exit_code == 1  # People/ is found
    check = CliRunner().invoke(main, ["check", "--today", TODAY])
    assert "2 notes checked" in check.output


def test_without_a_vault_marker_the_current_folder_is_the_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text(NOTE, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["sync", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notesync" / "Follow-ups.md").is_file()


def test_a_vault_given_wins_over_the_one_holding_the_current_folder(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault({".obsidian/app.json": "{}", "a.md": NOTE})
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.chdir(vault)
    assert CliRunner().invoke(main, ["sync", str(other), "--today", TODAY]).exit_code == 0
    assert (other / "notesync").is_dir() and not (vault / "notesync").exists()
