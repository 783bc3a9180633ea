"""Time notesync as users run it: whole processes on generated vaults.

    python benchmarks/run.py                        # 1k and 10k notes, 5 runs each
    python benchmarks/run.py --sizes 1000 10000 100000 --runs 5 --obsidiantools
    python benchmarks/run.py --sizes 10000 --watch  # also: save one note -> pages rewritten

For each size it generates a vault with benchmarks/gen_vault.py (seeded, so every run
measures the same vault) and reports the median of `--runs` runs of:

* cold sync: no cache, no pages (`.notesync/` and the output folder removed first);
* warm no-op sync: nothing changed since the last sync;
* one changed note: a done conversation gets (or loses) its `thanked:` date, which
  changes Follow-ups.md and Contacts.md, so the pages really are rebuilt and rewritten;
* one status change: a conversation request is marked declined (then requested
  again), which changes the person's place on the map: all five pages are rebuilt;
* one edited note body: text typed into a note, which changes no page;
* peak memory (max RSS) of the cold sync process;
* with --obsidiantools: `obsidiantools.api.Vault(p).connect().gather()` on the same vault,
  in the same run (pip install obsidiantools), and the ratio to the cold sync;
* with --watch: `notesync watch` running, the time from saving one note (as above) to the
  rewritten Follow-ups.md appearing, median and p95 over `--saves` saves.

Timings are wall-clock, whole process, on whatever else the machine is doing: quote medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-26"
SPEC = {"cold": 3.0, "warm": 0.5, "one_note": 0.5, "memory_mb": 250, "watch_median": 0.2, "ratio": 50}


@dataclass
class Result:
    notes: int
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    one_note: list[float] = field(default_factory=list)
    status: list[float] = field(default_factory=list)
    body_edit: list[float] = field(default_factory=list)
    memory_mb: float = 0.0
    obsidiantools: list[float] = field(default_factory=list)
    watch: list[float] = field(default_factory=list)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: diagnostics are expected in a generated vault with mistakes
        raise SystemExit(f"{' '.join(cmd)} failed with {proc.returncode}")
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1048576
    return elapsed, peak_mb, out.decode("utf-8", "replace")


def notesync(vault: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "notesync", "sync", str(vault), "--today", TODAY, *args]


def generate(root: Path, notes: int) -> Path:
    vault = root / f"vault-{notes}"
    marker = vault / ".gen_vault"
    if not marker.exists():
        shutil.rmtree(vault, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(HERE / "gen_vault.py"), str(vault), "--notes", str(notes)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return vault


def reset(vault: Path) -> None:
    shutil.rmtree(vault / ".notesync", ignore_errors=True)
    shutil.rmtree(vault / "notesync", ignore_errors=True)


def a_done_note(vault: Path) -> Path:
    """A conversation marked done and not yet thanked: toggling `thanked` changes the pages."""
    for path in sorted(vault.rglob("*.md")):
        text = path.read_text("utf-8", errors="replace")
        if "\nstatus: done\n" in text and "\nthanked:" not in text and text.startswith("---\n"):
            return path
    raise SystemExit("no done, unthanked note in the vault")


def swap(path: Path, one: str, other: str) -> None:
    """Replace `one` by `other` in the note, or back if it holds `other`."""
    text = path.read_text("utf-8")
    old, new = (other, one) if other in text else (one, other)
    path.write_text(text.replace(old, new, 1), "utf-8")


def toggle(path: Path) -> None:
    """Add or remove `thanked:`: a change that rewrites Follow-ups.md."""
    swap(path, "\nstatus: done\n", "\nstatus: done\nthanked: 2026-11-26\n")


def a_lone_request(vault: Path) -> Path:
    """The only conversation note about someone, a request: its status decides how they are drawn."""
    by_contact: dict[str, list[Path]] = {}
    for path in sorted(vault.rglob("*.md")):
        text = path.read_text("utf-8", errors="replace")
        found = re.search(r'^contact: "?\[\[([^\]|]+)', text[:600], re.MULTILINE)
        if found:
            by_contact.setdefault(found.group(1).casefold(), []).append(path)
    for paths in by_contact.values():
        if len(paths) == 1 and "\nstatus: requested\n" in paths[0].read_text("utf-8", errors="replace"):
            return paths[0]
    raise SystemExit("no lone request in the vault")


def flip_status(path: Path) -> None:
    """A request marked declined, or back: the person moves on the map."""
    swap(path, "\nstatus: requested\n", "\nstatus: declined\n")


def type_in_body(path: Path, i: int) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"\nA thought typed while the watcher runs ({i}).\n")


def measure(vault: Path, runs: int, result: Result) -> None:
    note = a_done_note(vault)
    original = note.read_bytes()
    request = a_lone_request(vault)
    asked = request.read_bytes()
    try:
        for _ in range(runs):
            reset(vault)
            seconds, peak, _ = run(notesync(vault))
            result.cold.append(seconds)
            result.memory_mb = max(result.memory_mb, peak)
        time.sleep(2.1)  # let files age past the cache's 2 s race window, as in real use
        run(notesync(vault))
        for _ in range(runs):
            result.warm.append(run(notesync(vault))[0])
        for _ in range(runs):
            toggle(note)
            seconds, _, out = run(notesync(vault))
            assert "notesync/Follow-ups.md" in out, out[-500:]
            result.one_note.append(seconds)
        for _ in range(runs):
            flip_status(request)
            seconds, _, out = run(notesync(vault))
            assert "notesync/Referral Map.md" in out, out[-500:]
            result.status.append(seconds)
        for i in range(runs):
            type_in_body(note, i)
            result.body_edit.append(run(notesync(vault))[0])
    finally:
        note.write_bytes(original)
        request.write_bytes(asked)


def measure_obsidiantools(vault: Path, runs: int, result: Result) -> None:
    code = (
        "import sys, pathlib; from obsidiantools.api import Vault; "
        "Vault(pathlib.Path(sys.argv[1])).connect().gather()"
    )
    for _ in range(runs):
        result.obsidiantools.append(run([sys.executable, "-c", code, str(vault)])[0])


def measure_watch(vault: Path, saves: int, result: Result) -> None:
    reset(vault)
    run(notesync(vault))
    page = vault / "notesync" / "Follow-ups.md"
    note = a_done_note(vault)
    original = note.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-m", "notesync", "watch", str(vault)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if b"watching" in line:
                break
        time.sleep(1.0)
        for _ in range(saves):
            before = page.stat().st_mtime_ns
            toggle(note)
            saved = time.perf_counter()
            deadline = saved + 30
            while page.stat().st_mtime_ns == before:
                if time.perf_counter() > deadline:
                    raise SystemExit("watch did not rewrite Follow-ups.md within 30 s")
                time.sleep(0.001)
            result.watch.append(time.perf_counter() - saved)
            time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        note.write_bytes(original)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)] if xs else float("nan")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def report(results: list[Result], runs: int) -> str:
    lines = [
        f"Machine: {machine()}. Median of {runs} runs, whole process, seconds.",
        "",
        "| notes | cold sync | warm no-op | one changed note | status change | body-only edit | peak memory "
        "| obsidiantools | ratio | watch median | watch p95 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ot = median(r.obsidiantools)
        ratio = f"{ot / median(r.cold):.0f}x" if r.obsidiantools else "-"
        watch = f"{median(r.watch) * 1000:.0f} ms" if r.watch else "-"
        watch95 = f"{p95(r.watch) * 1000:.0f} ms" if r.watch else "-"
        peer = f"{ot:.1f}" if r.obsidiantools else "-"
        lines.append(
            f"| {r.notes:,} | {median(r.cold):.2f} | {median(r.warm):.2f} | {median(r.one_note):.2f} | "
            f"{median(r.status):.2f} | {median(r.body_edit):.2f} | {r.memory_mb:.0f} MB | {peer} | "
            f"{ratio} | {watch} | {watch95} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workdir", type=Path, default=Path("bench-vaults"))
    ap.add_argument("--obsidiantools", action="store_true", help="also time obsidiantools on each vault")
    ap.add_argument("--obsidiantools-runs", type=int, default=1)
    ap.add_argument(
        "--max-peer", type=int, default=10_000, help="largest vault to time obsidiantools and watch on"
    )
    ap.add_argument("--watch", action="store_true", help="also measure watch latency")
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--json", type=Path, help="write the raw timings here")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        vault = generate(args.workdir, size)
        result = Result(size)
        print(f"{size:,} notes: syncing...", file=sys.stderr)
        measure(vault, args.runs, result)
        if args.watch and size <= args.max_peer:
            print(f"{size:,} notes: watching...", file=sys.stderr)
            measure_watch(vault, args.saves, result)
        if args.obsidiantools and size <= args.max_peer:
            print(f"{size:,} notes: obsidiantools...", file=sys.stderr)
            measure_obsidiantools(vault, args.obsidiantools_runs, result)
        results.append(result)
        print(report([result], args.runs), file=sys.stderr)
    print(report(results, args.runs))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
