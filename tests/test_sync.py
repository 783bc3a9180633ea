"""What `sync` promises about the disk: only its own pages, only when they change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from notesync.cli import main
from notesync.pipeline import analyse, sync
from notesync.render import ALL_PAGES, PAGE_NAMES

from .conftest import COMPAT, TODAY, tree_hashes

DAY = date(2026, 11, 26)


def page_mtimes(vault: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (vault / "notesync").iterdir()}


def test_first_sync_writes_every_page_marked_as_generated(example_vault: Path) -> None:
    result = sync(example_vault, today=DAY)
    assert sorted(c.action for c in result.changes) == ["create"] * len(ALL_PAGES)
    for name in PAGE_NAMES:
        data = (example_vault / "notesync" / name).read_bytes()
        assert b"\r" not in data
        if name.endswith(".md"):
            assert data.startswith(b"---\nnotesync: generated\nnotesync-digest: ")


def test_second_sync_rewrites_nothing_and_check_passes(example_vault: Path) -> None:
    sync(example_vault, today=DAY)
    before = page_mtimes(example_vault)
    result = sync(example_vault, today=DAY)
    assert [c.action for c in result.changes] == ["unchanged"] * (len(ALL_PAGES) - 1)  # but the .base
    assert page_mtimes(example_vault) == before
    assert not (example_vault / ".notesync").exists()  # no state in the vault: the pages carry it
    check = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY, "--check"])
    assert check.exit_code == 0, check.output
    assert page_mtimes(example_vault) == before


def test_a_problem_the_walk_finds_is_reported_though_no_note_changed(example_vault: Path) -> None:
    """The answer a no-op sync gives from the state file must include it too."""
    sync(example_vault, today=DAY)
    (example_vault / "Interviews" / "broken.md").symlink_to("/nowhere/x.md")
    result = sync(example_vault, today=DAY)
    assert "Interviews/broken.md:0: symlink-broken: symbolic link points nowhere; skipped" in [
        str(d) for d in result.diagnostics
    ]


def test_check_exits_1_when_a_page_would_change(example_vault: Path) -> None:
    sync(example_vault, today=DAY)
    result = CliRunner().invoke(main, ["sync", str(example_vault), "--today", "2026-11-27", "--check"])
    assert result.exit_code == 1
    assert "would update notesync/Follow-ups.md" in result.output


def test_one_changed_note_rewrites_only_the_pages_it_changes(example_vault: Path) -> None:
    sync(example_vault, today=DAY)
    before = page_mtimes(example_vault)
    note = example_vault / "Interviews" / "2026-11-20 Tom Lee.md"
    note.write_text(
        note.read_text("utf-8").replace("status: done", "status: done\nthanked: 2026-11-21"), "utf-8"
    )
    result = sync(example_vault, today=DAY)
    written = sorted(c.page for c in result.written)
    # Tom's thank-you disappears from the follow-ups and from his "next follow-up" cell,
    # and its calendar event is cancelled; the map, companies and canvas do not show it.
    assert written == ["notesync/Contacts.md", "notesync/Follow-ups.ics", "notesync/Follow-ups.md"]
    after = page_mtimes(example_vault)
    for name in ("Companies.md", "Referral Map.md", "Referral Map.canvas"):
        assert after[name] == before[name]
    assert "thank-you note for the conversation of 2026-11-20" not in (
        example_vault / "notesync" / "Follow-ups.md"
    ).read_text("utf-8")


def test_files_outside_the_output_folder_keep_their_bytes(example_vault: Path) -> None:
    before = tree_hashes(example_vault, skip=("notesync", ".notesync"))
    sync(example_vault, today=DAY)
    sync(example_vault, today=date(2027, 1, 1))
    assert tree_hashes(example_vault, skip=("notesync", ".notesync")) == before


@pytest.mark.parametrize("corpus", ["frontmatter", "obsidian-cache"])
def test_compat_corpora_keep_their_bytes(tmp_path: Path, corpus: str) -> None:
    src = COMPAT / corpus
    if not src.exists():
        pytest.skip(f"{src} not found (the shared compat corpus is not beside this clone)")
    vault = tmp_path / corpus
    if corpus == "obsidian-cache":
        import json

        for line in (src / "groundtruth.jsonl").read_text("utf-8").splitlines():
            row = json.loads(line)
            path = vault / row["filePath"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(row["fileContents"], "utf-8", newline="")
    else:
        shutil.copytree(src, vault)
    before = tree_hashes(vault)
    result = sync(vault, today=DAY)
    assert result.summary.notes > 0
    after = tree_hashes(vault, skip=("notesync", ".notesync"))
    assert after == before


def test_invalid_yaml_gives_one_diagnostic_and_the_rest_syncs(
    example_vault: Path,
) -> None:
    bad = example_vault / "Interviews" / "2026-11-25 Broken.md"
    bad.write_text(
        '---\ntype: interview\ncontact: "[[Kim Park]]"\ntitle: Call: intro\nstatus: done\n---\nBody\n',
        "utf-8",
    )
    result = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY])
    assert result.exit_code == 0
    lines = [
        line for line in result.output.splitlines() if line.startswith("Interviews/2026-11-25 Broken.md")
    ]
    assert len(lines) == 1
    assert lines[0].startswith(
        "Interviews/2026-11-25 Broken.md:4: yaml-invalid: invalid YAML: mapping values"
    )
    followups = (example_vault / "notesync" / "Follow-ups.md").read_text("utf-8")
    assert "a thank-you note for the conversation of 2026-11-20" in followups  # the others still count
    strict = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY, "--strict"])
    assert strict.exit_code == 1


def test_a_foreign_file_in_the_output_folder_is_never_overwritten(example_vault: Path) -> None:
    out = example_vault / "notesync"
    out.mkdir()
    (out / "Contacts.md").write_text("my own contacts list\n", "utf-8")
    result = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY])
    assert result.exit_code == 1
    assert (
        "notesync/Contacts.md:0: page-skipped: a file notesync did not create is in the way" in result.output
    )
    assert (out / "Contacts.md").read_text("utf-8") == "my own contacts list\n"
    assert (out / "Follow-ups.md").exists()  # the other pages are written
    forced = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY, "--force"])
    assert forced.exit_code == 0
    backups = list((example_vault / ".notesync" / "backups").glob("Contacts *.md"))
    assert [b.read_text("utf-8") for b in backups] == ["my own contacts list\n"]


def test_an_edited_page_is_backed_up_before_it_is_replaced(example_vault: Path) -> None:
    sync(example_vault, today=DAY)
    page = example_vault / "notesync" / "Follow-ups.md"
    edited = page.read_text("utf-8") + "\nMy own note at the bottom.\n"
    page.write_text(edited, "utf-8")
    result = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY])
    assert result.exit_code == 0
    assert (
        "you had edited notesync/Follow-ups.md; your version is saved as .notesync/backups/" in result.output
    )
    (backup,) = (example_vault / ".notesync" / "backups").glob("Follow-ups *.md")
    assert backup.read_text("utf-8") == edited
    assert "My own note" not in page.read_text("utf-8")


def test_a_page_notesync_wrote_is_recognised_without_its_state(example_vault: Path, tmp_path: Path) -> None:
    """A second device gets the notes and the pages but nothing else (no `.notesync/`,
    another store): the pages are still notesync's, and none is taken for edited."""
    sync(example_vault, today=DAY)
    device = tmp_path / "device-b"
    shutil.copytree(example_vault, device, ignore=shutil.ignore_patterns(".notesync"))
    result = sync(device, today=date(2026, 11, 27))
    assert not result.skipped
    assert "notesync/Follow-ups.md" in [c.page for c in result.written]
    assert not any(c.edited for c in result.changes)
    assert not (device / ".notesync").exists()


def test_dry_run_writes_nothing(example_vault: Path) -> None:
    result = CliRunner().invoke(main, ["sync", str(example_vault), "--today", TODAY, "--dry-run"])
    assert result.exit_code == 0
    assert "would create notesync/Follow-ups.md" in result.output
    assert not (example_vault / "notesync").exists()
    assert not (example_vault / ".notesync").exists()


def test_a_dry_run_says_what_would_change_without_the_pages(example_vault: Path) -> None:
    """Its changes are what the plan decided, without the page bytes the plan kept for
    `apply` (a result does not hold every page)."""
    from datetime import timedelta

    sync(example_vault, today=DAY)
    result = sync(example_vault, today=DAY + timedelta(days=3), dry_run=True)
    assert {c.action for c in result.changes} == {"update", "unchanged"}
    assert all(c.seen is None for c in result.changes)
    assert len(repr(result)) < 5000


def test_same_vault_and_today_give_the_same_bytes(example_vault: Path, tmp_path: Path) -> None:
    other = tmp_path / "device-b" / example_vault.name  # another device: the vault, elsewhere
    shutil.copytree(example_vault, other)
    sync(example_vault, today=DAY)
    sync(other, today=DAY)
    assert tree_hashes(example_vault / "notesync") == tree_hashes(other / "notesync")


def test_output_folder_is_never_read_as_notes(make_vault: Callable[..., Path]) -> None:
    vault = make_vault(
        {
            "a.md": '---\ncontact: "[[Ann]]"\ndate: 2026-11-01\nstatus: requested\n---\n',
            "notesync/Old page.md": '---\nnotesync: generated\ncontact: "[[Ghost]]"\ndate: 2026-11-01\n'
            "status: requested\n---\n",
        }
    )
    assert sync(vault, today=DAY).summary.notes == 1
    assert "Ghost" not in {p.name for p in analyse(vault, today=DAY).net.people.values()}


def test_a_note_in_the_output_folder_stops_the_sync_before_anything_is_written(
    make_vault: Callable[..., Path],
) -> None:
    """A folder of notes is not a folder of notesync's own: they would never be read. Say
    so rather than leave them out silently (see test_outfolder for a stray note among
    notesync's own pages)."""
    vault = make_vault(
        {
            "a.md": '---\ncontact: "[[Ann]]"\ndate: 2026-11-01\nstatus: requested\n---\n',
            "notesync/Fake.md": '---\ncontact: "[[Ghost]]"\ndate: 2026-11-01\nstatus: requested\n---\n',
        }
    )
    result = CliRunner().invoke(main, ["sync", str(vault), "--today", TODAY])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "output folder 'notesync' holds notes notesync did not write (notesync/Fake.md)" in result.output
    assert sorted(p.name for p in (vault / "notesync").iterdir()) == ["Fake.md"]
    assert not (vault / ".notesync").exists()


def test_output_setting_cannot_escape_the_vault(make_vault: Callable[..., Path]) -> None:
    vault = make_vault({"a.md": "x", ".notesync.toml": 'output = "../elsewhere"\n'})
    result = CliRunner().invoke(main, ["sync", str(vault)])
    assert result.exit_code == 1
    assert "output" in result.output and "not a plain folder inside the vault" in result.output
    assert not (vault.parent / "elsewhere").exists()


def test_unknown_config_key_names_the_file_and_key(make_vault: Callable[..., Path]) -> None:
    vault = make_vault({"a.md": "x", ".notesync.toml": "[rules]\nthank_yuo = 2\n"})
    result = CliRunner().invoke(main, ["sync", str(vault)])
    assert result.exit_code == 1
    assert ".notesync.toml: unknown key 'rules.thank_yuo'" in result.output
