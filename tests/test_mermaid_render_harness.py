"""Tests of tests/mermaid_render.py, the harness that renders Mermaid with the real mermaid-cli.

Each mmdc call starts Chromium (about 1.5-3 s), so there are few of them. They skip when the
renderer is not installed (`bash tests/mermaid/install.sh` installs it; .ci/run calls it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .mermaid_render import (
    mmdc_path,
    render_markdown,
    render_png,
    svg_has_error,
    svg_text_labels,
)

# Recorded from mermaid 11.17: the error picture mermaid.render draws for a parse error (mmdc itself
# exits 1 instead), an SVG-text label (htmlLabels: false) and the <style> every SVG carries.
ERROR_PICTURE = (
    '<svg id="e1" viewBox="0 0 2412 512" role="graphics-document document" aria-roledescription="error">'
    '<style>#e1 .error-icon{fill:#552222;}</style><g></g><g><path class="error-icon" d="m400,64z"></path>'
    '<text class="error-text" x="1440" y="250" font-size="150px">Syntax error in text</text>'
    '<text class="error-text" x="1250" y="400" font-size="100px">mermaid version 11.17.2</text></g></svg>'
)
TEXT_LABEL_NODE = (
    '<svg aria-roledescription="flowchart-v2"><style>#my-svg .error-icon{fill:#552222;}'
    "#my-svg .error-text{fill:#552222;stroke:#552222;}</style>"
    '<g class="node default" id="my-svg-flowchart-A-0"><g class="label"><rect/><g><text y="-10.1">'
    '<tspan class="text-outer-tspan row"><tspan class="text-inner-tspan">Dana</tspan>'
    '<tspan class="text-inner-tspan"> &amp;</tspan></tspan>'
    '<tspan class="text-outer-tspan row"><tspan class="text-inner-tspan">co</tspan></tspan>'
    "</text></g></g></g></svg>"
)


@pytest.fixture
def mmdc() -> Path:
    path = mmdc_path()
    if path is None:
        pytest.skip(
            "mermaid-cli not installed (run `bash tests/mermaid/install.sh`: Debian chromium + npm ci)"
        )
    return path


def test_svg_helpers_on_recorded_markup() -> None:
    assert svg_has_error(ERROR_PICTURE)
    # every SVG's <style> names .error-icon / .error-text: that alone is no error
    assert not svg_has_error(TEXT_LABEL_NODE)
    assert svg_text_labels(TEXT_LABEL_NODE) == ["Dana & co"]


def test_valid_flowchart_renders_with_labels(mmdc: Path, tmp_path: Path) -> None:
    names = ["Alice (CEO)", "Zoë Ångström 東京", "Dana & co", 'Bob "Bobby" O\'Brien']
    page = (
        "# People\n\n```mermaid\nflowchart LR\n"
        '  a["Alice (CEO)"] --> b["Zoë Ångström 東京"]\n'
        '  b -->|"referred (2024)"| c["Dana & co"]\n'
        '  c --> d["Bob #quot;Bobby#quot; O\'Brien"]\n'
        "```\n\nText between.\n\n```mermaid\nflowchart TD\n  x[Second] --> y[Block]\n```\n"
    )
    result = render_markdown(page, tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.svgs) == 2
    assert not any(svg_has_error(svg) for svg in result.svgs)
    labels = svg_text_labels(result.svgs[0])
    for name in names:
        assert name in labels
    assert "referred (2024)" in svg_text_labels(result.svgs[0], include_edges=True)
    assert "referred (2024)" not in labels
    assert svg_text_labels(result.svgs[1]) == ["Second", "Block"]


def test_unquoted_parentheses_fail(mmdc: Path, tmp_path: Path) -> None:
    result = render_markdown("```mermaid\nflowchart LR\n  A[Alice (CEO)] --> B\n```\n", tmp_path)
    assert result.returncode != 0
    assert "Parse error" in result.stderr


def test_oversized_chain_is_an_error(mmdc: Path, tmp_path: Path) -> None:
    lines = [f'  n{i}["Person {i}"] --> n{i + 1}["Person {i + 1}"]' for i in range(2000)]
    result = render_markdown("```mermaid\nflowchart LR\n" + "\n".join(lines) + "\n```\n", tmp_path)
    # mermaid swaps a diagram over maxTextSize (50,000 chars) for an error node; mmdc still exits 0
    assert result.returncode != 0 or any(svg_has_error(svg) for svg in result.svgs)


def test_render_png(mmdc: Path, tmp_path: Path) -> None:
    out = render_png('flowchart LR\n  A["Alice (CEO)"] --> B[Bob]\n', tmp_path / "map.png", tmp_path / "work")
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 200 and height > 50
