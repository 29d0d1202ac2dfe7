"""Two calls at once on real processes: an agent talking on a real call is not rung by a second caller
of the same queue. The mock's capacity makes voice exclusive (`free_channels`: no offer of any kind while a voice
call is in hand, its wrap-up included), and this proves it where the agent would notice: the agent's own baresip,
driven through the desk's adapter (`BaresipSoftphone`), gets no second INVITE and tells no second incoming call while
the first is up; the second caller is not dropped but waits (queued at the mock's API, no offer made, no caller's
call placed: the mock dials a caller only when its contact is offered); and once the agent hangs the first call up
and completes its wrap-up, the second is offered and rings the same softphone, its INVITE naming that contact.

The behaviour was right when this test was written (nothing to fix): it guards it. With voice counted like the other
channels in `free_channels`, the second call rings during the first and the test fails at once. Heavy (softphones,
the callers' speech synthesis): run alone (exclusive)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind, EndedBy
from tests.e2e.voice.test_mock_voice_leg import HEADER, call_one, demo_clients, mock_contact_center, rings_here, silence
from tests.support.baresip import next_call_event, running_baresip
from tests.support.speech import LoopbackSipTap

pytestmark = pytest.mark.heavy  # softphones and the callers' speech synthesis: run alone (exclusive)

WAIT_S = 30.0  # the bound on every wait for the other processes
UP_S = 4.0  # how long the first call is watched for a second ring (the router answered at the second's arrival)
FIRST = "(212) 555-0100"
SECOND = "(212) 555-0199"


async def contact_state(supervisor: httpx.AsyncClient, contact_id: str) -> str:
    state: str = (await supervisor.get(f"/v1/contacts/{contact_id}")).json()["state"]
    return state


async def offers(agent: httpx.AsyncClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await agent.get("/v1/agents/agent-001/offers")).json()
    return found


async def state_reached(supervisor: httpx.AsyncClient, contact_id: str, state: str) -> None:
    """Wait (bounded) until the mock's API says the contact is in `state`."""
    async with asyncio.timeout(WAIT_S):
        while (now := await contact_state(supervisor, contact_id)) != state:
            await asyncio.sleep(0.1)
    assert now == state


async def events_within(phone: BaresipSoftphone, seconds: float, seen: list[CallEvent]) -> list[CallEvent]:
    """Every call event the softphone tells in the next `seconds` (also kept in `seen`), on an iterator of its own:
    the timeout ends that iterator (an event not yet taken stays in the adapter's queue for the next one)."""
    told: list[CallEvent] = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            async for event in phone.events():
                told.append(event)
                seen.append(event)
    return told


async def test_a_second_caller_waits_while_the_agent_talks_then_rings_the_same_softphone(tmp_path: Path) -> None:
    seen: list[CallEvent] = []
    with (
        mock_contact_center(tmp_path / "mocks") as (url, voice),
        running_baresip(tmp_path / "agent", "agent", silence(tmp_path / "agent-mic.wav", 120)) as agent_phone,
        LoopbackSipTap(agent_phone.sip_port) as sip,
    ):
        async with demo_clients(url) as (agent, supervisor):
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            await phone.connect()
            calls = phone.events()
            try:
                await rings_here(agent, agent_phone.uri)
                body = {"queue_id": "billing", "channel": "voice", "from_address": FIRST}
                first = (await supervisor.post("/v1/contacts", json=body)).json()
                ringing = await next_call_event(calls, CallEventKind.INCOMING, seen, within_s=WAIT_S)
                (offer,) = await offers(agent)
                await call_one(agent, f"/v1/offers/{offer['id']}/accept")
                await phone.answer(ringing.call_id)
                await next_call_event(calls, CallEventKind.ESTABLISHED, seen, within_s=WAIT_S)
                invites_before = len(sip.requests("INVITE"))

                second = (await supervisor.post("/v1/contacts", json=body | {"from_address": SECOND})).json()
                while_up = await events_within(phone, UP_S, seen)
                calls = phone.events()
                second_while_up = await contact_state(supervisor, second["id"])
                offers_while_up = await offers(agent)
                first_while_up = await contact_state(supervisor, first["id"])
                invites_while_up = sip.requests("INVITE")[invites_before:]
                second_caller_port = voice.caller_rtp_port(second["id"])
                # said here, not after: a second call that rang already would leave the waits below to time out
                assert first_while_up == "connected", f"the first call did not stay up while watched: {first_while_up}"
                assert not [event for event in while_up if event.kind is CallEventKind.INCOMING], (
                    f"a second call rang the agent's softphone during a call: {while_up}"
                )
                assert not invites_while_up, (
                    f"a second INVITE reached the agent's softphone during a call:\n{invites_while_up}"
                )
                assert offers_while_up == [], f"the agent was offered a second contact during a call: {offers_while_up}"
                assert second_while_up == "queued", f"the second caller did not wait in the queue: {second_while_up}"
                assert second_caller_port is None, "the second caller was put through while the agent was on a call"

                await phone.hang_up(ringing.call_id)
                hung_up = await next_call_event(calls, CallEventKind.CLOSED, seen, within_s=WAIT_S)
                await state_reached(supervisor, first["id"], "after_contact_work")
                offers_in_wrap_up = await offers(agent)
                done = await agent.post(f"/v1/contacts/{first['id']}/complete", json={"disposition": "Resolved"})
                assert done.status_code == 200, f"the first's wrap-up not completed: {done.status_code} {done.text}"
                next_call = await next_call_event(calls, CallEventKind.INCOMING, seen, within_s=WAIT_S)
                offers_after = await offers(agent)
                await call_one(supervisor, f"/v1/contacts/{second['id']}/abandon")
                await next_call_event(calls, CallEventKind.CLOSED, seen, within_s=WAIT_S)
            finally:
                await phone.aclose()

    invites = sip.requests("INVITE")
    assert hung_up.call_id == ringing.call_id, f"not the first call that closed: {hung_up}"
    assert hung_up.ended_by is EndedBy.LOCAL, f"the first call did not end by the agent's hang-up: {hung_up}"
    assert offers_in_wrap_up == [], f"the second call was offered before the first's wrap-up: {offers_in_wrap_up}"
    assert [offer["contact"]["id"] for offer in offers_after] == [second["id"]], (
        f"not the second's offer: {offers_after}"
    )
    assert next_call.call_id != ringing.call_id
    assert next_call.peer.startswith("sip:2125550199@127.0.0.1:"), f"not the second caller ringing: {next_call.peer}"
    assert f"{HEADER}: {second['id']}\r\n" in invites[-1], f"the last INVITE names no second contact:\n{invites[-1]}"
