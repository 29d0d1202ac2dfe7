"""Contact-center rigs: the HTTP client against a real mock CCaaS on loopback, and the in-process engine.

Both are built from the same `MockSettings`, so the floor (queues, agents, dispositions) is the same; the
scenario drives the outside world through `place_call`, `customer_says`, `set_acw_timeout` and lets time
pass with `pass_time` (a real wait over HTTP, a clock step in-process).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.domain.models import Contact, TranscriptItem
from agent_desktop.domain.protocols import ContactCenter
from agent_desktop.domain.supervisor.protocol import SupervisorConsole
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from tests.support.crm_recipients import crm_recipients
from tests.support.in_process.mocks import InProcessMocks
from tests.support.protocol_rigs.served import served
from tests.support.seeded_crm import create_crm

OTHER_AGENT_ID = "agent-002"  # a simulated agent with billing skills (the simulator is off: they do nothing)
KINDS = ["http", "in_process"]
ROUTING_KINDS = [*KINDS, "twilio"]  # Twilio serves offers, accept/reject, timeouts and wrap-up (voice)
SUPERVISOR_KINDS = [*KINDS, "twilio"]  # Twilio: the floor from its statistics, polled; no move, no queue priority


class ContactCenterRig(Protocol):
    # Read-only here, so that a rig may hold its own backend's class.
    @property
    def backend(self) -> ContactCenter:
        """The demo agent's."""
        ...

    @property
    def other(self) -> ContactCenter:
        """Another agent's, on the same floor."""
        ...

    @property
    def supervisor_console(self) -> SupervisorConsole:
        """The supervisor's, on the same floor."""
        ...

    async def place_call(
        self, from_address: str, queue_id: str = "billing", channel: str = "voice", subject: str | None = None
    ) -> Contact: ...

    async def customer_says(self, contact_id: str, text: str) -> TranscriptItem: ...

    async def set_acw_timeout(self, queue_id: str, seconds: int) -> None: ...

    async def set_inactivity_timeout(self, queue_id: str, channel: str, seconds: int) -> None: ...

    async def set_wrap_up_rule(self, queue_id: str, channel: str, **rule: Any) -> None:
        """A supervisor sets the queue's wrap-up rule for a channel (not on Twilio, which has none)."""
        ...

    async def set_auto_accept(self, queue_id: str, channel: str, after_s: int | None) -> None:
        """A supervisor sets the queue's auto-accept of a channel (not on Twilio, which has none)."""
        ...

    async def pass_time(self, seconds: float) -> None: ...

    # Five minutes after a contact finished (Twilio deletes the task and its reservations then; the mock CCaaS
    # keeps them), and its callbacks delivered again, late (Twilio's; the others have none).
    async def forget_finished(self) -> None: ...

    async def redeliver(self, contact_id: str) -> None: ...

    # How the backend names the engine's queues, agents and contacts (the mock's ids, or a vendor's SIDs).
    def queue_ref(self, queue_id: str) -> str: ...

    def agent_ref(self, agent_id: str) -> str: ...

    def contact_ref(self, contact_id: str) -> str: ...


class SameIds:
    """The backend names things by the engine's own ids, and keeps finished contacts (no callbacks to resend)."""

    async def forget_finished(self) -> None:
        return None

    async def redeliver(self, contact_id: str) -> None:
        return None

    def queue_ref(self, queue_id: str) -> str:
        return queue_id

    def agent_ref(self, agent_id: str) -> str:
        return agent_id

    def contact_ref(self, contact_id: str) -> str:
        return contact_id


@dataclass
class HttpRig(SameIds):
    backend: HttpContactCenter
    other: HttpContactCenter
    supervisor_console: HttpSupervisorConsole
    supervisor: httpx.AsyncClient

    async def place_call(
        self, from_address: str, queue_id: str = "billing", channel: str = "voice", subject: str | None = None
    ) -> Contact:
        body: dict[str, Any] = {"queue_id": queue_id, "channel": channel, "from_address": from_address}
        if subject:
            body["subject"] = subject
        response = await self.supervisor.post("/v1/contacts", json=body)
        response.raise_for_status()
        return Contact.model_validate(response.json())

    async def customer_says(self, contact_id: str, text: str) -> TranscriptItem:
        response = await self.supervisor.post(f"/v1/contacts/{contact_id}/customer-messages", json={"text": text})
        response.raise_for_status()
        return TranscriptItem.model_validate(response.json())

    async def set_acw_timeout(self, queue_id: str, seconds: int) -> None:
        (await self.supervisor.patch(f"/v1/queues/{queue_id}", json={"acw_timeout_s": seconds})).raise_for_status()

    async def set_inactivity_timeout(self, queue_id: str, channel: str, seconds: int) -> None:
        await set_inactivity_timeout(self.supervisor, queue_id, channel, seconds)

    async def set_wrap_up_rule(self, queue_id: str, channel: str, **rule: Any) -> None:
        body = {"wrap_up": {channel: rule}}
        (await self.supervisor.patch(f"/v1/queues/{queue_id}", json=body)).raise_for_status()

    async def set_auto_accept(self, queue_id: str, channel: str, after_s: int | None) -> None:
        body = {"auto_accept": {channel: None if after_s is None else {"after_s": after_s}}}
        (await self.supervisor.patch(f"/v1/queues/{queue_id}", json=body)).raise_for_status()

    async def pass_time(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass
class InProcessRig(SameIds):
    backend: ContactCenter
    other: ContactCenter
    supervisor_console: SupervisorConsole
    mocks: InProcessMocks

    async def place_call(
        self, from_address: str, queue_id: str = "billing", channel: str = "voice", subject: str | None = None
    ) -> Contact:
        return await self.mocks.place_call(from_address, queue_id, channel, subject)

    async def customer_says(self, contact_id: str, text: str) -> TranscriptItem:
        return await self.mocks.customer_says(contact_id, text)

    async def set_acw_timeout(self, queue_id: str, seconds: int) -> None:
        await self.mocks.set_acw_timeout(queue_id, seconds)

    async def set_inactivity_timeout(self, queue_id: str, channel: str, seconds: int) -> None:
        await self.mocks.set_inactivity_timeout(queue_id, channel, seconds)

    async def set_wrap_up_rule(self, queue_id: str, channel: str, **rule: Any) -> None:
        await self.mocks.set_wrap_up_rule(queue_id, channel, **rule)

    async def set_auto_accept(self, queue_id: str, channel: str, after_s: int | None) -> None:
        await self.mocks.set_auto_accept(queue_id, channel, after_s)

    async def pass_time(self, seconds: float) -> None:
        self.mocks.time.advance(seconds)
        await asyncio.sleep(0)  # the event readers take what was published


async def set_inactivity_timeout(supervisor: httpx.AsyncClient, queue_id: str, channel: str, seconds: int) -> None:
    """A supervisor sets a queue's customer inactivity timeout on the mock CCaaS (on Twilio: the conversation's
    closed timer, `timers.closed`)."""
    body = {"inactivity_timeout_s": {channel: seconds}}
    (await supervisor.patch(f"/v1/queues/{queue_id}/conversation-settings", json=body)).raise_for_status()


def rig_settings(data_dir: Path, *, offer_timeout_s: float = 20.0) -> MockSettings:
    """Small seeded data, no simulator; the customers' side of a chat at ten times human speed."""
    return MockSettings(
        data_dir=data_dir,
        seed=7,
        customers=60,
        experts=20,
        simulator=False,
        offer_timeout_s=offer_timeout_s,
        speed=10.0,
        fresh=True,
    )


@asynccontextmanager
async def contact_center_rig(kind: str, data_dir: Path, **settings: Any) -> AsyncIterator[ContactCenterRig]:
    config = rig_settings(data_dir, **settings)
    if kind == "twilio":
        from tests.support.protocol_rigs.twilio import twilio_rig

        async with twilio_rig(config, DEMO_AGENT_ID, OTHER_AGENT_ID) as twilio:
            yield twilio
    elif kind == "http":
        ccaas = create_ccaas(config)
        ccaas.state.recipients = crm_recipients(create_crm(config))  # follow-ups' consent, as `mocks` wires it
        async with served(ccaas, DEMO_SUPERVISOR_TOKEN) as (url, supervisor):
            rig = HttpRig(
                HttpContactCenter(url, DEMO_AGENT_TOKEN, DEMO_AGENT_ID),
                HttpContactCenter(url, f"{OTHER_AGENT_ID}-token", OTHER_AGENT_ID),
                HttpSupervisorConsole(url, DEMO_SUPERVISOR_TOKEN),
                supervisor,
            )
            try:
                yield rig
            finally:
                for backend in (rig.backend, rig.other, rig.supervisor_console):
                    await backend.aclose()
    else:
        mocks = InProcessMocks(config)
        try:
            yield InProcessRig(mocks.contact_center(), mocks.contact_center(OTHER_AGENT_ID), mocks.supervisor(), mocks)
        finally:
            await mocks.aclose()
