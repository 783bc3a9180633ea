"""What the pages are made from. Each page declares, beside it, which of this it reads
(its `inputs`), and its renderer sees nothing else: so a page whose inputs are unchanged
can be taken from the memo, and no new field can be missed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..config import Config
from ..model import FollowUp
from ..people import People

if TYPE_CHECKING:
    from ..parts import Part


@dataclass(frozen=True)
class Context:
    today: date
    config: Config
    people: People
    parts: Mapping[str, Part]  # by bucket, in bucket order
    items: list[FollowUp]  # every open item, settled (see `rules.settle`)
    texts: Mapping[FollowUp, str]  # each item's `render.pages.item_text`
    vault_name: str = ""  # as Obsidian names the vault (its folder), for obsidian:// links
    drafts: Mapping[str, str] = field(default_factory=dict)  # uid -> the message to send (calendar)
    shape: tuple[tuple[str, str], ...] = ()  # property names the vault uses, by field (Bases)
    unread: tuple[str, ...] = ()  # folders the walk skips besides `ignore`: templates, excluded (Bases)
