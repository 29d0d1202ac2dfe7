"""The Twilio floor on loopback: the mock CCaaS (its engine and clock), the Twilio-shaped mock over it, and
the Twilio event relay its signed Event Callbacks go to; the desk's backend is `TwilioContactCenter` reading
TaskRouter through a transport that checks every exchange against Twilio's pinned spec."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from agent_desktop.adapters.twilio.contact_center import TwilioConfig, TwilioContactCenter
from agent_desktop.adapters.twilio.supervisor import TwilioSupervisorConsole
from agent_desktop.domain.models import Contact, TranscriptItem
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import RunningServers, serve_in_thread
from agent_desktop_mocks.twilio.app import create_app as create_twilio
from agent_desktop_mocks.twilio.settings import (
    DEMO_ACCOUNT_SID,
    DEMO_API_KEY_SECRET,
    DEMO_API_KEY_SID,
    DEMO_AUTH_TOKEN,
    DEMO_WORKSPACE_SID,
)
from agent_desktop_relay.app import create_app as create_relay
from agent_desktop_relay.credentials import reader_token
from agent_desktop_relay.settings import RelaySettings
from agent_desktop_relay.store import Kept
from tests.contract.twilio_contract import TwilioContractTransport

RELAY_SECRET = "relay-secret-for-tests-0123456789abcdef"


def relay_token(worker_sid: str) -> str:
    """The desk's credential for its worker's stream (what `agent-desktop-twilio-relay token WK…` prints)."""
    return reader_token(RELAY_SECRET, worker_sid)


@dataclass
class TwilioFloor:
    running: RunningServers
    ccaas_url: str
    twilio_url: str
    relay_url: str
    twilio_app: FastAPI
    relay_app: FastAPI
    transports: list[TwilioContractTransport] = field(default_factory=list)

    def worker_sid(self, agent_id: str) -> str:
        sid: str = self.twilio_app.state.twilio.sids.of("WK", agent_id)
        return sid

    def config(self, agent_id: str, **options: Any) -> TwilioConfig:
        return TwilioConfig(
            account_sid=DEMO_ACCOUNT_SID,
            api_key_sid=DEMO_API_KEY_SID,
            api_key_secret=DEMO_API_KEY_SECRET,
            workspace_sid=DEMO_WORKSPACE_SID,
            worker_sid=self.worker_sid(agent_id),
            base_url=self.twilio_url,
            api_base_url=self.twilio_url,
            flex_base_url=self.twilio_url,
            conversations_base_url=self.twilio_url,
            relay_url=self.relay_url,
            relay_token=relay_token(self.worker_sid(agent_id)),
            dispositions={q.name: q.dispositions for q in self.twilio_app.state.twilio.engine.read.queues()},
            **options,
        )

    def backend(self, agent_id: str, **options: Any) -> TwilioContactCenter:
        """A desk's backend whose every TaskRouter exchange is checked against the pinned spec."""
        transport = TwilioContractTransport()
        self.transports.append(transport)
        return TwilioContactCenter(self.config(agent_id, **options), transport=transport, heartbeat_timeout_s=5.0)

    def supervisor_console(self, poll_s: float = 0.5) -> TwilioSupervisorConsole:
        """The supervisor's console (a supervisor is a worker too: the demo agent's key), its every TaskRouter
        exchange checked against the pinned spec."""
        transport = TwilioContractTransport()
        self.transports.append(transport)
        return TwilioSupervisorConsole(self.config("agent-001"), poll_s=poll_s, transport=transport)

    def kept(self, worker_sid: str) -> list[Kept]:
        """The events the relay keeps for the worker (what Twilio sent it, routed), or for a call (`CA…`: its
        transcription lines), oldest first."""
        kept: list[Kept] = self.relay_app.state.store.kept(worker_sid)
        return kept

    def task_sid(self, contact_id: str) -> str:
        """The SID of the contact's task now (a Flex Interactions Invite makes a new one)."""
        sid: str = self.twilio_app.state.twilio.task_sid(contact_id)
        return sid

    def sid(self, prefix: str, key: str) -> str:
        """The SID the Twilio-shaped mock gives the engine's id (WQ a queue, WK an agent, WT a contact)."""
        sid: str = self.twilio_app.state.twilio.sids.of(prefix, key)
        return sid


@asynccontextmanager
async def twilio_floor(settings: MockSettings) -> AsyncIterator[TwilioFloor]:
    ccaas = create_ccaas(settings)
    twilio = create_twilio(ccaas)
    relay = create_relay(RelaySettings(auth_token=DEMO_AUTH_TOKEN, secret=RELAY_SECRET, heartbeat_s=2.0))
    running = serve_in_thread([ccaas, twilio, relay])
    state = twilio.state.twilio
    # The relay's port is known only now: the workspace's Event Callback URL is set as an admin would.
    callback_url = f"{running.urls[2]}/twilio/events"
    state.settings = state.settings.model_copy(update={"event_callback_url": callback_url})
    try:
        yield TwilioFloor(running, running.urls[0], running.urls[1], running.urls[2], twilio, relay)
    finally:
        running.stop()


@dataclass
class TwilioRig:
    """The contact-center rig (tests/support/protocol_rigs/contact_center.py) on the Twilio floor."""

    backend: TwilioContactCenter
    other: TwilioContactCenter
    supervisor_console: TwilioSupervisorConsole
    supervisor: httpx.AsyncClient
    floor: TwilioFloor

    def queue_ref(self, queue_id: str) -> str:
        return self.floor.sid("WQ", queue_id)

    def agent_ref(self, agent_id: str) -> str:
        return self.floor.sid("WK", agent_id)

    def contact_ref(self, contact_id: str) -> str:
        return self.floor.task_sid(contact_id)

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
        """The customer writes (through the mock CCaaS, as its chat widget would); the item as the Twilio
        backend names it (its Message SID, its task's SID)."""
        response = await self.supervisor.post(f"/v1/contacts/{contact_id}/customer-messages", json={"text": text})
        response.raise_for_status()
        item = TranscriptItem.model_validate(response.json())
        return item.model_copy(
            update={"id": self.floor.sid("IM", item.id), "contact_id": self.floor.task_sid(contact_id)}
        )

    async def set_acw_timeout(self, queue_id: str, seconds: int) -> None:
        (await self.supervisor.patch(f"/v1/queues/{queue_id}", json={"acw_timeout_s": seconds})).raise_for_status()

    async def set_inactivity_timeout(self, queue_id: str, channel: str, seconds: int) -> None:
        from tests.support.protocol_rigs.contact_center import set_inactivity_timeout

        await set_inactivity_timeout(self.supervisor, queue_id, channel, seconds)

    async def set_wrap_up_rule(self, queue_id: str, channel: str, **rule: Any) -> None:
        raise NotImplementedError("Twilio has no wrap-up rule of a queue")

    async def set_auto_accept(self, queue_id: str, channel: str, after_s: int | None) -> None:
        raise NotImplementedError("Twilio has no auto-accept of a queue")

    async def pass_time(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def forget_finished(self) -> None:
        """Five minutes pass for what finished: TaskRouter deletes completed and canceled tasks (retention.py)."""
        state = self.floor.twilio_app.state.twilio
        state.settings = state.settings.model_copy(update={"task_retention_s": 0.0})

    async def redeliver(self, contact_id: str) -> None:
        """The contact's task.* and reservation.* callbacks sent again (as Twilio retries one, or a relay
        replays it), newest last: they name a task TaskRouter may have deleted by now. `contact_id` as the
        desk names it (the task's SID). Each under a new event Sid: the relay drops a byte-identical request
        within its replay window, so this stands for one it has not taken (a late delivery, another relay's)."""
        callbacks, task_sid = self.floor.twilio_app.state.callbacks, contact_id
        history = list(
            callbacks.history.read(datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC), TaskSid=task_sid)
        )
        for event in reversed(history):
            callbacks.queue.put_nowait(event.params | {"Sid": "EV" + secrets.token_hex(16)})


@asynccontextmanager
async def twilio_rig(settings: MockSettings, agent_id: str, other_id: str) -> AsyncIterator[TwilioRig]:
    async with twilio_floor(settings) as floor:
        supervisor = httpx.AsyncClient(
            base_url=floor.ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=5
        )
        rig = TwilioRig(floor.backend(agent_id), floor.backend(other_id), floor.supervisor_console(), supervisor, floor)
        try:
            yield rig
        finally:
            for backend in (rig.backend, rig.other, rig.supervisor_console):
                await backend.aclose()
            await supervisor.aclose()
