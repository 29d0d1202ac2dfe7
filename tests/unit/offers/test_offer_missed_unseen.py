"""An offer the desk never showed (its events unread during a 429 storm or a link down) that expired: the agent
reads it in words, once, not only the state line turning Missed. An offer that was shown and
missed keeps its own words (the offer card's), without this one."""

from __future__ import annotations

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import AgentState, OfferState
from tests.support.desk_events import AGENT_ID, agent_event, offer_closed, offer_event

UNREACHABLE = "while the contact center was unreachable: it was never shown here"


def _notices(desk: Desk) -> list[str]:
    return [n.text for n in desk.take_changes().notices]


def _available_desk() -> Desk:
    desk = Desk(AGENT_ID)
    desk.apply(agent_event(AgentState.AVAILABLE))
    desk.take_changes()
    return desk


def test_a_missed_state_with_no_offer_shown_says_an_offer_was_missed_unseen() -> None:
    desk = _available_desk()
    desk.apply(agent_event(AgentState.MISSED))
    [said] = _notices(desk)
    assert said.startswith("You missed an offer " + UNREACHABLE)
    assert "press v" in said
    desk.apply(agent_event(AgentState.NOT_READY))
    desk.apply(agent_event(AgentState.MISSED))  # a second miss later is said again
    assert any(UNREACHABLE in text for text in _notices(desk))


def test_an_unseen_offer_that_expired_is_said_with_its_caller_once() -> None:
    desk = _available_desk()
    desk.apply(offer_closed("c-9", OfferState.EXPIRED))
    [said] = _notices(desk)
    assert f"You missed an offer from (415) 555-0009 {UNREACHABLE}" in said  # the number as the desk writes one
    desk.apply(agent_event(AgentState.MISSED))
    assert _notices(desk) == [], "the state that follows does not say it twice"


def test_an_offer_shown_then_missed_is_not_said_as_unseen() -> None:
    desk = _available_desk()
    desk.apply(offer_event("c-3"))
    desk.apply(offer_closed("c-3", OfferState.EXPIRED))
    desk.apply(agent_event(AgentState.MISSED))
    assert desk.missed_offer is not None
    assert not [text for text in _notices(desk) if UNREACHABLE in text]


def test_an_offer_the_agent_rejected_is_not_said_as_unseen() -> None:
    """`r`: the offer leaves the desk at once, then the contact center says Missed (reason Rejected). Seen in
    the demo: the agent who had just rejected an offer was told they missed one while the link was down."""
    desk = _available_desk()
    desk.apply(offer_event("c-3"))
    desk.apply(agent_event(AgentState.OFFERED))
    assert desk.reject_offer() is not None
    desk.apply(agent_event(AgentState.MISSED))
    desk.apply(offer_closed("c-3", OfferState.REJECTED))
    assert not [text for text in _notices(desk) if UNREACHABLE in text]
    desk.apply(agent_event(AgentState.AVAILABLE))
    desk.apply(agent_event(AgentState.MISSED))  # a miss later, with no offer shown: said as unseen again
    assert any(UNREACHABLE in text for text in _notices(desk))
