"""A call transferred on Twilio as TaskRouter documents it (docs/vendors/twilio-voice.md, "Transfer"), on the
Twilio-shaped mock: a call's task has no Flex Interaction, so an Invite cannot move it; the caller's call redirected
by UpdateCall `Twiml` into `<Enqueue workflowSid><Task>` leaves the conference and becomes a new task for the same
call, routed by the workflow to the target its attributes name, while the old task stays assigned until its worker
completes it; bad TwiML is refused with Twilio's codes. Every request is checked against Twilio's pinned specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.domain.models import AgentState, ContactState, Target, TargetKind
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.twilio.settings import (
    DEMO_ACCOUNT_SID,
    DEMO_API_KEY_SECRET,
    DEMO_API_KEY_SID,
    DEMO_WORKSPACE_SID,
)
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.protocol_rigs.twilio import TwilioFloor, twilio_floor

WS = f"/v1/Workspaces/{DEMO_WORKSPACE_SID}"
API = f"/2010-04-01/Accounts/{DEMO_ACCOUNT_SID}"
CONFERENCE = {
    "Instruction": "conference",
    "From": "+15005550006",
    "EndConferenceOnExit": "false",
    "EndConferenceOnCustomerExit": "true",
}


def _settings(tmp_path: Path) -> MockSettings:
    return MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=30, simulator=False, fresh=True)


def _twilio(floor: TwilioFloor) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=floor.twilio_url,
        auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET),
        transport=TwilioContractTransport(),
        timeout=5,
    )


async def _available(floor: TwilioFloor, twilio: httpx.AsyncClient, agent_id: str) -> str:
    worker = floor.worker_sid(agent_id)
    available = next(a for a in floor.twilio_app.state.twilio.activities if a.available)
    (await twilio.post(f"{WS}/Workers/{worker}", data={"ActivitySid": available.sid})).raise_for_status()
    return worker


async def _call_in_conference(floor: TwilioFloor, twilio: httpx.AsyncClient) -> dict[str, Any]:
    """A call accepted by agent-001 with the conference instruction: its task."""
    worker = await _available(floor, twilio, "agent-001")
    async with httpx.AsyncClient(
        base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
    ) as sup:
        body = {"queue_id": "billing", "channel": "voice", "from_address": "(512) 555-0100"}
        (await sup.post("/v1/contacts", json=body)).raise_for_status()
    (reservation,) = (
        await twilio.get(f"{WS}/Workers/{worker}/Reservations", params={"ReservationStatus": "pending"})
    ).json()["reservations"]
    (await twilio.post(f"{WS}/Workers/{worker}/Reservations/{reservation['sid']}", data=CONFERENCE)).raise_for_status()
    answer: dict[str, Any] = (await twilio.get(f"{WS}/Tasks/{reservation['task_sid']}")).json()
    return answer


def _enqueue(attributes: dict[str, Any], workflow: str) -> str:
    return f'<Response><Enqueue workflowSid="{workflow}"><Task priority="3">{json.dumps(attributes)}</Task></Enqueue></Response>'


async def test_a_call_has_no_interaction_so_an_invite_cannot_transfer_it(tmp_path: Path) -> None:
    """Flex Conversations (the Interactions API) serves the digital channels: a call's task names no interaction,
    and an Invite on the interaction the old mock gave a call is 404. (The old mock put `flexInteractionSid` on
    every task and answered this Invite 201 with a new task.)"""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        task = await _call_in_conference(floor, twilio)
        attributes = json.loads(task["attributes"])
        assert "flexInteractionSid" not in attributes
        assert "flexInteractionChannelSid" not in attributes
        sids, contact_id = (
            floor.twilio_app.state.twilio.sids,
            floor.twilio_app.state.twilio.tasks.resolve(task["sid"])[0],
        )
        routing = {"properties": {"workspace_sid": DEMO_WORKSPACE_SID, "queue_sid": floor.sid("WQ", "sales")}}
        flex = f"/v1/Interactions/{sids.of('KD', contact_id)}/Channels/{sids.of('UO', contact_id)}"
        invite = await twilio.post(f"{flex}/Invites", data={"Routing": json.dumps(routing)})
        assert (invite.status_code, invite.json()["code"]) == (404, 20404)
        assert (await twilio.get(f"{WS}/Tasks/{task['sid']}")).json()["assignment_status"] == "assigned"


async def test_the_enqueue_redirect_makes_a_new_task_routed_to_the_target_and_leaves_the_old_one_assigned(
    tmp_path: Path,
) -> None:
    """UpdateCall `Twiml=<Enqueue workflowSid><Task>`: the caller leaves the conference (which ends: the customer
    joined with EndConferenceOnCustomerExit), a new task for the same call waits in the queue the attributes name
    (the workflow's filters), with the `<Task>` JSON and the call's `call_sid`; the old task is still assigned until
    its worker completes it. (The old mock had no Calls resource: 404.)"""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        task = await _call_in_conference(floor, twilio)
        call_sid = json.loads(task["attributes"])["call_sid"]
        sales = floor.sid("WQ", "sales")
        attributes = {
            "name": "Ann",
            "transferTargetType": "queue",
            "transferTargetSid": sales,
            "transferredFromTaskSid": task["sid"],
        }
        redirected = await twilio.post(
            f"{API}/Calls/{call_sid}.json", data={"Twiml": _enqueue(attributes, task["workflow_sid"])}
        )
        assert redirected.status_code == 200, redirected.text
        assert (redirected.json()["sid"], redirected.json()["status"]) == (call_sid, "in-progress")

        (conference,) = (await twilio.get(f"{API}/Conferences.json", params={"FriendlyName": task["sid"]})).json()[
            "conferences"
        ]
        assert (conference["status"], conference["reason_conference_ended"]) == (
            "completed",
            "participant-with-end-conference-on-exit-left",
        )
        assert conference["call_sid_ending_conference"] == call_sid
        found = (
            await twilio.get(
                f"{WS}/Tasks", params={"EvaluateTaskAttributes": f'transferredFromTaskSid == "{task["sid"]}"'}
            )
        ).json()["tasks"]
        (new,) = found
        assert new["sid"] != task["sid"], "<Enqueue> makes a new task"
        assert (new["task_queue_sid"], new["assignment_status"], new["priority"]) == (sales, "pending", 3)
        assert new["task_channel_unique_name"] == "voice"
        made = json.loads(new["attributes"])
        assert made["call_sid"] == call_sid, "the <Task> JSON and the call <Enqueue> names"
        assert made["name"] == "Ann", "the <Task> JSON and the call <Enqueue> names"
        assert "flexInteractionSid" not in made

        old = (await twilio.get(f"{WS}/Tasks/{task['sid']}")).json()
        assert old["assignment_status"] == "assigned", "the old task waits for its worker"
        done = await twilio.post(
            f"{WS}/Tasks/{task['sid']}", data={"AssignmentStatus": "completed", "Reason": "Transferred to queue Sales"}
        )
        assert (done.json()["assignment_status"], done.json()["reason"]) == ("completed", "Transferred to queue Sales")
        assert (await twilio.get(f"{WS}/Tasks/{new['sid']}")).json()["assignment_status"] in ("pending", "reserved")
        again = await twilio.post(
            f"{API}/Calls/{call_sid}.json", data={"Twiml": _enqueue(attributes, task["workflow_sid"])}
        )
        assert again.status_code == 400, "the call is in no conference now (waiting in a queue)"


async def test_the_enqueue_redirect_reaches_a_known_worker(tmp_path: Path) -> None:
    """`transferTargetType=worker`: the workflow's known-worker filter offers the new task to that worker."""
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        task = await _call_in_conference(floor, twilio)
        other = await _available(floor, twilio, "agent-002")
        attributes = {"transferTargetType": "worker", "transferTargetSid": other}
        call_sid = json.loads(task["attributes"])["call_sid"]
        (
            await twilio.post(
                f"{API}/Calls/{call_sid}.json", data={"Twiml": _enqueue(attributes, task["workflow_sid"])}
            )
        ).raise_for_status()
        (offered,) = (
            await twilio.get(f"{WS}/Workers/{other}/Reservations", params={"ReservationStatus": "pending"})
        ).json()["reservations"]
        assert offered["task_sid"] != task["sid"]
        assert (
            json.loads((await twilio.get(f"{WS}/Tasks/{offered['task_sid']}")).json()["attributes"])["call_sid"]
            == call_sid
        )


async def test_bad_twiml_is_refused_with_twilios_codes_and_the_call_stays(tmp_path: Path) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio:
        task = await _call_in_conference(floor, twilio)
        call = f"{API}/Calls/{json.loads(task['attributes'])['call_sid']}.json"
        workflow = task["workflow_sid"]
        bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><Response>&a;</Response>'
        for twiml, code in (
            ("<Response><Enqueue>", 12100),  # not well formed
            (bomb, 12100),  # no DTD, no entity expanded
            ("<Say>hello</Say>", 12102),  # the root must be Response
            (_enqueue({"note": "x" * 4000}, workflow), 32018),  # over 4,000 characters
            (f'<Response><Enqueue workflowSid="{workflow}"><Task>not json</Task></Enqueue></Response>', 12200),
            ("<Response><Enqueue>support</Enqueue></Response>", 12200),  # by queue name: not this mock's
        ):
            refused = await twilio.post(call, data={"Twiml": twiml})
            assert (refused.status_code, refused.json()["code"]) == (400, code), twiml
        assert (await twilio.get(f"{WS}/Tasks/{task['sid']}")).json()["assignment_status"] == "assigned"
        (conference,) = (await twilio.get(f"{API}/Conferences.json", params={"FriendlyName": task["sid"]})).json()[
            "conferences"
        ]
        assert conference["status"] == "in-progress", "nothing moved"


async def test_the_desk_transfers_a_call_by_enqueue_and_completes_its_task_with_the_reason(tmp_path: Path) -> None:
    """The desk: UpdateCall with the `<Enqueue>` of the task's workflow naming the target, then its task completed
    with the transfer as its Reason; the answer is the new task, `transferred_from` the old one. (On the old mock
    the desk sent an Invite, which the faithful mock refuses.)"""
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
            me = await desk.get_agent()  # (as the desk's stream reads its worker when it connects)
            sales = floor.sid("WQ", "sales")
            moved = await desk.transfer_contact(
                contact.id, Target(kind=TargetKind.QUEUE, id=sales, name="Sales"), "Wants a plan"
            )
            assert (moved.transferred_from, moved.state, moved.queue_id) == (contact.id, ContactState.QUEUED, sales)
            assert moved.id != contact.id
            old = (await twilio.get(f"{WS}/Tasks/{contact.id}")).json()
            assert (old["assignment_status"], old["reason"]) == ("completed", "Transferred to queue Sales")
            made = json.loads((await twilio.get(f"{WS}/Tasks/{moved.id}")).json()["attributes"])
            assert (
                made["transferTargetType"],
                made["transferTargetSid"],
                made["transferNote"],
                made["transferredBy"],
            ) == ("queue", sales, "Wants a plan", me.name)
            assert made["transferredFromTaskSid"] == contact.id
            assert moved.handover is not None, "the note, read back from the new task's attributes"
            assert (moved.handover.note, moved.handover.by) == ("Wants a plan", me.name), "and who wrote it"
            assert me.name
            assert made["call_sid"] == json.loads(old["attributes"])["call_sid"]
            assert await desk.list_contacts() == []
            exchanges = floor.transports[-1].exchanges  # the desk's, each checked against the pinned spec
            assert [status for method, path, status in exchanges if method == "POST" and "/Calls/" in path] == [200]
            assert not [path for _, path, _ in exchanges if path.endswith("/Invites")]
        finally:
            await desk.aclose()
