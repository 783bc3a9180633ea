"""Every page of the output folder: its name, what it reads (its renderer's arguments,
chosen from the `Context` beside the page), and how it is drawn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from . import BASES, CALENDAR, CANVAS, COMPANIES, CONTACTS, FOLLOWUPS, MAP, ONCE, TARGETS
from .bases import base_inputs, render_base
from .calendar import calendar_inputs, render_calendar
from .canvas import render_canvas
from .context import Context
from .pages import (
    companies_inputs,
    contacts_inputs,
    followups_inputs,
    render_companies,
    render_contacts,
    render_followups,
)
from .referral_map import canvas_inputs, map_inputs, render_map
from .targets import render_targets, targets_inputs


class Page(NamedTuple):
    name: str
    inputs: Callable[[Context], tuple[Any, ...]]  # what it reads: the renderer's arguments
    render: Callable[..., str]
    memoised: bool  # False: cheap to make, and changes with nearly any edit
    once: bool = False  # written only when missing: once there, the user's (Bases saves its views in it)


PAGES = (
    Page(FOLLOWUPS, followups_inputs, render_followups, False),
    Page(CONTACTS, contacts_inputs, render_contacts, False),
    Page(COMPANIES, companies_inputs, render_companies, True),
    Page(MAP, map_inputs, render_map, True),
    Page(CANVAS, canvas_inputs, render_canvas, True),
    Page(TARGETS, targets_inputs, render_targets, True),
    Page(CALENDAR, calendar_inputs, render_calendar, True),
    Page(BASES, base_inputs, render_base, True, once=True),
)
assert frozenset(p.name for p in PAGES if p.once) == ONCE, "render/__init__.py names them for a light import"
