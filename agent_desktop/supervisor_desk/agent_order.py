"""Which agents the supervisor's agents table lists, and in what order: the filter's words and the four sorts."""

from __future__ import annotations

from agent_desktop.domain.models import Agent, Contact
from agent_desktop.domain.vocabulary import AgentState

AGENT_SORTS = ("name", "state", "time in state", "contacts")
# By state: who needs the supervisor first (missed an offer, not ready), the logged-out last.
STATE_ORDER = {
    AgentState.MISSED: 0,
    AgentState.NOT_READY: 1,
    AgentState.AVAILABLE: 2,
    AgentState.OFFERED: 3,
    AgentState.BUSY: 4,
    AgentState.AFTER_CONTACT_WORK: 5,
    AgentState.OFFLINE: 6,
}


def next_agent_sort(current: str) -> str:
    return AGENT_SORTS[(AGENT_SORTS.index(current) + 1) % len(AGENT_SORTS)]


def contacts_text(contacts: list[Contact]) -> str:
    """`2: Billing, Sales`: how many contacts the agent has in hand, and their queues."""
    if not contacts:
        return ""
    queues = ", ".join(sorted({c.queue_name for c in contacts}))
    return f"{len(contacts)}: {queues}"


def matches(agent: Agent, contacts: list[Contact], filter_text: str) -> bool:
    """Every word of the filter is in the agent's id, name, state, reason or queues (any case)."""
    if not filter_text:
        return True
    haystack = " ".join([agent.id, agent.name, agent.state.label, agent.reason or "", contacts_text(contacts)])
    return all(word in haystack.casefold() for word in filter_text.casefold().split())


def sort_value(agent: Agent, contacts: list[Contact], sort_by: str) -> tuple[object, ...]:
    """The agent's place in `sort_by` order; ties by name, then id, so the order is stable."""
    if sort_by == "state":
        return (STATE_ORDER.get(agent.state, 9), agent.state_since, agent.name.casefold(), agent.id)
    if sort_by == "time in state":
        return (agent.state_since, agent.name.casefold(), agent.id)
    if sort_by == "contacts":
        return (-len(contacts), agent.name.casefold(), agent.id)
    return (agent.name.casefold(), agent.id)
