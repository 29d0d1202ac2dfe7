"""A break with a limit: the time left of the agent's not-ready reason, or how far past it they are, as
their status line shows it. No I/O, no terminal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.models import Agent, BreakLimit
from agent_desktop.domain.vocabulary import AgentState, Channel


@dataclass(frozen=True)
class BreakClock:
    limit: BreakLimit
    left_s: float  # negative once over the limit

    @property
    def over(self) -> bool:
        """Past the limit: a whole second past it, as the timer beside it shows whole seconds."""
        return self.left_s <= -1

    @property
    def text(self) -> str:
        """`12:04 left`, then `over by 0:37`."""
        if self.over:
            return f"over by {format_duration(-self.left_s, 'short')}"
        return f"{format_duration(self.left_s, 'short')} left"


def limit_of(agent: Agent, capabilities: ContactCenterCapabilities) -> BreakLimit | None:
    """The limit of the break the agent is on; None when they are not on one, or it has none."""
    if not capabilities.break_limits or agent.state is not AgentState.NOT_READY or agent.reason is None:
        return None
    return agent.break_limits.get(agent.reason)


def break_clock(agent: Agent, capabilities: ContactCenterCapabilities, now: datetime) -> BreakClock | None:
    limit = limit_of(agent, capabilities)
    return BreakClock(limit, limit.left_s(agent.state_since, now)) if limit is not None else None


def limit_words(limit: BreakLimit | None) -> str:
    """How the state picker describes a reason's limit: `15 min`, `15 min, pauses voice and chat`; '' for none."""
    if limit is None:
        return ""
    minutes, seconds = divmod(limit.max_s, 60)
    words = f"{minutes} min" if not seconds else format_duration(limit.max_s, "short")
    paused = [channel for channel in Channel if channel in limit.pauses]
    if paused and len(paused) < len(Channel):
        names = [channel.value for channel in paused]
        words += ", pauses " + (" and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1])
    return words
