"""SLA breaches as news (agent_desktop/agent_desk/conversations/sla_breaches.py): the desktop notification of a breach is
raised once per wait — not at every tick after — and again for the next wait that passes its target; a contact
with no target (or the capability off) never breaches."""

from __future__ import annotations

from datetime import datetime, timedelta

from agent_desktop.agent_desk.conversations.sla_breaches import BreachWatch, held_clocks
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import Channel, ContactEvent, ContactState, Queue, ResponseTarget
from tests.support.desk_events import AGENT_ID, T0, contact, offer_event


def chat_desk(capabilities: ContactCenterCapabilities | None = None) -> Desk:
    desk = Desk(AGENT_ID, capabilities=capabilities)
    target = ResponseTarget(first_response_s=60, next_response_s=90)
    desk.set_queues([Queue(id="billing", name="Billing", response_targets={Channel.CHAT: target})])
    desk.apply(offer_event("c-1", 1))
    chat = contact("c-1", ContactState.CONNECTED).model_copy(update={"channel": Channel.CHAT})
    desk.apply(ContactEvent(contact=chat, event_id=2))
    return desk


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_breach_is_told_once() -> None:
    desk, watch = chat_desk(), BreachWatch()
    assert watch.newly_breached(held_clocks(desk, at(30))) == []
    [(breached, clock)] = watch.newly_breached(held_clocks(desk, at(61)))
    assert breached.id == "c-1"
    assert clock.kind == "first"
    assert all(watch.newly_breached(held_clocks(desk, at(s))) == [] for s in (62, 120, 600))


def test_no_target_no_breach() -> None:
    desk = chat_desk(ContactCenterCapabilities(sla_clocks=False))
    assert held_clocks(desk, at(600)) == {}
