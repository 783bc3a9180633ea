"""Reading notes as Obsidian reads them: front-matter traps, links, task lines."""

from __future__ import annotations

from datetime import date

import pytest

from notesync.parse import parse_note
from notesync.properties import load_yaml, split
from notesync.tasks import find_tasks, parse_task_line


def parse(text: str | bytes, path: str = "n.md"):  # type: ignore[no-untyped-def]
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_note(path, data)


def codes(diags) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.code for d in diags]


# --- front-matter -------------------------------------------------------------------


def test_yaml_11_traps_keep_what_the_user_typed() -> None:
    data = load_yaml(
        "country: NO\nactive: yes\nphone: 0123456\nzip: 01234\nmeeting: 12:30\nok: true\nn: 42\n"
    ).data
    assert data == {
        "country": "NO",
        "active": "yes",
        "phone": "0123456",
        "zip": "01234",
        "meeting": "12:30",
        "ok": True,
        "n": 42,
    }


def test_dates_stay_text_until_a_field_reads_them() -> None:
    data = load_yaml("date: 2026-11-20\nat: 2024-07-21T12:37:00\n").data
    assert data == {"date": "2026-11-20", "at": "2024-07-21T12:37:00"}


def test_keys_keep_their_source_text() -> None:
    data = load_yaml("2024: a\ntrue: b\nnull: c\n~: d\n").data
    assert data == {"2024": "a", "true": "b", "null": "c", "~": "d"}


def test_duplicate_key_is_reported_on_networking_notes() -> None:
    note, diags = parse('---\ncontact: "[[A]]"\nstatus: done\nstatus: requested\n---\n')
    assert note is not None and note.status == "requested"
    assert [(d.line, d.code) for d in diags] == [(4, "key-duplicate")]


def test_one_property_written_two_ways_is_reported() -> None:
    """`Thanked` and `thanked_` are one property (case, `_`, `-` and spaces do not count):
    the first is read, and the second said, not silently dropped."""
    note, diags = parse('---\ncontact: "[[A]]"\nstatus: done\nThanked:\nthanked_: 2026-11-21\n---\n')
    assert note is not None and not note.thanked
    assert [str(d) for d in diags] == [
        "n.md:5: key-duplicate: property 'thanked_' is 'Thanked' written another way; its value is ignored"
    ]


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    note, diags = parse(f'---\ncontact: "[[A]]"\n{bomb}---\n')
    assert codes(diags) == ["yaml-too-complex"]
    assert note is not None and note.kind == "other"


def test_deep_nesting_is_a_diagnostic_not_a_crash() -> None:
    _note, diags = parse("---\ncontact: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert codes(diags) == ["yaml-invalid"]


@pytest.mark.parametrize(
    ("raw", "body_line"),
    [
        ('\ufeff---\ncontact: "[[Ann Smith]]"\nstatus: done\n---\nbody\n', 5),
        ('---\r\ncontact: "[[Ann Smith]]"\r\nstatus: done\r\n---\r\nbody\r\n', 5),
        ('---\ncontact: "[[Ann Smith]]"\nstatus: done\n---', 5),
        ('---\n{"contact": "[[Ann Smith]]", "status": "done"}\n---\nbody\n', 4),
    ],
    ids=["bom", "crlf", "no-newline-after-closing", "json"],
)
def test_front_matter_variants_are_read(raw: str, body_line: int) -> None:
    note, diags = parse(raw)
    assert diags == []
    assert note is not None and note.kind == "interview"
    assert note.contact is not None and note.contact.target == "Ann Smith"
    assert note.status == "done"
    text = raw.lstrip("\ufeff").replace("\r\n", "\n")
    assert split(text).body_line == body_line


def test_empty_front_matter_and_body_task_lines() -> None:
    cut = split("---\n---\n\n# empty\n\n- [ ] task\n")
    assert cut.yaml_text is not None and load_yaml(cut.yaml_text).data == {}
    assert [line for line, _ in find_tasks(cut.body, cut.body_line)] == [6]


def test_front_matter_must_start_on_line_one() -> None:
    note, diags = parse('\n---\ncontact: "[[Jane Doe]]"\n---\n')
    assert note is not None and note.kind == "other" and diags == []


def test_unterminated_front_matter_is_reported_and_read_as_text() -> None:
    cut = split('---\ncontact: "[[Jane]]"\n\n- [ ] Send deck 📅 2026-11-25\n')
    assert cut.unterminated and cut.yaml_text is None
    assert [(line, t.due) for line, t in find_tasks(cut.body, cut.body_line)] == [(4, date(2026, 11, 25))]


def test_unquoted_link_is_accepted_and_reported_with_the_fix() -> None:
    note, diags = parse("---\ncontact: [[Jane Smith]]\nstatus: done\n---\n")
    assert note is not None and note.contact is not None and note.contact.target == "Jane Smith"
    assert [str(d) for d in diags] == [
        'n.md:2: link-unquoted: contact: [[Jane Smith]] is read as a YAML list; write contact: "[[Jane Smith]]"'
    ]


def test_unquoted_links_in_a_block_list() -> None:
    note, diags = parse(
        '---\ncontact: "[[A]]"\nstatus: done\nreferrals:\n  - [[Tom Lee]]\n  - "[[Ann Chu]]"\n---\n'
    )
    assert note is not None
    assert [(r.target, r.line) for r in note.referrals] == [("Tom Lee", 5), ("Ann Chu", 6)]
    assert [(d.line, d.code) for d in diags] == [(5, "link-unquoted")]


@pytest.mark.parametrize(
    "value",
    ['"[[Ann Lee]], [[Bo Park]]"', '"[[Ann Lee]] and [[Bo Park|Bo]]"', '"[[Ann Lee]]; [[Bo Park]],"'],
)
def test_a_text_of_several_links_names_each_person(value: str) -> None:
    """As Obsidian shows such a text property: two links, so two people (not one person
    called `[[Ann Lee]], [[Bo Park]]`); a field of one person uses the first, and says so."""
    note, diags = parse(f"---\ncontact: {value}\nreferrals: {value}\nreferrer: {value}\nstatus: done\n---\n")
    assert note is not None
    assert [r.target for r in note.contacts] == [r.target for r in note.referrals] == ["Ann Lee", "Bo Park"]
    assert note.referrer is not None and note.referrer.target == "Ann Lee"
    assert [str(d) for d in diags] == ["n.md:4: field-invalid: referrer names 2 people; using the first"]


def test_a_list_item_of_several_links_is_each_person() -> None:
    listed, said = parse(
        '---\ncontact: "[[A]]"\nstatus: done\nreferrer: ["[[Ann Lee]], [[Bo Park]]", "[[Cy]]"]\n---\n'
    )
    assert listed is not None and listed.referrer is not None and listed.referrer.target == "Ann Lee"
    assert [d.message for d in said] == ["referrer names 3 people; using the first"]


def test_a_company_written_as_a_link_with_a_folder_is_the_note_it_links() -> None:
    """`[[Companies/Contoso|Contoso Ltd]]` is the company Contoso (its note), as a link
    without a folder already was."""
    note, _ = parse('---\ntype: contact\ncompany: "[[Companies/Contoso|Contoso Ltd]]"\n---\n')
    assert note is not None and note.company == "Contoso"


@pytest.mark.parametrize(
    ("value", "target"),
    [
        ('"[[Jane Smith]]"', "Jane Smith"),
        ('"[[Jane Smith|Jane]]"', "Jane Smith"),
        ('"[[People/Jane Smith]]"', "People/Jane Smith"),
        ('"[[Jane Smith#Notes]]"', "Jane Smith"),
        ("Jane Smith", "Jane Smith"),
        ('"[[Jane Smith.md]]"', "Jane Smith"),
    ],
)
def test_person_link_forms(value: str, target: str) -> None:
    note, _ = parse(f"---\ncontact: {value}\nstatus: done\n---\n")
    assert note is not None and note.contact is not None and note.contact.target == target


def test_impossible_date_is_an_error_with_its_line() -> None:
    note, diags = parse('---\ncontact: "[[Jane Doe]]"\nstatus: done\ndate: 2024-02-30\n---\n')
    assert note is not None and note.date is None
    assert [str(d) for d in diags] == ["n.md:4: date-invalid: date: 2024-02-30 is not a real date"]


def test_unknown_status_suggests_the_closest() -> None:
    _, diags = parse('---\ncontact: "[[A]]"\nstatus: doen\n---\n')
    assert [str(d) for d in diags] == [
        "n.md:3: status-unknown: status 'doen' is not a known status; did you mean done?"
    ]


def test_notes_that_are_not_networking_notes_are_left_alone() -> None:
    note, diags = parse("---\ndate: 2024-13-45\nstatus: whatever\n---\n- [ ] Buy milk 📅 2026-11-01\n")
    assert note is not None and note.kind == "other" and note.actions == ()
    assert diags == []


def test_binary_and_bad_utf8() -> None:
    note, diags = parse(b"\x00\x01\x02PNG")
    assert note is None and codes(diags) == ["binary"]
    note, diags = parse(b'---\ncontact: "[[A]]"\nstatus: done\n---\ncaf\xe9\n')
    assert note is not None and note.contact is not None
    assert [(d.line, d.code) for d in diags] == [(5, "encoding")]


def test_actions_front_matter_forms() -> None:
    note, _ = parse(
        '---\ncontact: "[[A]]"\nstatus: done\nactions:\n  - text: Send deck\n    due: 2026-11-25\n'
        "  - Connect on LinkedIn\n  - {text: Done one, due: 2026-11-01, done: true}\n---\n"
    )
    assert note is not None
    assert [(a.text, a.due, a.done, a.line) for a in note.actions] == [
        ("Send deck", date(2026, 11, 25), False, 5),
        ("Connect on LinkedIn", None, False, 7),
        ("Done one", date(2026, 11, 1), True, 8),
    ]


# --- task lines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "status", "description", "due"),
    [
        ("- [ ] Send deck 📅 2026-11-25", " ", "Send deck", date(2026, 11, 25)),
        ("- [ ] Send deck [due:: 2026-11-25]", " ", "Send deck", date(2026, 11, 25)),
        ("- [ ] Send deck (due:: 2026-11-25)", " ", "Send deck", date(2026, 11, 25)),
        ("- [x] Done 📅 2026-11-25 ✅ 2026-11-24", "x", "Done", date(2026, 11, 25)),
        ("- [ ] Call 📅 2026-11-20 about the role", " ", "Call 📅 2026-11-20 about the role", None),
        ("- [ ] Tagged 📅 2026-11-25 #work ⏫", " ", "Tagged #work", date(2026, 11, 25)),
        ("* [/] Star 📆2026-11-25 ^block-1", "/", "Star", date(2026, 11, 25)),
        ("1. [-] Numbered 🗓 2026-11-25", "-", "Numbered", date(2026, 11, 25)),
        ("> - [ ] In a callout 📅 2026-11-25", " ", "In a callout", date(2026, 11, 25)),
        ("- [ ] Mismatched [due:: 2026-11-25)", " ", "Mismatched [due:: 2026-11-25)", None),
        ("- [ ] Impossible 📅 2026-02-30", " ", "Impossible", None),
    ],
)
def test_task_line(line: str, status: str, description: str, due: date | None) -> None:
    task = parse_task_line(line)
    assert task is not None
    assert (task.status, task.description, task.due) == (status, description, due)


@pytest.mark.parametrize("line", ["@ [ ] no marker", "- [#task] two chars", "-[ ] no space", "plain text"])
def test_not_a_task_line(line: str) -> None:
    assert parse_task_line(line) is None


def test_statuses_follow_tasks_default_registry() -> None:
    open_ = {s: parse_task_line(f"- [{s}] t").is_open for s in " x/-X?"}  # type: ignore[union-attr]
    assert open_ == {" ": True, "x": False, "/": True, "-": False, "X": True, "?": True}


def test_tasks_in_code_comments_and_html_are_not_tasks() -> None:
    body = (
        "- [ ] real one\n"
        "```\n- [ ] fenced\n```\n"
        "~~~md\n- [ ] tilde fenced\n~~~\n"
        "%%\n- [ ] in a comment\n%%\n"
        "<!--\n- [ ] in html\n-->\n\n"
        "para\n\n    - [ ] indented code\n\n"
        "- parent\n    - [ ] nested four spaces\n"
        "\t- [ ] nested tab\n"
    )
    found = [(line, t.description) for line, t in find_tasks(body)]
    assert found == [(1, "real one"), (20, "nested four spaces"), (21, "nested tab")]


def test_fast_path_and_markdown_it_agree_on_plain_bodies() -> None:
    from notesync import tasks

    body = "# Notes\n\ntext\n- [ ] a 📅 2026-11-25\n  - [x] b\n* [/] c\n\n> - [ ] d\nmore text\n- [ ] e\n"
    fast = [line for line, _ in find_tasks(body)]
    slow = sorted(n + 1 for n in tasks._item_first_lines(body))
    assert fast == [line for line in slow if parse_task_line(body.split("\n")[line - 1]) is not None]
    assert fast == [4, 5, 6, 8, 10]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("para\n\n    - [ ] indented code, not a task 📅 2026-11-01\n", []),
        ("para\n2. [ ] an ordered list may not interrupt a paragraph unless it starts at 1\n", []),
        ("para\n1. [ ] but at 1 it may\n", [2]),
        ("- item\n    - [ ] nested under an item\n", [2]),
    ],
)
def test_candidates_that_need_the_markdown_parser(body: str, lines: list[int]) -> None:
    assert [line for line, _ in find_tasks(body)] == lines


def test_no_task_field_needle_holds_another() -> None:
    """`parse_task_line` finds every field's needles in one scan: that scan would hide a
    needle inside another one, so there must be none."""
    from notesync.tasks import _FIELDS_OF

    needles = list(_FIELDS_OF)
    assert [(a, b) for a in needles for b in needles if a != b and a in b] == []


@pytest.mark.parametrize(
    ("value", "done"),
    [
        ("true", True),
        ("yes", True),
        ("1", True),
        ("0", False),
        ('"0"', False),
        ("no", False),
        ("false", False),
    ],
)
def test_a_yes_or_no_property_reads_a_zero_as_no(value: str, done: bool) -> None:
    """`thanked: 0` (and `target: 0` on a company) mean no, as `false` does."""
    note, _ = parse(f'---\ncontact: "[[A]]"\nstatus: done\ndate: 2026-11-20\nthanked: {value}\n---\n')
    assert note is not None and note.thanked is done
    company, _ = parse(f"---\ntype: company\ntarget: {value}\n---\n")
    assert company is not None and (company.target is not None) is done


def test_a_reading_made_with_other_names_reads_them() -> None:
    """`Reading.keys` is made with its names (see `with_settings`); a reading made or
    changed with other names still reads those, not the ones its keys were made from."""
    from notesync.reading import DEFAULT_NAMES, Reading, with_settings

    extra = tuple((k, ("Who", *v) if k == "contact" else v) for k, v in DEFAULT_NAMES.items())
    for reading in (Reading(names=extra), Reading()._replace(names=extra)):
        assert reading.names_of("contact")[0] == "who"
        assert reading.find({"who": "[[Jane]]"}, "contact") == "who"
    settled = with_settings(names={"company": ("Employer",)})
    assert settled.find({"employer": "Acme"}, "company") == "employer"
    assert settled._replace(names=Reading().names).find({"employer": "Acme"}, "company") is None
