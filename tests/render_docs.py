"""Redraw docs/referral-map.png: the example vault's map, rendered by the real Mermaid.

python -m tests.render_docs
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from notesync.pipeline import sync

from .conftest import EXAMPLE, ROOT
from .mermaid_render import render_png


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "vault"
        shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("notesync", ".notesync"))
        sync(vault, today=date(2026, 11, 26))
        page = (vault / "notesync" / "Referral Map.md").read_text("utf-8")
        out = ROOT / "docs" / "referral-map.png"
        render_png(page, out, Path(tmp) / "render", width=1400)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
