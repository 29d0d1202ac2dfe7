"""The agent's optional features as ports, resolved once from the backends by the runtime (agent_desktop/app/
runtime.py): the contact center itself where it serves a feature, else a stand-in that refuses in one sentence
("Flags are not on this contact center."). The desk never holds None for a feature and never asks a port's type:
which keys are offered is read from the capabilities (commands.py)."""

from __future__ import annotations

from dataclasses import dataclass

from agent_desktop.domain.flag_protocol import AgentFlags, agent_flags
from agent_desktop.domain.messaging import Messaging, messaging_of
from agent_desktop.domain.quality_protocol import AgentQuality, agent_quality


@dataclass(frozen=True)
class AgentPorts:
    flags_backend: AgentFlags  # a flag raised to the supervisors, and its thread
    quality_backend: AgentQuality  # the agent's evaluations, acknowledged
    messaging: Messaging  # follow-ups to customers: its channels are the ones offered (none: the stand-in's)

    @classmethod
    def of(cls, contact_center: object) -> AgentPorts:
        return cls(
            flags_backend=agent_flags(contact_center),
            quality_backend=agent_quality(contact_center),
            messaging=messaging_of(contact_center),
        )
