"""Twilio's voice as documented (docs/vendors/twilio-voice.md), on the Twilio-shaped mock: a bare accept of a
voice reservation bridges nothing; the conference instruction on a pending one makes the conference named by
the Task SID with the caller's leg (the task's `call_sid`) and the worker's; an instruction on a reservation no
longer pending is refused with its documented code; a hang-up ends the conference; capacity is the Worker
Channels'. Every request goes through the transport that checks it against Twilio's pinned specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.domain.models import AgentState, ContactState
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.twilio.settings import (
    DEMO_ACCOUNT_SID,
    DEMO_API_KEY_SECRET,
    DEMO_API_KEY_SID,
    DEMO_WORKSPACE_SID,
)
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.protocol_rigs.refusals import refused
from tests.support.protocol_rigs.twilio import TwilioFloor, twilio_floor

WS = f"/v1/Workspaces/{DEMO_WORKSPACE_SID}"
API = f"/2010-04-01/Accounts/{DEMO_ACCOUNT_SID}"


def _settings(tmp_path: Path) -> MockSettings:
    return MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=30, simulator=False, fresh=True)


def _twilio(floor: TwilioFloor) -> httpx.AsyncClient:
    """Raw requests, as any integrator's code would send them, checked against the pinned specs."""
    return httpx.AsyncClient(
        base_url=floor.twilio_url,
        auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET),
        transport=TwilioContractTransport(),
        timeout=5,
    )


async def _pending_call(floor: TwilioFloor, twilio: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    """A call offered to agent-001: its reservation's URL and its task."""
    worker = floor.worker_sid("agent-001")
    available = next(a for a in floor.twilio_app.state.twilio.activities if a.available)
    (await twilio.post(f"{WS}/Workers/{worker}", data={"ActivitySid": available.sid})).raise_for_status()
    async with httpx.AsyncClient(
        base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
    ) as sup:
        body = {"queue_id": "billing", "channel": "voice", "from_address": "(512) 555-0100"}
        (await sup.post("/v1/contacts", json=body)).raise_for_status()
    (reservation,) = (
        await twilio.get(f"{WS}/Workers/{worker}/Reservations", params={"ReservationStatus": "pending"})
    ).json()["reservations"]
    task = (await twilio.get(f"{WS}/Tasks/{reservation['task_sid']}")).json()
    return f"{WS}/Workers/{worker}/Reservations/{reservation['sid']}", task


async def _conferences(twilio: httpx.AsyncClient, task_sid: str) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = (
        await twilio.get(f"{API}/Conferences.json", params={"FriendlyName": task_sid})
    ).json()["conferences"]
    return answer


async def test_a_bare_accept_leaves_a_call_unbridged_so_hold_fails(tmp_path: Path) -> None:
    """`ReservationStatus=accepted` accepts the reservation and connects no call: no conference for the task,
    none named in its attributes, and the desk's hold is refused. (The mock once bridged it anyway and
    wrote a `conference` into the task, so this hold succeeded there.)"""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        reservation, task = await _pending_call(floor, twilio)
        accepted = await twilio.post(reservation, data={"ReservationStatus": "accepted"})
        assert accepted.json()["reservation_status"] == "accepted"
        task = (await twilio.get(f"{WS}/Tasks/{task['sid']}")).json()
        assert task["assignment_status"] == "assigned"
        assert await _conferences(twilio, task["sid"]) == []
        assert "conference" not in json.loads(task["attributes"]), "only Flex's browser UI writes that"
        desk = floor.backend("agent-001")
        try:
            assert (await desk.list_contacts())[0].state == ContactState.CONNECTED
            assert (await refused(desk.hold_contact(task["sid"]))).status == 409
        finally:
            await desk.aclose()


async def test_the_conference_instruction_bridges_a_pending_call_once(tmp_path: Path) -> None:
    """`Instruction=conference` on the pending reservation accepts it and makes a conference named by the Task
    SID, with the caller's call (the task's `call_sid`, as `<Enqueue>` names it) and the worker's leg in it.
    Once accepted, the conference instruction is refused with 40136 and dequeue with 40135; without `From`,
    40141. Ending the conference (`Status=completed`) leaves nothing to hold."""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        reservation, task = await _pending_call(floor, twilio)
        call_sid = json.loads(task["attributes"])["call_sid"]
        no_caller_id = await twilio.post(reservation, data={"Instruction": "conference"})
        assert (no_caller_id.status_code, no_caller_id.json()["code"]) == (400, 40141)
        instruction = {
            "Instruction": "conference",
            "From": "+15005550006",
            "EndConferenceOnExit": "false",
            "EndConferenceOnCustomerExit": "true",
        }
        accepted = await twilio.post(reservation, data=instruction)
        assert accepted.json()["reservation_status"] == "accepted"
        (conference,) = await _conferences(twilio, task["sid"])
        assert (conference["friendly_name"], conference["status"]) == (task["sid"], "in-progress")
        customer = (await twilio.get(f"{API}/Conferences/{conference['sid']}/Participants/{call_sid}.json")).json()
        assert (customer["hold"], customer["end_conference_on_exit"]) == (False, True)
        for again, code in ((instruction, 40136), ({"Instruction": "dequeue", "DequeueFrom": "+15005550006"}, 40135)):
            refusal = await twilio.post(reservation, data=again)
            assert (refusal.status_code, refusal.json()["code"]) == (400, code), again

        held = await twilio.post(
            f"{API}/Conferences/{conference['sid']}/Participants/{call_sid}.json", data={"Hold": "true"}
        )
        assert held.json()["hold"] is True
        ended = await twilio.post(f"{API}/Conferences/{conference['sid']}.json", data={"Status": "completed"})
        assert ended.json()["status"] == "completed"
        assert (
            await twilio.get(f"{API}/Conferences/{conference['sid']}/Participants/{call_sid}.json")
        ).status_code == 404
        assert [c["status"] for c in await _conferences(twilio, task["sid"])] == ["completed"]


async def test_the_call_answered_with_the_conference_instruction_reads_bridged_with_the_worker(tmp_path: Path) -> None:
    """FetchCall on both legs: the caller's call (the task's `call_sid`) and the worker's leg the instruction dialled
    are in progress together in the conference; ending the conference completes both. A bare accept dials no leg."""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        reservation, task = await _pending_call(floor, twilio)
        call_sid = json.loads(task["attributes"])["call_sid"]
        instruction = {
            "Instruction": "conference",
            "From": "+15005550006",
            "EndConferenceOnExit": "false",
            "EndConferenceOnCustomerExit": "true",
        }
        (await twilio.post(reservation, data=instruction)).raise_for_status()
        (conference,) = await _conferences(twilio, task["sid"])
        state = floor.twilio_app.state.twilio
        worker_leg = state.sids.of("CA", f"worker:{state.voice.bridge_of(state.sids.key('WT', task['sid'])).key}")
        caller = (await twilio.get(f"{API}/Calls/{call_sid}.json")).json()
        worker = (await twilio.get(f"{API}/Calls/{worker_leg}.json")).json()
        assert (caller["status"], caller["direction"]) == ("in-progress", "inbound")
        assert (worker["status"], worker["direction"], worker["to"], worker["from"]) == (
            "in-progress",
            "outbound-api",
            "client:agent-001",
            "+15005550006",
        )
        (
            await twilio.post(f"{API}/Conferences/{conference['sid']}.json", data={"Status": "completed"})
        ).raise_for_status()
        assert [(await twilio.get(f"{API}/Calls/{sid}.json")).json()["status"] for sid in (call_sid, worker_leg)] == [
            "completed",
            "completed",
        ]


async def test_the_desk_bridges_the_call_and_hangs_it_up(tmp_path: Path) -> None:
    """The desk accepts a call with the conference instruction (its conference then in progress), holds the
    customer's leg, and ends the conference when the agent ends the call."""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        desk = floor.backend("agent-001", voice_caller_id="+15005550006")
        try:
            await desk.set_state(AgentState.AVAILABLE)
            async with httpx.AsyncClient(
                base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
            ) as sup:
                body = {"queue_id": "billing", "channel": "voice", "from_address": "(512) 555-0100"}
                (await sup.post("/v1/contacts", json=body)).raise_for_status()
            (offer,) = await desk.list_offers()
            contact = await desk.accept_offer(offer.id)
            (conference,) = await _conferences(twilio, contact.id)
            assert conference["status"] == "in-progress"
            assert (await desk.hold_contact(contact.id)).state == ContactState.ON_HOLD
            await desk.end_contact(contact.id)
            assert [c["status"] for c in await _conferences(twilio, contact.id)] == ["completed"]
            bridge = next(iter(floor.twilio_app.state.twilio.voice.bridges.values()))
            assert bridge.caller_id == "+15005550006", "To: the worker's contact_uri"
            assert bridge.to == "client:agent-001", "To: the worker's contact_uri"
        finally:
            await desk.aclose()


async def test_capacity_is_read_from_the_worker_channels(tmp_path: Path) -> None:
    """The agent's capacity is its Worker Channels' `configured_capacity` (none in the worker's attributes); a
    change an admin makes is seen at the next (re)connection."""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        async with httpx.AsyncClient(
            base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
        ) as sup:
            (await sup.patch("/v1/agents/agent-001", json={"capacity": {"chat": 3, "email": 0}})).raise_for_status()
        worker = floor.worker_sid("agent-001")
        assert "capacity" not in json.loads((await twilio.get(f"{WS}/Workers/{worker}")).json()["attributes"])
        channels = {
            c["task_channel_unique_name"]: c
            for c in (await twilio.get(f"{WS}/Workers/{worker}/Channels")).json()["channels"]
        }
        assert (channels["chat"]["configured_capacity"], channels["chat"]["available_capacity_percentage"]) == (3, 100)
        assert channels["email"]["available"] is False
        desk = floor.backend("agent-001")
        try:
            agent = await desk.get_agent()
            assert agent.capacity["chat"] == 3
            assert agent.capacity["email"] == 0
        finally:
            await desk.aclose()


async def test_a_workers_attributes_are_written_whole_and_the_conference_dials_their_contact_uri(
    tmp_path: Path,
) -> None:
    """UpdateWorker `Attributes` replaces the Worker's JSON (read back as written; what is not a JSON object is a 400
    with code 20001), and the conference instruction without `To` dials the `contact_uri` written there. A SIP
    address off the machine is not rung (the mock sends no call off it), and the call is still bridged."""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        worker = f"{WS}/Workers/{floor.worker_sid('agent-001')}"
        for bad in ("not json", "[1, 2]", json.dumps({"contact_uri": "x" * 5000})):
            answer = await twilio.post(worker, data={"Attributes": bad})
            assert (answer.status_code, answer.json()["code"]) == (400, 20001), answer.text
        written = {"contact_uri": "sip:agent@192.0.2.7:5070", "languages": ["en"]}
        assert (await twilio.post(worker, data={"Attributes": json.dumps(written)})).status_code == 200
        assert json.loads((await twilio.get(worker)).json()["attributes"]) == written
        reservation, task = await _pending_call(floor, twilio)
        bridged = await twilio.post(reservation, data={"Instruction": "conference", "From": "+15005550006"})
        assert bridged.status_code == 200, bridged.text
        (conference,) = await _conferences(twilio, task["sid"])
        assert conference["status"] == "in-progress"
        bridge = next(iter(floor.twilio_app.state.twilio.voice.bridges.values()))
        assert bridge.to == "sip:agent@192.0.2.7:5070", "To: the worker's contact_uri as written"
        voice_leg = floor.twilio_app.state.twilio.voice_leg
        assert voice_leg is not None
        assert voice_leg.relay(bridge.contact_id) is None, "nothing rung off the machine"
