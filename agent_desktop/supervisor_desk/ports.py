"""The supervisor's optional features as ports, resolved once by the runtime (agent_desktop/app/runtime.py) from the
console: the console itself where its contact center serves a feature, else a stand-in that refuses in one sentence
("Monitoring is not on this contact center."). The desk never holds None for a feature and never asks a port's type:
whether each is served is said beside it, and the command table reads that (`SupervisorCapabilities`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_desktop.domain.assist.protocol import AssistModel, NoAssist, assist_model
from agent_desktop.domain.capabilities import contact_center_capabilities
from agent_desktop.domain.flags.protocol import SupervisorFlags, serves_supervisor_flags, supervisor_flags
from agent_desktop.domain.monitoring.protocol import MonitoringConsole, monitoring_console, serves_monitoring
from agent_desktop.domain.quality.protocol import SupervisorQuality, serves_supervisor_quality, supervisor_quality
from agent_desktop.domain.supervisor.protocol import SupervisorConsole
from agent_desktop.supervisor_desk.desk import SupervisorCapabilities


def kept_nowhere(record: object) -> None:
    """Where a supervisor's record (a join, a mode change, a leave, an evaluation released) goes when the CRM keeps no
    such records (its capability `supervision`): nowhere, as the runtime decided once; nobody is told, as the
    supervisor has nothing to do about it."""


@dataclass(frozen=True)
class SupervisorPorts:
    monitoring_console: MonitoringConsole
    flags_console: SupervisorFlags  # flags and broadcasts
    quality_console: SupervisorQuality  # evaluations of finished contacts
    capabilities: SupervisorCapabilities  # what is served: the keys offered
    # The assistant's model (`[assist]`), for automated evaluations: the stand-in that refuses unless configured.
    assist: AssistModel = field(default_factory=NoAssist)

    @classmethod
    def of(cls, console: SupervisorConsole, assist: object = None) -> SupervisorPorts:
        can = contact_center_capabilities(console)
        capabilities = SupervisorCapabilities(
            queue_priority=can.queue_priority,
            native_next_state=can.native_next_state,
            monitoring=serves_monitoring(console),
            flags=can.flags and serves_supervisor_flags(console),
            broadcasts=can.broadcasts and serves_supervisor_flags(console),
            workforce=can.workforce,
            quality=serves_supervisor_quality(console),
        )
        return cls(
            monitoring_console=monitoring_console(console),
            flags_console=supervisor_flags(console),
            quality_console=supervisor_quality(console),
            capabilities=capabilities,
            assist=assist_model(assist) if assist is not None else NoAssist(),
        )
