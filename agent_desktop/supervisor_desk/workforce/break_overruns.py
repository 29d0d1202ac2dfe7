"""Breaks run over their limit: which agents are past their not-ready reason's maximum length, marked in
the agents table, and told to the supervisor once per break. No I/O, no terminal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.models import Agent
from agent_desktop.domain.vocabulary import AgentState


def overrun_s(agent: Agent, now: datetime) -> float | None:
    """How far past their break's limit the agent is (whole seconds past it); None when within it, or with none."""
    if agent.state is not AgentState.NOT_READY or agent.reason is None:
        return None
    limit = agent.break_limits.get(agent.reason)
    if limit is None:
        return None
    over = -limit.left_s(agent.state_since, now)
    return over if over >= 1 else None


def overrun_text(agent: Agent, over_s: float) -> str:
    limit = agent.break_limits[agent.reason or ""]
    return (
        f"{agent.name}: {agent.reason} over its {format_duration(limit.max_s, 'compact')} "
        f"by {format_duration(over_s, 'compact')}"
    )


class OverrunTracker:
    """Tells each break that runs over once: a break is the agent and when it began, so the next one is told
    again, and a break already over when the desk starts is told at its first tick."""

    def __init__(self) -> None:
        self._told: set[tuple[str, datetime]] = set()

    def update(self, agents: Iterable[Agent], now: datetime) -> list[tuple[Agent, float]]:
        """The agents whose break has run over since the last update, with how far."""
        fresh: list[tuple[Agent, float]] = []
        over_now: set[tuple[str, datetime]] = set()
        for agent in agents:
            over = overrun_s(agent, now)
            if over is None:
                continue
            key = (agent.id, agent.state_since)
            over_now.add(key)
            if key not in self._told:
                fresh.append((agent, over))
        self._told = over_now  # a break that ended is forgotten
        return fresh
