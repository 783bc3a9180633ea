"""Per-note problems, reported as `path:line: code: message` and never raised."""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Diagnostic(NamedTuple):
    """One problem in one file. `line` is 1-based; 0 means the file as a whole.
    (Ordered by path, line, code, message: the order every listing uses.)"""

    path: str
    line: int
    code: str
    message: str
    severity: Severity = "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }
