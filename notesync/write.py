"""The one module that writes: plan every page first, then apply the plan.

A page is written only when its bytes change, atomically (temporary file in the same
folder, then rename), so a crash leaves the old page or the new one. notesync owns a
page when its state file records it, or when a Markdown page carries notesync's
generated mark. It never writes over anything else. A page the user has edited since
notesync wrote it is copied to `.notesync/backups/` before it is replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .cache import RACY_NS
from .config import STATE_DIR
from .diagnostics import Diagnostic
from .errors import OutputError
from .render.markdown import GENERATED_MARK

if TYPE_CHECKING:
    from .scan import Entry

STATE_FILE = "state.json"
STATE_VERSION = 1
TMP_SUFFIX = ".notesync-tmp"

Action = Literal["create", "update", "unchanged", "skip"]


@dataclass(frozen=True)
class Change:
    """What happens (or would happen) to one page."""

    page: str  # vault-relative path of the page
    action: Action
    edited: bool = False  # the user changed it since notesync wrote it
    backup: str | None = None  # vault-relative path of the backup, once made
    reason: str = ""


@dataclass
class State:
    """What notesync knows of its last run: the hashes of the pages it wrote (how it
    tells its pages from edited ones) and, in `last`, what that run read and wrote (how
    it knows, without reading a note, that nothing has changed since)."""

    pages: dict[str, list[str]] = field(default_factory=dict)
    last: dict[str, Any] | None = None
    dirty: bool = False  # changed since loaded: `finish` saves it

    @classmethod
    def load(cls, vault: Path) -> State:
        path = vault / STATE_DIR / STATE_FILE
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("version") != STATE_VERSION:
                return cls()
            pages = {
                str(k): [str(h) for h in v] for k, v in data.get("pages", {}).items() if isinstance(v, list)
            }
            last = data.get("last")
            return cls(pages, last if isinstance(last, dict) else None)
        except (OSError, ValueError, AttributeError, TypeError, RecursionError):
            return cls()

    def save(self, vault: Path) -> None:
        data = {"version": STATE_VERSION, "pages": dict(sorted(self.pages.items())), "last": self.last}
        target = vault / STATE_DIR / STATE_FILE
        atomic_write(target, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))

    def unchanged_since(
        self, digest: str, vault: Path, entries: list[Entry]
    ) -> tuple[tuple[int, int, int, int], list[Diagnostic], list[Change]] | None:
        """The last run's answer, if its inputs are exactly today's and its pages untouched."""
        last = self.last
        try:
            if last is None or last["digest"] != digest:
                return None
            racy = int(last["written_ns"]) - RACY_NS
            if any(e.mtime_ns >= racy for e in entries):
                return None  # a note saved just before the last run may have changed unseen
            for page, (size, mtime) in last["pages"].items():
                st = (vault / page).stat()
                if (st.st_size, st.st_mtime_ns) != (size, mtime):
                    return None
            a, b, c, d = (int(x) for x in last["summary"])
            diags = [Diagnostic.from_row(x) for x in last["diagnostics"]]
            changes = [Change(page, "unchanged") for page in sorted(last["pages"])]
            return (a, b, c, d), diags, changes
        except (OSError, KeyError, TypeError, ValueError):
            return None

    def kept_pages(self, vault: Path, output: str) -> dict[str, tuple[str, bytes]]:
        """Page name -> (digest of its inputs, its bytes) for the pages of the last run
        that are still exactly as it wrote them."""
        out: dict[str, tuple[str, bytes]] = {}
        if self.last is None:
            return out
        try:
            made_from, stats = self.last["inputs"], self.last["pages"]
            for page, inputs in made_from.items():
                size, mtime = stats[page]
                st = (vault / page).stat()
                if (st.st_size, st.st_mtime_ns) == (size, mtime) and page.startswith(f"{output}/"):
                    data = (vault / page).read_bytes()
                    if len(data) == size:
                        out[page[len(output) + 1 :]] = (str(inputs), data)
        except (OSError, KeyError, TypeError, ValueError, AttributeError):
            pass  # a page that cannot be vouched for is made again
        return out

    def finish(
        self,
        vault: Path,
        run: tuple[str, list[str], Any, list[Diagnostic], dict[str, str]] | None,
    ) -> None:
        """Save the state if this run changed it. `run` is (digest, pages, summary,
        diagnostics, inputs) when every page was written, to recognise the next run as
        a no-op and to reuse the pages whose inputs (digests by page) stay the same."""
        if run is not None:
            digest, pages, summary, diags, inputs = run
            try:
                stats = {}
                for page in sorted(pages):
                    st = (vault / page).stat()
                    stats[page] = [st.st_size, st.st_mtime_ns]
            except OSError:
                stats = None
            if stats is not None:
                last = {
                    "digest": digest,
                    "pages": stats,
                    "summary": [summary.notes, summary.people, summary.overdue, summary.due_today],
                    "diagnostics": [d.to_row() for d in diags],
                    "inputs": dict(sorted(inputs.items())),
                }
                if self.last is None or {k: v for k, v in self.last.items() if k != "written_ns"} != last:
                    self.last = {**last, "written_ns": time.time_ns()}
                    self.dirty = True
        if self.dirty:
            with contextlib.suppress(OSError):
                self.save(vault)
            self.dirty = False


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _marked(data: bytes) -> bool:
    head = data[:200].decode("utf-8", errors="replace").replace("\r\n", "\n")
    return head.startswith("---\n") and f"\n{GENERATED_MARK}\n" in head.split("\n---", 1)[0] + "\n"


def output_dir(vault: Path, output: str) -> Path:
    """The output folder, refusing one that escapes the vault (`..`, a symlink out)."""
    target = (vault / output).resolve()
    root = vault.resolve()
    if target == root or root not in target.parents:
        raise OutputError(f"output folder {output!r} is not inside the vault {vault}")
    return vault / output


def plan(
    vault: Path, output: str, pages: dict[str, bytes], state: State, *, force: bool = False
) -> list[Change]:
    """Decide, without writing, what each page needs."""
    out = output_dir(vault, output)
    changes: list[Change] = []
    for name in sorted(pages):
        rel = f"{output}/{name}"
        new = pages[name]
        try:
            current = (out / name).read_bytes()
        except FileNotFoundError:
            changes.append(Change(rel, "create"))
            continue
        except IsADirectoryError:
            changes.append(Change(rel, "skip", reason="a folder of that name is in the way"))
            continue
        except OSError as exc:
            changes.append(Change(rel, "skip", reason=f"cannot read it: {exc.strerror}"))
            continue
        if current == new:
            changes.append(Change(rel, "unchanged"))
            continue
        known = state.pages.get(rel)
        if known is not None:
            changes.append(Change(rel, "update", edited=digest(current) not in known))
        elif name.endswith(".md") and _marked(current):
            # notesync's page, but its state is gone (another device, a restore)
            changes.append(Change(rel, "update", edited=True))
        elif force:
            changes.append(Change(rel, "update", edited=True))
        else:
            changes.append(
                Change(
                    rel, "skip", reason="a file notesync did not create is in the way; move it or use --force"
                )
            )
    return changes


def atomic_write(target: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: never half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def clean_temp_files(folder: Path) -> None:
    """Remove temporary files a killed run left behind (only ones notesync names)."""
    with contextlib.suppress(OSError), os.scandir(folder) as it:
        for entry in it:
            if entry.name.startswith(".") and entry.name.endswith(TMP_SUFFIX) and entry.is_file():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def apply(
    vault: Path, changes: list[Change], pages: dict[str, bytes], state: State, output: str
) -> tuple[list[Change], list[Diagnostic]]:
    """Carry out a plan; a page that cannot be written is reported, the rest go on."""
    out = output_dir(vault, output)
    clean_temp_files(out)
    clean_temp_files(vault / STATE_DIR)
    todo = [c for c in changes if c.action in ("create", "update")]
    diags: list[Diagnostic] = []
    if not todo:
        adopted = False
        for c in changes:
            if c.action == "unchanged":
                want = [digest(pages[c.page.split("/")[-1]])]
                if state.pages.get(c.page) != want:
                    state.pages[c.page] = want
                    adopted = True
        state.dirty |= adopted
        return changes, diags
    stamp = time.strftime("%Y%m%dT%H%M%S")
    # Record both hashes first: a crash between here and the end is not an "edit".
    for change in todo:
        name = change.page.split("/")[-1]
        old = state.pages.get(change.page, [])
        state.pages[change.page] = (
            [*old[-1:], digest(pages[name])] if not change.edited else [digest(pages[name])]
        )
    try:
        state.save(vault)
    except OSError as exc:
        diags.append(
            Diagnostic(
                f"{STATE_DIR}/{STATE_FILE}", 0, "write-failed", f"cannot save state: {exc.strerror}", "error"
            )
        )
        return [
            c if c not in todo else Change(c.page, "skip", reason="state not saved") for c in changes
        ], diags
    result: dict[str, Change] = {}
    for change in todo:
        name = change.page.split("/")[-1]
        backup = None
        try:
            if change.edited:
                backup = f"{STATE_DIR}/backups/{stamp}/{name}"
                atomic_write(vault / backup, (out / name).read_bytes())
            atomic_write(out / name, pages[name])
            result[change.page] = Change(change.page, change.action, change.edited, backup)
        except OSError as exc:
            diags.append(Diagnostic(change.page, 0, "write-failed", f"not written: {exc.strerror}", "error"))
            result[change.page] = Change(change.page, "skip", reason=f"write failed: {exc.strerror}")
    for change in todo:
        if result[change.page].action != "skip":
            state.pages[change.page] = [digest(pages[change.page.split("/")[-1]])]
    state.dirty = True  # the caller saves it, once, with the record of this run
    done = [result.get(c.page, c) for c in changes]
    return done, diags
