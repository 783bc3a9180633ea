"""Per-note problems, reported as `path:line: code: message` and never raised."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]

# A path or a message may quote a note's name or text; none of it may end the line.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """`text` on one terminal line: a line break or control character is shown as its
    escape (`\\r`, `\\x01`, `\\u2028`), as Python writes it, not acted on."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(lambda m: repr(m.group(0))[1:-1], text)


class Diagnostic(NamedTuple):
    """One problem in one file. `line` is 1-based; 0 means the file as a whole.
    (Ordered by path, line, code, message: the order every listing uses.)"""

    path: str
    line: int
    code: str
    message: str
    severity: Severity = "warning"

    def __str__(self) -> str:
        """`path:line: code: message`, always on one line."""
        return printable(f"{self.path}:{self.line}: {self.code}: {self.message}")

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }
