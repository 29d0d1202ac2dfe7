"""The presence directory as the desk uses it: every message to an expert is PCI-masked before it
is sent, whichever implementation (HTTP, XMPP) carries it. The one place escalations are masked."""

from __future__ import annotations

from collections.abc import AsyncIterator

from agent_desktop.domain.models import Expert, ExpertMessage, ExpertMessageEvent, PresenceEvent
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.protocols import PresenceDirectory
from agent_desktop.domain.streams.link_status import LinkStatus


class PciMaskedPresence:
    """Wraps a `PresenceDirectory`; `inner` is the implementation the configuration chose."""

    def __init__(self, inner: PresenceDirectory) -> None:
        self.inner = inner

    async def list_experts(self, query: str = "", skill: str | None = None) -> list[Expert]:
        return await self.inner.list_experts(query, skill)

    async def send_message(self, person_id: str, text: str, sender: str | None = None) -> ExpertMessage:
        return await self.inner.send_message(person_id, mask_pci(text), sender)

    def events(self) -> AsyncIterator[PresenceEvent | ExpertMessageEvent | LinkStatus]:
        return self.inner.events()

    async def aclose(self) -> None:
        await self.inner.aclose()
