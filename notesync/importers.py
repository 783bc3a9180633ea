"""People from other tools' exports: LinkedIn's Connections.csv, vCard files (3.0 and 4.0)
and Google Contacts CSV (current, legacy and Outlook layouts), read into one shape.

Readers are pure (bytes in, people and problems out) and never raise on what a file
holds: a row or card that cannot be read becomes a `Problem` with its line, because one
bad row in an export of 2,000 must not cost the user the other 1,999. `contact_note`
turns one person into the text of a new contact note; nothing here touches the vault.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, Literal, NamedTuple

from .diagnostics import Diagnostic
from .errors import ScaffoldError
from .links import basename, linkedin_url, name_key, tidy
from .obsidian import safe_file_name

Source = Literal["linkedin", "vcard", "google"]
KINDS: tuple[Source, ...] = ("linkedin", "vcard", "google")
SOURCE_NAMES = {"linkedin": "LinkedIn", "vcard": "a vCard file", "google": "Google Contacts"}
HEADER_SEARCH_ROWS = 50  # LinkedIn puts 3 lines before its header; allow for any preamble up to this


class Problem(NamedTuple):
    """Something in the file that could not be read as it stands. `line` is 1-based
    (0: the file as a whole); the row is left out or read without the bad value."""

    line: int
    code: str
    message: str

    def diagnostic(self, path: str) -> Diagnostic:
        """The same problem as notesync reports every other: `path:line: code: message`."""
        return Diagnostic(path, self.line, self.code, self.message)


class Imported(NamedTuple):
    """One person as an export knows them. Text is tidied (NFC, single spaces, no control
    characters); `name` is "" when the export has none (the plan skips such people)."""

    name: str
    company: str | None
    role: str | None
    email: str | None
    linkedin: str | None  # https://www.linkedin.com/in/<id>, see `linkedin_url`
    connected: date | None
    source: Source
    line: int  # where the row or card starts in the file, 1-based


class ImportResult(NamedTuple):
    """What a reader made of a file; `layout` names the variant it recognised."""

    people: list[Imported]
    problems: list[Problem]
    layout: str = ""


# --- text ---------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+")


def _value(text: str | None) -> str | None:
    return tidy(text) or None


def email_address(text: str | None) -> str | None:
    """`mailto:Jane@X.com` or `Jane <jane@x.com>` -> the address; None when there is none."""
    m = _EMAIL.search(tidy(text))
    return m.group(0) if m else None


_FOLDED_PUNCTUATION = re.compile(r"[-_.:/]")


def _fold(text: str) -> str:
    """Case, accents and punctuation out: how header cells and month names are compared."""
    plain = text.casefold()
    if not plain.isascii():
        plain = "".join(c for c in unicodedata.normalize("NFD", plain) if not unicodedata.combining(c))
    return " ".join(_FOLDED_PUNCTUATION.sub(" ", plain).split())


def _decode(data: bytes, problems: list[Problem]) -> str:
    """Exports are UTF-8, sometimes with a BOM; a file saved again by Excel may be UTF-16
    (with a BOM) or Windows-1252. Read all of them, and say so when it had to guess."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(line, "encoding", f"not UTF-8 (byte 0x{data[exc.start]:02x}); read as Windows-1252")
        )
        return data.decode("cp1252", errors="replace")


# --- dates ------------------------------------------------------------------------------------

# Month names in the languages LinkedIn exports in. Any unambiguous prefix of 3+ letters
# is accepted, so `Mar`, `Mär`, `mars`, `März` and `marzo` all mean March.
_MONTH_NAMES = (
    "january february march april may june july august september october november december",  # en
    "januar februar marz april mai juni juli august september oktober november dezember",  # de
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",  # fr
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",  # es
    "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",  # pt
    "januari februari maart april mei juni juli augustus september oktober november december",  # nl
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",  # it
)
_MONTH_EXTRA = {"mrz": 3, "maerz": 3, "maer": 3, "mrt": 3}  # German and Dutch short forms


def _month_table() -> dict[str, int]:
    found: dict[str, set[int]] = {}
    for names in _MONTH_NAMES:
        for month, name in enumerate(names.split(), start=1):
            for end in range(3, len(name) + 1):
                found.setdefault(name[:end], set()).add(month)
    table = {prefix: months.pop() for prefix, months in found.items() if len(months) == 1}
    table.update(_MONTH_EXTRA)
    return table


_MONTHS = _month_table()
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ?(?:de )?([a-z]+) (?:de )?(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+) (\d{1,2}) (\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def connected_date(text: str | None) -> date | None:
    """`05 Mar 2024`, `1 Jan 2026`, `05 Mär 2024`, `5 de mar. de 2024`, `Mar 5, 2024`,
    `2024-03-05` or `05.03.2024` -> a date; None when it is not one of those (a slashed
    date such as `3/5/2024` is left out: day-first or month-first cannot be told)."""
    raw = tidy(text)
    if not raw:
        return None
    parts: tuple[str, str, str] | None = None
    if m := _ISO_DATE.match(raw):
        parts = (m.group(3), m.group(2), m.group(1))
    elif m := _DOTTED_DATE.match(raw):
        parts = (m.group(1), m.group(2), m.group(3))
    else:
        folded = _fold(raw).replace(",", " ")
        folded = " ".join(folded.split())
        if m := _DAY_MONTH_YEAR.match(folded):
            parts = (m.group(1), str(_MONTHS.get(m.group(2), 0)), m.group(3))
        elif m := _MONTH_DAY_YEAR.match(folded):
            parts = (m.group(2), str(_MONTHS.get(m.group(1), 0)), m.group(3))
    if parts is None:
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None


# --- CSV ----------------------------------------------------------------------------------------


class _Columns(NamedTuple):
    """Where each field is in a header row, and the layout the header was recognised as."""

    where: dict[str, int]  # field -> column
    layout: str
    cells: tuple[str, ...]  # the header row as written

    @property
    def width(self) -> int:
        return len(self.cells)


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """(first line, cells, error) for each row; a row the csv module cannot read comes
    with its error instead of its cells, and reading goes on after it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    done = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield done + 1, None, str(exc)
            if reader.line_num == done:
                return
            done = reader.line_num
            continue
        yield done + 1, row, ""
        done = reader.line_num


def _find_header(
    text: str, classify: Callable[[list[str]], _Columns | None]
) -> tuple[_Columns, Iterator[tuple[int, list[str] | None, str]]] | None:
    """The header row, found by its columns within the first rows (LinkedIn puts notes
    above it), and the rows after it. Commas first; a file saved again by a spreadsheet
    may use semicolons or tabs."""
    for delimiter in (",", ";", "\t"):
        rows = _csv_rows(text, delimiter)
        for seen, (_, cells, _) in enumerate(rows):
            if seen >= HEADER_SEARCH_ROWS:
                break
            columns = classify(cells) if cells else None
            if columns is not None:
                return columns, rows
    return None


_NAME_FIELDS = frozenset({"first", "last", "name", "given", "family"})


def _cells(
    line: int, row: list[str], columns: _Columns, span: int, problems: list[Problem]
) -> list[str] | None:
    """The row's cells, one per header column; None (and a problem) when the row cannot
    be trusted: more filled cells than the header has columns shifts every value."""
    if len(row) > columns.width and any(c.strip() for c in row[columns.width :]):
        problems.append(
            Problem(
                line,
                "row-fields",
                f"{len(row)} values for {columns.width} columns (a comma without quotes?); row left out",
            )
        )
        return None
    names = [row[i] for k, i in columns.where.items() if k in _NAME_FIELDS and i < len(row)]
    if any("\n" in cell for cell in names):
        problems.append(
            Problem(
                line,
                "row-unclosed",
                f"a name runs on to line {line + span - 1} (a quote left open?); left out",
            )
        )
        return None
    return row + [""] * (columns.width - len(row))


def _read_csv(
    data: bytes,
    classify: Callable[[list[str]], _Columns | None],
    person: Callable[[int, dict[str, str], list[Problem]], Imported | None],
    missing: Callable[[str], str],
) -> ImportResult:
    """The shared loop of the CSV readers: decode, find the header, read each row."""
    problems: list[Problem] = []
    text = _decode(data, problems)
    found = _find_header(text, classify)
    if found is None:
        problems.append(Problem(0, "header-missing", missing(text)))
        return ImportResult([], problems)
    columns, rows = found
    header = {v: k for k, v in columns.where.items()}
    people: list[Imported] = []
    for line, row, error in rows:
        if row is None:
            problems.append(Problem(line, "csv-invalid", f"cannot read this row: {error}; left out"))
            continue
        if not any(cell.strip() for cell in row) or tuple(row) == columns.cells:
            continue  # a blank row, a row of only commas, or the header repeated
        cells = _cells(line, row, columns, _span(row), problems)
        if cells is None:
            continue
        fields = {header[i]: cell for i, cell in enumerate(cells) if i in header}
        imported = person(line, fields, problems)
        if imported is not None:
            people.append(imported)
    return ImportResult(people, problems, columns.layout)


def _span(row: list[str]) -> int:
    return 1 + sum(cell.count("\n") for cell in row)


# --- LinkedIn Connections.csv --------------------------------------------------------------------

# Header names by language. English is LinkedIn's; German is from a test fixture seen in
# the wild (unverified against a real export); the others are INFERRED from LinkedIn's
# interface wording and may differ from real exports. An unknown language is reported
# ("header-missing") with the columns notesync knows, never guessed.
_LINKEDIN_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "English": {
        "first": ("First Name",),
        "last": ("Last Name",),
        "url": ("URL", "Profile URL"),
        "email": ("Email Address",),
        "company": ("Company",),
        "role": ("Position",),
        "connected": ("Connected On",),
    },
    "German": {
        "first": ("Vorname",),
        "last": ("Nachname",),
        "url": ("Profil-URL",),
        "email": ("E-Mail-Adresse", "E-Mail"),
        "company": ("Unternehmen", "Firma"),
        "role": ("Position",),
        "connected": ("Verbunden am", "Verbunden seit"),
    },
    "French": {  # inferred
        "first": ("Prénom",),
        "last": ("Nom", "Nom de famille"),
        "url": ("URL du profil",),
        "email": ("Adresse e-mail", "Adresse email", "E-mail"),
        "company": ("Entreprise", "Société"),
        "role": ("Poste",),
        "connected": ("Connecté le", "Date de connexion", "Relation depuis le"),
    },
    "Spanish": {  # inferred
        "first": ("Nombre",),
        "last": ("Apellidos", "Apellido"),
        "url": ("URL del perfil",),
        "email": ("Dirección de correo electrónico", "Correo electrónico"),
        "company": ("Empresa",),
        "role": ("Cargo", "Puesto"),
        "connected": ("Conectado el", "Fecha de conexión"),
    },
    "Portuguese": {  # inferred
        "first": ("Nome",),
        "last": ("Sobrenome", "Apelido"),
        "url": ("URL do perfil",),
        "email": ("Endereço de e-mail", "Endereço de email"),
        "company": ("Empresa",),
        "role": ("Cargo",),
        "connected": ("Conectado em", "Data da conexão"),
    },
    "Dutch": {  # inferred
        "first": ("Voornaam",),
        "last": ("Achternaam",),
        "url": ("Profiel-URL",),
        "email": ("E-mailadres",),
        "company": ("Bedrijf",),
        "role": ("Functie",),
        "connected": ("Verbonden op", "Verbonden sinds"),
    },
    "Italian": {  # inferred
        "first": ("Nome",),
        "last": ("Cognome",),
        "url": ("URL del profilo",),
        "email": ("Indirizzo email", "Indirizzo e-mail"),
        "company": ("Azienda",),
        "role": ("Posizione", "Ruolo"),
        "connected": ("Collegato il", "Data di collegamento"),
    },
}
_LINKEDIN_ALIASES: dict[str, tuple[str, str]] = {  # folded header -> (field, language)
    _fold(alias): (fieldname, language)
    for language, fields in reversed(_LINKEDIN_HEADERS.items())
    for fieldname, aliases in fields.items()
    for alias in aliases
}


_LINKEDIN_OWN = frozenset({"url", "role", "connected"})  # what other tools' CSVs do not have


def _linkedin_columns(row: list[str]) -> _Columns | None:
    """The column of each field, when this row is a Connections.csv header: a first and a
    last name and a column only LinkedIn has (older exports have no URL column)."""
    index: dict[str, int] = {}
    votes: dict[str, int] = {}
    for i, cell in enumerate(row):
        hit = _LINKEDIN_ALIASES.get(_fold(cell))
        if hit is not None and hit[0] not in index:
            index[hit[0]] = i
            votes[hit[1]] = votes.get(hit[1], 0) + 1
    if "first" not in index or "last" not in index or not index.keys() & _LINKEDIN_OWN:
        return None
    language = max(sorted(votes), key=lambda lang: votes[lang])
    return _Columns(index, f"LinkedIn Connections.csv ({language} headers)", tuple(row))


def _linkedin_person(line: int, fields: dict[str, str], problems: list[Problem]) -> Imported | None:
    url_text = tidy(fields.get("url"))
    url = linkedin_url(url_text)
    if url_text and url is None:
        problems.append(Problem(line, "url-invalid", f"{url_text[:80]!r} is not a LinkedIn profile address"))
    email_text = tidy(fields.get("email"))
    email = email_address(email_text)
    if email_text and email is None:
        problems.append(Problem(line, "email-invalid", f"{email_text[:80]!r} is not an email address"))
    when_text = tidy(fields.get("connected"))
    when = connected_date(when_text)
    if when_text and when is None:
        problems.append(
            Problem(line, "date-invalid", f"{when_text[:40]!r} is not a date like 05 Mar 2024; left empty")
        )
    name = tidy(f"{fields.get('first', '')} {fields.get('last', '')}")
    return Imported(
        name, _value(fields.get("company")), _value(fields.get("role")), email, url, when, "linkedin", line
    )


def _linkedin_missing(text: str) -> str:
    known = ", ".join(_LINKEDIN_HEADERS["English"][f][0] for f in _LINKEDIN_HEADERS["English"])
    hint = _other_layout(text, "linkedin")
    return (
        f"no header row with the columns of LinkedIn's Connections.csv ({known}, or the same in "
        f"{', '.join(lang for lang in _LINKEDIN_HEADERS if lang != 'English')}){hint}"
    )


def read_linkedin(data: bytes) -> ImportResult:
    """LinkedIn's Connections.csv (Settings > Data privacy > Get a copy of your data)."""
    return _read_csv(data, _linkedin_columns, _linkedin_person, _linkedin_missing)


# --- Google Contacts CSV -----------------------------------------------------------------------

_GOOGLE_FIXED = {
    "first name": "first",
    "last name": "last",
    "nickname": "nickname",
    "organization name": "org_name",
    "organization title": "org_title",
    "given name": "given",
    "family name": "family",
    "name": "name",
    "e mail address": "outlook_email",
    "company": "company",
    "job title": "job_title",
    "web page": "web_page",
}
_GOOGLE_NUMBERED = re.compile(
    r"^(e mail|website|organization) (\d+) (value|label|type|name|title)$|^e mail (\d+) address$"
)


def _google_columns(row: list[str]) -> _Columns | None:
    """The columns of a Google Contacts export: "Google CSV" as exported today, the legacy
    "Google CSV" (Given Name, Organization 1 - Name, ...) or "Outlook CSV"."""
    index: dict[str, int] = {}
    for i, cell in enumerate(row):
        folded = _fold(cell)
        key = _GOOGLE_FIXED.get(folded)
        if key is None and (m := _GOOGLE_NUMBERED.match(folded)):
            key = f"{m.group(1)} {m.group(2)} {m.group(3)}" if m.group(1) else f"e mail {m.group(4)} address"
        if key is not None:
            index.setdefault(key, i)
    has_value = any(k.endswith(" value") for k in index)
    if "given" in index or "family" in index or ("name" in index and has_value):
        layout = "Google Contacts CSV (legacy layout)"
    elif "first" in index and has_value:
        layout = "Google Contacts CSV"
    elif "first" in index and "outlook_email" in index:
        layout = "Google Contacts Outlook CSV"
    else:
        return None
    return _Columns(index, layout, tuple(row))


def _numbered(fields: dict[str, str], kind: str, part: str) -> list[str]:
    """The values of `E-mail 1 - Value`, `E-mail 2 - Value`, ... in order; a cell with
    several values (` ::: `) gives each."""
    keys = sorted(
        (int(k.split()[-2]), k) for k in fields if k.startswith(kind + " ") and k.endswith(" " + part)
    )
    return [v.strip() for _, k in keys for v in fields[k].split(":::") if v.strip()]


def _google_name(fields: dict[str, str]) -> str:
    name = tidy(f"{fields.get('first', '')} {fields.get('last', '')}")
    name = name or tidy(f"{fields.get('given', '')} {fields.get('family', '')}")
    return name or tidy(fields.get("name")) or tidy(fields.get("nickname"))


def _google_linkedin(fields: dict[str, str]) -> str | None:
    sites = [*_numbered(fields, "website", "value"), *fields.get("web_page", "").split(":::")]
    for site in sites:
        url = linkedin_url(site)
        if url is not None:
            return url
    labels = _numbered(fields, "website", "label") + _numbered(fields, "website", "type")
    if any("linkedin" in label.casefold() for label in labels):
        return next((u for u in (linkedin_url(s, slug_ok=True) for s in sites) if u), None)
    return None


def _google_person(line: int, fields: dict[str, str], problems: list[Problem]) -> Imported | None:
    emails = [
        *_numbered(fields, "e mail", "value"),
        *fields.get("outlook_email", "").split(":::"),
        *_numbered(fields, "e mail", "address"),
    ]
    email = next((e for e in map(email_address, emails) if e), None)
    written = [tidy(e) for e in emails if tidy(e)]
    if email is None and written:
        problems.append(Problem(line, "email-invalid", f"{written[0][:80]!r} is not an email address"))
    company = _first(
        fields.get("org_name"), *_numbered(fields, "organization", "name"), fields.get("company")
    )
    role = _first(
        fields.get("org_title"), *_numbered(fields, "organization", "title"), fields.get("job_title")
    )
    name = _google_name(fields)
    if not (name or email or company):
        return None
    return Imported(name, company, role, email, _google_linkedin(fields), None, "google", line)


def _first(*values: str | None) -> str | None:
    for value in values:
        text = tidy((value or "").split(":::")[0])
        if text:
            return text
    return None


def _google_missing(text: str) -> str:
    return (
        "no header row of a Google Contacts export (First Name, Last Name, E-mail 1 - Value, ..., "
        "or the legacy Name, Given Name, Family Name, ...)" + _other_layout(text, "google")
    )


def read_google(data: bytes) -> ImportResult:
    """A Google Contacts export (contacts.google.com > Export), in any of its layouts."""
    return _read_csv(data, _google_columns, _google_person, _google_missing)


def _other_layout(text: str, kind: str) -> str:
    """A hint when the file is another kind of export than the one asked for."""
    if kind != "vcard" and re.search(r"^BEGIN:VCARD", text[:4096], re.IGNORECASE | re.MULTILINE):
        return "; this looks like a vCard file: import it as vcard"
    for other, classify in (("linkedin", _linkedin_columns), ("google", _google_columns)):
        if other != kind and _find_header(text[:65536], classify) is not None:
            return f"; this looks like a {SOURCE_NAMES[other]} export: import it as {other}"
    return ""


# --- vCard ---------------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BEGIN = re.compile(r"^begin:vcard[ \t]*$", re.IGNORECASE)
_END = re.compile(r"^end:vcard[ \t]*$", re.IGNORECASE)
_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)[;:]")
# What `_card_person` reads: a card vobject rejects is read again with these alone.
_NEEDED = frozenset(
    {"N", "FN", "ORG", "TITLE", "EMAIL", "URL", "X-SOCIALPROFILE", "SOCIALPROFILE", "KIND", "X-ABSHOWAS"}
)
_NOT_PEOPLE = {"org", "organization", "group", "location"}


class _Card(NamedTuple):
    line: int  # of BEGIN:VCARD
    lines: list[str]
    closed: bool


def _cards(text: str) -> Iterator[_Card]:
    """Each BEGIN:VCARD ... END:VCARD block with its first line; a card nested in another
    (vCard 2.1 AGENT) stays inside its parent."""
    depth, start = 0, 0
    block: list[str] = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if _BEGIN.match(line):
            if depth == 0:
                start, block = number, []
            depth += 1
        if depth:
            block.append(line)
        if depth and _END.match(line):
            depth -= 1
            if depth == 0:
                yield _Card(start, block, True)
    if depth:
        yield _Card(start, [*block, *["END:VCARD"] * depth], False)


def _read_component(text: str) -> Any:
    """vobject's reading of one card. vobject raises a variety of errors (ParseError, and
    base64/binascii, value errors from its converters) on one bad property: any of them
    means this text is not readable as it stands. (Imported here: it takes longer to
    import than a LinkedIn file of 2,000 rows takes to read.)"""
    import vobject  # type: ignore[import-untyped]

    try:
        return vobject.readOne(text, validate=False)
    except Exception:  # vobject has no common base for the errors it lets through
        return None


def _soft_breaks_joined(lines: list[str]) -> list[str]:
    """vCard 2.1's quoted-printable values joined where a line ends in a soft break (`=`):
    the next line goes on whole (a space starting it is content, not a fold)."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("=") and "QUOTED-PRINTABLE" in out[-1].split(":", 1)[0].upper():
            out[-1] = out[-1][:-1] + line
        else:
            out.append(line)
    return out


def _unfold(card: _Card) -> list[tuple[int, str]]:
    """The card's logical lines with their first physical line (RFC 6350 §3.2)."""
    out: list[tuple[int, str]] = []
    for offset, line in enumerate(_soft_breaks_joined(card.lines)):
        if line[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
        elif line.strip():
            out.append((card.line + offset, line))
    return out


def _minimal_card(card: _Card, problems: list[Problem]) -> Any:
    """A card vobject rejects (a broken PHOTO, a vCard 4.0 form it does not know, a line
    that is not a property), read again with only the properties notesync needs and
    `VERSION:3.0`, which vobject reads every version with anyway; each of those that
    still cannot be read is left out and reported."""
    kept: list[str] = []
    for number, line in _unfold(card)[1:-1]:
        m = _PROPERTY.match(line)
        if m is None or m.group(1).upper() not in _NEEDED:
            continue
        if _read_component(f"BEGIN:VCARD\r\nVERSION:3.0\r\n{line}\r\nEND:VCARD\r\n") is None:
            problems.append(
                Problem(number, "card-property", f"cannot read this {m.group(1).upper()}; left out")
            )
            continue
        kept.append(line)
    return _read_component(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(k + "\r\n" for k in kept) + "END:VCARD\r\n"
    )


def _text_of(value: Any) -> str:
    """A property value as text: vobject gives lists for structured values (ORG, N parts)."""
    if isinstance(value, list | tuple):
        return " ".join(_text_of(v) for v in value)
    if isinstance(value, bytes):  # a property with ENCODING=b that is not a PHOTO
        return tidy(value.decode("utf-8", errors="replace"))
    return tidy(str(value).replace("\\:", ":")) if value is not None else ""


def _props(component: Any, *names: str) -> list[Any]:
    contents: dict[str, list[Any]] = component.contents
    return [p for name in names for p in contents.get(name, [])]


def _params(prop: Any) -> str:
    """Every parameter value of a property, folded, as one string to search in."""
    params: dict[str, list[str]] = prop.params
    return _fold(" ".join(f"{k} {' '.join(v)}" for k, v in params.items()))


def _card_name(component: Any) -> str:
    """`Given Family` from N when FN spells the same person in that order (leaving out
    titles, middle names and suffixes, as LinkedIn and Google do); otherwise FN, which
    keeps the order the user sees (family name first in many languages); else N."""
    fn = next((t for t in (_text_of(p.value) for p in _props(component, "fn")) if t), "")
    n = next((p.value for p in _props(component, "n")), None)
    given, family = _text_of(getattr(n, "given", "")), _text_of(getattr(n, "family", ""))
    plain = tidy(f"{given} {family}")
    if not fn:
        return plain
    if given and family:
        first, last = fn.casefold().find(given.casefold()), fn.casefold().rfind(family.casefold())
        if 0 <= first < last:
            return plain
    return fn


def _card_email(component: Any) -> str | None:
    """The preferred address (PREF in 4.0, TYPE=pref in 3.0), else the first."""
    props = _props(component, "email")
    ordered = sorted(props, key=lambda p: 0 if "pref" in _params(p) else 1)
    return next((e for e in (email_address(_text_of(p.value)) for p in ordered) if e), None)


def _card_linkedin(component: Any) -> str | None:
    """From URL, X-SOCIALPROFILE (Apple, 3.0) or SOCIALPROFILE (4.0, RFC 9554): a
    linkedin.com address, or a user name on a property typed LinkedIn."""
    for prop in _props(component, "x-socialprofile", "socialprofile", "url", "x-linkedin"):
        text = _text_of(prop.value)
        url = linkedin_url(text)
        if url is not None:
            return url
        params = _params(prop)
        if "linkedin" in params or prop.name.upper() == "X-LINKEDIN":
            user = prop.params.get("X-USER", [""])[0]
            url = linkedin_url(text, slug_ok=True) or linkedin_url(user, slug_ok=True)
            if url is not None:
                return url
    return None


def _card_person(card: _Card, component: Any, problems: list[Problem]) -> Imported | None:
    kind = _fold(_text_of(next((p.value for p in _props(component, "kind")), "")))
    show_as = _fold(_text_of(next((p.value for p in _props(component, "x-abshowas")), "")))
    if kind in _NOT_PEOPLE or show_as == "company":
        problems.append(
            Problem(card.line, "card-not-person", "a card for an organisation, not a person; left out")
        )
        return None
    org = next((p.value for p in _props(component, "org")), None)
    company = tidy(_text_of(org[0] if isinstance(org, list) and org else org))
    title = next((t for t in (_text_of(p.value) for p in _props(component, "title")) if t), "")
    person = Imported(
        _card_name(component),
        company or None,
        title or None,
        _card_email(component),
        _card_linkedin(component),
        None,
        "vcard",
        card.line,
    )
    if not (person.name or person.email or person.linkedin):
        problems.append(Problem(card.line, "card-empty", "a card with no name, email or LinkedIn profile"))
        return None
    return person


def _vcard_text(data: bytes, problems: list[Problem]) -> str:
    """The file as text. Some writers fold lines in the middle of a UTF-8 character
    (RFC 6350 §3.2 warns of it): such a file is unfolded as bytes before decoding."""
    try:
        return data.decode("utf-8-sig").lstrip("\ufeff")
    except UnicodeDecodeError:
        unfolded = re.sub(rb"\r?\n[ \t]", b"", data)
        try:
            return unfolded.decode("utf-8-sig").lstrip("\ufeff")
        except UnicodeDecodeError:
            return _decode(data, problems)


def read_vcard(data: bytes) -> ImportResult:
    """A vCard file of one or many cards (3.0 or 4.0; 2.1 too, which vobject reads),
    such as Apple Contacts, Outlook or Google export."""
    problems: list[Problem] = []
    text = _vcard_text(data, problems)
    people: list[Imported] = []
    versions: set[str] = set()
    for card in _cards(text):
        if not card.closed:
            problems.append(
                Problem(card.line, "card-unterminated", "no END:VCARD; read up to the end of the file")
            )
        component = _read_component("\r\n".join(_soft_breaks_joined(card.lines)) + "\r\n")
        if component is None:
            component = _minimal_card(card, problems)
        if component is None:
            problems.append(Problem(card.line, "card-invalid", "cannot read this card; left out"))
            continue
        versions.update(_text_of(p.value) for p in _props(component, "version"))
        person = _card_person(card, component, problems)
        if person is not None:
            people.append(person)
    if not people and not problems:
        problems.append(
            Problem(0, "header-missing", "no BEGIN:VCARD in the file" + _other_layout(text, "vcard"))
        )
    shown = ", ".join(sorted(v for v in versions if v))
    return ImportResult(people, problems, f"vCard {shown}".strip())


# --- any of them ---------------------------------------------------------------------------------

READERS: dict[str, Callable[[bytes], ImportResult]] = {
    "linkedin": read_linkedin,
    "vcard": read_vcard,
    "google": read_google,
}


def read_export(kind: str, data: bytes) -> ImportResult:
    """Read an export of the given kind (`linkedin`, `vcard` or `google`); ValueError for
    another kind (a usage error, not a problem of the file)."""
    reader = READERS.get(kind)
    if reader is None:
        raise ValueError(f"cannot import {kind!r}; import one of: {', '.join(KINDS)}")
    return reader(data)


# --- contact notes -------------------------------------------------------------------------------

_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax (a subset of YAML's), with the
    characters JSON leaves raw but YAML reads as line breaks or refuses escaped too."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _title_key(entry: str) -> str:
    name = basename(entry.replace("\\", "/"))
    return name_key(name[:-3] if name.lower().endswith(".md") else name)


def free_stem(name: str, taken: set[str]) -> str:
    """A file name (without `.md`) for `name` whose title is not in `taken` (title keys):
    `Name`, else `Name 2`, `Name 3`, ... ScaffoldError when the name has nothing a file
    name can hold."""
    stem = safe_file_name(name)
    candidate, n = stem, 1
    while name_key(candidate) in taken:
        n += 1
        candidate = f"{stem} {n}"
    return candidate


def _body(person: Imported) -> str:
    if person.source == "linkedin" and person.connected is not None:
        how = f"Connected on LinkedIn on {person.connected.isoformat()}."
    else:
        how = f"Imported from {SOURCE_NAMES[person.source]}."
    return f"## How we met\n{how}\n"


def note_text(person: Imported, stem: str) -> str:
    """The text of a contact note for `person` saved as `stem.md`: the contact template's
    properties, every value quoted so no name or company can break the YAML, and the real
    name as an alias when the file name differs from it."""
    alias = name_key(stem) != name_key(person.name)
    lines = ["---", "type: contact", f"aliases: [{yaml_string(person.name)}]" if alias else "aliases: []"]
    for key, value in (
        ("company", person.company),
        ("role", person.role),
        ("email", person.email),
        ("linkedin", person.linkedin),
    ):
        lines.append(f"{key}: {yaml_string(value)}" if value else f"{key}:")
    lines.append(f"connected: {person.connected.isoformat()}" if person.connected else "connected:")
    lines.append(f"source: {yaml_string(person.source)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + _body(person)


def contact_notes(people: Iterable[Imported], folder: str, taken: Iterable[str]) -> list[tuple[str, str]]:
    """(vault-relative path, note text) of a new contact note for each person, in `folder`
    ("" for the top of the vault). `taken` holds the vault paths or titles of the notes
    that exist: a title in use anywhere is avoided (compared ignoring case), because
    Obsidian and notesync both know a person by the title alone; the people given here
    get distinct titles too. ScaffoldError for a name no file name can hold."""
    used = {_title_key(t) for t in taken}
    prefix = folder.strip("/") + "/" if folder.strip("/") else ""
    out: list[tuple[str, str]] = []
    for person in people:
        stem = free_stem(person.name, used)
        used.add(name_key(stem))
        out.append((f"{prefix}{stem}.md", note_text(person, stem)))
    return out


def contact_note(person: Imported, folder: str, taken: set[str]) -> tuple[str, str]:
    """One person's new contact note: see `contact_notes` (use that for many people: it
    reads `taken` once)."""
    return contact_notes([person], folder, taken)[0]


def has_file_name(name: str) -> bool:
    """Whether a note can be named after `name` at all (`???` cannot)."""
    try:
        safe_file_name(name)
    except ScaffoldError:
        return False
    return True
