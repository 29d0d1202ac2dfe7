"""An agent's own requests: the state they choose now, or the one they take once their hand is empty."""

from __future__ import annotations

from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid
from agent_desktop_mocks.ccaas.core.parts.part import Part
from agent_desktop_mocks.ccaas.core.transitions import choose_action, require_agent
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, AgentState, NextState

CHOOSABLE = (AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE)


class AgentRequests(Part):
    def set_agent_state(
        self, agent_id: str, state: AgentState, reason: str | None = None, *, by_supervisor: bool = False
    ) -> Agent:
        shared = self._state
        agent = self._read.agent(agent_id)
        if state not in CHOOSABLE:
            raise Conflict(f"an agent cannot set themselves {state.value}", agent.state)
        offer_id = shared.offer_of.get(agent_id)
        action = choose_action(state, by_supervisor=by_supervisor)
        require_agent(agent, action, has_offer=offer_id is not None, has_hand=bool(shared.hand[agent_id]))
        reason = _checked_reason(agent, state, reason)
        if offer_id:
            self._offers.cancel(shared.offers[offer_id], requeue=True)
        if shared.chosen[agent_id] == (state, reason) and agent.next_state is None:
            return agent  # nothing changes (an available agent keeps their place)
        shared.chosen[agent_id] = (state, reason)
        agent.next_state = None
        self._floor.refresh(agent_id, force=True)
        return agent

    def set_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> Agent:
        shared = self._state
        agent = self._read.agent(agent_id)
        if state is None:
            agent.next_state = None
        else:
            if state not in CHOOSABLE:
                raise Conflict(f"an agent cannot set themselves {state.value}", agent.state)
            reason = _checked_reason(agent, state, reason)
            if not shared.hand[agent_id] and agent_id not in shared.offer_of:
                shared.chosen[agent_id] = (state, reason)  # nothing to finish: it applies now
                agent.next_state = None
            else:
                agent.next_state = NextState(state=state, reason=reason)
        self._floor.refresh(agent_id, force=True)
        return agent


def _checked_reason(agent: Agent, state: AgentState, reason: str | None) -> str | None:
    if state != AgentState.NOT_READY:
        return None
    if reason not in agent.not_ready_reasons:
        raise Invalid("reason", f"not_ready needs a reason, one of {agent.not_ready_reasons}", reason)
    return reason
