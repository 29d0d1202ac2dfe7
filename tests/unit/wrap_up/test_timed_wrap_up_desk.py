"""The desk's side of a time-boxed wrap-up: a contact completed by the contact center's timeout is
saved at once when its queue's rule is time-boxed (the `SaveTimedOut` effect), once however often the news
comes; with no rule it waits on the desk for ctrl+s as before."""

from __future__ import annotations

from agent_desktop.agent_desk.changes import SaveTimedOut
from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import ContactEvent, ContactState, Queue, WrapUpRule
from tests.support.desk_events import AGENT_ID, T0, contact_event, offer_event

CONNECTED, ACW, COMPLETED = ContactState.CONNECTED, ContactState.AFTER_CONTACT_WORK, ContactState.COMPLETED


def desk_in_wrap_up(rule: WrapUpRule | None, capabilities: ContactCenterCapabilities | None = None) -> Desk:
    desk = Desk(AGENT_ID, capabilities=capabilities)
    desk.set_queues([Queue(id="billing", name="Billing", wrap_up={"voice": rule} if rule else {})])
    desk.apply(offer_event("c-1", 1))
    desk.apply(contact_event("c-1", CONNECTED, 2))
    desk.apply(in_acw_with_deadline("c-1", 3))
    return desk


def test_a_contact_closed_while_talking_is_not_saved_for_the_agent() -> None:
    """A callback nobody answered is completed by the contact center while connected: the agent's notes first."""
    desk = Desk(AGENT_ID)
    desk.set_queues([Queue(id="billing", name="Billing", wrap_up={"voice": WrapUpRule(mode="time_boxed")})])
    desk.apply(offer_event("c-1", 1))
    desk.apply(contact_event("c-1", CONNECTED, 2))
    assert not any(isinstance(e, SaveTimedOut) for e in desk.apply(contact_event("c-1", COMPLETED, 3)))
    assert desk.held["c-1"].phase is Phase.TIMED_OUT


def in_acw_with_deadline(contact_id: str, event_id: int) -> ContactEvent:
    event = contact_event(contact_id, ACW, event_id)
    return event.model_copy(update={"contact": event.contact.model_copy(update={"acw_deadline": T0})})


def test_a_time_boxed_wrap_up_that_runs_out_is_saved_once() -> None:
    desk = desk_in_wrap_up(WrapUpRule(mode="time_boxed"))
    assert SaveTimedOut("c-1") in desk.apply(contact_event("c-1", COMPLETED, 4))
    assert desk.held["c-1"].phase is Phase.TIMED_OUT
    assert desk.apply(contact_event("c-1", COMPLETED, 5)) == [], "the news again saves nothing twice"


def test_without_a_rule_or_with_rules_off_the_timed_out_wrap_up_waits_for_the_agent() -> None:
    for desk in (
        desk_in_wrap_up(None),
        desk_in_wrap_up(WrapUpRule(mode="time_boxed"), ContactCenterCapabilities(wrap_up_rules=False)),
    ):
        effects = desk.apply(contact_event("c-1", COMPLETED, 4))
        assert not any(isinstance(effect, SaveTimedOut) for effect in effects)
        assert desk.held["c-1"].phase is Phase.TIMED_OUT


def test_the_sla_target_follows_the_queue_and_the_capability() -> None:
    from agent_desktop.domain.models import Channel, ResponseTarget

    target = ResponseTarget(first_response_s=60, next_response_s=90)
    queue = Queue(id="billing", name="Billing", response_targets={"chat": target})
    chat = contact_event("c-1", CONNECTED).contact.model_copy(update={"channel": Channel.CHAT})
    desk = Desk(AGENT_ID)
    desk.set_queues([queue])
    assert desk.sla_target(chat) == target
    off = Desk(AGENT_ID, capabilities=ContactCenterCapabilities(sla_clocks=False))
    off.set_queues([queue])
    assert off.sla_target(chat) is None
