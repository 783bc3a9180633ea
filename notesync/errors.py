"""Fatal errors. Per-note problems are `Diagnostic` values, never exceptions."""

from __future__ import annotations


class NotesyncError(Exception):
    """Base of every error that stops a command; the CLI maps it to a clean message."""


class ConfigError(NotesyncError):
    """`.notesync.toml` is unreadable or holds an unknown key or a bad value."""


class VaultError(NotesyncError):
    """The vault folder is missing or is not a folder."""


class OutputError(NotesyncError):
    """The output folder cannot be used (outside the vault, not writable, ...)."""


class ScaffoldError(NotesyncError):
    """`new`, `init` or `draft` refused: a note exists, a name is unusable, no such person."""
