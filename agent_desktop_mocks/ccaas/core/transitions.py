"""The transition tables: which actions each contact state, offer state and agent situation allows.

One guard per kind of record. A refused action is a `Conflict` (409) that names the current state.
"""

from __future__ import annotations

from agent_desktop_mocks.ccaas.core.errors import Conflict
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    TALKING,
    WAITING,
    Agent,
    AgentState,
    Contact,
    ContactState,
    OfferState,
)

C = ContactState
CONTACT_ACTIONS: dict[str, frozenset[ContactState]] = {
    "hold": frozenset({C.CONNECTED}),
    "resume": frozenset({C.ON_HOLD}),
    "end": TALKING,
    "take_over": TALKING,
    "complete": frozenset({C.AFTER_CONTACT_WORK}),
    "extend_wrap_up": frozenset({C.AFTER_CONTACT_WORK}),
    "transfer": TALKING,
    "consult": TALKING,
    "complete_consult": TALKING,
    "cancel_consult": TALKING,
    "move": frozenset({C.QUEUED}),
    "abandon": WAITING,
    "callback": frozenset({C.QUEUED}),
    "voicemail": frozenset({C.QUEUED}),
}

OFFER_ACTIONS: dict[str, frozenset[OfferState]] = {
    "accept": frozenset({OfferState.PENDING}),
    "reject": frozenset({OfferState.PENDING}),
}

# An agent's state is derived (busy, offered… come from what they hold), so an agent's own
# requests are checked against what they hold: a pending offer, contacts in hand.
AGENT_FORBIDDEN: dict[str, tuple[str, ...]] = {
    "choose_available": ("offer",),
    "choose_not_ready": ("offer", "hand"),
    "choose_offline": ("offer", "hand"),
    "supervisor_offline": ("hand",),  # a supervisor may sign out an agent with an offer (it is cancelled)
}
HOLDING_DETAIL = {
    "offer": "agent has a pending offer",
    "hand": "agent has a contact in hand (request a next state instead)",
}


def require_contact(contact: Contact, action: str) -> None:
    if contact.state not in CONTACT_ACTIONS[action]:
        raise Conflict(f"contact is {contact.state.value}", contact.state)


def require_offer(state: OfferState, action: str) -> None:
    if state not in OFFER_ACTIONS[action]:
        raise Conflict(f"offer is {state.value}", state)


def require_agent(agent: Agent, action: str, *, has_offer: bool, has_hand: bool) -> None:
    holding = {"offer": has_offer, "hand": has_hand}
    for what in AGENT_FORBIDDEN[action]:
        if holding[what]:
            raise Conflict(HOLDING_DETAIL[what], agent.state)


def choose_action(state: AgentState, *, by_supervisor: bool) -> str:
    if state == AgentState.OFFLINE and by_supervisor:
        return "supervisor_offline"
    return f"choose_{state.value}"
