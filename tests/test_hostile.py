"""Hostile files: each gets its diagnostic, none stops the sync, and the good notes still
make exactly the pages they make alone."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from notesync import scan as scan_module
from notesync import write
from notesync.cli import main
from notesync.config import Config, parse_config
from notesync.errors import ConfigError, VaultError
from notesync.pipeline import sync
from notesync.render import ALL_PAGES, PAGE_NAMES
from notesync.scan import TEMP_SUFFIX

from .conftest import tree_hashes

DAY = date(2026, 11, 26)
GOLDEN = Path(__file__).resolve().parent / "golden" / "example"


def bomb() -> str:
    lines = ['contact: "[[Bomb]]"', "a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\n---\n"


def add_hostile_files(vault: Path, outside: Path) -> list[str]:
    """Write every hostile file into the vault; return the diagnostics expected for them."""
    h = vault / "Hostile"
    h.mkdir()
    (h / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (h / "latin1.md").write_bytes("# Notes\n\nCaf\xe9 with Ren\xe9e\n".encode("latin-1"))
    with open(h / "huge.md", "wb") as fh:  # 50 MB (sparse: cheap to make)
        fh.truncate(50 * 1024 * 1024)
    (h / "one-line.md").write_text("word " * (2 * 1024 * 1024), "utf-8")  # one 10 MB line
    (h / "nested.md").write_text("---\ncontact: " + "[" * 5000 + "]" * 5000 + "\n---\n", "utf-8")
    (h / "bomb.md").write_text(bomb(), "utf-8")
    (h / "bad-yaml.md").write_text(
        '---\ntype: interview\ncontact: "[[Kim]]"\ntitle: Call: intro\n---\n', "utf-8"
    )
    os.symlink("loop.md", h / "loop.md")
    os.symlink("..", h / "up")
    (outside / "Secret.md").write_text('---\ncontact: "[[Outsider]]"\nstatus: done\ndate: 2026-11-01\n---\n')
    os.symlink(outside / "Secret.md", h / "outside.md")
    os.symlink(outside, h / "outside-folder")
    if sys.platform != "darwin":  # macOS refuses file names that are not UTF-8
        (h.joinpath(os.fsdecode(b"bad-\xff-name.md"))).write_text("x", "utf-8")
    expected = [
        "Hostile/bad-yaml.md:4: yaml-invalid",
        "Hostile/binary.md:0: binary",
        "Hostile/bomb.md:1: yaml-too-complex",
        "Hostile/huge.md:0: file-too-large",
        "Hostile/latin1.md:3: encoding",
        "Hostile/loop.md:0: symlink-loop",
        "Hostile/nested.md:2: yaml-invalid",
        "Hostile/one-line.md:0: file-too-large",
        "Hostile/outside-folder:0: symlink-outside",
        "Hostile/outside.md:0: symlink-outside",
        "Hostile/up:0: symlink-loop",
    ]
    if sys.platform != "darwin":
        expected.insert(0, "Hostile/bad-\ufffd-name.md:0: filename-invalid")
    return expected


def short(diags: list[Any]) -> list[str]:
    return sorted(f"{d.path}:{d.line}: {d.code}" for d in diags)


def test_hostile_vault_syncs_with_one_diagnostic_per_file(example_vault: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    expected = add_hostile_files(example_vault, outside)
    before = tree_hashes(example_vault)
    outside_before = tree_hashes(outside)
    result = sync(example_vault, today=DAY)
    hostile = [d for d in result.diagnostics if d.path.startswith("Hostile")]
    assert short(hostile) == sorted(expected)
    # the good notes make exactly the pages they make without the hostile files
    for name in PAGE_NAMES:
        assert (example_vault / "notesync" / name).read_bytes() == (GOLDEN / name).read_bytes(), name
    # nothing outside the output folder changed, inside the vault or out of it
    after = tree_hashes(example_vault, skip=("notesync", ".notesync"))
    assert after == {k: v for k, v in before.items() if not k.startswith(("notesync/", ".notesync/"))}
    assert tree_hashes(outside) == outside_before


def test_hostile_diagnostics_read_well(example_vault: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    add_hostile_files(example_vault, outside)
    result = CliRunner().invoke(main, ["check", str(example_vault)])
    assert result.exit_code == 1
    out = result.stdout
    assert "Hostile/huge.md:0: file-too-large: 50.0 MB is over the 4 MB limit for a note; skipped" in out
    assert "Hostile/binary.md:0: binary: not a text file (it contains NUL bytes); skipped" in out
    assert (
        "Hostile/latin1.md:3: encoding: not valid UTF-8 (byte 0xe9); read with replacement characters" in out
    )
    assert (
        "Hostile/bomb.md:1: yaml-too-complex: front-matter expands to too many values (YAML alias bomb?)"
        in out
    )
    assert (
        "Hostile/outside.md:0: symlink-outside: symbolic link points outside the vault; not followed" in out
    )


def test_unreadable_note(example_vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import importlib

    sync_module = importlib.import_module("notesync.read")

    locked = example_vault / "Interviews" / "2026-11-24 Ann Chu.md"
    real_open = builtins.open

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(sync_module, "open", fake_open, raising=False)
    result = sync(example_vault, today=DAY, use_cache=False)
    assert [str(d) for d in result.diagnostics if d.code == "unreadable"] == [
        "Interviews/2026-11-24 Ann Chu.md:0: unreadable: cannot read: Permission denied"
    ]
    assert result.summary.notes == 22  # the other notes are all there


def test_contact_note_named_with_forbidden_characters(make_vault: Callable[..., Path]) -> None:
    vault = make_vault({'People/Jane: "JJ" Smith?.md': "---\ntype: contact\n---\n"})
    result = sync(vault, today=DAY)
    assert [str(d) for d in result.diagnostics] == [
        'People/Jane: "JJ" Smith?.md:1: title-forbidden: Obsidian does not allow " : ? in a note\'s name; '
        "rename the note"
    ]
    contacts = (vault / "notesync" / "Contacts.md").read_text("utf-8")
    assert 'Jane: \\"JJ\\" Smith?' not in contacts or "[[People/Jane" in contacts


def _fail_writes(monkeypatch: pytest.MonkeyPatch, err: int, folder: Path) -> None:
    """Make every temporary-file write under `folder` fail with `err`."""
    real_open = open

    class Failing:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def __enter__(self) -> Failing:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            raise OSError(err, os.strerror(err))

        def __getattr__(self, name: str) -> Any:
            return getattr(self.fh, name)

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = real_open(file, mode, *args, **kwargs)
        hit = "w" in mode and str(file).endswith(TEMP_SUFFIX) and str(file).startswith(str(folder))
        return Failing(fh) if hit else fh

    monkeypatch.setattr(write, "open", fake_open, raising=False)


@pytest.mark.parametrize(
    ("err", "where", "expect"),
    [
        # a full disk
        (errno.ENOSPC, "", "notesync/Follow-ups.md:0: write-failed: not written: No space left on device"),
        # a read-only output folder
        (errno.EACCES, "notesync", "notesync/Follow-ups.md:0: write-failed: not written: Permission denied"),
    ],
)
def test_failed_writes_keep_the_old_pages(
    example_vault: Path, monkeypatch: pytest.MonkeyPatch, err: int, where: str, expect: str
) -> None:
    sync(example_vault, today=DAY)
    before = tree_hashes(example_vault / "notesync")
    _fail_writes(monkeypatch, err, example_vault / where)
    result = CliRunner().invoke(main, ["sync", str(example_vault), "--today", "2026-11-27"])
    assert result.exit_code == 1
    assert expect in result.output
    assert tree_hashes(example_vault / "notesync") == before  # old pages, whole
    assert not [p for p in example_vault.rglob("*") if p.name.endswith(TEMP_SUFFIX)]
    monkeypatch.undo()
    again = CliRunner().invoke(main, ["sync", str(example_vault), "--today", "2026-11-27"])
    assert again.exit_code == 0 and "updated notesync/Follow-ups.md" in again.output
    assert ".notesync/backups" not in again.output  # a failed write is not mistaken for an edit


@pytest.mark.parametrize(
    "output",
    [
        "../x",
        "/etc",
        "C:/x",
        "C:\\x",
        "a/../../b",
        ".obsidian",
        "CON",
        "nul.txt",
        "x\ty",
        "\u2024\u2024/x/../..",
    ],
)
def test_output_setting_cannot_leave_the_vault(output: str) -> None:
    with pytest.raises(ConfigError):
        parse_config({"output": output})


def test_lookalike_dots_stay_inside(make_vault: Callable[..., Path]) -> None:
    vault = make_vault({"a.md": "x", ".notesync.toml": 'output = "\u2024\u2024/pages"\n'})
    sync(vault, today=DAY)
    assert (vault / "\u2024\u2024" / "pages" / "Follow-ups.md").exists()
    assert Config().output == "notesync"


def test_person_names_never_become_paths(make_vault: Callable[..., Path]) -> None:
    names = ["../../evil", "/etc/passwd", "C:\\Windows", "CON", "..\u2215..\u2215x", "a/b/../../../c"]
    files: dict[str, str | bytes] = {
        f"n{i}.md": f'---\ncontact: "{n.replace(chr(92), chr(92) * 2)}"\ndate: 2026-11-01\nstatus: requested\n---\n'
        for i, n in enumerate(names)
    }
    vault = make_vault(files)
    before = set(p.relative_to(vault.parent).as_posix() for p in vault.parent.rglob("*"))
    sync(vault, today=DAY)
    after = set(p.relative_to(vault.parent).as_posix() for p in vault.parent.rglob("*"))
    new = sorted(after - before)
    assert all(p.startswith(("v/notesync", "v/.notesync")) for p in new), new
    assert {p.split("/")[-1] for p in new if p.startswith("v/notesync/")} == set(ALL_PAGES)


def test_check_reports_one_person_under_two_names_and_referral_loops(make_vault: Callable[..., Path]) -> None:
    vault = make_vault(
        {
            "People/Jane Smith.md": "---\ntype: contact\nemail: jane@example.com\n---\n",
            "People/J. Smith.md": "---\ntype: contact\nemail: Jane@Example.com\n---\n",
            "a.md": '---\ncontact: "[[Ann]]"\nreferrer: "[[Bob]]"\ndate: 2026-11-01\nstatus: requested\n---\n',
            "b.md": '---\ncontact: "[[Bob]]"\nreferrer: "[[Ann]]"\ndate: 2026-11-02\nstatus: requested\n---\n',
        }
    )
    result = CliRunner().invoke(main, ["check", str(vault)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "People/Jane Smith.md:1: person-duplicate: Jane Smith and J. Smith share the email jane@example.com: "
        "the same person under two names? Keep one note and list the other name in its aliases",
        "a.md:1: referral-cycle: referral loop: Ann -> Bob -> Ann",
    ]


def test_one_linkedin_profile_written_two_ways_is_one_person(make_vault: Callable[..., Path]) -> None:
    """The profile is compared as the importer compares it: host, `www`, case and a
    trailing slash make no difference."""
    vault = make_vault(
        {
            "People/Tom Lee.md": "---\ntype: contact\nlinkedin: https://www.linkedin.com/in/TomLee/\n---\n",
            "People/Thomas Lee.md": "---\ntype: contact\nlinkedin: linkedin.com/in/tomlee?trk=x\n---\n",
        }
    )
    result = CliRunner().invoke(main, ["check", str(vault)])
    assert "Tom Lee and Thomas Lee share the linkedin https://www.linkedin.com/in/tomlee" in result.stdout


def test_a_linkedin_placeholder_is_no_profile(make_vault: Callable[..., Path]) -> None:
    """A template's `linkedin: https://www.linkedin.com/in/` left as it is names no one:
    three such notes are three people, not one under three names."""
    vault = make_vault(
        {f"People/{n}.md": "---\ntype: contact\nlinkedin: https://www.linkedin.com/in/\n---\n" for n in "ABC"}
    )
    result = CliRunner().invoke(main, ["check", str(vault)])
    assert "person-duplicate" not in result.stdout


@pytest.mark.skipif(not scan_module.BY_FD, reason="this system reads folders by path only")
def test_the_walk_by_folder_descriptor_finds_what_the_walk_by_path_finds(
    example_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders are read through their descriptors where the system allows it (each stat
    then looks up one name); elsewhere (Windows) by path. Both find the same notes, stats
    and problems, hostile files included."""
    outside = tmp_path / "outside"
    outside.mkdir()
    add_hostile_files(example_vault, outside)
    (example_vault / "Hostile" / f".kept.md{TEMP_SUFFIX}").write_text("left by a killed run", "utf-8")
    by_fd = scan_module.scan(example_vault, "notesync")
    monkeypatch.setattr(scan_module, "BY_FD", False)
    assert scan_module.scan(example_vault, "notesync") == by_fd
    assert len(by_fd.entries) > 20 and len(by_fd.diagnostics) >= 5 and by_fd.leftovers


def test_a_vault_folder_that_cannot_be_read_is_refused_not_emptied(
    example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that could not list the vault would read no note and write every page empty."""
    sync(example_vault, today=DAY)
    pages = tree_hashes(example_vault / "notesync")
    real_open = os.open

    def refused(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path) == str(example_vault):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(scan_module, "BY_FD", True)
    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(VaultError, match=r"cannot read the vault folder .*: Permission denied"):
        sync(example_vault, today=DAY)
    assert tree_hashes(example_vault / "notesync") == pages


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_a_vault_whose_path_is_not_utf8_syncs(
    example_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its store's folder is new (the first run made a traceback writing the note that
    says which vault the folder is for)."""
    vault = tmp_path / os.fsdecode(b"Vault-\xe9")
    example_vault.rename(vault)
    monkeypatch.setenv("NOTESYNC_CACHE_DIR", str(tmp_path / "fresh-cache"))
    first = sync(vault, today=date(2026, 11, 26))
    assert first.written and not [d for d in first.diagnostics if d.severity == "error"]
    (notes,) = (tmp_path / "fresh-cache").rglob("vault.txt")
    assert notes.read_bytes() == os.fsencode(os.path.realpath(vault)) + b"\n"
    assert sync(vault, today=date(2026, 11, 26)).written == []


@pytest.mark.parametrize(
    ("properties", "said"),
    [
        ({"thanked": ["status"]}, "properties.thanked: 'status' is already the name of status"),
        ({"status": ["Thanked"]}, "properties.status: 'thanked' is already the name of thanked"),
        (
            {"company": ["Employer"], "role": ["employer"]},
            "properties.role: 'employer' is already the name of company",
        ),
    ],
)
def test_a_property_name_given_to_two_fields_is_refused(properties: dict[str, list[str]], said: str) -> None:
    """Else a conversation's `status: done` would silently read as its thanks, and its
    thank-you item vanish."""
    with pytest.raises(ConfigError, match=said):
        parse_config({"properties": properties})
    assert (
        parse_config({"properties": {"company": ["Employer"]}}).reading.names_of("company")[0] == "employer"
    )
