"""notesync: referral-networking notes in, live follow-up pages out.

The library API is small: `sync()` does one pass, `analyse()` reads the vault
without writing, and everything else is the data they return. Each name is imported
when first used, so that `notesync` the command, which imports this package first,
pays only for what the command runs (see `__main__`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import Analysis
    from .config import Config, Rules, load_config
    from .diagnostics import Diagnostic
    from .errors import ConfigError, NotesyncError, OutputError, VaultError
    from .model import FollowUp, Note, Person
    from .pipeline import analyse, sync
    from .results import SyncResult

__version__ = "0.1.0"

_MODULE_OF = {
    "Analysis": "analysis",
    "Config": "config",
    "ConfigError": "errors",
    "Diagnostic": "diagnostics",
    "FollowUp": "model",
    "Note": "model",
    "NotesyncError": "errors",
    "OutputError": "errors",
    "Person": "model",
    "Rules": "config",
    "SyncResult": "results",
    "VaultError": "errors",
    "analyse": "pipeline",
    "load_config": "config",
    "sync": "pipeline",
}

__all__ = [
    "Analysis",
    "Config",
    "ConfigError",
    "Diagnostic",
    "FollowUp",
    "Note",
    "NotesyncError",
    "OutputError",
    "Person",
    "Rules",
    "SyncResult",
    "VaultError",
    "__version__",
    "analyse",
    "load_config",
    "sync",
]


if not TYPE_CHECKING:  # (a type checker reads the imports above, and flags any other name)

    def __getattr__(name: str) -> Any:
        if name not in _MODULE_OF:
            raise AttributeError(f"module 'notesync' has no attribute {name!r}")
        return getattr(import_module(f".{_MODULE_OF[name]}", __name__), name)

    def __dir__() -> list[str]:
        return sorted(__all__)
