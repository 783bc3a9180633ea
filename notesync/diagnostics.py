"""Per-note problems, reported as `path:line: code: message` and never raised."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# A path or a message may quote a note's name or text; none of it may end the line.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """`text` on one terminal line: a line break or control character is shown as its
    escape (`\\r`, `\\x01`, `\\u2028`), as Python writes it, not acted on."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(lambda m: repr(m.group(0))[1:-1], text)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file. `line` is 1-based; 0 means the file as a whole."""

    path: str
    line: int
    code: str
    message: str
    severity: Severity = "warning"

    def __str__(self) -> str:
        """`path:line: code: message`, always on one line."""
        return printable(f"{self.path}:{self.line}: {self.code}: {self.message}")

    def to_row(self) -> list[object]:
        """As the files under `.notesync/` keep it (see `from_row`)."""
        return [self.path, self.line, self.code, self.message, self.severity]

    @classmethod
    def from_row(cls, row: object) -> Diagnostic:
        """The inverse of `to_row`; raises TypeError or ValueError on anything else."""
        if not isinstance(row, list):
            raise TypeError("not a diagnostic")
        path, line, code, message, severity = row
        if not (type(path) is str and type(line) is int and type(code) is str and type(message) is str):
            raise TypeError("not a diagnostic")
        return cls(path, line, code, message, "error" if severity == "error" else "warning")

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }
