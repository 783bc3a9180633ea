"""`notesync import linkedin|vcard|google FILE` on a vault (issue 15): the contact notes it
creates from the fixture exports and where, the people it matches instead, what a second
import, `--dry-run` and `--update` write (and leave alone), `.notesync/imported.json`,
names no file can be called, and 2,000 LinkedIn connections that stay off the people's
pages. How each file is read is tests/test_importers.py's."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from notesync import properties
from notesync.cli import main
from notesync.edit import Edit, Refusal
from notesync.new import new_note
from notesync.parse import parse_note
from notesync.pipeline import sync

from .conftest import EXAMPLE, TODAY
from .test_targets import target_sections

MakeVault = Callable[[dict[str, str | bytes]], Path]
DAY = date.fromisoformat(TODAY)
IMPORTS = Path(__file__).resolve().parent / "fixtures" / "imports"
LINKEDIN_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
REMEMBERED = ".notesync/imported.json"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def import_file(vault: Path, source: str, export: Path | str, *flags: str) -> Result:
    """`notesync import SOURCE FILE --vault VAULT --today TODAY [flags]`; a bare name is a fixture."""
    path = export if isinstance(export, Path) else IMPORTS / export
    return run("import", source, str(path), "--vault", str(vault), "--today", TODAY, *flags)


def imported_ok(vault: Path, source: str, export: Path | str, *flags: str) -> Result:
    out = import_file(vault, source, export, *flags)
    assert out.exit_code == 0, out.output
    return out


def everything(root: Path) -> dict[str, str]:
    """Every file (sha256) and folder ("dir") under root, hidden ones included."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def notes_only(root: Path) -> dict[str, str]:
    """`everything` but the pages notesync writes and its state folder."""
    return {k: v for k, v in everything(root).items() if k.split("/")[0] not in ("notesync", ".notesync")}


def meta(path: Path) -> dict[str, Any]:
    cut = properties.split(path.read_text("utf-8"))
    assert cut.yaml_text is not None, path
    data: dict[str, Any] = properties.load_yaml(cut.yaml_text).data
    return data


def outcome(result: Result) -> str:
    """The line that sums up an import: created N contact notes in FOLDER; ..."""
    return next(line for line in result.stdout.splitlines() if re.search(r" contact notes? in ", line))


def lines_starting(output: str, prefix: str) -> list[str]:
    return [line[len(prefix) :] for line in output.splitlines() if line.startswith(prefix)]


def linkedin_csv(rows: list[list[str]], preamble: bool = True) -> bytes:
    """A Connections.csv as LinkedIn writes it: BOM, its notes above the header, CRLF."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if preamble:
        buf.write("Notes:\r\n")
        writer.writerow(["When exporting your connection data, you may notice that some of the email addresses are missing."])  # fmt: skip
        buf.write("\r\n")
    writer.writerow(LINKEDIN_HEADER)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def contact(**fields: str) -> str:
    body = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\ntype: contact\n{body}---\n"


# --- must show 1: the notes an import creates ----------------------------------------------------

# (company, role, email, linkedin, connected) of each note, as the fixture's rows say them
Expected = dict[str, tuple[str | None, str | None, str | None, str | None, str | None]]
IN = "https://www.linkedin.com/in/"
EXPECTED: dict[str, tuple[str, Expected]] = {
    # preamble, BOM, a blank row, a row without a name, a shifted row, a repeated row
    "linkedin_connections.csv": ("linkedin", {
        "Jane Smith": ("Northwind Traders", "Account Executive", None, IN + "jane-smith-42", "2024-03-05"),
        "Tom Lee": ("Contoso, Ltd.", "Talent Partner, Product", "tom.lee@example.com", IN + "tomlee", "2026-01-01"),
        "José García": ("Fabrikam", "Engineer", None, IN + "josegarcia", "2023-12-12"),
        "Ann Chu": ('"Quoted" Co', "CTO", None, IN + "ann-chu-%C3%BC", "2025-12-07"),
        "Bad Date": ("Acme", "Engineer", None, IN + "bad-date", None),
        "John Doe 🚀": ("Acme", "Engineer", None, IN + "jdoe", "2022-02-02"),
        "Kim Park": ("Acme", "Designer", None, None, "2022-02-02"),
        "Sam Roe": ("Acme", "Head of Sales", None, IN + "samroe", "2020-04-03"),
        "Lee Wong": ("Tailspin Toys", "Recruiter", None, IN + "leewong", "2026-11-28"),
    }),
    "linkedin_connections_de.csv": ("linkedin", {
        "Hans Müller": ("Beispiel AG", "Entwickler", None, IN + "hans-mueller", "2024-03-05"),
        "Erika Musterfrau": ("Müller, Schmidt & Co. KG", "Geschäftsführerin", "erika@example.com", IN + "erika", "2024-03-05"),
        "Jürgen Schmidt": ("Contoso GmbH", "Berater", None, IN + "juergen", "2023-10-12"),
        "Petra Klein": (None, None, None, IN + "petra", "2021-05-03"),
        "Uwe Lang": (None, None, None, IN + "uwe", "2022-12-01"),
    }),
    # folded TITLE, escaped commas, an organisation's card, a broken PHOTO, a line that is no property
    "contacts_v3.vcf": ("vcard", {
        "Jane Doe": ("Acme, Inc.", "Staff Engineer", "jane@acme.example", IN + "janedoe", None),
        "Tom Lee": ("Contoso, Ltd.", "VP, Sales; EMEA", "tom.lee@example.com", IN + "tomlee", None),
        "Broken Photo": (None, "Analyst", "broken@example.com", None, None),
        "Mary Ann O'Neil": (None, None, "mary@example.com", IN + "maryannoneil", None),
    }),
    # folded TITLE and SOCIALPROFILE, PREF, KIND:org, a bare LinkedIn id, a country host
    "contacts_v4.vcf": ("vcard", {
        "Jürgen Müller": ("Fabrikam", "Head of Platform", "juergen@example.de", IN + "juergen-mueller", None),
        "Ann Chu": (None, None, None, IN + "ann-chu", None),
        "山田太郎": ("Tailspin Toys", None, None, IN + "taro-yamada", None),
        "Zoë Ångström": (None, None, "zoe@example.se", None, None),
    }),
    "google_contacts.csv": ("google", {
        "Jane Smith": ("Northwind Traders", "Account Executive", "jane@northwind.example", IN + "jane-smith-42", None),
        "Bobby": (None, None, "bobby@example.com", None, None),
        "Priya Natarajan": ("Contoso", "Engineering Manager", None, IN + "priya-n", None),
        "Bad Mail": (None, None, None, None, None),
    }),
    "google_contacts_legacy.csv": ("google", {
        "Tom Lee": ("Contoso, Ltd.", "Talent Partner", "tom.lee@example.com", IN + "tomlee", None),
        "Dr. María José Pérez": ("Fabrikam", None, "mjp@example.es", None, None),
        "Ann Chu": ("Tailspin Toys", "CTO", None, None, None),
    }),
}  # fmt: skip
FIXTURE_NAMES = list(EXPECTED)
SOURCES = {name: source for name, (source, _) in EXPECTED.items()}


@pytest.mark.parametrize("export", FIXTURE_NAMES)
def test_each_export_becomes_contact_notes_with_the_properties_it_knows(
    make_vault: MakeVault, export: str
) -> None:
    source, expected = EXPECTED[export]
    vault = make_vault({"Shopping list.md": "- milk\n"})  # no contact notes yet: People/

    out = imported_ok(vault, source, export)

    made = sorted(p.relative_to(vault).as_posix() for p in (vault / "People").glob("*.md"))
    assert made == sorted(f"People/{name}.md" for name in expected)
    assert lines_starting(out.stdout, "created People/") == [f"{name}.md" for name in expected]
    for name, (company, role, email, linkedin, connected) in expected.items():
        assert meta(vault / "People" / f"{name}.md") == {
            "type": "contact",
            "aliases": [],
            "company": company,
            "role": role,
            "email": email,
            "linkedin": linkedin,
            "connected": connected,
            "source": source,
        }, name
        note, diags = parse_note(f"People/{name}.md", (vault / "People" / f"{name}.md").read_bytes())
        assert diags == [] and note is not None and note.kind == "contact" and note.title == name
    assert f"created {len(expected)} contact notes in People; 0 already in the vault" in out.stdout
    assert json.loads((vault / REMEMBERED).read_text("utf-8"))["version"] == 1


@pytest.mark.parametrize(
    ("files", "folder", "where"),
    [
        (
            {"Contacts/Ann Lee.md": contact(), "Contacts/Bo Li.md": contact(), "Archive/Cy.md": contact()},
            "Contacts/",
            "Contacts",
        ),
        ({"Ann Lee.md": contact(), "Notes/Plan.md": "# plan\n"}, "", "the top of the vault"),
        # a note in a People/ folder, marked as a person by nothing else
        ({"Network/People/Ann Lee.md": "# Ann Lee\n"}, "Network/People/", "Network/People"),
        ({"Plan.md": "# plan\n"}, "People/", "People"),
    ],
    ids=["contacts-folder", "top-of-vault", "people-folder", "no-contact-notes"],
)
def test_new_notes_go_where_the_vault_keeps_its_contact_notes(
    make_vault: MakeVault, files: dict[str, str | bytes], folder: str, where: str
) -> None:
    vault = make_vault(files)
    out = imported_ok(vault, "linkedin", "linkedin_connections_de.csv")
    names = EXPECTED["linkedin_connections_de.csv"][1]
    made = [
        x
        for x in lines_starting(out.stdout, "created ")
        if x.endswith(".md") and not x.startswith("notesync/")
    ]
    assert made == [f"{folder}{name}.md" for name in names]
    assert f"created 5 contact notes in {where}; 0 already in the vault, 0 skipped" in out.stdout
    assert all((vault / f"{folder}{name}.md").is_file() for name in names)


MATCH_VAULT: dict[str, str | bytes] = {
    # Tom Lee's profile spelled another way, under another name
    "People/Thomas Lee.md": contact(linkedin="linkedin.com/in/TomLee/"),
    # José García by an alias (the export spells it decomposed)
    "People/Pepe.md": contact(aliases='["José García"]'),
    # Broken Photo (contacts_v3.vcf) by an email in another case
    "People/Bea Photo.md": contact(email="Broken@Example.com"),
}


def test_people_matched_by_linkedin_email_or_alias_get_no_second_note(make_vault: MakeVault) -> None:
    vault = make_vault(MATCH_VAULT)

    dry = imported_ok(vault, "linkedin", "linkedin_connections.csv", "--dry-run")
    assert lines_starting(dry.stdout, "known: ") == [
        "Tom Lee is Thomas Lee (same LinkedIn profile)",
        "José García is Pepe (same alias)",
    ]
    imported_ok(vault, "linkedin", "linkedin_connections.csv")
    vcard = imported_ok(vault, "vcard", "contacts_v3.vcf", "--dry-run")
    assert lines_starting(vcard.stdout, "known: ") == [
        "Tom Lee is Thomas Lee (same LinkedIn profile)",
        "Broken Photo is Bea Photo (same email)",
    ]
    for source, export in [("vcard", "contacts_v3.vcf"), ("google", "google_contacts.csv"),
                           ("google", "google_contacts_legacy.csv")]:  # fmt: skip
        imported_ok(vault, source, export)

    people = sorted(p.name for p in (vault / "People").glob("*.md"))
    assert "Tom Lee.md" not in people and "José García.md" not in people and "Broken Photo.md" not in people
    # one note per LinkedIn profile and per email, whichever export named them first
    seen: dict[str, str] = {}
    for name in people:
        data = meta(vault / "People" / name)
        for key in ("linkedin", "email"):
            value = str(data.get(key) or "").casefold().rstrip("/").replace("https://www.", "")
            if value:
                assert seen.setdefault(value, name) == name, (value, name)
    assert seen["linkedin.com/in/tomlee"] == "Thomas Lee.md"
    assert seen["broken@example.com"] == "Bea Photo.md"
    assert seen["linkedin.com/in/jane-smith-42"] == "Jane Smith.md"  # LinkedIn's, matched by Google's


# --- a second import, --dry-run, the notes that exist -------------------------------------------


@pytest.mark.parametrize("export", FIXTURE_NAMES)
def test_a_second_import_of_the_same_file_creates_and_writes_nothing(
    example_vault: Path, export: str
) -> None:
    imported_ok(example_vault, SOURCES[export], export)
    before = everything(example_vault)

    again = imported_ok(example_vault, SOURCES[export], export)

    assert re.search(r"^created 0 contact notes in People; \d+ already in the vault", again.stdout, re.M)
    assert "wrote 0 pages" in again.stdout
    assert everything(example_vault) == before


@pytest.mark.parametrize("export", FIXTURE_NAMES)
def test_dry_run_writes_nothing_and_names_what_the_import_then_creates(
    example_vault: Path, export: str
) -> None:
    before = everything(example_vault)

    dry = imported_ok(example_vault, SOURCES[export], export, "--dry-run", "--update")

    assert everything(example_vault) == before  # no note, no page, no .notesync/imported.json
    assert not (example_vault / ".notesync").exists()
    planned = lines_starting(dry.stdout, "would create People/")
    assert planned
    real = imported_ok(example_vault, SOURCES[export], export)
    assert lines_starting(real.stdout, "created People/") == planned
    assert outcome(dry).replace("would create", "created").split(";")[:2] == outcome(real).split(";")[:2]


def test_no_note_that_exists_changes_a_byte_whatever_is_imported(example_vault: Path) -> None:
    before = notes_only(example_vault)
    for export in FIXTURE_NAMES:
        imported_ok(example_vault, SOURCES[export], export)
    after = notes_only(example_vault)
    assert {k: v for k, v in after.items() if k in before} == before
    assert all(k.startswith("People/") for k in set(after) - set(before))
    assert len(set(after) - set(before)) == 20


# --- --update --------------------------------------------------------------------------------------

TOM = "People/Tom Lee.md"
TOM_UPDATED = """---
type: contact
company: "Contoso, Ltd."
role: "Talent Partner, Product"
referrer: "[[Jane Smith]]"
tags: [networking, ux-research]
email: tom.lee@example.com
linkedin: "https://www.linkedin.com/in/tomlee"
---
# Tom Lee

Leads a team of five researchers at Fabrikam. Hires career changers.
"""


def give_tom_his_email(vault: Path) -> None:
    """The example's Tom Lee is matched by name alone, which --update does not trust: with
    his email in his note, the export's Tom Lee is him for certain."""
    tom = vault / TOM
    tom.write_text(
        tom.read_text("utf-8").replace("ux-research]\n", "ux-research]\nemail: tom.lee@example.com\n"),
        "utf-8",
    )


def test_update_leaves_a_namesake_alone_and_says_why(example_vault: Path) -> None:
    before = (example_vault / TOM).read_bytes()
    out = imported_ok(example_vault, "linkedin", "linkedin_connections.csv", "--update")
    assert (example_vault / TOM).read_bytes() == before
    assert f"not updated: {TOM}: matched by name only" in out.stderr


def test_update_replaces_company_and_role_and_adds_email_and_profile_and_nothing_else(
    example_vault: Path,
) -> None:
    give_tom_his_email(example_vault)
    before = notes_only(example_vault)
    plain = imported_ok(example_vault, "linkedin", "linkedin_connections.csv")
    assert "the export knows more of 1 of them than their notes say (--update records it)" in plain.stdout
    assert notes_only(example_vault).items() >= before.items()  # without --update: not a byte

    out = imported_ok(example_vault, "linkedin", "linkedin_connections.csv", "--update")

    assert (
        "recorded company: Contoso, Ltd., role: Talent Partner, Product, "
        f"linkedin: https://www.linkedin.com/in/tomlee in {TOM}"
    ) in out.stdout.splitlines()
    assert (example_vault / TOM).read_text("utf-8") == TOM_UPDATED
    after = notes_only(example_vault)
    assert {k: v for k, v in after.items() if k in before and k != TOM} == {
        k: v for k, v in before.items() if k != TOM
    }
    again = imported_ok(example_vault, "linkedin", "linkedin_connections.csv", "--update")
    assert "recorded" not in again.stdout and notes_only(example_vault) == after


def test_update_edits_the_properties_as_the_note_spells_them_and_keeps_its_line_endings(
    make_vault: MakeVault,
) -> None:
    note = "---\r\ntype: contact\r\norg: Fabrikam\r\nPosition: Designer\r\nemail:\r\ntags: [a]\r\nLinkedIn: in/tomlee\r\n---\r\n# Tom\r\n"
    vault = make_vault({"Contacts/Tom Lee.md": note})
    export = vault.parent / "tom.csv"
    export.write_bytes(linkedin_csv([["Tom", "Lee", f"{IN}tomlee", "tom@x.example", "Contoso, Ltd.", "Lead", "05 Mar 2024"]]))  # fmt: skip
    before = (vault / "Contacts/Tom Lee.md").read_bytes()

    dry = imported_ok(vault, "linkedin", export, "--update", "--dry-run")
    assert "would record company: Contoso, Ltd., role: Lead" in dry.stdout
    assert (vault / "Contacts/Tom Lee.md").read_bytes() == before
    imported_ok(vault, "linkedin", export, "--update")

    assert (vault / "Contacts/Tom Lee.md").read_bytes() == (
        b'---\r\ntype: contact\r\norg: "Contoso, Ltd."\r\nPosition: "Lead"\r\nemail: "tom@x.example"\r\n'
        b"tags: [a]\r\nLinkedIn: in/tomlee\r\n---\r\n# Tom\r\n"
    )


def test_update_edits_the_properties_the_vaults_settings_name(make_vault: MakeVault) -> None:
    """`[properties] company = ["Employer"]`: the note's `Employer` is the company, and the
    one --update changes (it adds no `company:` beside it); `Job Title` is `job title`'s."""
    note = "---\ntype: contact\nEmployer: Fabrikam\nJob Title: Designer\nlinkedin: in/tomlee\n---\n# Tom\n"
    vault = make_vault(
        {".notesync.toml": '[properties]\ncompany = ["Employer"]\n', "Contacts/Tom Lee.md": note}
    )
    export = vault.parent / "tom.csv"
    export.write_bytes(linkedin_csv([["Tom", "Lee", f"{IN}tomlee", "", "Contoso", "Lead", "05 Mar 2024"]]))
    imported_ok(vault, "linkedin", export, "--update")
    assert (vault / "Contacts/Tom Lee.md").read_text("utf-8") == (
        '---\ntype: contact\nEmployer: "Contoso"\nJob Title: "Lead"\nlinkedin: in/tomlee\n---\n# Tom\n'
    )


def test_update_leaves_a_note_alone_when_the_export_says_the_same_in_other_words(
    make_vault: MakeVault,
) -> None:
    note = contact(
        company="contoso, inc.", role="lead", email="tom@x.example", linkedin="https://linkedin.com/in/TomLee"
    )
    vault = make_vault({"People/Tom Lee.md": note})
    export = vault.parent / "tom.csv"
    export.write_bytes(linkedin_csv([["Tom", "Lee", f"{IN}tomlee", "", "Contoso", "Lead", "05 Mar 2024"]]))
    out = imported_ok(vault, "linkedin", export, "--update")
    assert "recorded" not in out.stdout and "--update records it" not in out.stdout
    assert (vault / "People/Tom Lee.md").read_text("utf-8") == note


def test_update_never_overwrites_a_save_made_while_it_edits(
    example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notesync import edit, import_people

    give_tom_his_email(example_vault)
    mine = (example_vault / TOM).read_bytes() + b"\nCalled him today.\n"

    def racing(path: Path, change: Edit, pause: Callable[[], None] | None = None) -> Refusal | None:
        def the_user_saves() -> None:
            path.write_bytes(mine)

        return edit.apply_edit(path, change, pause=the_user_saves)

    monkeypatch.setattr(import_people, "apply_edit", racing)
    out = imported_ok(example_vault, "linkedin", "linkedin_connections.csv", "--update")

    assert f"not updated: {TOM}: Tom Lee.md changed while notesync was editing it; not edited" in out.stderr
    assert (example_vault / TOM).read_bytes() == mine


def test_update_leaves_a_note_changed_since_the_import_read_it(
    example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notesync import import_people

    give_tom_his_email(example_vault)
    tom = example_vault / TOM
    mine = tom.read_bytes().replace(b"role: UX Research Lead", b"role: Director of Research")
    create = import_people._create

    def and_the_user_saves(
        vault: Path, notes: list[tuple[str, str]], progress: Any
    ) -> tuple[list[str], list[tuple[str, str]]]:
        tom.write_bytes(mine)  # after the vault was read, before the update
        return create(vault, notes, progress)

    monkeypatch.setattr(import_people, "_create", and_the_user_saves)
    out = imported_ok(example_vault, "linkedin", "linkedin_connections.csv", "--update")

    assert tom.read_bytes() == mine
    assert f"not updated: {TOM}" in out.stderr


# --- imported.json -----------------------------------------------------------------------------------


def test_a_note_deleted_after_an_import_is_not_made_again(example_vault: Path) -> None:
    imported_ok(example_vault, "linkedin", "linkedin_connections.csv")
    remembered = (example_vault / REMEMBERED).read_bytes()
    (example_vault / "People" / "John Doe 🚀.md").unlink()
    (example_vault / "People" / "Kim Park.md").unlink()  # no profile: remembered by name

    dry = imported_ok(example_vault, "linkedin", "linkedin_connections.csv", "--dry-run")
    assert "skipped: John Doe 🚀 (line 14): imported before (same LinkedIn profile) and since deleted from the vault" in dry.stdout  # fmt: skip
    assert "skipped: Kim Park (line 15): imported before (same name) and since deleted from the vault" in dry.stdout  # fmt: skip
    out = imported_ok(example_vault, "linkedin", "linkedin_connections.csv")

    assert "created 0 contact notes in People; 7 already in the vault, 4 skipped" in out.stdout
    assert not (example_vault / "People" / "John Doe 🚀.md").exists()
    assert not (example_vault / "People" / "Kim Park.md").exists()
    assert (example_vault / REMEMBERED).read_bytes() == remembered


def test_a_namesake_with_another_profile_is_not_taken_for_a_deleted_note(make_vault: MakeVault) -> None:
    vault = make_vault({"Plan.md": "# plan\n"})
    first, second = vault.parent / "first.csv", vault.parent / "second.csv"
    first.write_bytes(
        linkedin_csv([["John", "Smith", f"{IN}john-smith-1", "", "Contoso", "CEO", "05 Mar 2024"]])
    )
    second.write_bytes(
        linkedin_csv([["John", "Smith", f"{IN}john-smith-2", "", "Fabrikam", "CTO", "05 Mar 2024"]])
    )
    imported_ok(vault, "linkedin", first)
    (vault / "People" / "John Smith.md").unlink()

    imported_ok(vault, "linkedin", second)

    assert meta(vault / "People" / "John Smith.md")["linkedin"] == f"{IN}john-smith-2"


DAMAGED = {
    "not-json": b"{not json",
    "a-list": b"[]",
    "another-version": b'{"version": 2, "imported": []}',
    "not-text": b'{"version": 1, "imported": [1]}',
    "imported-not-a-list": b'{"version": 1, "imported": "linkedin:x"}',
    "not-utf8": b"\xff\xfe\x00{",
    "empty": b"",
}


@pytest.mark.parametrize("data", list(DAMAGED.values()), ids=list(DAMAGED))
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_a_damaged_imported_json_is_a_clean_error_and_nothing_is_written(
    example_vault: Path, data: bytes, dry_run: bool
) -> None:
    (example_vault / ".notesync").mkdir()
    (example_vault / REMEMBERED).write_bytes(data)
    before = everything(example_vault)

    out = import_file(
        example_vault, "linkedin", "linkedin_connections.csv", *(["--dry-run"] if dry_run else [])
    )

    assert out.exit_code == 1, out.output
    assert isinstance(out.exception, SystemExit)  # a message, not a traceback
    assert "Traceback" not in out.output
    assert out.stderr.startswith("Error: .notesync/imported.json is damaged (")
    assert "delete it to import everyone not in the vault" in out.stderr
    assert everything(example_vault) == before


# --- names no file can be called ---------------------------------------------------------------------

BAD_FILE_NAMES = [
    "Dr. Who: The Return",
    "a/b\\c",
    "CON",
    "nul.txt",
    "[[Evil]] Link",
    "Name | Pipe ^ Caret",
    "#hashtag Person",
    'Jane "JJ" Smith',
    "../x",
    "x" * 300,
    "Zoë 🚀 Ångström",
]


@pytest.mark.parametrize("name", BAD_FILE_NAMES, ids=[f"name{i}" for i in range(len(BAD_FILE_NAMES))])
def test_a_name_no_file_can_be_called_is_handled_as_notesync_new_handles_it(
    tmp_path: Path, name: str
) -> None:
    vault, other = tmp_path / "imported", tmp_path / "new"
    vault.mkdir()
    other.mkdir()
    export = tmp_path / "one.csv"
    export.write_bytes(linkedin_csv([[name, "", "", "", "Contoso", "", ""]]))

    out = imported_ok(vault, "linkedin", export)

    by_new = new_note(other, "contact", name)
    made = list((vault / "People").glob("*.md"))
    assert [p.name for p in made] == [by_new.name]
    for path, root in ((made[0], vault), (by_new, other)):
        note, diags = parse_note(path.relative_to(root).as_posix(), path.read_bytes())
        assert note is not None and note.kind == "contact" and diags == []
        assert note.title == name or note.aliases == (name,), path
    assert f"created People/{made[0].name}" in out.stdout


def test_a_name_with_nothing_a_file_name_can_hold_is_skipped_as_notesync_new_refuses_it(
    tmp_path: Path,
) -> None:
    vault = tmp_path / "v"
    vault.mkdir()
    export = tmp_path / "one.csv"
    export.write_bytes(linkedin_csv([["???", "", f"{IN}qqq", "", "Contoso", "", ""], ["Ann", "Lee", "", "", "", "", ""]]))  # fmt: skip

    dry = imported_ok(vault, "linkedin", export, "--dry-run")
    out = imported_ok(vault, "linkedin", export)

    assert "skipped: ??? (line 5): '???' has nothing a note's file name can hold" in dry.stdout
    assert outcome(out).endswith(" contact note in People; 0 already in the vault, 1 skipped")
    assert sorted(p.name for p in (vault / "People").glob("*")) == ["Ann Lee.md"]
    new = run("new", "contact", "???", "--vault", str(tmp_path / "v"))
    assert new.exit_code == 1 and "has nothing a note's file name can hold" in new.output


# --- must show 3: 2,000 LinkedIn connections --------------------------------------------------------

FIRST = ["Ada", "Ben", "Cleo", "Dev", "Elif", "Finn", "Gia", "Hugo", "Iris", "Jonas",
         "Kaia", "Liam", "Mira", "Noor", "Otto", "Pia", "Quinn", "Rosa", "Sven", "Tess"]  # fmt: skip
LAST = [f"{a}{b}" for a in ("Ander", "Bolt", "Crane", "Dorn", "Ekl", "Falk", "Grim", "Holt", "Ives", "Jorn")
        for b in ("sen", "ley", "ton", "by", "wick", "more", "stad", "berg", "dal", "ford")]  # fmt: skip
TARGET_SPELLINGS = {
    "Contoso": ["Contoso", "Contoso, Inc.", "CONTOSO Ltd"],
    "Fabrikam": ["Fabrikam", "Fabrikam GmbH"],
    "Tailspin Toys": ["Tailspin Toys", "tailspin toys LLC"],
}
MANY = 2000


@dataclass(frozen=True)
class BigImport:
    vault: Path
    before: dict[str, str]  # the pages before the import
    after: dict[str, str]  # ... and after it
    output: Result
    at: dict[str, list[str]]  # target -> the connections that work there


def _connections() -> Iterator[tuple[list[str], str | None]]:
    """(row, target company or None) of each generated connection."""
    for i in range(MANY):
        first, last = FIRST[i % len(FIRST)], LAST[i // len(FIRST)]
        target = list(TARGET_SPELLINGS)[i % 3] if i % 25 < 3 else None
        if target is not None:
            spellings = TARGET_SPELLINGS[target]
            company = spellings[i // 25 % len(spellings)]
        else:
            company = "Contoso Pharmaceuticals" if i % 25 == 3 else f"Company {i % 150}"
        email = f"{first}.{last}@mail.example".lower() if i % 7 == 0 else ""
        when = f"{1 + i % 28:02d} {('Jan', 'Feb', 'Mar', 'Oct')[i % 4]} {2015 + i % 10}" if i % 11 else ""
        yield [first, last, f"{IN}{first}-{last}-{i}".lower(), email, company, "Engineer", when], target


PAGES = ("Contacts.md", "Companies.md", "Referral Map.md", "Referral Map.canvas", "Targets.md")


def _pages(vault: Path) -> dict[str, str]:
    return {name: (vault / "notesync" / name).read_text("utf-8") for name in PAGES}


@pytest.fixture(scope="module")
def big_import(tmp_path_factory: pytest.TempPathFactory) -> BigImport:
    root = tmp_path_factory.mktemp("big")
    vault = root / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    generated = list(_connections())
    export = root / "Connections.csv"
    export.write_bytes(linkedin_csv([row for row, _ in generated]))
    at: dict[str, list[str]] = {t: [] for t in TARGET_SPELLINGS}
    for row, target in generated:
        if target is not None:
            at[target].append(f"{row[0]} {row[1]}")
    sync(vault, today=DAY)
    before = _pages(vault)
    output = imported_ok(vault, "linkedin", export)
    return BigImport(vault, before, _pages(vault), output, at)


def _digest_free(page: str) -> str:
    return re.sub(r"^notesync-digest: \w+\n", "", page, flags=re.M)


NOT_LISTED = (
    "Not listed: 2000 imported connections you have not spoken with yet; "
    "Targets.md shows those at the companies you want to work for."
)
NOT_DRAWN = "- **Imported connections**: 2000 more you have not spoken with, not drawn here (see Targets.md)"


def _mermaid_nodes(page: str) -> list[str]:
    block = page.split("```mermaid\n", 1)[1].split("```", 1)[0]
    return re.findall(r'^  n\d+\[(".*")\]:::\w+$', block, re.M)


def test_two_thousand_connections_are_imported_as_notes(big_import: BigImport) -> None:
    out = big_import.output.stdout
    assert "created 2000 contact notes in People; 0 already in the vault, 0 skipped" in out
    listed = [line for line in out.splitlines() if line.startswith("created People/")]
    assert len(listed) == 20 and "  … and 1980 more" in out  # too many to list one by one
    assert len(list((big_import.vault / "People").glob("*.md"))) == 7 + MANY


def test_two_thousand_connections_leave_contacts_companies_and_the_map_as_they_were_but_counted(
    big_import: BigImport,
) -> None:
    before, after = big_import.before, big_import.after
    for name in ("Contacts.md", "Companies.md"):
        assert after[name].count(NOT_LISTED) == 1, name
        assert _digest_free(after[name]).replace(f"\n{NOT_LISTED}\n", "") == _digest_free(before[name]), name
    assert after["Referral Map.md"].count(NOT_DRAWN) == 1
    assert _digest_free(after["Referral Map.md"]).replace(f"{NOT_DRAWN}\n", "") == _digest_free(
        before["Referral Map.md"]
    )
    assert _mermaid_nodes(after["Referral Map.md"]) == _mermaid_nodes(before["Referral Map.md"])
    assert len(_mermaid_nodes(after["Referral Map.md"])) == 15
    canvas_before, canvas_after = (json.loads(p["Referral Map.canvas"]) for p in (before, after))
    assert canvas_after["nodes"][1:] == canvas_before["nodes"][1:]  # the legend first, then the people
    assert canvas_after["edges"] == canvas_before["edges"]
    for name in ("Contacts.md", "Companies.md", "Referral Map.md", "Referral Map.canvas"):
        assert "Ander" not in after[name] and "@mail.example" not in after[name], name


def test_targets_lists_the_connections_at_each_target(big_import: BigImport) -> None:
    sections = {s.company: s for s in target_sections(big_import.after["Targets.md"])}
    assert list(sections) == ["Contoso", "Fabrikam", "Tailspin Toys", "Blue Yonder Airlines"]
    for target, names in big_import.at.items():
        shown = [p.name for p in sections[target].people if p.known_from == "imported from LinkedIn"]
        assert sorted(shown) == sorted(names), target
        assert len(names) >= 25
    mine = {t: [p.name for p in s.people if p.known_from == "your notes"] for t, s in sections.items()}
    assert mine == {
        "Contoso": ["Priya Raman", "Sam Patel"],
        "Fabrikam": ["Tom Lee"],
        "Tailspin Toys": ["Ann Chu"],
        "Blue Yonder Airlines": [],
    }
    assert sections["Blue Yonder Airlines"].path is None
    assert "Contoso Pharmaceuticals" not in big_import.after["Targets.md"]


def test_a_second_import_of_the_two_thousand_creates_nothing_and_a_sync_writes_no_page(
    big_import: BigImport,
) -> None:
    vault = big_import.vault
    before = everything(vault)
    export = vault.parent / "Connections.csv"

    again = imported_ok(vault, "linkedin", export)

    assert "created 0 contact notes in People; 2000 already in the vault, 0 skipped" in again.stdout
    assert "wrote 0 pages" in again.stdout
    out = run("sync", str(vault), "--today", TODAY)
    assert out.exit_code == 0, out.output
    assert "wrote 0 pages" in out.stdout
    assert everything(vault) == before


def test_import_never_makes_notes_in_a_folder_a_sync_does_not_read(make_vault: MakeVault) -> None:
    """Obsidian's Excluded files names People/: the notes would be made there and never
    count (a second import then said they had been deleted). Refused, nothing made."""
    vault = make_vault({".obsidian/app.json": '{"userIgnoreFilters": ["People/"]}', "a.md": "x"})
    export = vault.parent / "kim.csv"
    export.write_bytes(linkedin_csv([["Kim", "Park", f"{IN}kimpark", "", "Contoso", "Lead", "05 Mar 2024"]]))
    out = import_file(vault, "linkedin", export)
    assert out.exit_code == 1 and "would go in People, which a sync does not read" in out.output
    assert not (vault / "People").exists()
