"""The supervisor's screen and widgets. Its drill-downs and dialogs load the first time one opens
(`supervisor.AgentDrilldown`), by the screens' one way of loading on demand (agent_desktop/ui/__init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop import on_demand

if TYPE_CHECKING:
    from agent_desktop.ui.supervisor.broadcast_dialog import BroadcastDialog as BroadcastDialog
    from agent_desktop.ui.supervisor.drilldowns.agent_drilldown import AgentDrilldown as AgentDrilldown
    from agent_desktop.ui.supervisor.drilldowns.queue_drilldown import QueueDrilldown as QueueDrilldown
    from agent_desktop.ui.supervisor.quality.evaluation_dialog import EvaluationDialog as EvaluationDialog

# Each screen loaded on demand (agent_desktop/ui/__init__.py says how and why) and its module, under this package.
ON_DEMAND = {
    "AgentDrilldown": "drilldowns.agent_drilldown",
    "BroadcastDialog": "broadcast_dialog",
    "EvaluationDialog": "quality.evaluation_dialog",
    "QueueDrilldown": "drilldowns.queue_drilldown",
}


__getattr__ = on_demand(__name__, ON_DEMAND)
