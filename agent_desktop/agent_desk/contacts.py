"""A contact in the agent's hands: the contact as last reported, its phase on the desk, and the id of the
last event applied to it. Phases only move forward; that rule, not a list of special cases, is what drops a
stale or replayed event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import TALKING, Channel, ContactState

FINISHED_STATES = (ContactState.COMPLETED, ContactState.ABANDONED)


class Phase(StrEnum):
    TALKING = "talking"  # connected or on hold (the contact's state says which)
    WRAP_UP = "wrap_up"  # after-contact work: disposition and notes
    SAVING = "saving"  # the agent saved the wrap-up; the contact center is completing it
    TIMED_OUT = "timed_out"  # the contact center completed it before the agent saved: kept until saved

    @property
    def wrapping_up(self) -> bool:
        return self is not Phase.TALKING


# How far along a contact is: an event that would take it back is stale.
RANK = {Phase.TALKING: 1, Phase.WRAP_UP: 2, Phase.SAVING: 2, Phase.TIMED_OUT: 3}


def phase_of(state: ContactState) -> Phase | None:
    """The phase a contact in `state` has in the agent's hands (None: not in hand)."""
    if state in TALKING:
        return Phase.TALKING
    if state == ContactState.AFTER_CONTACT_WORK:
        return Phase.WRAP_UP
    return None


@dataclass
class HeldContact:
    contact: Contact
    phase: Phase
    last_event_id: int | None = None
    # A chat's, SMS's or email's conversation is kept beside it: Desk.conversations (agent_desktop/transcripts/conversation.py).

    @property
    def id(self) -> str:
        return self.contact.id


def call_on_the_line(held: Iterable[HeldContact], *, but: str | None = None) -> str | None:
    """The call in hand that talks now (connected; a voicemail in hand is no call on the line), other than `but`: one
    call talks at a time, so another is placed or resumed only while this one is held (docs/voice.md)."""
    return next(
        (
            h.contact.id
            for h in held
            if h.contact.id != but
            and h.contact.channel is Channel.VOICE
            and h.contact.state is ContactState.CONNECTED
            and h.contact.voicemail is None
        ),
        None,
    )
