"""Targets (issue 15): the companies you want to work for, whom you know at each and the warm
path in, on Targets.md and from `notesync targets [--json] [--add COMPANY]`; and the people
at a target company marked on the referral map."""

from __future__ import annotations

import difflib
import html
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from notesync.cli import main
from notesync.pipeline import sync
from notesync.render.markdown import one_line

from .conftest import TODAY

MakeVault = Callable[[dict[str, str | bytes]], Path]
DAY = date.fromisoformat(TODAY)
_LINK = re.compile(r"\[\[([^\]|\\]*)(?:\\?\|([^\]]*))?\]\]")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# --- reading Targets.md as a user reads it -------------------------------------------------------


def shown(markdown: str) -> str:
    """A piece of a page as it reads: links by the text they show, escapes undone."""

    def label(m: re.Match[str]) -> str:
        return m.group(2) if m.group(2) is not None else m.group(1).rsplit("/", 1)[-1]

    plain = _LINK.sub(label, markdown)
    return html.unescape(re.sub(r"\\(.)", r"\1", plain)).strip()


def _cells(line: str) -> list[str]:
    return [c.replace("\0", "|") for c in line.replace("\\|", "\0").strip().strip("|").split("|")]


class Row(NamedTuple):
    name: str
    role: str
    status: str
    last_contact: str
    known_from: str


class Section(NamedTuple):
    company: str
    path: list[str] | None  # the warm path's names, or None for "No path yet."
    next_step: str
    also: list[list[str]]
    people: list[Row]


def _path(markdown: str) -> list[str]:
    return [shown(step) for step in markdown.split(" → ")]


def target_sections(page: str) -> list[Section]:
    """Each `## company` of Targets.md, in page order."""
    out: list[Section] = []
    for chunk in page.split("\n## ")[1:]:
        head, _, body = chunk.partition("\n")
        path: list[str] | None = None
        step = ""
        also: list[list[str]] = []
        people: list[Row] = []
        lines = body.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("- **Warm path**: "):
                path = _path(line.removeprefix("- **Warm path**: "))
            elif line.startswith("- **Next step**: "):
                step = shown(line.removeprefix("- **Next step**: "))
            elif line.startswith("- **Also through**: "):
                also.append(_path(line.removeprefix("- **Also through**: ")))
            elif line.startswith("**No path yet.** "):
                step = shown(line.removeprefix("**No path yet.** "))
            elif line.startswith("| Person |"):
                for row in lines[i + 2 :]:
                    if not row.startswith("|"):
                        break
                    people.append(Row(*(shown(c) for c in _cells(row))))
        out.append(Section(shown(head), path, step, also, people))
    return out


def summary(page: str) -> str:
    return next(line for line in page.splitlines() if "target compan" in line)


def targets_page(vault: Path) -> str:
    sync(vault, today=DAY)
    return (vault / "notesync" / "Targets.md").read_text("utf-8")


def targets_json(vault: Path) -> list[dict[str, Any]]:
    out = run("targets", str(vault), "--today", TODAY, "--json")
    assert out.exit_code == 0, out.output
    found: list[dict[str, Any]] = json.loads(out.stdout)
    return found


# --- must show 2: the four kinds of target ------------------------------------------------------


def interview(contact: str, day: str, status: str = "done", **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f'---\ntype: interview\ncontact: "[[{contact}]]"\ndate: {day}\nstatus: {status}\n{extra}---\n'


def contact(**fields: str) -> str:
    return "---\ntype: contact\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\n"


def imported(company: str, profile: str) -> str:
    """A contact note as `notesync import linkedin` writes it."""
    return (
        f'---\ntype: contact\naliases: []\ncompany: "{company}"\nrole: "Recruiter"\nemail:\n'
        f'linkedin: "https://www.linkedin.com/in/{profile}"\nconnected: 2024-03-05\nsource: "linkedin"\n---\n'
        "## How we met\nConnected on LinkedIn on 2024-03-05.\n"
    )


# alpha: Maya, met (two steps out: Me → Ann → Maya). Beta: two imported connections only.
# GAMMA: Bob, referred by Ann and not contacted yet. Delta: nobody. Ann and Carl are the
# connectors (their referrals became conversations). Aliases name Ann and Maya in places.
REACH: dict[str, str | bytes] = {
    ".notesync.toml": 'targets = ["alpha", "Beta", "GAMMA", "Delta"]\n',
    "People/Ann Lee.md": contact(aliases='["Ann L."]', company="Northwind Traders"),
    "Interviews/2026-09-01 Ann Lee.md": interview(
        "Ann Lee", "2026-09-01", referrals='["[[Bob Stone]]", "[[Carl Diaz]]"]'
    ),
    "People/Maya Ross.md": contact(
        aliases='["Maya R."]', company='"Alpha, Inc."', role="Engineer", referrer='"[[Ann L.]]"'
    ),
    "Interviews/2026-10-01 Maya R.md": interview("Maya R.", "2026-10-01"),
    "People/Ivan Petrov.md": imported("Beta GmbH", "ivan"),
    "People/Hana Kim.md": imported("beta", "hana"),
    "People/Bob Stone.md": contact(company="Gamma LLC", referrer='"[[Ann Lee]]"'),
    "Interviews/2026-09-15 Carl Diaz.md": interview(
        "Carl Diaz", "2026-09-15", referrer='"[[Ann L.]]"', company="Litware", referrals='["[[Eve Park]]"]'
    ),
    "Interviews/2026-10-20 Eve Park.md": interview(
        "Eve Park", "2026-10-20", referrer='"[[Carl Diaz]]"', company="Woodgrove Bank"
    ),
}
EXPECTED: list[dict[str, Any]] = [
    {
        "company": "alpha",
        "path": ["Me", "Ann Lee", "Maya Ross"],
        "known": ["Maya Ross"],
        "suggestion": "You have met Maya Ross: ask them for a referral at alpha, and whom else to speak with there.",
    },
    {
        "company": "Beta",
        "path": ["Me", "Hana Kim"],
        "known": ["Hana Kim", "Ivan Petrov"],
        "suggestion": 'Ask Hana Kim for a conversation: notesync draft outreach "Hana Kim"',
    },
    {
        "company": "GAMMA",
        "path": ["Me", "Ann Lee", "Bob Stone"],
        "known": ["Bob Stone"],
        "suggestion": 'Ask Ann Lee to introduce you to Bob Stone, then: notesync draft outreach "Bob Stone"',
    },
    {
        "company": "Delta",
        "path": None,
        "known": [],
        "suggestion": "No one you know works at Delta yet: ask Ann Lee or Carl Diaz whom they know there.",
    },
]


def test_targets_json_gives_each_target_its_path_known_people_and_next_step(make_vault: MakeVault) -> None:
    vault = make_vault(REACH)
    found = targets_json(vault)
    assert [{k: t[k] for k in ("company", "path", "known", "suggestion")} for t in found] == EXPECTED
    people = {
        t["company"]: [(p["name"], p["status"], p["imported_from"]) for p in t["people"]] for t in found
    }
    assert people == {
        "alpha": [("Maya Ross", "done", None)],
        "Beta": [("Hana Kim", "not contacted", "linkedin"), ("Ivan Petrov", "not contacted", "linkedin")],
        "GAMMA": [("Bob Stone", "not contacted", None)],
        "Delta": [],
    }


def test_targets_page_says_what_the_json_says_most_reachable_first(make_vault: MakeVault) -> None:
    vault = make_vault(REACH)
    page = targets_page(vault)
    assert summary(page) == (
        "4 target companies: 3 with a warm path, 1 with none yet. A path goes from you through the "
        "people who referred you; an imported connection is one step from you."
    )
    sections = target_sections(page)
    assert [(s.company, s.path, sorted(p.name for p in s.people), s.next_step) for s in sections] == [
        (t["company"], t["path"], t["known"], t["suggestion"]) for t in EXPECTED
    ]
    known_from = {s.company: [(p.name, p.known_from) for p in s.people] for s in sections}
    assert known_from["Beta"] == [
        ("Hana Kim", "imported from LinkedIn"),
        ("Ivan Petrov", "imported from LinkedIn"),
    ]
    assert known_from["alpha"] == [("Maya Ross", "your notes")]
    assert "**No path yet.** No one you know works at Delta yet" in page
    # the command says the same, in the same order
    out = run("targets", str(vault), "--today", TODAY)
    assert out.exit_code == 0, out.output
    assert [line for line in out.stdout.splitlines() if not line.startswith(" ")] == [
        t["company"] for t in EXPECTED
    ]
    assert "  path: Me -> Ann Lee -> Bob Stone" in out.stdout.splitlines()


@pytest.mark.parametrize(
    ("target", "company"),
    [
        ("Contoso", "contoso, inc."),
        ("Contoso", "CONTOSO Ltd"),
        ("Contoso", "Contoso GmbH"),
        ("Contoso", "Contoso LLC"),
        ("Contoso", "Contoso Inc."),
        ("Contoso, Inc.", "Contoso"),
        ("contoso ltd.", "CONTOSO GMBH"),
    ],
)
def test_companies_match_ignoring_case_and_legal_suffixes(
    make_vault: MakeVault, target: str, company: str
) -> None:
    vault = make_vault(
        {
            ".notesync.toml": f"targets = {json.dumps([target])}\n",
            "Interviews/2026-10-01 Maya Ross.md": interview(
                "Maya Ross", "2026-10-01", company=json.dumps(company)
            ),
        }
    )
    [found] = targets_json(vault)
    assert (found["company"], found["known"], found["path"]) == (target, ["Maya Ross"], ["Me", "Maya Ross"])


@pytest.mark.parametrize("target", ["[[Contoso]]", "[[Companies/Contoso|Contoso Ltd]]"])
@pytest.mark.parametrize("company", ['"[[Contoso]]"', "Contoso"])
def test_a_target_written_as_a_link_is_the_company_it_links(
    make_vault: MakeVault, target: str, company: str
) -> None:
    """As `company:` reads a link: the note it links, by its name."""
    vault = make_vault(
        {
            ".notesync.toml": f"targets = {json.dumps([target])}\n",
            "Interviews/2026-10-01 Maya Ross.md": interview("Maya Ross", "2026-10-01", company=company),
        }
    )
    [found] = targets_json(vault)
    assert (found["company"], found["known"], found["path"]) == (
        "Contoso",
        ["Maya Ross"],
        ["Me", "Maya Ross"],
    )


@pytest.mark.parametrize("company", ["Contoso Pharmaceuticals", "Contosoft", "Fabrikam"])
def test_another_company_is_not_the_target(make_vault: MakeVault, company: str) -> None:
    vault = make_vault(
        {
            ".notesync.toml": 'targets = ["Contoso"]\n',
            "Interviews/2026-10-01 Maya Ross.md": interview("Maya Ross", "2026-10-01", company=company),
        }
    )
    [found] = targets_json(vault)
    assert (found["known"], found["path"]) == ([], None)


COMPANY_NOTES: dict[str, str | bytes] = {
    ".notesync.toml": 'targets = ["contoso"]\n',
    "Companies/Epsilon.md": "---\ntype: company\ntarget: true\n---\n# Epsilon\n",
    "Companies/Zeta Ltd.md": '---\ncategories: ["[[Companies]]"]\ntarget: true\n---\n',
    "Companies/Contoso Inc.md": "---\ntype: company\ntarget: true\n---\n",  # a target already
    "Companies/Omega.md": "---\ntype: company\ntarget: false\n---\n",
    "Companies/Sigma.md": '---\ncategories: ["[[Companies]]"]\n---\n',
    "Notes/Wishlist.md": "---\ntarget: true\n---\nNot a company.\n",
    "Interviews/2026-10-01 Zed Park.md": interview("Zed Park", "2026-10-01", company="Zeta"),
}


def test_a_company_note_with_target_true_is_a_target(make_vault: MakeVault) -> None:
    vault = make_vault(COMPANY_NOTES)
    found = targets_json(vault)
    assert [(t["company"], t["known"]) for t in found] == [
        ("Zeta Ltd", ["Zed Park"]),
        ("contoso", []),
        ("Epsilon", []),
    ]
    assert [s.company for s in target_sections(targets_page(vault))] == ["Zeta Ltd", "contoso", "Epsilon"]
    assert marked(vault) == {"Zed Park"}


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def test_targets_page_is_the_same_bytes_for_two_copies_and_two_syncs(tmp_path: Path) -> None:
    first = _write(tmp_path / "one", REACH)
    second = _write(tmp_path / "two" / "vault", dict(reversed(REACH.items())))  # created in another order
    pages = []
    for vault in (first, second, first, second):
        sync(vault, today=DAY)
        pages.append((vault / "notesync" / "Targets.md").read_bytes())
    assert len(set(pages)) == 1
    assert targets_json(first) == targets_json(second)


# --- targets --add ---------------------------------------------------------------------------------

SETTINGS = """# my settings
notes_folder = "Interviews"
targets = ["Contoso"]  # the ones I want

# how long to wait
[rules]
thank_you = 2
"""


def add(vault: Path, *companies: str) -> Result:
    return run("targets", str(vault), "--today", TODAY, *(a for c in companies for a in ("--add", c)))


def test_add_rewrites_only_the_targets_line(tmp_path: Path) -> None:
    (tmp_path / ".notesync.toml").write_text(SETTINGS, "utf-8")
    out = add(tmp_path, "Fabrikam, Inc.", "Tailspin Toys")
    assert out.exit_code == 0, out.output
    assert (tmp_path / ".notesync.toml").read_text("utf-8") == SETTINGS.replace(
        'targets = ["Contoso"]', 'targets = ["Contoso", "Fabrikam, Inc.", "Tailspin Toys"]'
    )
    assert [line for line in out.stdout.splitlines() if not line.startswith(" ")] == [
        "Contoso",
        "Fabrikam, Inc.",
        "Tailspin Toys",
    ]


def test_add_to_one_target_written_as_a_string_makes_the_list(tmp_path: Path) -> None:
    """`targets = "Contoso"` (one company, as a string): the line becomes the list."""
    (tmp_path / ".notesync.toml").write_text(SETTINGS.replace('["Contoso"]', '"Contoso"'), "utf-8")
    out = add(tmp_path, "Tailspin Toys")
    assert out.exit_code == 0, out.output
    assert (tmp_path / ".notesync.toml").read_text("utf-8") == SETTINGS.replace(
        'targets = ["Contoso"]', 'targets = ["Contoso", "Tailspin Toys"]'
    )


def test_add_of_a_target_already_named_another_way_changes_nothing(tmp_path: Path) -> None:
    data = ("\ufeff" + SETTINGS).encode("utf-8")
    (tmp_path / ".notesync.toml").write_bytes(data)
    out = add(tmp_path, "CONTOSO Ltd", "contoso")
    assert out.exit_code == 0, out.output
    assert (tmp_path / ".notesync.toml").read_bytes() == data


def test_add_without_a_targets_setting_adds_that_line_and_keeps_the_rest(tmp_path: Path) -> None:
    settings = SETTINGS.replace('targets = ["Contoso"]  # the ones I want\n', "")
    (tmp_path / ".notesync.toml").write_text(settings, "utf-8")
    out = add(tmp_path, 'Ev"il \\ Co')
    assert out.exit_code == 0, out.output
    after = (tmp_path / ".notesync.toml").read_text("utf-8").splitlines()
    line = 'targets = ["Ev\\"il \\\\ Co"]'
    changes = difflib.SequenceMatcher(a=settings.splitlines(), b=after, autojunk=False).get_opcodes()
    assert [op for op, *_ in changes if op != "equal"] == ["insert"]  # nothing of the file changes
    [(_, _, _, start, end)] = [c for c in changes if c[0] == "insert"]
    assert [x for x in after[start:end] if x.strip()] == [line]  # one line (and a blank one) added
    assert after.index(line) < after.index("# how long to wait")  # above the table and its comment


def test_add_creates_the_settings_file_when_there_is_none(tmp_path: Path) -> None:
    out = add(tmp_path, "Tailspin Toys")
    assert out.exit_code == 0, out.output
    assert (tmp_path / ".notesync.toml").read_text("utf-8") == 'targets = ["Tailspin Toys"]\n'


def test_add_refuses_a_targets_list_written_over_several_lines(tmp_path: Path) -> None:
    data = b'notes_folder = "Interviews"\ntargets = [\n  "Contoso",\n  "Fabrikam",\n]\n'
    (tmp_path / ".notesync.toml").write_bytes(data)
    out = add(tmp_path, "Tailspin Toys")
    assert out.exit_code == 1
    assert isinstance(out.exception, SystemExit) and "Traceback" not in out.output
    assert out.stderr == (
        "Error: .notesync.toml: targets is written over several lines; add 'Tailspin Toys' there by hand\n"
    )
    assert (tmp_path / ".notesync.toml").read_bytes() == data


def test_add_edits_a_settings_file_with_windows_line_endings(tmp_path: Path) -> None:
    (tmp_path / ".notesync.toml").write_bytes(b'me = "Kim"\r\ntargets = ["Contoso"]\r\n')
    out = add(tmp_path, "Fabrikam")
    assert out.exit_code == 0, out.output
    assert (
        tmp_path / ".notesync.toml"
    ).read_bytes() == b'me = "Kim"\r\ntargets = ["Contoso", "Fabrikam"]\r\n'


# --- names that could break the page -------------------------------------------------------------

HOSTILE_COMPANY = "Hostile | <b>Co</b> [[Corp]] *x* #tag `c` %%y%% ![[embed]]"
HOSTILE_PERSON = "Eve | <i>Evil</i> [[Bad]] *x* ==hi== $m$"
HOSTILE_ROLE = "<script>alert(1)</script> | r"
RAW_TAG = re.compile(r"<[A-Za-z/!?]")


def test_markdown_html_pipes_and_links_in_names_do_not_break_the_page(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            ".notesync.toml": f"targets = {json.dumps([HOSTILE_COMPANY, 'Plain [[Co]]'])}\n",
            "Interviews/2026-10-01 Eve.md": (
                f"---\ntype: interview\ncontact: {json.dumps(HOSTILE_PERSON)}\ndate: 2026-10-01\nstatus: done\n"
                f"company: {json.dumps(HOSTILE_COMPANY + ', Inc.')}\nrole: {json.dumps(HOSTILE_ROLE)}\n---\n"
            ),
            "People/Zoe | Pipe.md": contact(company='"Plain [[Co]]"', role='"a|b"'),
        }
    )
    page = targets_page(vault)

    assert RAW_TAG.search(page) is None and "%%" not in page and "![[" not in page
    sections = target_sections(page)
    assert [s.company for s in sections] == [HOSTILE_COMPANY, "Plain [[Co]]"]
    assert sections[0].path == ["Me", HOSTILE_PERSON]
    assert sections[0].people == [Row(HOSTILE_PERSON, HOSTILE_ROLE, "done", "2026-10-01", "your notes")]
    assert sections[1].people[0][:2] == ("Zoe | Pipe", "a|b")
    body = page.split("---\n", 2)[2]  # without the front matter
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    headings = [
        tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"
    ]
    assert len(headings) == 2
    rows = [t for t in tokens if t.type == "tr_open"]
    cells = [t for t in tokens if t.type in ("th_open", "td_open")]
    assert len(cells) == 5 * len(rows) and len(rows) == 4  # two tables of a header and one row each
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(body)
    assert "<b>" not in rendered and "<i>" not in rendered and "<script>" not in rendered
    assert one_line(html.unescape(re.sub("<[^>]+>", "", rendered.split("<h2>")[1].split("</h2>")[0]))) == (
        HOSTILE_COMPANY
    )
    assert [t["company"] for t in targets_json(vault)] == [HOSTILE_COMPANY, "Plain [[Co]]"]


# --- must show 4: the map marks the people at target companies ----------------------------------


def mermaid(vault: Path) -> str:
    sync(vault, today=DAY)
    page = (vault / "notesync" / "Referral Map.md").read_text("utf-8")
    return page.split("```mermaid\n", 1)[1].split("```", 1)[0]


def marked(vault: Path) -> set[str]:
    """The names the map draws with the class `target`."""
    block = mermaid(vault)
    labels = dict(re.findall(r'^  (n\d+)\["(.*)"\]:::\w+$', block, re.M))
    ids = [i for line in re.findall(r"^  class (\S+) target$", block, re.M) for i in line.split(",")]
    return {labels[i] for i in ids}


LEGEND = "A thick pink border: works at one of your target companies (see Targets.md)."


def test_the_map_marks_the_people_at_target_companies(example_vault: Path) -> None:
    (example_vault / "Interviews/2026-11-25 Rita Gomez.md").write_text(
        interview("Rita Gomez", "2026-11-25", company='"contoso, inc."'), "utf-8"
    )
    (example_vault / "Interviews/2026-11-25 Paul Nash.md").write_text(
        interview("Paul Nash", "2026-11-25", company="Contoso Pharmaceuticals"), "utf-8"
    )
    block = mermaid(example_vault)
    page = (example_vault / "notesync" / "Referral Map.md").read_text("utf-8")

    assert marked(example_vault) == {"Priya Raman", "Sam Patel", "Tom Lee", "Ann Chu", "Rita Gomez"}
    assert "  classDef target stroke:#c2255c,stroke-width:4px" in block.splitlines()
    assert block.rstrip().endswith("classDef target stroke:#c2255c,stroke-width:4px")  # last: it wins
    assert page.count(LEGEND) == 1


def test_a_map_without_targets_marks_no_one(example_vault: Path) -> None:
    (example_vault / ".notesync.toml").write_text("# no targets\n", "utf-8")
    block = mermaid(example_vault)
    page = (example_vault / "notesync" / "Referral Map.md").read_text("utf-8")
    assert marked(example_vault) == set()
    assert "target" not in block and LEGEND not in page


def test_the_command_shows_the_other_ways_in_the_page_shows(example_vault: Path) -> None:
    assert run("sync", str(example_vault), "--today", TODAY).exit_code == 0
    page = (example_vault / "notesync" / "Targets.md").read_text("utf-8")
    assert (
        "- **Also through**: Me → [[People/Priya Raman|Priya Raman]] → [[People/Sam Patel|Sam Patel]]\n"
        in page
    )
    out = run("targets", str(example_vault), "--today", TODAY)
    assert "  also through: Me -> Priya Raman -> Sam Patel" in out.stdout.splitlines()
