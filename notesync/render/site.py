"""Every page of the output folder: its name, what it reads (its renderer's arguments,
chosen from the `Context` beside the page), and how it is drawn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from . import CANVAS, COMPANIES, CONTACTS, FOLLOWUPS, MAP
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
from .referral_map import map_inputs, render_map


class Page(NamedTuple):
    name: str
    inputs: Callable[[Context], tuple[Any, ...]]  # what it reads: the renderer's arguments
    render: Callable[..., str]
    memoised: bool  # False: cheap to make, and changes with nearly any edit


PAGES = (
    Page(FOLLOWUPS, followups_inputs, render_followups, False),
    Page(CONTACTS, contacts_inputs, render_contacts, False),
    Page(COMPANIES, companies_inputs, render_companies, True),
    Page(MAP, map_inputs, render_map, True),
    Page(CANVAS, map_inputs, render_canvas, True),
)
