"""What a sync gives back (`SyncResult`), made by `pipeline`. Named tuples, as the
settings are (see `config.Config`): a no-op sync imports this."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from .words import plural

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .done import Recorded
    from .write import Change


class Summary(NamedTuple):
    """The figures of the one-line summary."""

    notes: int
    people: int
    overdue: int
    due_today: int


class SyncResult(NamedTuple):
    """What a sync did."""

    summary: Summary
    today: date
    changes: list[Change]
    diagnostics: list[Diagnostic]
    dry_run: bool
    hints: list[str]  # why a vault yields few people (see `hints`)
    recorded: list[Recorded]  # items ticked, recorded in their notes
    dropped: list[str]  # ids ticked whose item is no longer open

    @property
    def written(self) -> list[Change]:
        return [c for c in self.changes if c.action in ("create", "update")]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.action == "unchanged"]

    @property
    def skipped(self) -> list[Change]:
        return [c for c in self.changes if c.action == "skip"]

    def text(self) -> str:
        """The one-line summary the CLI prints."""
        s = self.summary
        verb = "would write" if self.dry_run else "wrote"
        text = (
            f"{plural(s.notes, 'note')} read, {plural(s.people, 'person', 'people')}, {s.overdue} overdue, "
            f"{s.due_today} due today; {verb} {plural(len(self.written), 'page')}, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.skipped:
            text += f", {len(self.skipped)} not written"
        return text

    def to_dict(self) -> dict[str, Any]:
        """What `sync --json` prints."""
        s = self.summary
        return {
            "notes": s.notes,
            "people": s.people,
            "overdue": s.overdue,
            "due_today": s.due_today,
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "pages": [
                {
                    "page": c.page,
                    "action": c.action,
                    "edited": c.edited,
                    "backup": c.backup,
                    "reason": c.reason,
                }
                for c in self.changes
            ],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }
