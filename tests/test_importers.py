"""Import: reading LinkedIn, vCard and Google Contacts exports, planning what an import
creates, matches and skips, and the contact notes it writes."""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from notesync import properties
from notesync.importers import (
    Imported,
    Problem,
    connected_date,
    contact_note,
    contact_notes,
    has_file_name,
    read_export,
    read_google,
    read_linkedin,
    read_vcard,
    yaml_string,
)
from notesync.links import company_key, linkedin_url, tidy
from notesync.matching import (
    ImportPlan,
    KnownPeople,
    dump_remembered,
    known_from_vault,
    known_people,
    load_remembered,
    person,
    plan_import,
    remember_keys,
)
from notesync.model import identity
from notesync.parse import parse_note
from notesync.resolve import resolve

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def row(p: Imported) -> tuple[object, ...]:
    """An imported person without its source, for compact expectations."""
    return (p.line, p.name, p.company, p.role, p.email, p.linkedin, p.connected)


def imported(name: str, line: int = 1, **fields: object) -> Imported:
    values: dict[str, object] = {
        "company": None,
        "role": None,
        "email": None,
        "linkedin": None,
        "connected": None,
        "source": "linkedin",
    }
    values.update(fields)
    return Imported(name=name, line=line, **values)  # type: ignore[arg-type]


# --- LinkedIn -------------------------------------------------------------------------------------


def test_linkedin_export_with_preamble_bom_and_empty_row() -> None:
    result = read_linkedin(fixture("linkedin_connections.csv"))
    assert result.layout == "LinkedIn Connections.csv (English headers)"
    assert [row(p) for p in result.people] == [
        (5, "Jane Smith", "Northwind Traders", "Account Executive", None,
         "https://www.linkedin.com/in/jane-smith-42", date(2024, 3, 5)),
        (6, "Tom Lee", "Contoso, Ltd.", "Talent Partner, Product", "tom.lee@example.com",
         "https://www.linkedin.com/in/tomlee", date(2026, 1, 1)),
        # written decomposed (NFD) in the file: read composed, as notes are
        (8, "José García", "Fabrikam", "Engineer", None, "https://www.linkedin.com/in/josegarcia", date(2023, 12, 12)),
        (9, "Ann Chu", '"Quoted" Co', "CTO", None, "https://www.linkedin.com/in/ann-chu-%C3%BC", date(2025, 12, 7)),
        (10, "", None, None, None, "https://www.linkedin.com/in/hidden-member", date(2021, 3, 15)),
        (11, "Bad Date", "Acme", "Engineer", None, "https://www.linkedin.com/in/bad-date", None),
        (13, "Jane Smith", "Northwind Traders", "Account Executive", None,
         "https://www.linkedin.com/in/jane-smith-42", date(2024, 3, 5)),
        (14, "John Doe 🚀", "Acme", "Engineer", None, "https://www.linkedin.com/in/jdoe", date(2022, 2, 2)),
        (15, "Kim Park", "Acme", "Designer", None, None, date(2022, 2, 2)),
        (16, "Sam Roe", "Acme", "Head of Sales", None, "https://www.linkedin.com/in/samroe", date(2020, 4, 3)),
        (18, "Lee Wong", "Tailspin Toys", "Recruiter", None, "https://www.linkedin.com/in/leewong", date(2026, 11, 28)),
    ]  # fmt: skip
    assert all(p.source == "linkedin" for p in result.people)
    assert [(p.line, p.code) for p in result.problems] == [
        (11, "date-invalid"),
        (12, "row-fields"),
        (15, "url-invalid"),
        (15, "email-invalid"),
    ]


def test_linkedin_german_export() -> None:
    result = read_linkedin(fixture("linkedin_connections_de.csv"))
    assert result.layout == "LinkedIn Connections.csv (German headers)"
    assert result.problems == []
    assert [row(p) for p in result.people] == [
        (5, "Hans Müller", "Beispiel AG", "Entwickler", None, "https://www.linkedin.com/in/hans-mueller", date(2024, 3, 5)),
        (6, "Erika Musterfrau", "Müller, Schmidt & Co. KG", "Geschäftsführerin", "erika@example.com",
         "https://www.linkedin.com/in/erika", date(2024, 3, 5)),
        (7, "Jürgen Schmidt", "Contoso GmbH", "Berater", None, "https://www.linkedin.com/in/juergen", date(2023, 10, 12)),
        (9, "Petra Klein", None, None, None, "https://www.linkedin.com/in/petra", date(2021, 5, 3)),
        (10, "Uwe Lang", None, None, None, "https://www.linkedin.com/in/uwe", date(2022, 12, 1)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "header", "when"),
    [
        ("French", "Prénom,Nom,URL,Adresse e-mail,Entreprise,Poste,Connecté le", "05 juil. 2024"),
        (
            "Spanish",
            "Nombre,Apellidos,URL,Dirección de correo electrónico,Empresa,Cargo,Conectado el",
            "05 jul 2024",
        ),
        (
            "Portuguese",
            "Nome,Sobrenome,URL,Endereço de e-mail,Empresa,Cargo,Conectado em",
            "05 de jul. de 2024",
        ),
        ("Dutch", "Voornaam,Achternaam,URL,E-mailadres,Bedrijf,Functie,Verbonden op", "05 jul 2024"),
        ("Italian", "Nome,Cognome,URL,Indirizzo email,Azienda,Posizione,Collegato il", "05 lug 2024"),
    ],
)
def test_linkedin_other_languages(language: str, header: str, when: str) -> None:
    data = f"{header}\nAna,Silva,https://www.linkedin.com/in/ana,ana@example.com,Contoso,CEO,{when}\n"
    result = read_linkedin(data.encode())
    assert result.layout == f"LinkedIn Connections.csv ({language} headers)"
    assert result.problems == []
    assert [row(p) for p in result.people] == [
        (
            2,
            "Ana Silva",
            "Contoso",
            "CEO",
            "ana@example.com",
            "https://www.linkedin.com/in/ana",
            date(2024, 7, 5),
        )
    ]


def test_linkedin_unknown_language_is_reported_not_guessed() -> None:
    result = read_linkedin("Imię,Nazwisko,URL,Adres e-mail,Firma,Stanowisko,Połączono\nA,B,,,,,\n".encode())
    assert result.people == []
    assert [(p.line, p.code) for p in result.problems] == [(0, "header-missing")]
    assert "First Name" in result.problems[0].message


def test_linkedin_older_export_without_preamble_or_url_column() -> None:
    data = b"First Name,Last Name,Email Address,Company,Position,Connected On\nJane,Smith,,Acme,CEO,07 Dec 2019\n"
    result = read_linkedin(data)
    assert [row(p) for p in result.people] == [
        (2, "Jane Smith", "Acme", "CEO", None, None, date(2019, 12, 7))
    ]


def test_linkedin_saved_again_by_excel_semicolons_and_windows_1252() -> None:
    data = "Vorname;Nachname;URL;E-Mail-Adresse;Unternehmen;Position;Verbunden am\r\n".encode("cp1252")
    data += "Jürgen;Groß;;;Müller AG;Leiter;05.03.2024\r\n".encode("cp1252")
    result = read_linkedin(data)
    assert [row(p) for p in result.people] == [
        (2, "Jürgen Groß", "Müller AG", "Leiter", None, None, date(2024, 3, 5))
    ]
    assert [(p.line, p.code) for p in result.problems] == [(2, "encoding")]


def test_linkedin_utf16_with_bom() -> None:
    data = f"{LINKEDIN_HEADER}\r\nZoë,Ångström,,,,,05 Mar 2024\r\n".encode("utf-16")
    assert [p.name for p in read_linkedin(data).people] == ["Zoë Ångström"]


def test_linkedin_unclosed_quote_is_reported_with_its_line() -> None:
    data = f'{LINKEDIN_HEADER}\nJane,Smith,,,Acme,CEO,05 Mar 2024\n"Tom,Lee,,,Acme,CTO,05 Mar 2024\nAnn,Chu,,,,,\n'
    result = read_linkedin(data.encode())
    assert [p.name for p in result.people] == ["Jane Smith"]
    assert [(p.line, p.code) for p in result.problems] == [(3, "row-unclosed")]


def test_google_export_given_as_linkedin_says_what_it_is() -> None:
    result = read_linkedin(fixture("google_contacts.csv"))
    assert result.people == []
    assert "import it as google" in result.problems[0].message
    assert "import it as vcard" in read_linkedin(fixture("contacts_v3.vcf")).problems[0].message
    assert "import it as linkedin" in read_google(fixture("linkedin_connections.csv")).problems[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05 Mar 2024", date(2024, 3, 5)),
        ("1 Jan 2026", date(2026, 1, 1)),
        ("05 Mär 2024", date(2024, 3, 5)),
        ("05 Mrz 2024", date(2024, 3, 5)),
        ("5 März 2024", date(2024, 3, 5)),
        ("12 Okt 2023", date(2023, 10, 12)),
        ("1 Dez 2022", date(2022, 12, 1)),
        ("03 févr. 2024", date(2024, 2, 3)),
        ("03 août 2024", date(2024, 8, 3)),
        ("5 de mar. de 2024", date(2024, 3, 5)),
        ("7 mrt 2022", date(2022, 3, 7)),
        ("Mar 5, 2024", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        ("05.03.2024", date(2024, 3, 5)),
        ("3/5/2024", None),  # day-first or month-first cannot be told
        ("05 jui 2024", None),  # juin or juillet
        ("31 Feb 2024", None),
        ("soon", None),
        ("", None),
    ],
)
def test_connected_dates(text: str, expected: date | None) -> None:
    assert connected_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/Jane-Doe/", "https://www.linkedin.com/in/jane-doe"),
        ("www.linkedin.com/in/jane-doe?trk=public_profile", "https://www.linkedin.com/in/jane-doe"),
        ("http://linkedin.com/in/jane-doe#about", "https://www.linkedin.com/in/jane-doe"),
        ("https://de.linkedin.com/in/jane-doe/en", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/j%C3%BCrgen", "https://www.linkedin.com/in/j%C3%BCrgen"),
        ("https://www.linkedin.com/in/jürgen", "https://www.linkedin.com/in/j%C3%BCrgen"),
        ("https://www.linkedin.com/pub/jane-doe/1/23/456", "https://www.linkedin.com/pub/jane-doe/1/23/456"),
        ("https://www.linkedin.com/company/contoso", None),
        ("https://example.com/in/jane", None),
        ("jane-doe", None),
        ("", None),
    ],
)
def test_linkedin_urls(text: str, expected: str | None) -> None:
    assert linkedin_url(text) == expected


def test_linkedin_bare_id_where_a_profile_is_expected() -> None:
    assert linkedin_url("jane-doe", slug_ok=True) == "https://www.linkedin.com/in/jane-doe"
    assert linkedin_url("jane@example.com", slug_ok=True) is None


def test_tidy() -> None:
    assert tidy("  Jane\u00a0\tSmith\u200b ") == "Jane Smith"
    assert tidy("Jo\u00adhn\u200e\x00Doe") == "John Doe"
    assert tidy("Jose\u0301") == "José"
    assert tidy("👩\u200d💻 Dev") == "👩\u200d💻 Dev"  # ZWJ sequences stay whole


def test_2000_row_export_parses() -> None:
    data = generated_linkedin(2000)
    result = read_linkedin(data)
    assert len(result.people) == 2000
    assert result.problems == []
    assert result.people[-1].line == 2004  # the header is line 4


def generated_linkedin(rows: int, seed: int = 7) -> bytes:
    """A Connections.csv with `rows` connections: the preamble, quoted commas, some emails."""
    rnd = random.Random(seed)
    first = ["Jane", "Tom", "Ann", "José", "Zoë", "Priya", "Wei", "Olu", "Sam", "Maria"]
    last = ["Smith", "Lee", "Chu", "García", "Müller", "Natarajan", "Zhang", "Adeyemi", "Roe", "Rossi"]
    companies = ["Contoso", "Northwind Traders", "Fabrikam, Inc.", "Tailspin Toys", "Wide World Importers"]
    buf = io.StringIO(newline="")
    buf.write(
        'Notes:\r\n"When exporting your connection data, you may notice that some of the email addresses are missing."\r\n\r\n'
    )
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(LINKEDIN_HEADER.split(","))
    for i in range(rows):
        f, la = rnd.choice(first), rnd.choice(last)
        email = f"{f.lower()}.{i}@example.com" if rnd.random() < 0.1 else ""
        when = date(2015, 1, 1).toordinal() + rnd.randrange(4000)
        out.writerow([f, la, f"https://www.linkedin.com/in/{f.lower()}-{la.lower()}-{i}", email,
                      rnd.choice(companies), "Senior Engineer, Platform", date.fromordinal(when).strftime("%d %b %Y")])  # fmt: skip
    return b"\xef\xbb\xbf" + buf.getvalue().encode()


# --- vCard ----------------------------------------------------------------------------------------


def test_vcard_30_folded_escaped_apple_style() -> None:
    result = read_vcard(fixture("contacts_v3.vcf"))
    assert result.layout == "vCard 3.0"
    assert [row(p) for p in result.people] == [
        # N gives "Jane Doe" (no title, middle name or suffix), as LinkedIn would;
        # the preferred email wins; Apple's escaped `https\://` is read
        (1, "Jane Doe", "Acme, Inc.", "Staff Engineer", "jane@acme.example", "https://www.linkedin.com/in/janedoe", None),
        (15, "Tom Lee", "Contoso, Ltd.", "VP, Sales; EMEA", "tom.lee@example.com", "https://www.linkedin.com/in/tomlee", None),
        # a PHOTO vobject cannot decode: the card is read again with what notesync needs
        (31, "Broken Photo", None, "Analyst", "broken@example.com", None, None),
        # a tab-folded FN, a line that is not a property, a LinkedIn user name
        (39, "Mary Ann O'Neil", None, None, "mary@example.com", "https://www.linkedin.com/in/maryannoneil", None),
    ]  # fmt: skip
    assert all(p.source == "vcard" for p in result.people)
    assert [(p.line, p.code) for p in result.problems] == [(24, "card-not-person")]


def test_vcard_40() -> None:
    result = read_vcard(fixture("contacts_v4.vcf"))
    assert result.layout == "vCard 4.0"
    assert [row(p) for p in result.people] == [
        # PREF=1 wins; SOCIALPROFILE folded; a data: PHOTO around
        (1, "Jürgen Müller", "Fabrikam", "Head of Platform", "juergen@example.de",
         "https://www.linkedin.com/in/juergen-mueller", None),
        # SOCIALPROFILE with a user name (VALUE=text)
        (15, "Ann Chu", None, None, None, "https://www.linkedin.com/in/ann-chu", None),
        # FN keeps the order the user sees (family name first)
        (30, "山田太郎", "Tailspin Toys", None, None, "https://www.linkedin.com/in/taro-yamada", None),
        (38, "Zoë Ångström", None, None, "zoe@example.se", None, None),
    ]  # fmt: skip
    assert [(p.line, p.code) for p in result.problems] == [(24, "card-not-person")]


def test_vcard_folded_inside_a_utf8_character() -> None:
    fn = "FN:Zoë Ångström".encode()
    cut = fn.index("Å".encode()) + 1  # between the two bytes of Å
    data = b"BEGIN:VCARD\r\nVERSION:4.0\r\n" + fn[:cut] + b"\r\n " + fn[cut:] + b"\r\nEND:VCARD\r\n"
    result = read_vcard(data)
    assert [p.name for p in result.people] == ["Zoë Ångström"]
    assert result.problems == []


def test_vcard_problems_have_lines() -> None:
    data = (
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nEND:VCARD\n"  # 1-4
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Bad Mail\nEMAIL;ENCODING=b:abc\nnot a property\nEND:VCARD\n"  # 5-10
        b"BEGIN:VCARD\nVERSION:3.0\nNOTE:nothing else\nEND:VCARD\n"  # 11-14
        b"BEGIN:VCARD\nVERSION:4.0\nFN:Cut Short\n"  # 15-17
    )
    result = read_vcard(data)
    assert [(p.line, p.name) for p in result.people] == [(1, "Good One"), (5, "Bad Mail"), (15, "Cut Short")]
    assert [(p.line, p.code) for p in result.problems] == [
        (8, "card-property"),
        (11, "card-empty"),
        (15, "card-unterminated"),
    ]


def test_vcard_file_without_cards() -> None:
    result = read_vcard(b"hello\n")
    assert result.people == []
    assert [(p.line, p.code) for p in result.problems] == [(0, "header-missing")]


# --- Google ---------------------------------------------------------------------------------------


def test_google_current_layout() -> None:
    result = read_google(fixture("google_contacts.csv"))
    assert result.layout == "Google Contacts CSV"
    assert [row(p) for p in result.people] == [
        # First + Last (no middle name); the first of several emails; the LinkedIn website
        (2, "Jane Smith", "Northwind Traders", "Account Executive", "jane@northwind.example",
         "https://www.linkedin.com/in/jane-smith-42", None),
        (3, "", None, None, "noname@example.com", None, None),
        (4, "Bobby", None, None, "bobby@example.com", None, None),
        # a website labelled LinkedIn holding only the id; line 6 (the notes above span two)
        (6, "Priya Natarajan", "Contoso", "Engineering Manager", None, "https://www.linkedin.com/in/priya-n", None),
        (7, "Bad Mail", None, None, None, None, None),
    ]  # fmt: skip
    assert all(p.source == "google" for p in result.people)
    assert [(p.line, p.code) for p in result.problems] == [(7, "email-invalid")]


def test_google_legacy_layout() -> None:
    result = read_google(fixture("google_contacts_legacy.csv"))
    assert result.layout == "Google Contacts CSV (legacy layout)"
    assert result.problems == []
    assert [row(p) for p in result.people] == [
        (2, "Tom Lee", "Contoso, Ltd.", "Talent Partner", "tom.lee@example.com", "https://www.linkedin.com/in/tomlee", None),
        (3, "Dr. María José Pérez", "Fabrikam", None, "mjp@example.es", None, None),
        (4, "Ann Chu", "Tailspin Toys", "CTO", None, None, None),
    ]  # fmt: skip


def test_google_outlook_layout() -> None:
    data = (
        "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,E-mail Address,"
        "E-mail 2 Address,E-mail 3 Address,Home Phone,Company,Job Title,Web Page\r\n"
        "Jane,,Smith,Ms.,,,,,jane@example.com,,,,Contoso,CFO,https://linkedin.com/in/jsmith\r\n"
    )
    result = read_google(data.encode())
    assert result.layout == "Google Contacts Outlook CSV"
    assert (
        "import it as google" in read_linkedin(data.encode()).problems[0].message
    )  # not taken for LinkedIn's
    assert [row(p) for p in result.people] == [
        (2, "Jane Smith", "Contoso", "CFO", "jane@example.com", "https://www.linkedin.com/in/jsmith", None)
    ]


def test_read_export_dispatches_and_refuses_unknown_kinds() -> None:
    assert read_export("linkedin", fixture("linkedin_connections_de.csv")).people[0].name == "Hans Müller"
    assert read_export("vcard", fixture("contacts_v4.vcf")).people[0].name == "Jürgen Müller"
    assert read_export("google", fixture("google_contacts_legacy.csv")).people[0].name == "Tom Lee"
    with pytest.raises(ValueError, match="linkedin, vcard, google"):
        read_export("outlook", b"")


def test_problems_print_like_diagnostics() -> None:
    assert (
        str(Problem(12, "row-fields", "x").diagnostic("Connections.csv"))
        == "Connections.csv:12: row-fields: x"
    )


def test_hostile_bytes_never_raise() -> None:
    rnd = random.Random(3)
    samples = [fixture(n) for n in sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".csv", ".vcf"))]
    for _ in range(300):
        data = bytearray(rnd.choice(samples))
        for _ in range(rnd.randrange(1, 20)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        for kind in ("linkedin", "vcard", "google"):
            result = read_export(kind, bytes(data))
            assert all(isinstance(p, Imported) for p in result.people)


# --- planning -------------------------------------------------------------------------------------


def vault_people() -> KnownPeople:
    return known_people(
        [
            # the same LinkedIn profile spelt another way, and a different name spelling
            person(
                "Jane S. Smith",
                linkedin=["linkedin.com/in/Jane-Smith-42/"],
                note="People/Jane S. Smith.md",
                company="Northwind Traders Inc.",
                role="Sales",
            ),
            person(
                "Thomas Lee", emails=["TOM.LEE@example.com, tlee@home.example"], note="People/Thomas Lee.md"
            ),
            person("Pepe García", aliases=["José García"], note="People/Pepe García.md", company="Fabrikam"),
            person("ann chu"),  # only mentioned: no note, so nothing to update
            person("Kim Park", note="People/Kim Park.md"),
        ],
        me="Lee Wong",
    )


def test_plan_matches_by_url_email_and_alias_and_skips_with_reasons() -> None:
    people = read_linkedin(fixture("linkedin_connections.csv")).people
    plan = plan_import(people, vault_people(), remembered={"linkedin:https://www.linkedin.com/in/samroe"})
    assert [(m.person.line, m.known.name, m.by, m.updates) for m in plan.matched] == [
        (5, "Jane S. Smith", "linkedin", (("role", "Account Executive"),)),
        (6, "Thomas Lee", "email", (("company", "Contoso, Ltd."), ("role", "Talent Partner, Product"),
                                     ("linkedin", "https://www.linkedin.com/in/tomlee"))),
        (8, "Pepe García", "alias", (("role", "Engineer"), ("linkedin", "https://www.linkedin.com/in/josegarcia"))),
        (9, "ann chu", "name", ()),
        (15, "Kim Park", "name", (("company", "Acme"), ("role", "Designer"))),
    ]  # fmt: skip
    assert [(s.person.line, s.reason, s.detail) for s in plan.skipped] == [
        (10, "no-name", "no name, only a LinkedIn profile"),
        (13, "duplicate", "same LinkedIn profile as line 5"),
        (16, "remembered", "imported before (same LinkedIn profile) and since deleted from the vault"),
        (18, "me", "this is you"),
    ]
    assert [p.name for p in plan.new] == ["Bad Date", "John Doe 🚀"]


def test_plan_accents_ignored_only_when_that_names_one_person() -> None:
    one = known_people([person("Jose Garcia")])
    assert plan_import([imported("José García")], one, set()).matched[0].known.name == "Jose Garcia"
    two = known_people([person("Jose Garcia"), person("Jôse Garcia")])
    assert [p.name for p in plan_import([imported("José García")], two, set()).new] == ["José García"]


def test_plan_duplicates_within_a_file_and_namesakes() -> None:
    rows = [
        imported("John Smith", 1, linkedin="https://www.linkedin.com/in/john-smith-1"),
        imported("John Smith", 2, linkedin="https://www.linkedin.com/in/john-smith-2"),  # another John Smith
        imported("john  SMITH", 3),  # no profile: the first one again
        imported("J. Smith", 4, email="js@example.com", linkedin="https://www.linkedin.com/in/john-smith-2"),
        imported("Johnny", 5, email="JS@example.com"),  # same email as line 4, so line 2's person
        imported("", 6, email="nobody@example.com"),
        imported("???", 7),
    ]
    plan = plan_import(rows, known_people([]), set())
    assert [p.line for p in plan.new] == [1, 2]
    assert [(s.person.line, s.reason, s.detail) for s in plan.skipped] == [
        (3, "duplicate", "same name as line 1"),
        (4, "duplicate", "same LinkedIn profile as line 2"),
        (5, "duplicate", "same email as line 2"),
        (6, "no-name", "no name, only an email"),
        (7, "no-file-name", "'???' has nothing a note's file name can hold"),
    ]
    notes = contact_notes(plan.new, "People", taken=set())
    assert [path for path, _ in notes] == ["People/John Smith.md", "People/John Smith 2.md"]
    assert 'aliases: ["John Smith"]' in notes[1][1]


def test_remember_keys_and_plan_remember() -> None:
    p = imported("Zoë  Ångström", email="Zoe@Example.se", linkedin="https://www.linkedin.com/in/zoe")
    assert remember_keys(p) == {
        "linkedin:https://www.linkedin.com/in/zoe",
        "email:zoe@example.se",
        "name:zoë ångström",
    }
    plan = plan_import([p, imported("Known")], known_people([person("Known")]), set())
    assert plan.remember == remember_keys(p)  # only what this import creates


def test_remembered_set_round_trip_and_damage() -> None:
    keys = {"name:zoë ångström", "email:a@b.example", "linkedin:https://www.linkedin.com/in/x"}
    data = dump_remembered(keys)
    assert data == dump_remembered(sorted(keys, reverse=True))  # the same bytes on every device
    assert data.decode().startswith('{\n "version": 1,\n "imported": [\n  "email:a@b.example",')
    assert load_remembered(data) == keys
    for damaged in (
        b"",
        b"{",
        b"[]",
        b'{"version": 2, "imported": []}',
        b'{"version": 1, "imported": [1]}',
        b"\xff",
    ):
        with pytest.raises(ValueError):
            load_remembered(damaged)


def test_company_key_ignores_legal_forms() -> None:
    assert company_key("Contoso, Inc.") == company_key("contoso") == company_key("Contoso Ltd")
    assert company_key("Müller, Schmidt & Co. KG") == "müller, schmidt &"
    assert company_key("Inc") == "inc"


def write_notes(vault: Path, notes: list[tuple[str, str]]) -> None:
    for rel, text in notes:
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def read_vault(vault: Path) -> KnownPeople:
    """The vault's people as the CLI will build them: parse, resolve, index."""
    notes = []
    for path in sorted(vault.rglob("*.md")):
        rel = path.relative_to(vault).as_posix()
        note, _ = parse_note(rel, path.read_bytes())
        assert note is not None
        notes.append(note)
    network, _ = resolve([identity(n) for n in notes])
    return known_from_vault(network, notes)


def import_into(vault: Path, kind: str, data: bytes, remembered: set[str]) -> ImportPlan:
    plan = plan_import(read_export(kind, data).people, read_vault(vault), remembered)
    taken = {p.relative_to(vault).as_posix() for p in vault.rglob("*.md")}
    write_notes(vault, contact_notes(plan.new, "People", taken))
    remembered |= plan.remember
    return plan


def test_importing_twice_creates_nothing_the_second_time(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write_notes(vault, [("Interviews/2026-11-20 Jane.md",
                         '---\ntype: interview\ncontact: "[[Jane Smith]]"\ndate: 2026-11-20\nstatus: done\n---\n')])  # fmt: skip
    remembered: set[str] = set()
    first = import_into(vault, "linkedin", fixture("linkedin_connections.csv"), remembered)
    assert [m.known.name for m in first.matched] == ["Jane Smith"]  # known only from an interview note
    assert len(first.new) == 8
    before = {p: p.read_bytes() for p in vault.rglob("*.md")}

    second = import_into(vault, "linkedin", fixture("linkedin_connections.csv"), remembered)
    assert second.new == []
    assert {m.by for m in second.matched} == {"linkedin", "name"}  # Kim Park has no profile
    assert {p: p.read_bytes() for p in vault.rglob("*.md")} == before

    # the same people from other exports: matched by profile or email, not made again
    assert (
        import_into(vault, "google", fixture("google_contacts_legacy.csv"), remembered).new[0].name
        == "Dr. María José Pérez"
    )
    matched = import_into(vault, "vcard", fixture("contacts_v3.vcf"), remembered).matched
    assert [(m.person.name, m.known.name, m.by) for m in matched] == [("Tom Lee", "Tom Lee", "linkedin")]

    # a note the user deleted after the import is not made again
    (vault / "People" / "John Doe 🚀.md").unlink()
    third = import_into(vault, "linkedin", fixture("linkedin_connections.csv"), remembered)
    assert third.new == []
    assert [(s.person.name, s.reason) for s in third.skipped if s.reason == "remembered"] == [
        ("John Doe 🚀", "remembered")
    ]


def test_namesakes_are_told_apart_on_the_next_import(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    data = (
        f"{LINKEDIN_HEADER}\n"
        "John,Smith,https://www.linkedin.com/in/john-smith-1,,Contoso,CEO,05 Mar 2024\n"
        "John,Smith,https://www.linkedin.com/in/john-smith-2,,Fabrikam,CTO,05 Mar 2024\n"
    ).encode()
    remembered: set[str] = set()
    assert len(import_into(vault, "linkedin", data, remembered).new) == 2
    again = import_into(vault, "linkedin", data, remembered)
    assert [(m.known.name, m.by, m.updates) for m in again.matched] == [
        ("John Smith", "linkedin", ()),
        ("John Smith 2", "linkedin", ()),
    ]


# --- contact notes --------------------------------------------------------------------------------


def front_matter(text: str) -> dict[str, object]:
    cut = properties.split(text)
    assert cut.yaml_text is not None
    return properties.load_yaml(cut.yaml_text).data


def test_contact_note_text() -> None:
    jane = imported(
        "Jane Smith",
        company="Northwind Traders",
        role="Account Executive",
        email="jane@example.com",
        linkedin="https://www.linkedin.com/in/jane",
        connected=date(2024, 3, 5),
    )
    path, text = contact_note(jane, "People", set())
    assert path == "People/Jane Smith.md"
    assert text == (
        "---\n"
        "type: contact\n"
        "aliases: []\n"
        'company: "Northwind Traders"\n'
        'role: "Account Executive"\n'
        'email: "jane@example.com"\n'
        'linkedin: "https://www.linkedin.com/in/jane"\n'
        "connected: 2024-03-05\n"
        'source: "linkedin"\n'
        "---\n"
        "## How we met\n"
        "Connected on LinkedIn on 2024-03-05.\n"
    )
    path, text = contact_note(imported("Ann Chu", source="vcard"), "", set())
    assert path == "Ann Chu.md"
    assert "company:\nrole:\nemail:\nlinkedin:\nconnected:\n" in text
    assert text.endswith("Imported from a vCard file.\n")


def test_contact_note_avoids_titles_in_use_anywhere() -> None:
    taken = {"People/jane smith.md", "Archive/Jane Smith 2.md", "Jane Smith 3"}
    path, text = contact_note(imported("Jane Smith"), "People/", taken)
    assert path == "People/Jane Smith 4.md"
    assert front_matter(text)["aliases"] == ["Jane Smith"]
    assert taken == {"People/jane smith.md", "Archive/Jane Smith 2.md", "Jane Smith 3"}  # not changed


HOSTILE_NAMES = [
    'Jane "JJ" Smith',
    "Dr. Who: The Return",
    "[[Evil]] Link",
    "#hashtag Person",
    "Zoë 🚀 Ångström",
    "CON",
    "../x",
    "a/b\\c",
    "- not a list",
    "Name | Pipe ^ Caret",
    "null",
    "yes",
    "0123",
    "{a: b}",
    "&anchor *alias",
    "'single' quotes",
    "x" * 300,
    "名前" * 100,
    "Line\u2028Separator",
    "tab\there",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_make_readable_contact_notes(name: str) -> None:
    hostile = f'"{name}": #[[x]] \\ \u2028 \x85 end'
    person_ = imported(
        tidy(name),
        company=tidy(hostile),
        role=tidy(hostile),
        email="a@b.example",
        linkedin="https://www.linkedin.com/in/x",
        connected=date(2024, 2, 29),
    )
    path, text = contact_note(person_, "People", set())
    folder, _, file_name = path.rpartition("/")
    assert folder == "People"
    assert file_name.endswith(".md") and ".." not in path and "\\" not in file_name
    assert not set(file_name) & set('*"\\/<>:|?#^[]')
    assert len(file_name[:-3].encode()) <= 150
    note, diags = parse_note(path, text.encode())
    assert diags == []
    assert note is not None and note.kind == "contact"
    assert (note.company, note.role, note.email, note.linkedin) == (
        tidy(hostile),
        tidy(hostile),
        "a@b.example",
        "https://www.linkedin.com/in/x",
    )
    if note.title != person_.name:
        assert note.aliases == (person_.name,)
    meta = front_matter(text)
    assert (meta["connected"], meta["source"]) == ("2024-02-29", "linkedin")


def test_reserved_and_long_names() -> None:
    assert contact_note(imported("CON"), "People", set())[0] == "People/CON_.md"
    assert contact_note(imported("../x"), "People", set())[0] == "People/x.md"
    path, text = contact_note(imported("x" * 300), "People", {"People/" + "x" * 150 + ".md"})
    assert path == "People/" + "x" * 150 + " 2.md"
    assert front_matter(text)["aliases"] == ["x" * 300]


def test_yaml_string_escapes_what_yaml_reads_as_line_breaks() -> None:
    value = 'a"b\\c\u2028d\x85e\x7ff\ufeff'
    assert "\u2028" not in yaml_string(value)
    assert properties.load_yaml(f"k: {yaml_string(value)}").data["k"] == value


@settings(max_examples=300, deadline=None)
@given(name=st.text(min_size=1, max_size=200), company=st.text(max_size=100))
def test_any_name_and_company_read_back(name: str, company: str) -> None:
    name, company = tidy(name), tidy(company)
    assume(name and has_file_name(name))
    path, text = contact_note(imported(name, company=company or None), "People", set())
    note, diags = parse_note(path, text.encode())
    assert diags == []
    assert note is not None and note.kind == "contact"
    assert note.company == (company or None)
    assert note.title == name or note.aliases == (name,)
