"""Pages as strings: pure functions of what each declares it reads (see `context`).
`site` lists the pages; importing this package alone costs nothing."""

from __future__ import annotations

FOLLOWUPS = "Follow-ups.md"
CONTACTS = "Contacts.md"
COMPANIES = "Companies.md"
MAP = "Referral Map.md"
CANVAS = "Referral Map.canvas"
CALENDAR = "Follow-ups.ics"
BASES = "Networking.base"
TARGETS = "Targets.md"
PAGE_NAMES = (FOLLOWUPS, CONTACTS, COMPANIES, MAP, CANVAS, TARGETS)  # the pages every sync writes
ALL_PAGES = (*PAGE_NAMES, CALENDAR, BASES)  # and those a setting turns off, or written once
ONCE = frozenset({BASES})  # written only when missing: once there, the user's (see `site.Page.once`)
