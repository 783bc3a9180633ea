"""Templates, `notesync new`, `notesync init` and `notesync draft`.

The templates are checked the way a user meets them: filled in as Obsidian's core
Templates plugin fills them (emulated here independently of notesync's own filling),
then read by sync. The last test installs a built wheel in a fresh virtual environment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from notesync import config as config_module
from notesync.cli import main
from notesync.config import CONFIG_NAME, Config, parse_config
from notesync.errors import ScaffoldError
from notesync.init import PROPERTY_TYPES, config_text, init_vault
from notesync.messages import VARIABLES, fill_message
from notesync.new import new_note
from notesync.obsidian import safe_file_name
from notesync.pipeline import analyse, sync
from notesync.templates import (
    CONTACT_TEMPLATE,
    INTERVIEW_TEMPLATE,
    MESSAGE_TEMPLATES,
    TEMPLATE_NAMES,
    obsidian_fill,
    package_templates,
)

from .conftest import ROOT, TODAY, tree_hashes

DAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9, 30)
TEMPLATES = ROOT / "templates"
MakeVault = Callable[[dict[str, str | bytes]], Path]
NOTE_FORBIDDEN = set('*"\\/<>:|?#^[]')
WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


# --- Obsidian's core Templates plugin, emulated for the tests ------------------------------------


def moment_to_strftime(fmt: str) -> str:
    table = {"YYYY": "%Y", "MM": "%m", "DD": "%d", "HH": "%H", "mm": "%M"}
    return re.sub("YYYY|MM|DD|HH|mm", lambda m: table[m.group(0)], fmt)


def obsidian_insert(template: str, title: str, now: dt.datetime, date_format: str = "YYYY-MM-DD") -> str:
    """What inserting `template` into a note called `title` gives in Obsidian."""

    def dated(m: re.Match[str]) -> str:
        fmt = m.group(2) or (date_format if m.group(1).lower() == "date" else "HH:mm")
        return now.strftime(moment_to_strftime(fmt))

    text = re.sub(r"{{(date|time)(?::(.*?))?}}", dated, template, flags=re.IGNORECASE)
    return re.sub(r"{{title}}", lambda _m: title, text, flags=re.IGNORECASE)


def front_matter(text: str) -> str | None:
    if not text.startswith("---\n"):
        return None
    return text[4 : text.index("\n---\n", 3) + 1]


def keys_sync_reads() -> set[str]:
    """Every front-matter key notesync reads: the names of its fields, and what marks a note."""
    from notesync.reading import DEFAULT_NAMES

    return {n for names in DEFAULT_NAMES.values() for n in names} | {"type", "categories", "tags", "name"}


# --- the templates themselves -----------------------------------------------------------------


def test_the_templates_folder_holds_exactly_the_shipped_templates() -> None:
    assert sorted(p.name for p in TEMPLATES.iterdir()) == sorted(TEMPLATE_NAMES)
    # an editable install finds the checkout's templates/ folder
    assert Path(str(package_templates())).resolve() == TEMPLATES.resolve()


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_front_matter_is_valid_yaml_with_quoted_placeholders_and_keys_sync_reads(name: str) -> None:
    text = (TEMPLATES / name).read_text("utf-8")
    assert "\r" not in text and text.endswith("\n")
    head = front_matter(text)
    if name not in (INTERVIEW_TEMPLATE, CONTACT_TEMPLATE):
        assert head is None, "message templates carry no properties: they are not networking notes"
        return
    assert head is not None
    data = yaml.safe_load(head)  # valid YAML before Obsidian fills it in, too
    assert set(data) <= keys_sync_reads(), set(data) - keys_sync_reads()
    for line in head.splitlines():
        if "{{" in line:
            assert re.fullmatch(r'\w+: "[^"]*{{[^"]*"', line), f"placeholder not inside quotes: {line}"


@pytest.mark.parametrize(
    ("name", "title", "kind"),
    [
        (INTERVIEW_TEMPLATE, "Jane Smith", "interview"),
        (CONTACT_TEMPLATE, "Jane Smith", "contact"),
        *((t, "Draft", "other") for t in (*MESSAGE_TEMPLATES.values(), "Question bank.md")),
    ],
)
@pytest.mark.parametrize("date_format", ["YYYY-MM-DD", "DD/MM/YYYY"])
def test_each_template_filled_by_obsidian_syncs_without_a_diagnostic(
    make_vault: MakeVault, name: str, title: str, kind: str, date_format: str
) -> None:
    filled = obsidian_insert((TEMPLATES / name).read_text("utf-8"), title, NOW, date_format)
    assert not re.search(r"{{(date|time|title)", filled, re.IGNORECASE)
    vault = make_vault({f"Networking/{title}.md": filled})
    result = sync(vault, today=DAY)
    assert result.diagnostics == []
    a = analyse(vault, today=DAY)
    assert a.notes_read == 1
    net = a.net
    if kind == "other":
        assert a.networking == []  # not a networking note: not counted
        return
    assert [n.kind for n in a.networking] == [kind]
    assert [p.name for p in net.people.values()] == ["Jane Smith"]
    if kind == "interview":
        note = a.networking[0]
        assert (note.date, note.status, net.name(net.key(note.contact) or "")) == (
            DAY,
            "planned",
            "Jane Smith",
        )


def test_question_bank_has_the_three_groups_and_asks_for_permission_to_use_the_name() -> None:
    text = (TEMPLATES / "Question bank.md").read_text("utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == ["The industry", "The career itself", "More contacts"]
    assert "May I mention your name" in text
    assert len(re.findall(r"^- ", text, re.MULTILINE)) >= 15


def test_message_templates_say_what_the_method_asks() -> None:
    outreach = (TEMPLATES / "Outreach message.md").read_text("utf-8")
    assert "{{referrer}}" in outreach and "15 to 20 minutes" in outreach
    thanks = (TEMPLATES / "Thank-you note.md").read_text("utf-8")
    assert "{{actions}}" in thanks and "{{referrer}}" in thanks
    for name in MESSAGE_TEMPLATES.values():
        text = (TEMPLATES / name).read_text("utf-8")
        used = set(re.findall(r"{{(\w+)}}", text))
        assert used <= set(VARIABLES), used - set(VARIABLES)


# --- filling ----------------------------------------------------------------------------------


def test_obsidian_fill_replaces_only_obsidians_variables() -> None:
    text = "{{title}} {{TITLE}} {{date}} {{time}} {{date:dddd D MMMM YYYY}} {{date:[Week of] Do}} {{contact}}"
    assert obsidian_fill(text, "Jane", NOW) == (
        "Jane Jane 2026-11-26 09:30 Thursday 26 November 2026 Week of 26th {{contact}}"
    )
    assert obsidian_fill("{{date}}", "x", NOW, date_format="DD/MM/YYYY") == "26/11/2026"


def test_a_paragraph_with_an_empty_variable_is_left_out() -> None:
    template = "%% how to use %%\nHi {{contact_first}},\n\n{{referrer}} sent me.\n\nBye {{unknown}}\n"
    values = dict.fromkeys(VARIABLES, "")
    values.update(contact="Jane Smith", contact_first="Jane")
    assert fill_message(template, values, DAY) == "Hi Jane,\n\nBye {{unknown}}\n"


# --- settings ---------------------------------------------------------------------------------


def every_setting() -> list[str]:
    return sorted(config_module._TOP_KEYS | config_module._RULE_KEYS | config_module._WATCH_KEYS)


def test_config_text_lists_every_setting_and_parses_back_to_the_defaults() -> None:
    text = config_text()
    parsed = parse_config(tomllib.loads(text))
    assert parsed._replace(source=None) == Config()
    lines = text.splitlines()
    for key in every_setting():
        # a setting with no default value is shown commented out
        (at,) = [i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{key} = ")]
        assert "  # " in lines[at] or lines[at - 1].startswith("# "), f"{key} has no comment"


def test_init_config_is_the_defaults_except_that_it_ignores_the_templates_folder(tmp_path: Path) -> None:
    init_vault(tmp_path)
    text = (tmp_path / CONFIG_NAME).read_text("utf-8")
    parsed = parse_config(tomllib.loads(text))
    assert parsed._replace(source=None) == Config(ignore=("Templates",))
    assert text == config_text(ignore=("Templates",))


# --- init -------------------------------------------------------------------------------------


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in sorted(root.rglob("*"))}


def test_init_sets_a_vault_up_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()] == ["created"] * (len(TEMPLATE_NAMES) + 2)
    for name in TEMPLATE_NAMES:
        assert (tmp_path / "Templates" / name).read_bytes() == (TEMPLATES / name).read_bytes()
    types = json.loads((tmp_path / ".obsidian" / "types.json").read_text("utf-8"))
    assert types == {"types": PROPERTY_TYPES}
    before, times = tree_hashes(tmp_path), mtimes(tmp_path)
    again = init_vault(tmp_path)
    assert {s.action for s in again} == {"unchanged"}
    assert tree_hashes(tmp_path) == before and mtimes(tmp_path) == times
    # the installed templates are not read as notes: a fresh vault checks clean
    check = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert check.exit_code == 0, check.output


def test_init_keeps_every_existing_type_and_reports_a_conflict(tmp_path: Path) -> None:
    mine = {"types": {"aliases": "aliases", "rating": "number", "Thanked": "text"}, "other": [1, 2]}
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "types.json").write_text(json.dumps(mine, indent=2), "utf-8")
    steps = {s.path: s for s in init_vault(tmp_path)}
    step = steps[".obsidian/types.json"]
    assert step.action == "updated"
    assert "Thanked is 'text'" in step.detail
    data = json.loads((tmp_path / ".obsidian" / "types.json").read_text("utf-8"))
    assert data["other"] == [1, 2]
    assert data["types"] == {
        "aliases": "aliases",
        "rating": "number",
        "Thanked": "text",
        "date": "date",
        "referrer_updated": "date",
        "referrals": "multitext",
    }
    before = tree_hashes(tmp_path)
    assert {s.path: s.action for s in init_vault(tmp_path)}[".obsidian/types.json"] == "kept"
    assert tree_hashes(tmp_path) == before


def test_init_keeps_the_line_ends_of_the_types_file(tmp_path: Path) -> None:
    """A types.json saved on Windows (CRLF) stays CRLF when notesync adds its types."""
    (tmp_path / ".obsidian").mkdir()
    path = tmp_path / ".obsidian" / "types.json"
    path.write_bytes(json.dumps({"types": {"rating": "number"}}, indent=2).replace("\n", "\r\n").encode())
    init_vault(tmp_path)
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 3
    assert json.loads(data)["types"]["rating"] == "number"


def test_init_leaves_an_invalid_types_json_alone_and_says_so(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "types.json").write_text("{not json", "utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "skipped   .obsidian/types.json (not valid JSON; left untouched)" in result.output
    assert (tmp_path / ".obsidian" / "types.json").read_text("utf-8") == "{not json"
    assert (tmp_path / "Templates" / INTERVIEW_TEMPLATE).exists()


def test_init_never_overwrites_a_file_the_user_changed(tmp_path: Path) -> None:
    init_vault(tmp_path)
    config = tmp_path / CONFIG_NAME
    config.write_text('me = "Alex"\n', "utf-8")
    template = tmp_path / "Templates" / CONTACT_TEMPLATE
    template.write_text(template.read_text("utf-8") + "## My own heading\n", "utf-8")
    before = tree_hashes(tmp_path)
    steps = {s.path: s for s in init_vault(tmp_path)}
    assert steps[CONFIG_NAME].action == "kept"
    assert "ignore" not in steps[CONFIG_NAME].detail  # the walk leaves out Templates anyway
    assert steps[f"Templates/{CONTACT_TEMPLATE}"].action == "kept"
    assert tree_hashes(tmp_path) == before


def test_init_uses_the_templates_folder_obsidian_is_set_to(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "templates.json").write_text('{"folder": "Meta/My Templates/"}', "utf-8")
    steps = init_vault(tmp_path)
    assert all(s.detail == "" for s in steps)
    assert sorted(p.name for p in (tmp_path / "Meta" / "My Templates").iterdir()) == sorted(TEMPLATE_NAMES)
    assert not (tmp_path / "Templates").exists()
    assert parse_config(tomllib.loads((tmp_path / CONFIG_NAME).read_text("utf-8"))).ignore == (
        "Meta/My Templates",
    )
    assert analyse(tmp_path, today=DAY).diagnostics == []


@pytest.mark.parametrize("folder", ["../outside", "/etc", ".hidden", "", 42])
def test_init_falls_back_to_templates_for_an_unusable_folder_setting(tmp_path: Path, folder: object) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "templates.json").write_text(json.dumps({"folder": folder}), "utf-8")
    steps = init_vault(vault)
    assert "Templates" in steps[1].detail
    assert (vault / "Templates" / INTERVIEW_TEMPLATE).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault"]


# --- new --------------------------------------------------------------------------------------


def new(vault: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new", *args, "--vault", str(vault)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_new_interview_creates_the_note_prints_its_path_and_syncs_clean(tmp_path: Path) -> None:
    code, out = new(tmp_path, "interview", "Jane Smith", "--referrer", "Brad Johnson", "--date", "2026-11-20")
    assert (code, out) == (0, "Networking/2026-11-20 Jane Smith.md\n")
    text = (tmp_path / "Networking" / "2026-11-20 Jane Smith.md").read_text("utf-8")
    assert text.startswith(
        '---\ntype: interview\ncontact: "[[Jane Smith]]"\ndate: 2026-11-20\nstatus: planned\n'
        'referrer: "[[Brad Johnson]]"\n'
    )
    result = sync(tmp_path, today=DAY)
    assert result.diagnostics == []
    (note,) = analyse(tmp_path, today=DAY).networking
    assert (note.kind, note.status, note.date) == ("interview", "planned", dt.date(2026, 11, 20))
    code, out = new(tmp_path, "interview", "Tom Lee", "--status", "requested")
    assert code == 0 and out == f"Networking/{dt.date.today().isoformat()} Tom Lee.md\n"


def test_new_contact_and_its_interview_are_one_person(tmp_path: Path) -> None:
    assert new(tmp_path, "contact", "Jane Smith", "--referrer", "[[Brad Johnson]]") == (
        0,
        "Networking/Jane Smith.md\n",
    )
    assert new(tmp_path, "interview", "jane smith", "--date", "2026-11-20")[0] == 0
    a = analyse(tmp_path, today=DAY)
    assert a.diagnostics == []
    assert sorted(p.name for p in a.net.people.values()) == ["Brad Johnson", "Jane Smith"]
    assert [n.kind for n in a.networking] == ["interview", "contact"]


def test_new_never_overwrites_a_note(tmp_path: Path) -> None:
    assert new(tmp_path, "contact", "Jane Smith")[0] == 0
    path = tmp_path / "Networking" / "Jane Smith.md"
    path.write_text("my own words\n", "utf-8")
    code, out = new(tmp_path, "contact", "JANE SMITH")
    assert code == 1
    assert "Networking/Jane Smith.md already exists; notesync new never overwrites a note" in out
    assert path.read_text("utf-8") == "my own words\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["Jane Smith.md"]


def test_new_contact_refuses_a_second_contact_note_for_the_same_person(make_vault: MakeVault) -> None:
    vault = make_vault({"People/Jane Smith.md": "---\ntype: contact\n---\n"})
    code, out = new(vault, "contact", "jane smith")
    assert code == 1 and "jane smith already has a contact note: People/Jane Smith.md" in out
    assert not (vault / "Networking").exists()


def test_new_rejects_a_date_or_status_for_a_contact_note(tmp_path: Path) -> None:
    code, out = new(tmp_path, "contact", "Jane Smith", "--status", "done")
    assert code == 1 and "interview notes, not to contact notes" in out
    code, _ = new(tmp_path, "interview", "Jane Smith", "--status", "finished")
    assert code == 2


@pytest.mark.parametrize("kind", ["interview", "contact"])
@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "a/b",
        "CON",
        "con.txt",
        "nul",
        'Jane: "JJ" Smith?',
        "  .hidden  ",
        "[[Jane Smith]]",
        "C:\\Windows\\x",
        "Zoë Ångström 🙂",
        "x" * 400,
        "..",
        "/",
        "   ",
        "a\x00b",
        "?*|",
    ],
)
def test_new_with_a_hostile_name_makes_a_safe_note_inside_the_vault_or_refuses(
    tmp_path: Path, kind: str, name: str
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    code, out = new(vault, kind, name)
    created = [p for p in tmp_path.rglob("*") if p.is_file()]
    if code != 0:
        assert code == 1 and out.startswith("Error: ") and created == []
        return
    (path,) = created
    assert out == path.relative_to(vault).as_posix() + "\n"
    assert path.parent == vault / "Networking"
    stem = path.name[:-3]
    assert path.name.endswith(".md") and not set(stem) & NOTE_FORBIDDEN
    assert not stem.startswith((".", " ")) and stem == stem.strip()
    assert stem.split(".")[0].strip().upper() not in WINDOWS_RESERVED
    assert len(path.name.encode("utf-8")) <= 255
    assert not any(ord(c) < 32 for c in stem)
    a = analyse(vault, today=DAY)
    assert a.diagnostics == []
    real = " ".join(name.strip("[]").split())  # the person keeps their own name
    if kind == "interview":
        (note,) = a.networking
        assert a.net.name(a.net.key(note.contact) or "") == real
    else:
        (person,) = a.net.people.values()
        assert real == person.name or real in person.aliases


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Jane Smith", "Jane Smith"),
        ('Jane: "JJ" Smith?', "Jane JJ Smith"),
        ("../x", "x"),
        ("a/b", "a b"),
        ("CON", "CON_"),
        ("lpt1.backup", "lpt1_.backup"),
        ("Dr. Who.", "Dr. Who."),
        ("Jane\tSmith\n", "Jane Smith"),
    ],
)
def test_safe_file_name(name: str, stem: str) -> None:
    assert safe_file_name(name) == stem


@pytest.mark.parametrize("name", ["", "..", "/", "#^[]"])
def test_safe_file_name_refuses_a_name_with_nothing_left(name: str) -> None:
    with pytest.raises(ScaffoldError, match="letters"):
        safe_file_name(name)


def test_new_goes_into_the_notes_folder_setting_and_never_outside_the_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / CONFIG_NAME).write_text('notes_folder = ""\n', "utf-8")
    assert new(vault, "contact", "Jane Smith") == (0, "Jane Smith.md\n")
    (vault / CONFIG_NAME).write_text('notes_folder = "Out"\n', "utf-8")
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", vault / "Out")
    code, out = new(vault, "interview", "Tom Lee")  # (a contact note would go beside Jane's)
    assert code == 1 and "outside the vault" in out
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_new_uses_the_vaults_own_template_when_there_is_one(tmp_path: Path) -> None:
    init_vault(tmp_path)
    mine = tmp_path / "Templates" / INTERVIEW_TEMPLATE
    mine.write_text(
        '---\ntype: interview\ncontact: "[[{{title}}]]"\ndate: "{{date}}"\nstatus: scheduled\n'
        "channel: video\n---\n## My own questions for {{title}}\n",
        "utf-8",
    )
    assert new(tmp_path, "interview", "Jane Smith", "--date", "2026-11-20")[0] == 0
    text = (tmp_path / "Networking" / "2026-11-20 Jane Smith.md").read_text("utf-8")
    assert text == (
        '---\ntype: interview\ncontact: "[[Jane Smith]]"\ndate: 2026-11-20\nstatus: scheduled\n'
        "channel: video\n---\n## My own questions for Jane Smith\n"
    )
    mine.write_text("---\ntype: journal\n---\n", "utf-8")
    code, out = new(tmp_path, "interview", "Tom Lee")
    assert code == 1 and "Templates/Interview note.md does not make a usable interview note" in out


def test_new_keeps_an_awkward_name_valid_yaml_in_the_vaults_template(tmp_path: Path) -> None:
    init_vault(tmp_path)
    (tmp_path / "Templates" / CONTACT_TEMPLATE).write_text(
        '---\ntype: contact\nrole: "friend of {{title}}"\n---\n', "utf-8"
    )
    assert new_note(tmp_path, "contact", 'Jane "JJ" \\ Smith').name == "Jane JJ Smith.md"
    assert analyse(tmp_path, today=DAY).diagnostics == []


# --- draft ------------------------------------------------------------------------------------


def draft(vault: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["draft", *args, "--vault", str(vault), "--today", TODAY])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_draft_thank_you_names_the_person_the_referrer_the_date_and_the_open_actions(
    example_vault: Path,
) -> None:
    code, out, err = draft(example_vault, "thank-you", "jane smith")
    assert code == 0, err
    assert out.startswith("Subject: Thank you for your time\n\nDear Jane,\n\n")
    assert "speak with me on Tuesday 20 October." in out
    assert (
        "As we agreed, these are the next steps:\n"
        "- Send Jane my portfolio (by Wednesday 25 November)\n"
        "- Connect on LinkedIn\n"
        "- Read the industry report Jane mentioned (by Friday 27 November)\n"
    ) in out
    assert "Send thank-you note" not in out  # done
    assert "speak with Tom Lee and Ann Chu" in out and "grateful to Brad Johnson" in out
    assert "{{" not in out and "%%" not in out
    assert "Interviews/2026-10-20 Jane Smith.md" in err


def test_draft_referrer_update_goes_to_the_referrer_found_through_an_alias(example_vault: Path) -> None:
    code, out, _ = draft(example_vault, "referrer-update", "[[Tom Lee]]")
    assert code == 0
    assert out.startswith("Subject: Thank you for introducing me to Tom Lee\n\nDear Jane,\n")
    assert "We spoke on Friday 20 November" in out and "Tom suggested I also speak with Mei Wong." in out
    assert "- Rewrite the case study on the reading programme (by Monday 30 November)" in out


def test_draft_referrer_update_for_the_referrer_follow_ups_names(example_vault: Path) -> None:
    """Follow-ups.md says "Tell Jane Smith how the conversation with Tom Lee went": the name it
    shows drafts that message, as the name of the person spoken with does."""
    assert draft(example_vault, "referrer-update", "Jane Smith") == draft(
        example_vault, "referrer-update", "Tom Lee"
    )


def test_draft_follow_up_and_outreach(example_vault: Path) -> None:
    code, out, _ = draft(example_vault, "follow-up", "Zoë Ångström")
    assert code == 0
    assert "Dear Zoë," in out and "I wrote to you on Sunday 22 November" in out
    assert "Carlos Mendes thought you would be the right person" in out
    code, out, _ = draft(example_vault, "follow-up", "Linda Park")  # no referrer: that paragraph goes
    assert code == 0 and "thought you would be" not in out and "Tuesday 10 November" in out
    code, out, _ = draft(example_vault, "outreach", "Dana O'Brien")  # only named in Carlos's referrals
    assert code == 0 and "Carlos Mendes suggested I get in touch with you" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("thank-you", "Jane Smyth"), "no one called 'Jane Smyth' in the notes; did you mean Jane Smith?"),
        (("thank-you", "Me"), "is you"),
        (("thank-you", "Linda Park"), "no conversation with Linda Park has status done yet"),
        (("follow-up", "Carlos Mendes"), "has status done, not requested"),
        (("referrer-update", "Priya Raman"), "the notes name no referrer for Priya Raman"),
    ],
)
def test_draft_refuses_with_a_clear_message(example_vault: Path, args: tuple[str, str], message: str) -> None:
    code, _, err = draft(example_vault, *args)
    assert code == 1 and message in err


def test_draft_uses_the_vaults_own_template(example_vault: Path) -> None:
    (example_vault / "Templates").mkdir()
    (example_vault / "Templates" / "Thank-you note.md").write_text(
        "Thanks {{contact_first}} ({{when}}).\n\nSee you at {{company}}!\n", "utf-8"
    )
    code, out, err = draft(example_vault, "thank-you", "Jane Smith")
    assert code == 0
    assert out == "Thanks Jane (Tuesday 20 October).\n\nSee you at Northwind Traders!\n"
    assert "Templates/Thank-you note.md" in err


def test_a_value_holding_a_variable_is_never_filled_again() -> None:
    """One pass: what a name or an action holds is written as it is."""
    hostile = "{{referrer}} {{date}} {{title}} {{actions}} Zed"
    values = dict.fromkeys(VARIABLES, "")
    values.update(contact=hostile, contact_first="{{date}}", referrer="Ann", actions="- {{referrer}}")
    out = fill_message("Hello {{title}},\n\n{{contact_first}} via {{referrer}}\n\n{{actions}}\n", values, DAY)
    assert out == f"Hello {hostile},\n\n{{{{date}}}} via Ann\n\n- {{{{referrer}}}}\n"
    assert obsidian_fill("{{title}} {{date}}", "{{date}} {{time}}", NOW) == "{{date}} {{time}} 2026-11-26"


def test_draft_with_a_users_template_and_a_name_holding_variables(make_vault: MakeVault) -> None:
    name = "{{referrer}} {{date}} {{actions}} Zed"
    vault = make_vault(
        {
            "Templates/Thank-you note.md": "Hello {{title}},\n\nThanks, {{contact}}.\n",
            "a.md": f'---\ncontact: "{name}"\nreferrer: "[[Ann]]"\ndate: 2026-11-20\nstatus: done\n---\n',
        }
    )
    code, out, err = draft(vault, "thank-you", name)
    assert code == 0, err
    assert out == f"Hello {name},\n\nThanks, {name}.\n"


def test_new_with_an_impossible_path_is_a_clear_error(tmp_path: Path) -> None:
    deep = "/".join(["abcdefghi"] * 1000)  # every folder name fine, the path 10,000 characters long
    (tmp_path / CONFIG_NAME).write_text(f'notes_folder = "{deep}"\n', "utf-8")
    result = CliRunner().invoke(main, ["new", "interview", "Bob", "--vault", str(tmp_path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "cannot create: File name too long" in result.output and len(result.output) < 400
    with pytest.raises(ScaffoldError, match="cannot create"):
        new_note(tmp_path, "contact", "Bob")
    (tmp_path / CONFIG_NAME).write_text(f'notes_folder = "{"x" * 10_000}"\n', "utf-8")
    result = CliRunner().invoke(main, ["new", "interview", "Bob", "--vault", str(tmp_path)])
    assert result.exit_code == 1 and "notes_folder holds a folder name of 10000 characters" in result.output


def test_a_vault_path_the_system_refuses_is_a_clear_error(tmp_path: Path) -> None:
    vault = str(tmp_path / ("y" * 10_000))
    for args in (["sync", vault], ["new", "interview", "Bob", "--vault", vault]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert "File name too long" in result.output and len(result.output) < 400


# --- the installed package --------------------------------------------------------------------


@pytest.mark.skipif(os.environ.get("NOTESYNC_SKIP_WHEEL") == "1", reason="NOTESYNC_SKIP_WHEEL=1")
def test_a_wheel_installed_in_a_fresh_venv_ships_its_templates_and_runs_new_and_init(tmp_path: Path) -> None:
    """Slow (a pip install, about 30 s with a cold cache): the one test of the real package."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    wheels = tmp_path / "wheels"
    run = subprocess.run
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        env=env,
    )
    (wheel,) = wheels.glob("notesync-*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    run([str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, env=env)
    work = tmp_path / "elsewhere"  # not the checkout: nothing may come from the repository
    vault = work / "vault"
    vault.mkdir(parents=True)

    def notesync(*args: str) -> subprocess.CompletedProcess[str]:
        return run([str(bindir / "notesync"), *args], cwd=work, env=env, capture_output=True, text=True)

    where = run(
        [str(bindir / "python"), "-c", "import notesync.templates as s; print(s.package_templates())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    assert sorted(p.name for p in Path(where).iterdir()) == sorted(TEMPLATE_NAMES)

    init = notesync("init", "vault")
    assert init.returncode == 0, init.stderr
    for name in TEMPLATE_NAMES:
        assert (vault / "Templates" / name).read_bytes() == (TEMPLATES / name).read_bytes()
    assert json.loads((vault / ".obsidian" / "types.json").read_text("utf-8")) == {"types": PROPERTY_TYPES}
    again = notesync("init", "vault").stdout.splitlines()
    assert [line.split()[0] for line in again] == ["unchanged"] * (len(TEMPLATE_NAMES) + 2)

    made = notesync(
        "new", "interview", "Jane Smith", "--vault", "vault", "--date", "2026-11-20", "--referrer", "Brad"
    )
    assert (made.returncode, made.stdout) == (0, "Networking/2026-11-20 Jane Smith.md\n"), made.stderr
    assert notesync("new", "contact", "Jane Smith", "--vault", "vault").stdout == "Networking/Jane Smith.md\n"
    check = notesync("check", "vault")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "2 notes checked: 0 errors, 0 warnings" in check.stderr


def _talk(who: str, day: str, referrer: str, updated: bool) -> str:
    return (
        f'---\ntype: interview\ncontact: "[[{who}]]"\ndate: {day}\nstatus: done\nthanked: {day}\n'
        f'referrer: "[[{referrer}]]"\n' + (f"referrer_updated: {day}\n" if updated else "") + "---\n"
    )


def test_draft_referrer_update_to_a_referrer_is_about_the_conversation_they_wait_to_hear_of(
    make_vault: MakeVault,
) -> None:
    vault = make_vault(
        {
            "Talks/2026-10-01 Bob Ray.md": _talk("Bob Ray", "2026-10-01", "Carol Diaz", updated=False),
            "Talks/2026-11-20 Bob Ray.md": _talk("Bob Ray", "2026-11-20", "Dave Fox", updated=True),
        }
    )
    code, out, err = draft(vault, "referrer-update", "Carol Diaz")
    assert code == 0, err
    assert "Dear Carol," in out and "Thursday 1 October" in out
    assert "Talks/2026-10-01 Bob Ray.md" in err


def test_draft_referrer_update_says_which_name_to_give_when_one_name_means_two_messages(
    make_vault: MakeVault,
) -> None:
    vault = make_vault(
        {
            "Talks/2026-10-01 Alice Ng.md": _talk("Alice Ng", "2026-10-01", "Carol Diaz", updated=False),
            "Talks/2026-11-01 Bob Ray.md": _talk("Bob Ray", "2026-11-01", "Alice Ng", updated=False),
        }
    )
    code, out, err = draft(vault, "referrer-update", "Alice Ng")
    assert code == 1
    assert "Alice Ng is owed an update about Bob Ray, and Carol Diaz one about Alice Ng" in out + err
    assert draft(vault, "referrer-update", "Carol Diaz")[1].startswith(
        "Subject: Thank you for introducing me to Alice Ng"
    )
    assert "Dear Alice," in draft(vault, "referrer-update", "Bob Ray")[1]


def test_init_refuses_to_put_templates_in_the_output_folder(tmp_path: Path) -> None:
    """Obsidian's template folder set to `notesync`: templates there would never be read
    and every sync would warn of them. Refused, nothing written."""
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "templates.json").write_text('{"folder": "notesync/Templates"}', "utf-8")
    before = tree_hashes(tmp_path)
    with pytest.raises(ScaffoldError, match="is in notesync's output folder notesync/"):
        init_vault(tmp_path)
    assert tree_hashes(tmp_path) == before
