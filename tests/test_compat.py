"""notesync against the shared compat corpora: Obsidian's own parse results, the Tasks
plugin's test cases, and the front-matter edge cases. Skips when ../shared is absent."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from notesync.parse import parse_note
from notesync.properties import YamlProblem, load_yaml, split
from notesync.tasks import find_tasks, parse_task_line

from .conftest import needs_compat


def _rows() -> list[dict[str, Any]]:
    path = needs_compat("obsidian-cache") / "groundtruth.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _tasks_cases() -> list[dict[str, Any]]:
    data = json.loads((needs_compat("tasks") / "cases.json").read_text("utf-8"))
    return list(data["cases"])


def test_task_lines_match_obsidian_list_items() -> None:
    mismatches = []
    for row in _rows():
        text = row["fileContents"].replace("\r\n", "\n")
        cut = split(text)
        ours = [(line - 1, task.status) for line, task in find_tasks(cut.body, cut.body_line)]
        theirs = [(li["line"], li["task"]) for li in row["listItems"] or [] if li.get("task") is not None]
        if ours != theirs:
            mismatches.append((row["filePath"], ours, theirs))
    assert mismatches == []


def test_front_matter_matches_obsidian() -> None:
    compared = 0
    for row in _rows():
        text = row["fileContents"].replace("\r\n", "\n")
        cut = split(text)
        if row["frontmatter"] is None:
            # Obsidian reports none for an empty block; so do we (an empty mapping)
            assert cut.yaml_text is None or load_yaml(cut.yaml_text).data == {}, row["filePath"]
            continue
        assert cut.yaml_text is not None, row["filePath"]
        assert load_yaml(cut.yaml_text).data == row["frontmatter"], row["filePath"]
        compared += 1
    assert compared >= 20


def test_tasks_plugin_cases() -> None:
    checked = 0
    for case in _tasks_cases():
        if case["format"] == "dataview-plugin" or case["id"] == "c028":
            continue  # Dataview's own reader; c028 needs a global filter (a non-default setting)
        line = case["input"]
        if case["api"] != "Task.fromLine":
            line = "- [ ] " + line
        exp = case["expected"]
        task = parse_task_line(line)
        if exp.get("is_task") is False:
            assert task is None, case["id"]
            continue
        assert task is not None, case["id"]
        if "status_symbol" in case and case["api"] == "Task.fromLine":
            assert task.status == case["status_symbol"], case["id"]
        if "dueDate" in exp:
            due = exp["dueDate"]
            assert task.due == (date.fromisoformat(due) if due else None), case["id"]
        if exp.get("doneDate"):
            assert task.done_date == date.fromisoformat(exp["doneDate"]), case["id"]
        if "description" in exp and case["api"] == "Task.fromLine":
            assert task.description == exp["description"], case["id"]
        checked += 1
    assert checked >= 50


FRONTMATTER_EXPECT = {
    # file: (kind, diagnostic codes) for a networking-aware reading of each case
    "05_bom_prefix.md": ("contact", []),
    "06_crlf_line_endings.md": ("interview", ["status-missing"]),
    "18_impossible_date_value.md": ("interview", ["date-invalid", "status-missing"]),
    "25_no_newline_after_closing_delimiter.md": ("interview", ["status-missing"]),
    "13_frontmatter_not_on_first_line.md": ("other", []),
}


@pytest.mark.parametrize("name", sorted(FRONTMATTER_EXPECT))
def test_frontmatter_cases_as_notes(name: str) -> None:
    data = (needs_compat("frontmatter") / name).read_bytes()
    note, diags = parse_note(name, data)
    kind, codes = FRONTMATTER_EXPECT[name]
    assert note is not None and note.kind == kind
    assert sorted(d.code for d in diags) == codes


def test_every_frontmatter_case_parses_without_raising() -> None:
    folder = needs_compat("frontmatter")
    invalid = set()
    for path in sorted(folder.glob("*.md")):
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        cut = split(text)
        if cut.yaml_text is not None:
            try:
                load_yaml(cut.yaml_text)
            except YamlProblem:
                invalid.add(path.name)
        parse_note(path.name, path.read_bytes())
    assert invalid == {
        "02_unquoted_wikilinks_comma_list.md",
        "04_template_placeholder_braces.md",
        "08_tab_indentation.md",
        "20_unquoted_colon_in_value.md",
        "23_at_sign_handle_unquoted.md",
    }


def test_yaml_11_case_round_trips_as_written() -> None:
    text = (needs_compat("frontmatter") / "19_yaml11_implicit_types.md").read_text("utf-8")
    cut = split(text)
    assert cut.yaml_text is not None
    data = load_yaml(cut.yaml_text).data
    assert data["country"] == "NO" and data["active"] == "yes"
    assert data["phone"] == "0123456" and data["zip"] == "01234" and data["meeting"] == "12:30"
