"""What Obsidian allows and how a vault is set up (`notesync.obsidian`, `notesync.moment`).

The settings files are written in the shapes real vaults have (see the research notes:
kepano's, an Obsidian CRM vault, a job-search vault, pjlewisuk's Periodic Notes vault).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from notesync.config import CONFIG_NAME, check_folder, template_folders
from notesync.errors import ConfigError, ScaffoldError
from notesync.moment import moment_format, moment_parse
from notesync.obsidian import (
    DAILY_NOTES,
    PERIODIC_NOTES,
    DailyNotes,
    IgnoreFilters,
    daily_note_date,
    find_vault_root,
    folder_problem,
    ignored,
    ignored_folder,
    linkable_name,
    plain_folder,
    read_daily_notes,
    read_ignore_filters,
    read_template_settings,
    safe_file_name,
    skipped_folders,
    tasks_global_query,
    windows_reserved,
)
from notesync.pipeline import analyse
from notesync.scan import scan

MakeVault = Callable[[dict[str, str | bytes]], Path]
PJLEWISUK_DAILY = "YYYY/MM-MMMM/[Daily Notes]/YYYY-MM-DD-dddd"


def settings(files: dict[str, object]) -> dict[str, str | bytes]:
    """Settings files as Obsidian writes them (JSON), for `make_vault`."""
    return {path: json.dumps(data, indent=2) for path, data in files.items()}


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", sorted('*"\\/<>:|?#^[]'))
def test_a_name_with_a_forbidden_character_is_not_linkable_and_not_a_folder(char: str) -> None:
    assert not linkable_name(f"Jane {char} Smith")
    assert folder_problem(f"Notes/a{char}b") is not None or char == "/"
    assert char not in safe_file_name(f"Jane {char} Smith")


@pytest.mark.parametrize(
    ("name", "reserved"),
    [
        *[("CON", True), ("con.txt", True), ("LPT1 .md", True), ("COM²", True), ("CONOUT$", True)],
        *[("Conrad", False), ("CON2", False), ("my con", False), ("NULL", False)],
    ],
)
def test_windows_reserved_names_are_one_list(name: str, reserved: bool) -> None:
    assert windows_reserved(name) is reserved
    assert (folder_problem(f"Notes/{name}") is not None) is reserved
    assert not windows_reserved(safe_file_name(name))


@pytest.mark.parametrize(
    ("value", "folder"),
    [
        ("Meta/My Templates/", "Meta/My Templates"),
        ("/Daily/", None),
        ("Daily", "Daily"),
        ("a//b/./c", "a/b/c"),
        ("", None),
        ("../outside", None),
        (".hidden", None),
        ("C:\\Windows", None),
        (" padded ", "padded"),
        ("Notes/ x", None),
        ("Notes/\x7f", None),
        (42, None),
    ],
)
def test_plain_folder(value: object, folder: str | None) -> None:
    assert plain_folder(value) == folder


def test_check_folder_keeps_its_messages() -> None:
    with pytest.raises(ConfigError, match="output must be a folder inside the vault, not '/etc'"):
        check_folder("/etc", "output", CONFIG_NAME)
    with pytest.raises(ConfigError, match="'a/CON' is not a plain folder inside the vault"):
        check_folder("a/CON", "ignore", CONFIG_NAME)
    with pytest.raises(ConfigError, match="must not be empty"):
        check_folder("/", "output", CONFIG_NAME)
    assert check_folder("/", "notes_folder", CONFIG_NAME, allow_empty=True) == ""
    with pytest.raises(ConfigError, match="holds a folder name of 300 characters"):
        check_folder("x" * 300, "output", CONFIG_NAME)


def test_safe_file_name_with_a_prefix_is_checked_whole() -> None:
    assert safe_file_name("CON", prefix="2026-11-20 ") == "2026-11-20 CON"
    assert safe_file_name("Jane\ud800Smith") == "Jane Smith"  # a lone surrogate from a shell
    with pytest.raises(ScaffoldError):
        safe_file_name("\x00\x01")


# --- the vault root ---------------------------------------------------------------------------


def test_find_vault_root_is_the_nearest_folder_with_obsidian_or_notesync_settings(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    deep = vault / "Networking" / "2026"
    deep.mkdir(parents=True)
    assert find_vault_root(deep) is None
    (vault / ".obsidian").mkdir()
    assert find_vault_root(deep) == vault
    assert find_vault_root(vault) == vault  # the start itself counts
    inner = vault / "Networking"
    (inner / CONFIG_NAME).write_text("", "utf-8")
    assert find_vault_root(deep) == inner  # nearest wins, as git's nested repositories
    (vault / "Other" / ".obsidian").mkdir(parents=True)
    assert find_vault_root(vault / "Other") == vault / "Other"
    (vault / "File" / ".obsidian").parent.mkdir()
    (vault / "File" / ".obsidian").write_text("not a folder", "utf-8")
    assert find_vault_root(vault / "File") == vault


def test_find_vault_root_from_a_relative_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert find_vault_root(Path(".")) == tmp_path


# --- templates settings -----------------------------------------------------------------------


def test_template_settings_read_core_and_templater_and_the_formats(make_vault: MakeVault) -> None:
    vault = make_vault(
        settings(
            {
                ".obsidian/templates.json": {"folder": "05. Templates/", "timeFormat": "HH.mm"},
                ".obsidian/plugins/templater-obsidian/data.json": {"templates_folder": "Extras/Templates"},
            }
        )
    )
    s = read_template_settings(vault)
    assert (s.core, s.templater) == ("05. Templates", "Extras/Templates")
    assert s.folders == ("05. Templates", "Extras/Templates")
    assert (s.date_format, s.time_format, s.problems) == ("YYYY-MM-DD", "HH.mm", ())


def test_template_settings_of_a_vault_obsidian_never_opened(tmp_path: Path) -> None:
    s = read_template_settings(tmp_path)
    assert (s.folders, s.date_format, s.time_format, s.problems) == (
        ("Templates",),
        "YYYY-MM-DD",
        "HH:mm",
        (),
    )


def test_template_settings_say_what_is_wrong_and_keep_the_rest(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            ".obsidian/templates.json": "{not json",
            ".obsidian/plugins/templater-obsidian/data.json": json.dumps({"templates_folder": "../x"}),
        }
    )
    s = read_template_settings(vault)
    assert s.folders == ("Templates",)  # none usable: the folder Obsidian suggests
    assert s.problems == (
        ".obsidian/templates.json is not readable JSON",
        "Templater's template folder '../x' is not a plain folder inside the vault",
    )


# --- daily notes settings ---------------------------------------------------------------------


def test_core_daily_notes_settings_with_defaults(make_vault: MakeVault) -> None:
    vault = make_vault(settings({DAILY_NOTES: {"folder": "Daily", "template": "Templates/Daily"}}))
    assert read_daily_notes(vault) == DailyNotes("Daily", "YYYY-MM-DD", DAILY_NOTES)
    (vault / DAILY_NOTES).write_text(json.dumps({"format": "", "folder": "/"}), "utf-8")
    assert read_daily_notes(vault) == DailyNotes("", "YYYY-MM-DD", DAILY_NOTES)
    (vault / DAILY_NOTES).unlink()
    assert read_daily_notes(vault) is None


PERIODIC_LEGACY = {
    "showGettingStartedBanner": False,
    "daily": {
        "format": PJLEWISUK_DAILY,
        "folder": "Calendar",
        "template": "Extras/Templates/Daily Note.md",
        "enabled": True,
    },
    "weekly": {"format": "YYYY/[Weekly Notes]/gggg-[W]ww", "folder": "Calendar", "enabled": True},
}


def test_periodic_notes_wins_when_it_makes_daily_notes(make_vault: MakeVault) -> None:
    vault = make_vault(settings({PERIODIC_NOTES: PERIODIC_LEGACY, DAILY_NOTES: {"folder": "Daily"}}))
    assert read_daily_notes(vault) == DailyNotes("Calendar", PJLEWISUK_DAILY, PERIODIC_NOTES)
    off = {**PERIODIC_LEGACY, "daily": {**PERIODIC_LEGACY["daily"], "enabled": False}}  # type: ignore[dict-item]
    (vault / PERIODIC_NOTES).write_text(json.dumps(off), "utf-8")
    assert read_daily_notes(vault) == DailyNotes("Daily", "YYYY-MM-DD", DAILY_NOTES)


def test_periodic_notes_1x_calendar_sets(make_vault: MakeVault) -> None:
    data = {
        "activeCalendarSet": "b",
        "calendarSets": [
            {"id": "a", "day": {"enabled": True, "format": "YYYY", "folder": "A"}},
            {"id": "b", "day": {"enabled": True, "format": "DD.MM.YYYY", "folder": "Journal"}},
        ],
    }
    vault = make_vault(settings({PERIODIC_NOTES: data}))
    assert read_daily_notes(vault) == DailyNotes("Journal", "DD.MM.YYYY", PERIODIC_NOTES)


# --- which note is a daily note ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "day"),
    [
        ("2026-11-20.md", dt.date(2026, 11, 20)),
        ("Journal/2026/2026-11-20.md", dt.date(2026, 11, 20)),
        ("2026-11-20 Meeting with Steph.md", None),
        ("2026-02-30.md", None),
        ("9999-12-31.md", None),  # a day the rules cannot count from
        ("Daily/Daily.md", None),
        ("2026-11-20.canvas", None),
    ],
)
def test_with_no_settings_a_daily_note_is_an_iso_date_anywhere(path: str, day: dt.date | None) -> None:
    assert daily_note_date(path, None) == day


@pytest.mark.parametrize(
    ("path", "day"),
    [
        ("Daily/2024-06-14.md", dt.date(2024, 6, 14)),
        ("daily/2024-06-14.md", dt.date(2024, 6, 14)),  # folders match in any case
        ("Daily/2024/2024-06-14.md", dt.date(2024, 6, 14)),  # filed into a year folder
        ("Daily/Daily.md", None),  # an overview page in the daily folder
        ("Notes/2024-06-14.md", None),  # outside the daily folder
        ("Daily Notes/2024-06-14.md", None),
        ("Daily.md", None),
    ],
)
def test_a_daily_note_is_in_the_daily_folder(path: str, day: dt.date | None) -> None:
    assert daily_note_date(path, DailyNotes("Daily")) == day


@pytest.mark.parametrize(
    ("path", "day"),
    [
        ("Calendar/2023/06-June/Daily Notes/2023-06-23-Friday.md", dt.date(2023, 6, 23)),
        ("Calendar/2023-06-23-Friday.md", dt.date(2023, 6, 23)),  # moved: Obsidian still finds it
        ("Calendar/2023/06-June/Daily Notes/2023-06-23-Thursday.md", None),  # not that day's weekday
        ("Calendar/2023/06-June/Daily Notes/2023-06-23.md", None),
        ("Calendar/2023/[Weekly Notes]/2023-W25.md", None),
    ],
)
def test_a_format_with_folders(path: str, day: dt.date | None) -> None:
    assert daily_note_date(path, DailyNotes("Calendar", PJLEWISUK_DAILY, PERIODIC_NOTES)) == day


def test_when_the_name_alone_does_not_say_the_day_the_folders_do() -> None:
    s = DailyNotes("Journal", "YYYY/MM/DD")
    assert daily_note_date("Journal/2026/11/20.md", s) == dt.date(2026, 11, 20)
    assert daily_note_date("Journal/Archive/2026/11/20.md", s) == dt.date(2026, 11, 20)
    assert daily_note_date("Journal/11/20.md", s) is None
    assert daily_note_date("Journal/2026/13/20.md", s) is None


def test_a_format_notesync_cannot_read_finds_no_daily_notes() -> None:
    assert daily_note_date("Weekly/2026-W47.md", DailyNotes("Weekly", "gggg-[W]ww")) is None
    assert daily_note_date("Q/2026-Q4.md", DailyNotes("Q", "YYYY-[Q]Q")) is None


# --- Moment.js --------------------------------------------------------------------------------

YEARS = ("YYYY", "YY")
MONTHS = ("MM", "M", "MMM", "MMMM")
DAYS = ("DD", "D", "Do")
OTHERS = ("dddd", "ddd", "HH", "H", "hh", "h", "mm", "m", "ss", "s", "A", "a", "[Daily Notes]", "[W]")
SEPARATORS = ("-", " ", "/", ".", "_", ", ", " [of] ", "/[Daily Notes]/")


@st.composite
def moment_formats(draw: st.DrawFn) -> str:
    """A format that names a whole day, its tokens apart (as Moment, a run of digits with no
    separator is read token by token, greedily: `YYYYMD` is ambiguous in Moment too)."""
    tokens = [draw(st.sampled_from(YEARS)), draw(st.sampled_from(MONTHS)), draw(st.sampled_from(DAYS))]
    tokens += draw(st.lists(st.sampled_from(OTHERS), max_size=3))
    tokens = draw(st.permutations(tokens))
    out = tokens[0]
    for token in tokens[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + token
    return out


@given(
    fmt=moment_formats(),
    when=st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)),
)
def test_moment_parse_reads_back_what_moment_format_writes(fmt: str, when: dt.datetime) -> None:
    if "YYYY" not in fmt:
        assume(1969 <= when.year <= 2068)  # Moment's two-digit years
    assert moment_parse(moment_format(when, fmt), fmt) == when.date()


@given(fmt=moment_formats(), day=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9899, 12, 31)))
def test_a_daily_note_named_by_its_format_is_that_days(fmt: str, day: dt.date) -> None:
    if "YYYY" not in fmt:
        assume(1969 <= day.year <= 2068)
    name = moment_format(dt.datetime.combine(day, dt.time(9, 30)), fmt)
    assert daily_note_date(f"Calendar/{name}.md", DailyNotes("Calendar", fmt)) == day


@pytest.mark.parametrize(
    ("text", "fmt", "day"),
    [
        ("20261120", "YYYYMMDD", dt.date(2026, 11, 20)),
        ("2026111", "YYYYMD", dt.date(2026, 11, 1)),  # greedy, as Moment
        ("Friday, November 20th 2026", "dddd, MMMM Do YYYY", dt.date(2026, 11, 20)),
        ("friday, NOVEMBER 20th 2026", "dddd, MMMM Do YYYY", dt.date(2026, 11, 20)),  # names in any case
        ("2026-11-20 Fri", "YYYY-MM-DD ddd", dt.date(2026, 11, 20)),
        ("26-11-20", "YY-MM-DD", dt.date(2026, 11, 20)),
        ("69-11-20", "YY-MM-DD", dt.date(1969, 11, 20)),
        ("2026-11-20", "YYYY-MM", None),  # all of the text, or nothing
        ("2026-11", "YYYY-MM", None),  # no day
        ("2026-11-20", "YYYY-M-D", dt.date(2026, 11, 20)),
        ("2026-1-20", "YYYY-MM-DD", None),  # strict: MM is two digits
        ("2026-11-20 Thu", "YYYY-MM-DD ddd", None),
        ("2026-11-20 x", "YYYY-MM-DD [X]", None),  # literal text exactly
        ("2026 11 20 26", "YYYY MM DD YY", dt.date(2026, 11, 20)),
        ("2026 11 20 25", "YYYY MM DD YY", None),  # two years that disagree
        ("2026-11-20T25:00", "YYYY-MM-DDTHH:mm", None),
        ("2026-W47-20-11", "YYYY-[W]ww-DD-MM", None),  # a week number notesync does not read
    ],
)
def test_moment_parse(text: str, fmt: str, day: dt.date | None) -> None:
    assert moment_parse(text, fmt) == day


# --- excluded files ---------------------------------------------------------------------------


def test_ignore_filters_are_case_insensitive_prefixes_or_expressions() -> None:
    f = IgnoreFilters.parse(["00 Settings/", "Arch", r"/(^|\/)old\//", "", "   ", 42, "/[/", "/"])
    assert f.prefixes == ("00 Settings/", "Arch", "/")
    assert f.invalid == ("/[/",)
    assert ignored("00 settings/Templates/x.md", f)
    assert ignored("Archive/2020 request.md", f) and ignored("Arch.md", f) and ignored("architecture.md", f)
    assert ignored("Work/Old/x.md", f) and ignored("OLD/x.md", f)
    assert not ignored("Work/Archive/x.md", f)  # a prefix of the whole path, not of a folder's name
    assert not ignored("Networking/Jane Smith.md", f)
    assert f.folders == ("00 Settings", "Arch")
    assert ignored_folder("Archive", f) and ignored_folder("00 Settings", f)
    assert not ignored_folder("Work/Old", f)  # an expression never prunes a folder whole


def test_read_ignore_filters(make_vault: MakeVault) -> None:
    vault = make_vault(settings({".obsidian/app.json": {"userIgnoreFilters": ["Archive/"], "x": 1}}))
    assert read_ignore_filters(vault).prefixes == ("Archive/",)
    (vault / ".obsidian" / "app.json").write_text('{"userIgnoreFilters": "Archive/"}', "utf-8")
    assert read_ignore_filters(vault).empty
    (vault / ".obsidian" / "app.json").write_text("[]", "utf-8")
    assert read_ignore_filters(vault).empty


REQUEST = "---\ntype: interview\ncontact: '[[Old Contact]]'\ndate: 2020-03-01\nstatus: requested\n---\n"


def test_the_walk_skips_templates_and_excluded_folders(make_vault: MakeVault) -> None:
    vault = make_vault(
        {
            **settings(
                {
                    ".obsidian/app.json": {"userIgnoreFilters": ["Archive/", "Old", "/\\.draft\\.md$/"]},
                    ".obsidian/plugins/templater-obsidian/data.json": {"templates_folder": "00 Settings/T"},
                }
            ),
            "Archive/2020 request.md": REQUEST,
            "Oldies/2020 request.md": REQUEST,
            "Old.md": REQUEST,
            "x.draft.md": REQUEST,
            "00 Settings/T/Interview.md": "<%* tR += 'templater' %>\n---\ntype: interview\n---\n",
            "Networking/2026-11-20 Jane Smith.md": REQUEST.replace("2020", "2026"),
        }
    )
    assert template_folders(vault) == skipped_folders(vault) == ("00 Settings/T", "Archive", "Old")
    # what a sync reads: every note Obsidian's "Excluded files" leaves out is left out
    a = analyse(vault, today=dt.date(2026, 11, 26))
    assert sorted(n.path for n in a.networking) == ["Networking/2026-11-20 Jane Smith.md"]
    # and with the filters given to the walk: every excluded note
    walk = scan(vault, "notesync", template_folders(vault), read_ignore_filters(vault))
    assert [e.path for e in walk.entries] == ["Networking/2026-11-20 Jane Smith.md"]


# --- the Tasks plugin -------------------------------------------------------------------------


def test_tasks_global_query(make_vault: MakeVault) -> None:
    vault = make_vault({"Note.md": ""})
    assert tasks_global_query(vault) is None
    (vault / ".obsidian/plugins/obsidian-tasks-plugin").mkdir(parents=True)
    assert tasks_global_query(vault) == ""
    data = {"globalQuery": "path does not include Extras/Templates", "globalFilter": "#task"}
    (vault / ".obsidian/plugins/obsidian-tasks-plugin/data.json").write_text(json.dumps(data), "utf-8")
    assert tasks_global_query(vault) == "path does not include Extras/Templates"


def test_an_excluded_files_expression_python_cannot_read_is_said(make_vault: MakeVault) -> None:
    """`/(?<name>Archive)/` is JavaScript's syntax, not Python's: said, and the rest syncs."""
    vault = make_vault(
        {
            ".obsidian/app.json": json.dumps({"userIgnoreFilters": ["/(?<name>Archive)/", "Old/"]}),
            "Archive/a.md": "x",
            "Old/b.md": "x",
        }
    )
    walk = scan(vault, "notesync", (), read_ignore_filters(vault))
    assert [e.path for e in walk.entries] == ["Archive/a.md"]
    assert [str(d) for d in walk.diagnostics] == [
        ".obsidian/app.json:0: setting-unread: Excluded files: notesync cannot read the expression "
        "/(?<name>Archive)/; the notes it excludes are read"
    ]
