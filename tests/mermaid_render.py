"""Render Mermaid with the real renderer (mermaid-cli ``mmdc`` in Debian's headless Chromium).

Install it with ``bash tests/mermaid/install.sh``; without it :func:`mmdc_path` returns ``None`` and
tests should ``pytest.skip``. One ``mmdc`` call starts its own browser and takes about 1.5-3 s.

What mermaid 11 puts in a flowchart SVG (the SVG is XML-serialized, so ``<br />`` is self-closed):

* node and subgraph labels, default (HTML) labels::

      <g class="node default" ...><g class="label"><foreignObject ...><div ...>
        <span class="nodeLabel"><p>Alice (CEO)</p></span></div></foreignObject></g></g>

  edge labels are the same with ``<span class="edgeLabel">`` (empty for edges without a label);
* with ``htmlLabels: false`` (and always for subgraph titles and edge labels when flowchart
  ``htmlLabels`` is false), labels are SVG text, one ``tspan.text-outer-tspan`` per line, one
  ``tspan.text-inner-tspan`` per word: ``<text><tspan class="text-outer-tspan row">
  <tspan class="text-inner-tspan">Alice</tspan><tspan ...> (CEO)</tspan></tspan></text>``;
* a diagram over ``maxTextSize`` (50,000 characters) is *not* an mmdc failure: mermaid swaps it
  for ``graph TB;a[Maximum text size in diagram exceeded];style a fill:#faa`` and mmdc exits 0;
* a parse error makes mmdc exit 1 (mmdc never writes mermaid's error picture, which is
  ``aria-roledescription="error"`` with ``<path class="error-icon">`` and
  ``<text class="error-text">Syntax error in text</text>``);
* every SVG's ``<style>`` mentions ``.error-icon`` and ``.error-text``: search attributes, not substrings.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MERMAID_DIR = Path(__file__).resolve().parent / "mermaid"
PUPPETEER_CONFIG = MERMAID_DIR / "puppeteer-config.json"
MMDC_TIMEOUT_S = 120.0

MAX_TEXT_SIZE_MESSAGE = "Maximum text size in diagram exceeded"
SYNTAX_ERROR_MESSAGE = "Syntax error in text"

# The same fence test mmdc applies to a markdown file (```mermaid or :::mermaid at a line start).
_MERMAID_FENCE = re.compile(r"^[^\S\n]*[`:]{3}mermaid[^\S\n]*\r?$", re.MULTILINE)
_ERROR_MARKERS = (
    re.compile(r"""aria-roledescription\s*=\s*["']error["']"""),
    re.compile(r"""class\s*=\s*["'][^"']*\berror-(?:icon|text)\b"""),
)
_SYNTAX_ERROR_TEXT = re.compile(r">\s*" + re.escape(SYNTAX_ERROR_MESSAGE) + r"\s*<")
_SVG_NUMBER = re.compile(r"-(\d+)\.svg$")
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source"})


@dataclass(frozen=True)
class RenderResult:
    """Outcome of one mmdc run: its exit code, its stderr, and the SVG text of each rendered block.

    On a failure mmdc stops at the first bad diagram, so ``svgs`` then holds only the blocks before it.
    """

    returncode: int
    stderr: str
    svgs: list[str]

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class MermaidRenderError(RuntimeError):
    """mmdc failed (used by :func:`render_png`, which has no other way to report it)."""

    def __init__(self, message: str, returncode: int, stderr: str) -> None:
        super().__init__(f"{message} (exit {returncode}): {stderr.strip()[:2000]}")
        self.returncode = returncode
        self.stderr = stderr


def mmdc_path() -> Path | None:
    """The mmdc installed by tests/mermaid/install.sh, or None when it (or Chromium) is not installed."""
    mmdc = MERMAID_DIR / "node_modules" / ".bin" / "mmdc"
    if not (mmdc.is_file() and os.access(mmdc, os.X_OK)):
        return None
    if not os.access(_chromium_path(), os.X_OK):
        return None
    return mmdc


def _chromium_path() -> str:
    try:
        config = json.loads(PUPPETEER_CONFIG.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "/usr/bin/chromium"
    return str(config.get("executablePath", "/usr/bin/chromium"))


def _require_mmdc() -> Path:
    mmdc = mmdc_path()
    if mmdc is None:
        raise FileNotFoundError("mermaid-cli is not installed: run `bash tests/mermaid/install.sh`")
    return mmdc


def _run_mmdc(args: list[str], workdir: Path, timeout: float) -> tuple[int, str]:
    """Run mmdc in its own process group so that a timeout also ends the Chromium it started."""
    cmd = [str(_require_mmdc()), "-q", "-p", str(PUPPETEER_CONFIG), *args]
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1")
    proc = subprocess.Popen(
        cmd,
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise TimeoutError(f"mmdc did not finish within {timeout:.0f} s: {' '.join(cmd)}") from None
    text = err.decode("utf-8", "replace")
    if out.strip():
        text = out.decode("utf-8", "replace") + text
    return proc.returncode, text


def _numbered(paths: list[Path]) -> list[Path]:
    def key(p: Path) -> int:
        m = _SVG_NUMBER.search(p.name)
        return int(m.group(1)) if m else 0

    return sorted(paths, key=key)


def render_markdown(markdown_text: str, workdir: Path, timeout: float = MMDC_TIMEOUT_S) -> RenderResult:
    """Render every mermaid block of a markdown page, as `mmdc -i page.md -o out.md` does.

    Writes workdir/page.md; mmdc writes out.md and out-1.svg, out-2.svg, ... (one per block, in order).
    Raises FileNotFoundError when mmdc is not installed and TimeoutError when it hangs.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in [*workdir.glob("out-*.svg"), workdir / "out.md"]:
        stale.unlink(missing_ok=True)
    (workdir / "page.md").write_text(markdown_text, encoding="utf-8")
    returncode, stderr = _run_mmdc(["-i", "page.md", "-o", "out.md"], workdir, timeout)
    svgs = [p.read_text(encoding="utf-8") for p in _numbered(list(workdir.glob("out-*.svg")))]
    return RenderResult(returncode=returncode, stderr=stderr, svgs=svgs)


class _LabelParser(HTMLParser):
    """Collects label texts: span.nodeLabel (HTML labels) and <text> inside g.node / g.cluster-label."""

    def __init__(self, include_edges: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.span_classes = {"nodeLabel", *({"edgeLabel"} if include_edges else set())}
        self.group_classes = {"node", "cluster-label", *({"edgeLabel"} if include_edges else set())}
        self.stack: list[tuple[str, bool]] = []  # (tag, is a label-bearing <g>)
        self.capture_depth: int | None = None  # stack depth of the element being captured
        self.parts: list[str] = []
        self.labels: list[str] = []

    def _in_label_group(self) -> bool:
        return any(is_group for _, is_group in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            self._line_break(tag)
            return
        classes = set((dict(attrs).get("class") or "").split())
        is_group = tag == "g" and bool(classes & self.group_classes)
        self.stack.append((tag, is_group))
        if self.capture_depth is not None:
            if tag == "tspan" and "text-outer-tspan" in classes:
                self.parts.append(" ")
            return
        if (tag == "span" and classes & self.span_classes) or (tag == "text" and self._in_label_group()):
            self.capture_depth = len(self.stack)
            self.parts = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._line_break(tag)

    def _line_break(self, tag: str) -> None:
        if self.capture_depth is not None and tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS or not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if self.capture_depth is not None and len(self.stack) < self.capture_depth:
                label = " ".join("".join(self.parts).split())
                if label:
                    self.labels.append(label)
                self.capture_depth = None
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.capture_depth is not None:
            self.parts.append(data)


def svg_text_labels(svg: str, include_edges: bool = False) -> list[str]:
    """The visible label texts of a mermaid flowchart SVG, in document order (duplicates kept).

    Node labels and subgraph titles, from HTML labels (span.nodeLabel) or SVG text labels (<text> in
    g.node / g.cluster-label); with include_edges, non-empty edge labels too. Entities are unescaped
    (``&amp;`` -> ``&``) and whitespace, line breaks (<br>) and wrapped lines are collapsed to single
    spaces, so ``"line1<br>line2"`` gives ``"line1 line2"``.
    """
    parser = _LabelParser(include_edges)
    parser.feed(svg)
    parser.close()
    return parser.labels


def svg_has_error(svg: str) -> bool:
    """True when mermaid drew an error instead of the graph.

    Either its error picture (aria-roledescription="error", path.error-icon, text.error-text saying
    "Syntax error in text") or the stand-in node "Maximum text size in diagram exceeded" that it draws
    for a diagram over maxTextSize (mmdc exits 0 for that one).
    """
    if any(marker.search(svg) for marker in _ERROR_MARKERS):
        return True
    if _SYNTAX_ERROR_TEXT.search(svg):
        return True
    return MAX_TEXT_SIZE_MESSAGE in svg and MAX_TEXT_SIZE_MESSAGE in svg_text_labels(svg)


def render_png(
    markdown_or_mmd_text: str,
    out_png: Path,
    workdir: Path,
    width: int = 1600,
    timeout: float = MMDC_TIMEOUT_S,
) -> Path:
    """Render a diagram to a PNG (white background, scale 2) for a person to look at.

    Takes either a bare mermaid diagram (.mmd text) or a markdown page, of which the first mermaid
    block is drawn. Returns out_png; raises MermaidRenderError when mmdc fails.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    out_png = out_png.resolve()
    out_png.parent.mkdir(parents=True, exist_ok=True)
    style = ["-b", "white", "-s", "2", "-w", str(width)]
    if _MERMAID_FENCE.search(markdown_or_mmd_text):
        for stale in workdir.glob("render-*.png"):
            stale.unlink()
        (workdir / "render.md").write_text(markdown_or_mmd_text, encoding="utf-8")
        returncode, stderr = _run_mmdc(["-i", "render.md", "-o", "render.png", *style], workdir, timeout)
        produced = workdir / "render-1.png"
    else:
        produced = workdir / "render.png"
        produced.unlink(missing_ok=True)
        (workdir / "render.mmd").write_text(markdown_or_mmd_text, encoding="utf-8")
        returncode, stderr = _run_mmdc(["-i", "render.mmd", "-o", "render.png", *style], workdir, timeout)
    if returncode != 0:
        raise MermaidRenderError("mmdc failed to render the PNG", returncode, stderr)
    if not produced.is_file():
        raise MermaidRenderError(f"mmdc wrote no {produced.name}", returncode, stderr)
    if produced != out_png:
        shutil.move(produced, out_png)
    return out_png
