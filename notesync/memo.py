"""The memo: each stage's values, keyed by a digest of exactly the inputs they were
made from, so that reusing one can make a run faster and never different.

Values live in memory for as long as the memo does (the watcher keeps one for its
whole run) and in the vault's store between runs. The stages themselves know nothing
of it: the pipeline asks the memo for a key and calls the stage only on a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from .store import Store, dumps, loads

T = TypeVar("T")


def digest(*parts: object) -> str:
    """A key for values made from `parts` (strings, numbers, tuples of them: their repr
    is stable from run to run and machine to machine)."""
    text = "\x1f".join(p if isinstance(p, str) else repr(p) for p in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def digest_value(value: object) -> str:
    """A key part standing for a value made of strings, numbers, dates, None and (named)
    tuples of them: their repr is canonical, unlike a pickle, which differs with how
    equal values happen to share objects."""
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Memo:
    """Values by key, in memory and in a store. `used` is what the current run asked for:
    the rest is forgotten at its end, in memory at once and in the store when it grows."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self._values: dict[str, Any] = {}
        self._pending: dict[str, Any] = {}
        self.used: set[str] = set()

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The values known for these keys (from memory, else the store)."""
        self.used.update(keys)
        found = {k: self._values[k] for k in keys if k in self._values}
        missing = [k for k in keys if k not in found]
        if missing and self.store is not None:
            for key, raw in self.store.get(missing).items():
                found[key] = self._values[key] = loads(raw)
        return found

    def get(self, key: str, make: Callable[[], T]) -> T:
        """The value for `key`, made (and kept) on a miss."""
        found = self.get_many([key])
        if key in found:
            return found[key]  # type: ignore[no-any-return]
        value = make()
        self.put(key, value)
        return value

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        self._values[key] = self._pending[key] = value

    def end_run(self) -> None:
        """Save what this run made and forget what it did not use."""
        if self.store is not None:
            self.store.put((k, dumps(v)) for k, v in self._pending.items())
            with contextlib.suppress(sqlite3.Error):  # tidying is never worth failing a run for
                self.store.keep_only(self.used)
        self._values = {k: v for k, v in self._values.items() if k in self.used}
        self._pending = {}
        self.used = set()
