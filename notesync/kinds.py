"""The kinds of follow-up, each described once: where the pages sort it, the word
Follow-ups.md files it under, the calendar event's title, and the message it asks for.

The rule that makes each kind is in `rules`, what ticking one records in `done`. A new
kind is added here and there, and every page picks it up.
"""

from __future__ import annotations

from typing import NamedTuple


class Kind(NamedTuple):
    name: str  # as a `FollowUp` says it
    label: str  # Follow-ups.md's word for it
    event: str  # the calendar event's title; `{}` is the person
    message: str | None  # the message it asks for (see `templates.MESSAGE_TEMPLATES`), if any


KINDS = (  # in the order a day's items are listed: what is owed first
    Kind("thank-you", "Thank-you", "Thank {}", "thank-you"),
    Kind("no-response", "No answer", "Follow up with {}", "follow-up"),
    Kind("update-referrer", "Update referrer", "Tell {} how it went", "referrer-update"),
    Kind("record-outcome", "Record outcome", "Record how it went with {}", None),
    Kind("prepare", "Prepare", "Prepare for {}", None),
    Kind("action", "Action", "", None),  # (its event is titled with its own text)
    Kind("contact-referral", "New referral", "Reach out to {}", "outreach"),
    Kind("keep-in-touch", "Keep in touch", "Get in touch with {}", None),
)
MOVE_ON_EVENT = "Move on from {}: no answer"  # a request's follow-up went unanswered too (`rules.moving_on`)

ORDER = {k.name: i for i, k in enumerate(KINDS)}
LABEL = {k.name: k.label for k in KINDS}
EVENT = {k.name: k.event for k in KINDS if k.event}
MESSAGE = {k.name: k.message for k in KINDS if k.message is not None}
