"""A sync killed with SIGKILL at any moment leaves every page whole, and the next sync
repairs everything. The kills are aimed: a one-off sync is held half-way through writing
a page (a pause point, so a loaded machine cannot make the kill miss); the watcher is
killed the moment the output folder shows a temporary page file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from notesync.render import PAGE_NAMES
from notesync.scan import TEMP_SUFFIX as TMP_SUFFIX

from .conftest import EXAMPLE, tree_hashes

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
DAYS = ("2026-11-26", "2026-11-27")
NOTE = "Interviews/2026-11-20 Tom Lee.md"


def set_state(vault: Path, state: int) -> str:
    """Two versions of the vault that differ in every page: day, one more referral, a date."""
    note = vault / NOTE
    text = (EXAMPLE / NOTE).read_text("utf-8")
    if state:
        text = text.replace('referrals: ["[[Mei Wong]]"]', 'referrals: ["[[Mei Wong]]", "[[Max Bell]]"]')
        text = text.replace("date: 2026-11-20", "date: 2026-11-21")  # a last contact on Targets.md
    note.write_text(text, "utf-8")
    return DAYS[state]


def run_sync(vault: Path, day: str, capture: bool = False) -> subprocess.Popen[bytes]:
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "notesync", "sync", str(vault), "--today", day], stdout=out, stderr=out
    )


def clean_pages(tmp_path: Path, state: int) -> dict[str, bytes]:
    vault = tmp_path / f"clean-{state}"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    assert run_sync(vault, set_state(vault, state)).wait(timeout=60) == 0
    return {name: (vault / "notesync" / name).read_bytes() for name in PAGE_NAMES}


def kill_mid_write(
    proc: subprocess.Popen[bytes],
    folder: Path,
    target: str,
    timeout: float = 30,
    finished: Callable[[], bool] = lambda: False,
) -> bool:
    """SIGKILL as soon as this process's temporary file for `target` shows up in `folder`;
    True if it did before the process ended."""
    mine = f".{target}.{proc.pid}{TMP_SUFFIX}"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            names = []
        if mine in names:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        if proc.poll() is not None or finished():  # the write came and went between two looks
            return False
    proc.kill()
    raise AssertionError("sync did not finish")


# `python -c HOLD PAGE ARGS...`: the command, held forever half-way through writing PAGE's
# temporary file (it says HELD when it is), for the test to kill it there.
HOLD = """
import os, sys, time
from notesync import write
real, target = write.write_synced, sys.argv[1]
def held(path, data):
    if path.name.startswith("." + target + "."):
        with open(path, "wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
        print("HELD", flush=True)
        time.sleep(600)
    real(path, data)
write.write_synced = held
from notesync.__main__ import entry
sys.argv = ["notesync", *sys.argv[2:]]
entry()
"""


def kill_held(vault: Path, day: str, target: str) -> bool:
    """Sync, SIGKILLed half-way through writing `target`; False if it never wrote it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, target, "sync", str(vault), "--today", day],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    held = any(line.strip() == b"HELD" for line in iter(proc.stdout.readline, b"") if line)
    if held:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return held


def test_sigkill_mid_write_leaves_every_page_whole(tmp_path: Path) -> None:
    versions = [clean_pages(tmp_path, state) for state in (0, 1)]
    assert all(versions[0][name] != versions[1][name] for name in PAGE_NAMES)
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    notes_before = tree_hashes(vault)  # (state 0 is the example as shipped)
    targets = sorted(PAGE_NAMES)
    hits = 0
    for i in range(28):
        day = set_state(vault, i % 2)
        target = targets[i % len(targets)]  # each page, in both states
        if kill_held(vault, day, target):
            hits += 1
        for name in PAGE_NAMES:
            page = vault / "notesync" / name
            if page.exists():  # absent only if the very first write was interrupted
                data = page.read_bytes()
                assert data in (versions[0][name], versions[1][name]), f"{name} is torn after kill {i}"
    # (no kill when the page was already as this run makes it: an earlier kill left it so)
    assert hits >= 14, f"only {hits} kills landed mid-write"
    # the next sync repairs everything and leaves no temporary file behind
    assert run_sync(vault, set_state(vault, 0)).wait(timeout=60) == 0
    for name in PAGE_NAMES:
        assert (vault / "notesync" / name).read_bytes() == versions[0][name]
    leftovers = [p for p in vault.rglob("*") if p.name.endswith(TMP_SUFFIX)]
    assert leftovers == []
    # and nobody's notes changed; backups, if any, are only of notesync's own pages
    assert tree_hashes(vault, skip=("notesync", ".notesync")) == {k: v for k, v in notes_before.items()}


def test_sigkill_of_the_watcher_mid_write_leaves_every_page_whole(tmp_path: Path) -> None:
    from datetime import date

    from notesync.pipeline import sync

    versions = []  # the watcher follows the real date: so do these
    for state in (0, 1):
        clean = tmp_path / f"today-{state}"
        shutil.copytree(EXAMPLE, clean, ignore=shutil.ignore_patterns("notesync", ".notesync"))
        set_state(clean, state)
        sync(clean, today=date.today())
        versions.append({name: (clean / "notesync" / name).read_bytes() for name in PAGE_NAMES})
    vault = tmp_path / "watched"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
    set_state(vault, 0)
    hits = 0
    for i in range(10):
        proc = subprocess.Popen(
            [sys.executable, "-m", "notesync", "watch", str(vault), "--debounce", "20"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        for line in proc.stdout:  # the first full sync is done
            if b"watching" in line:
                break
        state = (i + 1) % 2
        set_state(vault, state)  # a save that changes every page
        target = sorted(PAGE_NAMES)[i % len(PAGE_NAMES)]
        page = vault / "notesync" / target

        def written(page: Path = page, want: bytes = versions[state][target]) -> bool:
            return page.read_bytes() == want

        if kill_mid_write(proc, vault / "notesync", target, finished=written):
            hits += 1
        else:
            proc.kill()
            proc.wait()
        for name in PAGE_NAMES:
            data = (vault / "notesync" / name).read_bytes()
            assert data in (versions[0][name], versions[1][name]), f"{name} is torn after kill {i}"
    assert hits >= 3, f"only {hits} kills landed mid-write"


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_cold_sync_killed_while_its_workers_parse_leaves_no_worker_and_no_lock(tmp_path: Path) -> None:
    """Its parse workers end with it: a forked worker holds the vault's lock too, and one
    left waiting for work would keep the vault locked for good."""
    vault = tmp_path / "vault"
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).parent.parent / "benchmarks" / "gen_vault.py"),
            str(vault),
            "--notes",
            "1500",
        ],
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "notesync", "sync", str(vault), "--today", "2026-11-26"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (workers := _children(proc.pid)) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert workers, "the sync ended before its workers were seen"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if Path(f"/proc/{w}").exists()], "a worker outlived the sync"
    done = subprocess.run(
        [sys.executable, "-m", "notesync", "sync", str(vault), "--today", "2026-11-26", "--wait", "5"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
