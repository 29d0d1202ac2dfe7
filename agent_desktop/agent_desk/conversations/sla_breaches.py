"""SLA breaches as news: which of the agent's contacts passed their response target since the desk last
looked, each breach once (a contact's clock is one wait: its kind and since when), for the desktop notification
raised while the terminal is not in front. No I/O, no terminal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.conversations.sla_clocks import ClockLevel, SlaClock, contact_clock
from agent_desktop.domain.models import Contact

if TYPE_CHECKING:
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
    from agent_desktop.domain.models import ResponseTarget


class ClockDesk(Protocol):
    """The desk as the SLA clocks read it (desk/model.py's Desk, which imports this package): the contacts in hand,
    their conversations and each one's response target."""

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def conversations(self) -> ConversationsInHand: ...

    def sla_target(self, contact: Contact) -> ResponseTarget | None: ...


def held_clocks(desk: ClockDesk, now: datetime) -> dict[str, tuple[Contact, SlaClock]]:
    """The SLA clock of each contact in hand that runs one (as the contacts list shows them)."""
    clocks: dict[str, tuple[Contact, SlaClock]] = {}
    for contact_id, held in desk.held.items():
        contact = held.contact
        target = desk.sla_target(contact)
        if target is None or contact.consult is not None:
            continue
        conversation = desk.conversations.get(contact_id)
        items = conversation.items if conversation is not None else ()
        has_more = conversation.has_more if conversation is not None else False
        ended = conversation.ended if conversation is not None else False
        clock = contact_clock(contact, target, items, has_more, ended, now)
        if clock is not None:
            clocks[contact_id] = (contact, clock)
    return clocks


class BreachWatch:
    """Each breach told once; what it remembers is only of the contacts still in hand."""

    def __init__(self) -> None:
        self._told: set[tuple[str, str, datetime]] = set()

    def newly_breached(self, clocks: dict[str, tuple[Contact, SlaClock]]) -> list[tuple[Contact, SlaClock]]:
        breached = {
            (contact_id, clock.kind, clock.since): (contact, clock)
            for contact_id, (contact, clock) in clocks.items()
            if clock.level is ClockLevel.BREACHED
        }
        new = [found for key, found in breached.items() if key not in self._told]
        self._told = set(breached)
        return new
