"""Agents' registered softphones: where the mock rings an agent's real calls (`PUT /v1/agents/{id}/softphone`).

Kept in memory, as a registrar keeps its bindings: a restart of the mock forgets them, and the desk registers again.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from agent_desktop_mocks.ccaas.voice.contact_uri import SipContact


class SoftphoneRegistration(BaseModel):
    """The request: the agent's softphone as a SIP contact on this machine."""

    model_config = ConfigDict(extra="forbid")

    contact_uri: str = Field(
        max_length=256,
        description="`sip:[user@]127.x.y.z[:port]` (port 5060 if none): IPv4 loopback only, no parameters or headers",
        examples=["sip:agent@127.0.0.1:5070"],
    )


class Softphone(BaseModel):
    """The answer: the agent's registered softphone."""

    agent_id: str
    contact_uri: str = Field(description="As registered, in normal form (`sip:user@host:port`)")
    registered_at: datetime


class Softphones:
    def __init__(self) -> None:
        self._by_agent: dict[str, tuple[SipContact, datetime]] = {}

    def register(self, agent_id: str, contact: SipContact, at: datetime) -> Softphone:
        self._by_agent[agent_id] = (contact, at)
        return Softphone(agent_id=agent_id, contact_uri=contact.uri, registered_at=at)

    def forget(self, agent_id: str) -> bool:
        return self._by_agent.pop(agent_id, None) is not None

    def registered(self) -> bool:
        """Whether any softphone is registered: the real voice path is in use."""
        return bool(self._by_agent)

    def contact(self, agent_id: str) -> SipContact | None:
        found = self._by_agent.get(agent_id)
        return found[0] if found else None

    def of(self, agent_id: str) -> Softphone | None:
        found = self._by_agent.get(agent_id)
        if found is None:
            return None
        return Softphone(agent_id=agent_id, contact_uri=found[0].uri, registered_at=found[1])
