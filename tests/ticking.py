"""Helpers for the tick tests: a small vault with one open item of every kind, written
with the line endings, BOM, comments and key order a user's notes may have; ticking a
box on Follow-ups.md as Obsidian (or the Tasks plugin) does; line-by-line byte diffs."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

DAY = date(2026, 11, 28)
ISO = DAY.isoformat()
OUTPUT = "notesync"
PAGE = f"{OUTPUT}/Follow-ups.md"
BACKUPS = ".notesync/backups"

MakeVault = Callable[[dict[str, str | bytes]], Path]

# One note per item kind (and two for the conversation with Jane: her thank-you and the
# referrer's update). Templates are written with "\n"; `note_bytes` gives them their
# line endings and BOM. Keys in unusual orders, YAML comments, Obsidian comments.
JANE = "Networking/2026-11-20 Jane Smith.md"
CARL = "Networking/2026-11-01 Carl Req.md"
DEE = "Networking/2026-10-20 Dee Two.md"
EVE = "Networking/2026-11-10 Eve Task.md"
FAY = "Networking/2026-11-15 Fay Ref.md"
GUS = "People/Gus Old.md"
GUS_MET = "Networking/2026-07-01 Gus Old.md"
HAL = "Networking/2026-11-30 Hal Prep.md"
IDA = "Networking/2026-11-25 Ida Out.md"

NOTES: dict[str, str] = {
    JANE: (
        "---\n"
        "# how it went\n"
        "status: done   # held at last\n"
        'referrer: "[[Ref Person]]"\n'
        "thanked:\n"
        "date: 2026-11-20\n"
        'contact: "[[Jane Smith]]"\n'
        "type: interview\n"
        "---\n"
        "## Notes\n"
        "%% private: she prefers email %%\n"
        "Nice chat.\n"
    ),
    CARL: ('---\ndate: 2026-11-01\nstatus: requested # by email\ncontact: "[[Carl Req]]"\n---\nAsked.\n'),
    DEE: (
        "---\n"
        "followed_up: 2026-11-09\n"
        "status: requested  # by email\n"
        "date: 2026-10-20\n"
        'contact: "[[Dee Two]]"\n'
        "---\n"
        "Asked twice.\n"
    ),
    EVE: (
        "---\n"
        'contact: "[[Eve Task]]"\n'
        "date: 2026-11-10\n"
        "thanked: 2026-11-10\n"
        "status: done\n"
        "# what I promised\n"
        "actions:\n"
        "  - text: Send the slides\n"
        "    due: 2026-11-26\n"
        "---\n"
        "## Action steps\n"
        "- [ ] Send the deck 📅 2026-11-25\n"
        "%% - [ ] not a task %%\n"
    ),
    FAY: (
        "---\n"
        'referrals: ["[[Dana Lee]]"]  # she knows Dana from school\n'
        'contact: "[[Fay Ref]]"\n'
        "date: 2026-11-15\n"
        "status: done\n"
        "thanked: 2026-11-15\n"
        "---\n"
    ),
    GUS: "---\n# my friend from school\ncompany: Acme\ntype: contact\n---\n# Gus\n",
    GUS_MET: '---\ncontact: "[[Gus Old]]"\ndate: 2026-07-01\nstatus: done\nthanked: 2026-07-01\n---\n',
    HAL: (
        '---\nstatus: scheduled\ndate: 2026-11-30  # video call\ncontact: "[[Hal Prep]]"\n---\n%% ask about the team %%\n'
    ),
    IDA: '---\ncontact: "[[Ida Out]]"\ndate: 2026-11-25\nstatus: scheduled # booked\n---\n',
}


def note_bytes(text: str, eol: str = "\n", bom: bool = False) -> bytes:
    data = text.replace("\n", eol).encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def tick_vault(make_vault: MakeVault, eol: str = "\r\n", bom: bool = True, config: str | None = None) -> Path:
    """The vault of every kind of item, its notes with these line endings and BOM."""
    files: dict[str, str | bytes] = {path: note_bytes(text, eol, bom) for path, text in NOTES.items()}
    if config is not None:
        files[".notesync.toml"] = config
    return make_vault(files)


_ITEM = re.compile(r"^(?:> )?- \[(.)\] .* \^([0-9a-f]+)$")


def page_items(text: str) -> dict[str, str]:
    """id -> the whole line, for every checkbox item on Follow-ups.md."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = _ITEM.match(line)
        if m is not None:
            out[m.group(2)] = line
    return out


def item_id(vault: Path, fragment: str) -> str:
    """The id of the one item on Follow-ups.md whose line contains `fragment`."""
    found = [i for i, line in page_items(read_page(vault)).items() if fragment in line]
    assert len(found) == 1, (fragment, read_page(vault))
    return found[0]


def read_page(vault: Path, name: str = "Follow-ups.md") -> str:
    return (vault / OUTPUT / name).read_text("utf-8")


def tick(vault: Path, short: str, *, done_on: str | None = None, box: str = "x") -> bytes:
    """Tick the box of item `short` on Follow-ups.md as Obsidian does (`- [x]`), or, with
    `done_on`, as the Tasks plugin does (`- [x] … ✅ D ^id`). Returns the page's new bytes."""
    page = vault / PAGE
    data = page.read_bytes()
    lines = data.split(b"\n")
    suffix = f" ^{short}".encode()
    hits = [n for n, line in enumerate(lines) if line.endswith(suffix)]
    assert len(hits) == 1, (short, hits)
    line = lines[hits[0]]
    assert b"- [ ] " in line, line
    line = line.replace(b"- [ ] ", f"- [{box}] ".encode(), 1)
    if done_on is not None:
        line = line[: -len(suffix)] + f" \u2705 {done_on}".encode() + suffix
    lines[hits[0]] = line
    out = b"\n".join(lines)
    page.write_bytes(out)
    return out


def changed_lines(before: bytes, after: bytes) -> list[tuple[tuple[bytes, ...], tuple[bytes, ...]]]:
    """Each hunk where the two differ, compared line by line with their endings:
    (the lines removed, the lines added)."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append((tuple(a[i1:i2]), tuple(b[j1:j2])))
    return out


def snapshot(vault: Path) -> dict[str, bytes]:
    """Every file of the vault but notesync's pages and state, by path."""
    return {
        p.relative_to(vault).as_posix(): p.read_bytes()
        for p in sorted(vault.rglob("*"))
        if p.is_file() and p.relative_to(vault).parts[0] not in (OUTPUT, ".notesync")
    }


def backups(vault: Path) -> list[Path]:
    folder = vault / BACKUPS
    return sorted(folder.iterdir()) if folder.exists() else []
