"""The one edit: every change of a user's note is one line changed or added, read back
by the parser as intended, and written only over the bytes it was made from."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from notesync.edit import (
    Edit,
    Refusal,
    add_to_list,
    apply_edit,
    inverse,
    mark_action_done,
    revert,
    set_date,
    tick_task,
)
from notesync.model import Note
from notesync.parse import parse_note
from notesync.properties import load_yaml, split
from notesync.scan import TEMP_SUFFIX
from tests.test_properties import notes as fuzz_notes

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 28)
ISO = "2026-11-28"
BOM = b"\xef\xbb\xbf"


# --- helpers ------------------------------------------------------------------------


def edited(result: Edit | Refusal) -> Edit:
    assert isinstance(result, Edit), result
    return result


def refused(result: Edit | Refusal | None, code: str) -> Refusal:
    assert isinstance(result, Refusal), result
    assert result.code == code, result
    return result


def one_line_diff(before: bytes, after: bytes) -> tuple[str, int]:
    """('changed' | 'added', 0-based index): the only difference, compared line by line."""
    b = before.splitlines(keepends=True)
    a = after.splitlines(keepends=True)
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        assert len(diff) == 1, diff
        return "changed", diff[0]
    assert len(a) == len(b) + 1, (len(a), len(b))
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(b))
    assert a[:i] + a[i + 1 :] == b
    return "added", i


def note_of(data: bytes) -> Note:
    note, _ = parse_note("Jane.md", data)
    assert note is not None
    return note


def essence(note: Note) -> Note:
    """A parsed note without line numbers (a line added above moves them) or actions."""
    return note._replace(
        actions=(),
        shape=(),
        date_line=0,
        status_line=0,
        contacts=tuple(r._replace(line=0) for r in note.contacts),
        referrer=note.referrer and note.referrer._replace(line=0),
        referrals=tuple(r._replace(line=0) for r in note.referrals),
    )


def yaml_data(data: bytes) -> dict[str, object]:
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    cut = split(text)
    assert cut.yaml_text is not None
    return load_yaml(cut.yaml_text).data


# --- set_date: examples -------------------------------------------------------------

CRLF_NOTE = (
    BOM
    + b"---\r\n"
    + b"# conversation with Jane\r\n"
    + b"status: done   # went well\r\n"
    + b"thanked:\r\n"
    + b"contact: '[[Jane Smith]]'\r\n"
    + b"\r\n"
    + b'type: "interview"\r\n'
    + b"referrer_updated: ~   # after the thank-you\r\n"
    + b"date: 2026-11-20\r\n"
    + b"---\r\n"
    + b"## Notes\r\n"
    + "- café ☕\r\n".encode()
    + b"no final newline"
)


def test_crlf_bom_comments_odd_key_order_change_one_line() -> None:
    edit = edited(set_date(CRLF_NOTE, ("thanked",), DAY))
    assert edit.after == CRLF_NOTE.replace(b"thanked:\r\n", b"thanked: 2026-11-28\r\n")
    assert edit.lines == (4,)
    assert edit.description == "thanked: 2026-11-28"
    assert not note_of(CRLF_NOTE).thanked and note_of(edit.after).thanked

    second = edited(set_date(edit.after, ("referrer_updated",), DAY))
    assert second.after == edit.after.replace(b"referrer_updated: ~   #", b"referrer_updated: 2026-11-28   #")
    assert second.lines == (8,)
    assert note_of(second.after).referrer_updated


def test_key_added_last_in_the_notes_own_line_ending() -> None:
    data = BOM + b"---\r\ntype: interview\r\n# end\r\n\r\n---\r\nbody"
    edit = edited(set_date(data, ("followed_up", "Followed_up"), DAY))
    assert (
        edit.after == BOM + b"---\r\ntype: interview\r\n# end\r\n\r\nfollowed_up: 2026-11-28\r\n---\r\nbody"
    )
    assert edit.lines == (5,)


def test_closing_line_without_newline() -> None:
    edit = edited(set_date(b"---\ntype: interview\n---", ("thanked",), DAY))
    assert edit.after == b"---\ntype: interview\nthanked: 2026-11-28\n---"


@pytest.mark.parametrize(
    ("line", "new"),
    [
        (b"thanked:", b"thanked: 2026-11-28"),
        (b'thanked: ""', b"thanked: 2026-11-28"),
        (b"thanked: ''", b"thanked: 2026-11-28"),
        (b"thanked: null", b"thanked: 2026-11-28"),
        (b"thanked: ~", b"thanked: 2026-11-28"),
        (b"thanked: false", b"thanked: 2026-11-28"),
        (b"thanked: []", b"thanked: 2026-11-28"),
        (b"thanked:    # fill in", b"thanked: 2026-11-28    # fill in"),
        (b"Thanked:", b"Thanked: 2026-11-28"),
        (b'"thanked": ', b'"thanked": 2026-11-28 '),
    ],
)
def test_empty_value_filled_in_place(line: bytes, new: bytes) -> None:
    data = b"---\ntype: interview\ncontact: Jane\nstatus: done\n" + line + b"\nrole: x\n---\n"
    edit = edited(set_date(data, ("thanked",), DAY))
    assert edit.after == data.replace(line + b"\n", new + b"\n")
    assert note_of(edit.after).thanked


def test_template_left_thanked_empty() -> None:
    template = (ROOT / "templates" / "Interview note.md").read_text(encoding="utf-8")
    text = (
        template.replace("{{title}}", "Jane Smith")
        .replace("{{date:YYYY-MM-DD}}", "2026-11-20")
        .replace("status: planned", "status: done")
    )
    data = text.encode("utf-8")
    assert b"\nthanked:\n" in data
    edit = edited(set_date(data, ("thanked",), DAY))
    assert edit.after == data.replace(b"\nthanked:\n", b"\nthanked: 2026-11-28\n")
    assert not note_of(data).thanked and note_of(edit.after).thanked
    assert note_of(edit.after) == note_of(data)._replace(thanked=True, thanked_on=DAY)


@pytest.mark.parametrize(
    "line", [b"thanked: 2026-11-21", b"thanked: true", b"Thanked: yes", b'thanked: "[[2026-11-21]]"']
)
def test_recorded_by_hand_is_refused_and_unchanged(line: bytes) -> None:
    data = b"---\ntype: interview\n" + line + b"\n---\n"
    refused(set_date(data, ("thanked",), DAY), "already-recorded")


def test_second_tick_changes_nothing() -> None:
    edit = edited(set_date(CRLF_NOTE, ("thanked",), DAY))
    refused(set_date(edit.after, ("thanked",), date(2026, 11, 29)), "already-recorded")


def test_alias_keys_match_case_insensitively() -> None:
    data = b"---\nType: interview\nThank_You_Sent:\n---\n"
    edit = edited(set_date(data, ("thanked", "thank_you_sent"), DAY))
    assert edit.after == b"---\nType: interview\nThank_You_Sent: 2026-11-28\n---\n"


def test_two_keys_for_one_field_are_not_guessed() -> None:
    data = b"---\nthanked:\nThanked: ''\n---\n"
    refused(set_date(data, ("thanked",), DAY), "ambiguous")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"no front-matter\n", "no-front-matter"),
        (b"---\ntype: interview\nno closing line\n", "no-front-matter"),
        (b"", "no-front-matter"),
        (b"---\ntype: [unclosed\n---\n", "cannot-edit"),
        (b'---\n{"type": "interview"}\n---\n', "cannot-edit"),  # JSON: a new line would break it
        (b"---\nthanked: >-\n  no\n---\n", "cannot-edit"),  # a value over several lines
        (b"\x00\x01binary", "cannot-edit"),
    ],
)
def test_notes_it_will_not_edit(data: bytes, code: str) -> None:
    refused(set_date(data, ("thanked",), DAY), code)


def test_invalid_utf8_elsewhere_does_not_stop_the_edit() -> None:
    data = b"---\ntype: interview\nthanked:\n---\nbad \xff byte\n"
    edit = edited(set_date(data, ("thanked",), DAY))
    assert edit.after == data.replace(b"thanked:", b"thanked: 2026-11-28")


def test_invalid_utf8_on_the_line_refused() -> None:
    refused(set_date(b"---\nthanked: \xff\n---\n", ("thanked",), DAY), "already-recorded")
    refused(set_date(b"---\nthanked: ~ # \xff\n---\n", ("thanked",), DAY), "cannot-edit")


def test_block_scalar_keep_chomping_is_not_changed_by_a_new_key() -> None:
    data = b"---\nnotes: |+\n  kept\n\n---\n"
    edit = edited(set_date(data, ("thanked",), DAY))
    assert yaml_data(edit.after) == {"notes": "kept\n\n", "thanked": ISO}


# --- tick_task: examples ------------------------------------------------------------

TASKS = (
    "---\r\ntype: interview\r\ncontact: Jane\r\nstatus: done\r\n---\r\n"
    "## Action steps\r\n"
    "- [ ] Send portfolio 📅 2026-11-25 ^abc123\r\n"
    "  * [/] Read the report #reading\r\n"
    "> 1. [ ] Quoted task [due:: 2026-12-01]\r\n"
    "+ [?] Odd status  \r\n"
    "- [x] Send thank-you ✅ 2026-11-21\r\n"
    "```\r\n- [ ] In code\r\n```\r\n"
    "- [ ] Last, no newline"
).encode()


@pytest.mark.parametrize(
    ("line", "text", "new"),
    [
        (7, "Send portfolio", "- [x] Send portfolio 📅 2026-11-25 ✅ 2026-11-28 ^abc123"),
        (8, "Read the report #reading", "  * [x] Read the report #reading ✅ 2026-11-28"),
        (9, "Quoted task", "> 1. [x] Quoted task [due:: 2026-12-01] [completion:: 2026-11-28]"),
        (10, "Odd status", "+ [x] Odd status ✅ 2026-11-28  "),
        (15, "Last, no newline", "- [x] Last, no newline ✅ 2026-11-28"),
    ],
)
def test_tick_like_tasks(line: int, text: str, new: str) -> None:
    edit = edited(tick_task(TASKS, line, text, DAY))
    lines = TASKS.decode().split("\r\n")
    lines[line - 1] = new
    assert edit.after == "\r\n".join(lines).encode()
    assert edit.lines == (line,)
    before = {a.line: a for a in note_of(TASKS).actions}
    after = {a.line: a for a in note_of(edit.after).actions}
    assert after[line].done and after[line].text == text and after[line].due == before[line].due
    assert {n: a for n, a in after.items() if n != line} == {n: a for n, a in before.items() if n != line}


def test_tick_recorded_by_hand_is_refused() -> None:
    refused(tick_task(TASKS, 11, "Send thank-you", DAY), "already-recorded")
    cancelled = TASKS.replace(b"- [ ] Send portfolio", b"- [-] Send portfolio")
    refused(tick_task(cancelled, 7, "Send portfolio", DAY), "already-recorded")


def test_tick_finds_a_task_that_moved() -> None:
    moved = TASKS.replace(b"## Action steps\r\n", b"## Action steps\r\nA new first line.\r\n\r\n")
    edit = edited(tick_task(moved, 7, "Send portfolio", DAY))
    assert edit.lines == (9,)
    one_line_diff(moved, edit.after)
    assert "- [x] Send portfolio 📅 2026-11-25 ✅ 2026-11-28 ^abc123\r\n".encode() in edit.after


def test_tick_never_guesses() -> None:
    twice = b"- [ ] Call Jane\n- [ ] Call Jane\n"
    refused(tick_task(b"intro\n" + twice, 1, "Call Jane", DAY), "ambiguous")
    refused(tick_task(TASKS, 7, "Send the portfolio", DAY), "not-found")
    refused(tick_task(TASKS, 13, "In code", DAY), "not-found")  # a code block holds no tasks
    # the same text done at the ticked line and open elsewhere: the user recorded it by hand
    refused(tick_task(b"- [x] Call Jane\n- [ ] Call Jane\n", 1, "Call Jane", DAY), "already-recorded")


def test_tick_keeps_a_done_date_left_behind_and_reads_capital_x_as_open() -> None:
    edit = edited(tick_task("- [ ] Call ✅ 2026-01-02\n".encode(), 1, "Call", DAY))
    assert edit.after == "- [x] Call ✅ 2026-01-02\n".encode()
    # Tasks does not know `X`, and notesync's parser reads it as open, so it is ticked
    edit = edited(tick_task(b"- [X] Call\n", 1, "Call", DAY))
    assert edit.after == "- [x] Call ✅ 2026-11-28\n".encode()


def test_tick_in_the_vaults_task_format() -> None:
    data = b"- [ ] Call Jane\n"
    assert edited(tick_task(data, 1, "Call Jane", DAY, "dataview")).after == (
        b"- [x] Call Jane [completion:: 2026-11-28]\n"
    )
    assert edited(tick_task(data, 1, "Call Jane", DAY, "none")).after == b"- [x] Call Jane\n"
    emoji = edited(tick_task(b"- [ ] Call [due:: 2026-12-01]\n", 1, "Call", DAY, "emoji"))
    assert emoji.after == "- [x] Call [due:: 2026-12-01] ✅ 2026-11-28\n".encode()


def test_recurring_task_is_left_to_tasks() -> None:
    refused(tick_task("- [ ] Check in 🔁 every month\n".encode(), 1, "Check in", DAY), "cannot-edit")
    refused(tick_task(b"- [ ] Check in [repeat:: every month]\n", 1, "Check in", DAY), "cannot-edit")


def test_tick_with_bom_on_line_one() -> None:
    data = BOM + b"- [ ] First\n"
    edit = edited(tick_task(data, 1, "First", DAY))
    assert edit.after == BOM + "- [x] First ✅ 2026-11-28\n".encode()


# --- mark_action_done: examples -----------------------------------------------------

ACTIONS = b"""---
type: interview
contact: Jane
status: done
actions:   # agreed on the call
  - text: Send Jane my portfolio
    due: 2026-11-25
  - Connect on LinkedIn
  - {text: Intro to Tom, due: 2026-12-01 }
  - text: Read the report
    done: false  # not yet
  - "Ask: who else?"
  - Call Ann, then Bob
  - Done already
  - text: Done too
    done: yes
---
body
"""


@pytest.mark.parametrize(
    ("index", "text", "old", "new"),
    [
        (0, "Send Jane my portfolio", b"    due: 2026-11-25\n", b"    due: 2026-11-25\n    done: true\n"),
        (
            1,
            "Connect on LinkedIn",
            b"  - Connect on LinkedIn\n",
            b"  - {text: Connect on LinkedIn, done: true}\n",
        ),
        (2, "Intro to Tom", b"due: 2026-12-01 }", b"due: 2026-12-01, done: true }"),
        (3, "Read the report", b"    done: false  #", b"    done: true  #"),
        (4, "Ask: who else?", b'  - "Ask: who else?"', b'  - {text: "Ask: who else?", done: true}'),
        (5, "Call Ann, then Bob", b"  - Call Ann, then Bob", b'  - {text: "Call Ann, then Bob", done: true}'),
    ],
)
def test_action_marked_done(index: int, text: str, old: bytes, new: bytes) -> None:
    edit = edited(mark_action_done(ACTIONS, index, text))
    assert ACTIONS.count(old) == 1
    assert edit.after == ACTIONS.replace(old, new)
    one_line_diff(ACTIONS, edit.after)
    before, after = note_of(ACTIONS).actions, note_of(edit.after).actions
    assert after[index].done and after[index].text == text and after[index].due == before[index].due
    rest = [(a.text, a.due, a.done) for i, a in enumerate(after) if i != index]
    assert rest == [(a.text, a.due, a.done) for i, a in enumerate(before) if i != index]
    refused(mark_action_done(edit.after, index, text), "already-recorded")


def test_action_refusals() -> None:
    refused(mark_action_done(ACTIONS, 7, "Done too"), "already-recorded")
    refused(mark_action_done(ACTIONS, 0, "Something else"), "not-found")
    refused(mark_action_done(b"---\ntype: interview\n---\n", 0, "x"), "not-found")
    refused(mark_action_done(b"---\nactions: [a, a]\n---\n", 5, "a"), "ambiguous")
    refused(mark_action_done(b"no front-matter", 0, "x"), "no-front-matter")


def test_action_found_after_an_item_inserted_above() -> None:
    moved = ACTIONS.replace(b"  - Connect on LinkedIn\n", b"  - New first\n  - Connect on LinkedIn\n")
    edit = edited(mark_action_done(moved, 1, "Connect on LinkedIn"))
    assert b"  - {text: Connect on LinkedIn, done: true}\n" in edit.after


def test_action_forms_in_flow_lists_and_a_lone_item() -> None:
    edit = edited(mark_action_done(b"---\nactions: [one, {text: two}]\n---\n", 1, "two"))
    assert edit.after == b"---\nactions: [one, {text: two, done: true}]\n---\n"
    edit = edited(mark_action_done(b"---\nactions: Send it\n---\n", 0, "Send it"))
    assert edit.after == b"---\nactions: {text: Send it, done: true}\n---\n"
    edit = edited(mark_action_done(b"---\nactions:\n- text: A\n  done:\n---\n", 0, "A"))
    assert edit.after == b"---\nactions:\n- text: A\n  done: true\n---\n"


# --- add_to_list: one person of several ---------------------------------------------

MEETING = b'---\ncategories: ["[[Meetings]]"]\npeople: ["[[Ann Chu]]", "[[Tom Lee]]", "[[Jane Smith]]"]\n'


@pytest.mark.parametrize(
    ("line", "new"),
    [
        (None, b'thanked: ["[[Tom Lee]]"]\n'),
        (b"thanked:\n", b'thanked: ["[[Tom Lee]]"]\n'),
        (b"thanked: []\n", b'thanked: ["[[Tom Lee]]"]\n'),
        (b'thanked: ["[[Ann Chu]]"]\n', b'thanked: ["[[Ann Chu]]", "[[Tom Lee]]"]\n'),
        (b'thanked: ["[[Ann Chu]]" ]  # so far\n', b'thanked: ["[[Ann Chu]]", "[[Tom Lee]]" ]  # so far\n'),
        (b'thanked:\n  - "[[Ann Chu]]"\n', b'thanked:\n  - "[[Ann Chu]]"\n  - "[[Tom Lee]]"\n'),
        (b"thanked:\n- [[Ann Chu]]\n", b'thanked:\n- [[Ann Chu]]\n- "[[Tom Lee]]"\n'),
    ],
)
def test_add_one_person(line: bytes | None, new: bytes) -> None:
    data = MEETING + (line or b"") + b"---\n"
    edit = edited(add_to_list(data, ("thanked",), "[[Tom Lee]]"))
    assert edit.after == MEETING + new + b"---\n"
    one_line_diff(data, edit.after)
    assert edit.description == 'thanked: + "[[Tom Lee]]"'


@pytest.mark.parametrize(
    "line", [b"thanked: 2026-11-21\n", b"thanked: true\n", b'thanked: ["[[tom lee|Tom]]"]\n']
)
def test_add_one_person_already_recorded(line: bytes) -> None:
    refused(add_to_list(MEETING + line + b"---\n", ("thanked",), "[[Tom Lee]]"), "already-recorded")


# --- revert, apply_edit -------------------------------------------------------------


def test_revert_restores_the_exact_bytes_or_refuses() -> None:
    edit = edited(set_date(CRLF_NOTE, ("thanked",), DAY))
    assert revert(edit, edit.after) == CRLF_NOTE
    again = revert(edit, edit.after + b"\r\nmore")
    assert isinstance(again, Refusal) and again.code == "changed"
    assert inverse(edit).after == CRLF_NOTE and inverse(edit).before == edit.after


def test_apply_edit_writes_and_keeps_permissions(tmp_path: Path) -> None:
    note = tmp_path / "Jane.md"
    note.write_bytes(CRLF_NOTE)
    note.chmod(0o640)
    edit = edited(set_date(note.read_bytes(), ("thanked",), DAY))
    assert apply_edit(note, edit) is None
    assert note.read_bytes() == edit.after
    assert stat.S_IMODE(note.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Jane.md"]
    # undo, with the same checks
    assert apply_edit(note, inverse(edit)) is None
    assert note.read_bytes() == CRLF_NOTE


def test_note_changed_only_elsewhere_still_gets_the_edit(tmp_path: Path) -> None:
    note = tmp_path / "Jane.md"
    note.write_bytes(CRLF_NOTE)
    stale = edited(set_date(CRLF_NOTE, ("thanked",), DAY))
    with note.open("ab") as fh:
        fh.write(b"\r\nMore notes typed after the tick.\r\n")
    now = note.read_bytes()
    refused(apply_edit(note, stale), "changed")  # made from older bytes: never written
    assert note.read_bytes() == now
    edit = edited(set_date(now, ("thanked",), DAY))  # made again from the note as it is now
    assert apply_edit(note, edit) is None
    assert note.read_bytes() == now.replace(b"thanked:\r\n", b"thanked: 2026-11-28\r\n")


def test_a_save_during_the_edit_is_never_overwritten(tmp_path: Path) -> None:
    note = tmp_path / "Jane.md"
    note.write_bytes(CRLF_NOTE)
    edit = edited(set_date(CRLF_NOTE, ("thanked",), DAY))
    users = CRLF_NOTE.replace(b"thanked:\r\n", b"thanked: 2026-11-27\r\n")

    def user_saves() -> None:
        note.write_bytes(users)

    refused(apply_edit(note, edit, pause=user_saves), "changed")
    assert note.read_bytes() == users
    assert [p.name for p in tmp_path.iterdir()] == ["Jane.md"]  # no temporary file left


def test_temporary_file_name_and_race_window(tmp_path: Path) -> None:
    note = tmp_path / "Jane.md"
    note.write_bytes(CRLF_NOTE)
    edit = edited(set_date(CRLF_NOTE, ("thanked",), DAY))
    seen: list[str] = []

    def look() -> None:
        seen.extend(p.name for p in tmp_path.iterdir() if p.name != "Jane.md")
        assert note.read_bytes() == CRLF_NOTE  # nothing replaced before the second check

    assert apply_edit(note, edit, pause=look) is None
    assert seen == [f".Jane.md.{os.getpid()}{TEMP_SUFFIX}"]


def test_apply_edit_on_a_deleted_note_and_a_symlink(tmp_path: Path) -> None:
    edit = edited(set_date(CRLF_NOTE, ("thanked",), DAY))
    refused(apply_edit(tmp_path / "gone.md", edit), "changed")
    real = tmp_path / "People" / "Jane.md"
    real.parent.mkdir()
    real.write_bytes(CRLF_NOTE)
    link = tmp_path / "Jane.md"
    link.symlink_to(real)
    assert apply_edit(link, edit) is None
    assert link.is_symlink() and real.read_bytes() == edit.after


def test_owner_kept_when_run_as_root(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to someone else")
    note = tmp_path / "Jane.md"
    note.write_bytes(CRLF_NOTE)
    os.chown(note, 1234, 5678)
    assert apply_edit(note, edited(set_date(CRLF_NOTE, ("thanked",), DAY))) is None
    assert (note.stat().st_uid, note.stat().st_gid) == (1234, 5678)


def test_read_only_note_is_not_written(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anything")
    note = tmp_path / "Jane.md"
    note.write_bytes(CRLF_NOTE)
    note.chmod(0o444)
    edit = edited(set_date(CRLF_NOTE, ("thanked",), DAY))
    with pytest.raises(PermissionError):
        apply_edit(note, edit)
    assert note.read_bytes() == CRLF_NOTE


# --- properties: random notes -------------------------------------------------------

WORDS = st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=12).map(str.strip).filter(bool)
COMMENT = st.sampled_from(["", "  # a comment", " # thanked: 2026-01-01", "\t# tab"])
OTHER_KEYS = ["company", "Role", "channel", "date", "referrer", "tags", "rating", "x-note", "Where"]


@st.composite
def scalar_text(draw: st.DrawFn) -> str:
    word = draw(WORDS)
    return draw(
        st.sampled_from(
            [
                word,
                json.dumps(word + ": " + word),
                "'" + word + "''s'",
                "2026-11-20",
                "42",
                "0123",
                "NO",
                '"[[Brad Johnson]]"',
                "[a, b]",
                "{k: v}",
                "",
                "~",
            ]
        )
    )


@st.composite
def entry(draw: st.DrawFn, key: str) -> list[str]:
    """One property in one of several shapes, as lines."""
    shape = draw(st.sampled_from(["scalar", "block-list", "block-text"]))
    if shape == "block-list":
        items = draw(st.lists(scalar_text(), min_size=1, max_size=3))
        indent = draw(st.sampled_from(["", "  ", "    "]))
        return [f"{key}:{draw(COMMENT)}"] + [f"{indent}- {i}" if i else f"{indent}- x" for i in items]
    if shape == "block-text":
        return [f"{key}: |", *[f"  {draw(WORDS)}" for _ in range(draw(st.integers(1, 2)))]]
    return [f"{key}: {draw(scalar_text())}{draw(COMMENT)}".rstrip(" ")]


THANKED_FORMS = {
    None: None,
    "thanked:": f"thanked: {ISO}",
    'thanked: ""': f"thanked: {ISO}",
    "thanked: ''": f"thanked: {ISO}",
    "thanked: null": f"thanked: {ISO}",
    "thanked: ~": f"thanked: {ISO}",
    "thanked: false": f"thanked: {ISO}",
    "thanked: no": f"thanked: {ISO}",
    "Thanked:": f"Thanked: {ISO}",
    "thanked:   # later": f"thanked: {ISO}   # later",
    "thanked: ~ # later": f"thanked: {ISO} # later",
}


@st.composite
def front_lines(draw: st.DrawFn, extra: Sequence[list[str]] = ()) -> list[str]:
    """Front-matter lines: the interview keys, other keys and comments, in any order."""
    keys = draw(st.lists(st.sampled_from(OTHER_KEYS), unique=True, max_size=5))
    entries: list[list[str]] = [
        [draw(st.sampled_from(["type: interview", 'type: "interview"', "Type: interview"]))],
        [draw(st.sampled_from(['contact: "[[Jane Smith]]"', "contact: Jane Smith", "contact: '[[Jane]]'"]))],
        [draw(st.sampled_from(["status: done", "status: 'done'", "status: done  # yes"]))],
        *[draw(entry(k)) for k in keys],
        *[
            [draw(st.sampled_from(["# a comment line", "", "#", "   "]))]
            for _ in range(draw(st.integers(0, 3)))
        ],
        *extra,
    ]
    order = draw(st.permutations(entries))
    return [line for e in order for line in e]


@st.composite
def wrap(draw: st.DrawFn, fm: list[str], body: list[str]) -> bytes:
    """A note from its lines: LF or CRLF, with or without BOM and final newline."""
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["---", *fm, "---", *body]
    text = eol.join(lines) + (eol if draw(st.booleans()) else "")
    return (BOM if draw(st.booleans()) else b"") + text.encode("utf-8")


BODY = st.lists(
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\x00"), max_size=30),
    max_size=4,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_set_date_changes_or_adds_exactly_one_line(data: st.DataObject) -> None:
    form = data.draw(st.sampled_from(list(THANKED_FORMS)))
    fm = data.draw(front_lines([[form]] if form else []))
    note = data.draw(wrap(fm, data.draw(BODY)))
    before = note_of(note)
    assert before.kind == "interview" and not before.thanked

    edit = edited(set_date(note, ("thanked",), DAY))
    kind, index = one_line_diff(note, edit.after)
    old = note.splitlines(keepends=True)
    new = edit.after.splitlines(keepends=True)[index]
    eol = b"\r\n" if b"\r\n" in note else b"\n"
    assert new.endswith(eol)
    expected = THANKED_FORMS[form] or f"thanked: {ISO}"
    assert new.removesuffix(eol).removeprefix(BOM) == expected.encode()
    assert kind == ("changed" if form else "added")
    if kind == "changed":
        assert old[index].endswith(eol)
    else:
        assert old[index].rstrip() in (b"---", BOM + b"---")  # just before the closing line
    assert edit.lines == (index + 1,)

    after = note_of(edit.after)
    assert essence(after) == essence(before)._replace(thanked=True, thanked_on=DAY)
    assert [(a.text, a.done) for a in after.actions] == [(a.text, a.done) for a in before.actions]
    refused(set_date(edit.after, ("thanked",), DAY), "already-recorded")
    assert revert(edit, edit.after) == note


TASK_STATUS = st.sampled_from([" ", " ", "x", "/", "-", "X", "?"])
TASK_FIELDS = st.sampled_from(
    [
        "",
        " 📅 2026-11-25",
        " [due:: 2026-12-01]",
        " #tag",
        " ⏫ 📅 2026-11-30",
        " ✅ 2026-11-01",
        " 📅 2026-11-25 more",
    ]
)


@st.composite
def task_line(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["", "", "  ", "> ", ">> "]))
    marker = draw(st.sampled_from(["-", "*", "+", "1.", "2)"]))
    block = draw(st.sampled_from(["", "", " ^abc-1"]))
    tail = draw(st.sampled_from(["", "", "  ", " "]))
    return f"{prefix}{marker} [{draw(TASK_STATUS)}] {draw(WORDS)}{draw(TASK_FIELDS)}{block}{tail}"


BODY_LINES = st.lists(
    st.one_of(
        task_line(), task_line(), st.sampled_from(["", "## Notes", "text", "```", "    - [ ] code?", "%%"])
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_tick_task_changes_exactly_its_line(data: st.DataObject) -> None:
    note = data.draw(wrap(data.draw(front_lines()), data.draw(BODY_LINES)))
    before = note_of(note)
    open_tasks = [a for a in before.actions if not a.done]
    assume(open_tasks)
    target = data.draw(st.sampled_from(open_tasks))

    edit = edited(tick_task(note, target.line, target.text, DAY))
    kind, index = one_line_diff(note, edit.after)
    assert (kind, index + 1) == ("changed", target.line) and edit.lines == (target.line,)
    old = note.splitlines(keepends=True)[index]
    new = edit.after.splitlines(keepends=True)[index]
    eol = old[len(old.rstrip(b"\r\n")) :]
    assert new.endswith(eol)
    cut = old.find(b"[") + 1  # indentation, quote prefix and list marker kept
    assert new[:cut] == old[:cut] and new[cut : cut + 1] == b"x"

    after = note_of(edit.after)
    ticked = [a for a in after.actions if a.line == target.line]
    assert (
        len(ticked) == 1 and ticked[0].done and (ticked[0].text, ticked[0].due) == (target.text, target.due)
    )
    assert [a for a in after.actions if a.line != target.line] == [
        a for a in before.actions if a.line != target.line
    ]
    refused(tick_task(edit.after, target.line, target.text, DAY), "already-recorded")


@st.composite
def action_item(draw: st.DrawFn, indent: str) -> tuple[list[str], bool]:
    """One `actions:` item as lines, and whether it is done."""
    text = draw(WORDS)
    shape = draw(st.sampled_from(["plain", "quoted", "block", "flow"]))
    done = draw(st.sampled_from([None, "false", "true", "", "no", "yes"]))
    is_done = done in ("true", "yes")
    if shape == "plain":
        return [f"{indent}- {text}"], False
    if shape == "quoted":
        return [f"{indent}- {json.dumps(text + ', ' + text)}"], False
    due = draw(st.sampled_from(["", "2026-11-25"]))
    if shape == "flow":
        fields = [f"text: {text}"] + ([f"due: {due}"] if due else []) + ([f"done: {done}"] if done else [])
        return [f"{indent}- {{{', '.join(fields)}}}{draw(COMMENT)}"], is_done and bool(done)
    lines = [f"{indent}- text: {text}"] + ([f"{indent}  due: {due}{draw(COMMENT)}"] if due else [])
    if done is not None:
        lines.append(f"{indent}  done: {done}".rstrip() + draw(COMMENT))
    return lines, is_done


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mark_action_done_changes_or_adds_one_line(data: st.DataObject) -> None:
    indent = data.draw(st.sampled_from(["", "  ", "    "]))
    items = data.draw(st.lists(action_item(indent), min_size=1, max_size=5))
    block = [f"actions:{data.draw(COMMENT)}"] + [line for lines, _ in items for line in lines]
    note = data.draw(wrap(data.draw(front_lines([block])), data.draw(BODY)))
    before = note_of(note)
    fm_actions = before.actions[: len(items)]
    assert [a.done for a in fm_actions] == [d for _, d in items]
    open_ = [i for i, a in enumerate(fm_actions) if not a.done]
    assume(open_)
    index = data.draw(st.sampled_from(open_))
    text = fm_actions[index].text

    edit = edited(mark_action_done(note, index, text))
    one_line_diff(note, edit.after)
    after = note_of(edit.after)
    assert after.actions[index].done and after.actions[index].text == text
    assert after.actions[index].due == fm_actions[index].due
    assert [(a.text, a.due, a.done) for i, a in enumerate(after.actions) if i != index] == [
        (a.text, a.due, a.done) for i, a in enumerate(before.actions) if i != index
    ]
    assert essence(after) == essence(before)
    refused(mark_action_done(edit.after, index, text), "already-recorded")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_add_to_list_adds_one_person(data: st.DataObject) -> None:
    names = data.draw(st.lists(WORDS, min_size=0, max_size=3, unique=True))
    style = data.draw(st.sampled_from(["absent", "empty", "flow", "block"]))
    links = [json.dumps(f"[[{n}]]") for n in names]
    if style == "absent" or (not names and style != "empty"):
        extra: list[list[str]] = []
    elif style == "empty":
        extra = [[data.draw(st.sampled_from(["thanked:", "thanked: []", "thanked: ~"]))]]
    elif style == "flow":
        extra = [[f"thanked: [{', '.join(links)}]{data.draw(COMMENT)}"]]
    else:
        indent = data.draw(st.sampled_from(["", "  "]))
        extra = [["thanked:", *[f"{indent}- {link}" for link in links]]]
    note = data.draw(wrap(data.draw(front_lines(extra)), data.draw(BODY)))
    person = data.draw(WORDS)
    assume(" ".join(person.split()).casefold() not in {" ".join(n.split()).casefold() for n in names})

    edit = edited(add_to_list(note, ("thanked",), f"[[{person}]]"))
    one_line_diff(note, edit.after)
    had = names if style in ("flow", "block") else []
    assert yaml_data(edit.after)["thanked"] == [f"[[{n}]]" for n in had] + [f"[[{person}]]"]
    refused(add_to_list(edit.after, ("thanked",), f"[[{person}]]"), "already-recorded")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=fuzz_notes(), line=st.integers(0, 12), index=st.integers(0, 3))
def test_any_input_is_edited_in_one_line_or_refused(note: bytes, line: int, index: int) -> None:
    tasks = [a for a in (parse_note("n.md", note)[0] or Note("n", "n", "other")).actions]
    results: list[Edit | Refusal] = [
        set_date(note, ("thanked", "referrer_updated"), DAY),
        add_to_list(note, ("referrals",), "[[Jane Smith]]"),
        tick_task(note, line, tasks[0].text if tasks else "task", DAY),
        mark_action_done(note, index, tasks[0].text if tasks else "x"),
    ]
    for result in results:
        if isinstance(result, Edit):
            assert result.before == note
            _, i = one_line_diff(note, result.after)
            assert result.lines == (i + 1,)
        else:
            assert result.code in (
                "already-recorded",
                "not-found",
                "ambiguous",
                "no-front-matter",
                "cannot-edit",
            )
