"""The domain: the vocabulary, the backends' protocols and models, capabilities and errors, PCI
masking. Stands on no terminal, no HTTP client and no other package of the desk.

The wire models of what only a key asks for (the agent's day and schedule: My day, `d`) load the first time an
adapter reads one (`domain.AgentDay`), by the desk's one way of loading on demand (agent_desktop/__init__.py); the
protocols name them for the type checker only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop import on_demand

if TYPE_CHECKING:
    from agent_desktop.domain.workforce.agent_day import AgentDay as AgentDay
    from agent_desktop.domain.workforce.models import AgentSchedule as AgentSchedule

# Each model loaded on demand and its module, under this package.
ON_DEMAND = {
    "AgentDay": "workforce.agent_day",
    "AgentSchedule": "workforce.models",
}


__getattr__ = on_demand(__name__, ON_DEMAND)
