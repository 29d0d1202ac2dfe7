"""The desktop's HTTP clients against the real mock servers: they parse what the servers send."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.http.presence import HttpPresenceDirectory
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    AgentState,
    AgentStateEvent,
    Channel,
    ContactState,
    InteractionCreate,
    OfferEvent,
    PresenceEvent,
)
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.demo_people import callers
from tests.support.narrowing import present
from tests.support.scenes.scenes import scene_servers
from tests.support.streams import close_stream

T = TypeVar("T")


async def next_of(events: AsyncIterator[object], kind: type[T], timeout_s: float = 10.0) -> T | None:
    """The next event of `kind` (None if the stream ends first)."""

    async def find() -> T | None:
        async for item in events:
            if isinstance(item, kind):
                return item
        return None

    return await asyncio.wait_for(find(), timeout_s)


async def test_contact_center_client_follows_an_offer_to_completion(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        cc = HttpContactCenter(servers.ccaas_url, "demo-agent-token", "agent-001")
        events = cc.events()
        try:
            link = await next_of(events, LinkStatus)
            assert present(link).connected
            first = await next_of(events, AgentStateEvent)
            assert present(first).agent.state is AgentState.OFFLINE  # the resync snapshot comes first

            agent = await cc.set_state(AgentState.AVAILABLE)
            assert agent.state is AgentState.AVAILABLE
            queue = {q.id: q for q in await cc.list_queues()}["billing"]
            assert queue.dispositions
            colleagues = {c.id: c for c in await cc.list_colleagues()}  # the transfer directory
            assert colleagues["agent-001"].state is AgentState.AVAILABLE
            assert "billing" in colleagues["agent-001"].queues
            assert colleagues["agent-002"].name
            assert colleagues["agent-002"].state is AgentState.OFFLINE

            servers.place_call("+15125550100")
            offer = present(await next_of(events, OfferEvent)).offer
            assert offer.contact.from_address == "+15125550100"
            assert offer.expires_at > offer.offered_at

            contact = await cc.accept_offer(offer.id)
            assert contact.state is ContactState.CONNECTED
            with pytest.raises(BackendError) as twice:
                await cc.accept_offer(offer.id)
            assert twice.value.status == 409
            assert twice.value.state == "accepted"

            assert (await cc.end_contact(contact.id)).state is ContactState.AFTER_CONTACT_WORK
            with pytest.raises(BackendError) as bad:
                await cc.complete_contact(contact.id, "Not a disposition")
            assert bad.value.status == 422
            done = await cc.complete_contact(contact.id, queue.dispositions[0])
            assert done.state is ContactState.COMPLETED
            assert done.disposition == queue.dispositions[0]
            assert await cc.list_contacts() == []
        finally:
            await close_stream(events)
            await cc.aclose()


async def test_crm_client_lookup_record_and_idempotent_write(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=50) as servers:
        crm = HttpCrm(servers.crm_url, "demo-crm-token")
        caller = callers(42, 50)[5]
        try:
            found = await crm.lookup(caller.email.upper())
            assert found.matched_on == "email"
            assert found.customers[0].name == caller.name
            record = await crm.customer_record(found.customers[0].id)
            assert record.customer.id == found.customers[0].id

            write = InteractionCreate(
                customer_id=record.customer.id,
                contact_id="c-000099",
                channel=Channel.CHAT,
                agent_id="agent-001",
                queue_id="billing",
                disposition="Resolved",
                notes="Explained the invoice.",
            )
            first = await crm.log_interaction(write, "key-1")
            again = await crm.log_interaction(write, "key-1")
            assert again.id == first.id
            history = await crm.list_interactions(record.customer.id)
            assert [i.id for i in history].count(first.id) == 1
            assert history[0].id == first.id

            with pytest.raises(BackendError) as conflict:
                await crm.log_interaction(write.model_copy(update={"notes": "changed"}), "key-1")
            assert conflict.value.status == 422
        finally:
            await crm.aclose()


async def test_presence_client_lists_experts_free_first_and_streams_changes(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        presence = HttpPresenceDirectory(servers.presence_url, "demo-presence-token")
        events = presence.events()
        try:
            experts = await presence.list_experts()
            assert experts
            assert experts[0].presence.availability.is_free
            assert present(await next_of(events, LinkStatus)).connected
            httpx.put(
                f"{servers.presence_url}/v1/people/{experts[0].id}/presence",
                json={"availability": "DoNotDisturb", "activity": "Presenting", "status_message": "Board review"},
                headers={"Authorization": "Bearer demo-presence-token"},
            ).raise_for_status()
            change = await next_of(events, PresenceEvent)
            assert present(change).person_id == experts[0].id
            assert present(change).presence.status_message == "Board review"
        finally:
            await close_stream(events)
            await presence.aclose()


async def test_a_backend_that_is_down_is_a_lost_link_not_a_crash() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    cc = HttpContactCenter(f"http://127.0.0.1:{port}", "t", "agent-001")
    events = cc.events()
    try:
        link = await next_of(events, LinkStatus)
        assert not present(link).connected
        assert present(link).backend == "contact center"
        with pytest.raises(BackendError, match="cannot reach contact center"):
            await cc.get_agent()
    finally:
        await close_stream(events)
        await cc.aclose()


def test_wrong_token_is_reported_not_raised_as_a_crash(tmp_path: Path) -> None:
    async def run(url: str) -> None:
        crm = HttpCrm(url, "wrong-token")
        try:
            with pytest.raises(BackendError) as error:
                await crm.lookup("+15125550100")
            assert error.value.status == 401
        finally:
            await crm.aclose()

    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        asyncio.run(run(servers.crm_url))
