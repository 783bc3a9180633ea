"""notesync: referral-networking notes in, live follow-up pages out.

The library API is small: `sync()` does one pass, `analyse()` reads the vault
without writing, and everything else is the data they return.
"""

from __future__ import annotations

from .config import Config, Rules, load_config
from .diagnostics import Diagnostic
from .errors import ConfigError, NotesyncError, OutputError, VaultError
from .model import FollowUp, Note, Person
from .pipeline import analyse, sync
from .results import Analysis, SyncResult

__version__ = "0.1.0"

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
