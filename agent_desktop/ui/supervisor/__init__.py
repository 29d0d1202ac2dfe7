"""The supervisor's screen and widgets. Its drill-downs and dialogs load the first time one opens
(`supervisor.AgentDrilldown`), by the screens' one way of loading on demand (agent_desktop/ui/__init__.py)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent_desktop.ui.supervisor.broadcast_dialog import BroadcastDialog as BroadcastDialog
    from agent_desktop.ui.supervisor.drilldowns.agent_drilldown import AgentDrilldown as AgentDrilldown
    from agent_desktop.ui.supervisor.drilldowns.queue_drilldown import QueueDrilldown as QueueDrilldown
    from agent_desktop.ui.supervisor.evaluation_dialog import EvaluationDialog as EvaluationDialog

# Each screen loaded on demand (agent_desktop/ui/__init__.py says how and why) and its module, under this package.
ON_DEMAND = {
    "AgentDrilldown": "drilldowns.agent_drilldown",
    "BroadcastDialog": "broadcast_dialog",
    "EvaluationDialog": "evaluation_dialog",
    "QueueDrilldown": "drilldowns.queue_drilldown",
}


def __getattr__(name: str) -> object:
    """A screen of `ON_DEMAND`, its module imported the first time it is read (Python keeps it for the next)."""
    if name not in ON_DEMAND:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{ON_DEMAND[name]}"), name)
