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
from functools import lru_cache
from typing import Any, TypeVar

from .store import Store, dumps, loads

T = TypeVar("T")


def digest(*parts: str) -> str:
    """Stands for the strings it is made from, from run to run and machine to machine."""
    text = "\x1f".join(parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@lru_cache(maxsize=1 << 15)  # the watcher asks for every part's key on every pass
def key(stage: str, *parts: str) -> str:
    """The key of a stage's value made from `parts` (digests of its inputs). Keys of one
    stage sort together, so a run can read them all at once."""
    return f"{stage}:{digest(*parts)}"


def digest_value(value: object) -> str:
    """A key part standing for a value made of strings, numbers, dates, None and (named)
    tuples of them (never sets): their repr is canonical, unlike a pickle's bytes. (A named
    tuple's repr is slow and says no more than a plain one's: those in a tuple go plain.)"""
    if isinstance(value, tuple) and value and hasattr(value[0], "_fields"):
        value = tuple(tuple(v) if isinstance(v, tuple) else v for v in value)
    assert not isinstance(value, set | frozenset), "a set's repr follows the hash seed: sort it"
    return digest(repr(value))


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
            for k, raw in self.store.get(missing).items():
                found[k] = self._values[k] = loads(raw)
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

    def end_run(self, complete: bool) -> None:
        """Save what this run made. A `complete` run (one that asked for every value a
        sync needs) also forgets what it did not use."""
        if self.store is not None:
            self.store.put((k, dumps(v)) for k, v in self._pending.items())
            if complete:
                with contextlib.suppress(sqlite3.Error):  # tidying is never worth failing a run for
                    self.store.keep_only(self.used)
        if complete:
            self._values = {k: v for k, v in self._values.items() if k in self.used}
        self._pending, self.used = {}, set()
