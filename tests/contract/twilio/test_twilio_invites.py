"""A transfer through Flex Interactions, as Twilio documents it, on the Twilio-shaped mock and from the desk.

Invites doc (https://www.twilio.com/docs/flex/developer/conversations/interactions-api/invites-subresource): an Invite
creates a new task for the interaction, routed by `Routing.properties`; Park an Interaction
(https://www.twilio.com/docs/flex/developer/conversations/park-an-interaction): closing the agent's participant
completes its task, and the new task carries only the attributes the Invite sent. Every exchange is checked against
Twilio's pinned specs (tests/contract/twilio_contract.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
from openapi_core import OpenAPI

from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter
from agent_desktop.domain.models import AgentState, Target, TargetKind
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.twilio.settings import DEMO_API_KEY_SECRET, DEMO_API_KEY_SID, DEMO_WORKSPACE_SID
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.protocol_rigs.twilio import TwilioFloor, twilio_floor

CHAT_FROM = "billy.smith3@example.com"
WS = f"/v1/Workspaces/{DEMO_WORKSPACE_SID}"


class RecordingTransport(TwilioContractTransport):
    """Checks each exchange against Twilio's spec and keeps the form bodies sent (what the desk asked for)."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[tuple[str, dict[str, str]]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.bodies.append((request.url.path, dict(parse_qsl(request.content.decode(), keep_blank_values=True))))
        return await super().handle_async_request(request)


def _settings(tmp_path: Path) -> MockSettings:
    return MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=30, simulator=False, fresh=True)


async def _chat_in_hand(floor: TwilioFloor, backend: TwilioContactCenter) -> str:
    """A chat offered to and accepted by `backend`'s worker: its task SID."""
    await backend.set_state(AgentState.AVAILABLE)
    async with httpx.AsyncClient(
        base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
    ) as sup:
        body = {"queue_id": "billing", "channel": "chat", "from_address": CHAT_FROM, "subject": "Refund"}
        (await sup.post("/v1/contacts", json=body)).raise_for_status()
    for _ in range(100):
        if offers := await backend.list_offers():
            found: str = (await backend.accept_offer(offers[0].id)).id
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("no offer")


def _twilio(floor: TwilioFloor) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=floor.twilio_url,
        transport=TwilioContractTransport(),
        auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET),
        timeout=5,
    )


async def test_an_invite_makes_a_new_task_and_closing_the_participant_completes_the_old_one(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    """TaskRouter's view after an Invite: two tasks, each with its own status, attributes and reservations, and
    callbacks for each; the old mock kept one task SID and moved it."""
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend("agent-001")
        old_sid = await _chat_in_hand(floor, backend)
        old_task = json.loads((await backend._get(f"{WS}/Tasks/{old_sid}"))["attributes"])
        interaction, channel = old_task["flexInteractionSid"], old_task["flexInteractionChannelSid"]
        flex = f"/v1/Interactions/{interaction}/Channels/{channel}"
        sales = floor.sid("WQ", "sales")
        routing = {
            "properties": {
                "workspace_sid": DEMO_WORKSPACE_SID,
                "workflow_sid": floor.twilio_app.state.twilio.settings.workflow_sid,
                "queue_sid": sales,
                "task_channel_unique_name": "chat",
                "priority": 5,
                "attributes": {"from": CHAT_FROM, "transferNote": "Wants a refund"},
            }
        }
        async with _twilio(floor) as client:
            invite = (await client.post(f"{flex}/Invites", data={"Routing": json.dumps(routing)})).json()
            new = invite["routing"]["properties"]
            assert invite["sid"].startswith("KG")
            assert invite["routing"]["reservation"] is None
            assert new["sid"].startswith("WT"), "an Invite creates a new task"
            assert new["sid"] != old_sid, "an Invite creates a new task"
            assert (new["queue_sid"], new["assignment_status"], new["priority"]) == (sales, "pending", 5)
            assert isinstance(new["date_created"], int), "dates in epoch seconds, as the doc's example shows them"

            before = (await client.get(f"{WS}/Tasks/{old_sid}")).json()
            assert before["assignment_status"] == "assigned", "the inviting agent still has their task"
            fetched = (await client.get(f"{WS}/Tasks/{new['sid']}")).json()
            attributes = json.loads(fetched["attributes"])
            assert attributes["transferNote"] == "Wants a refund"
            assert attributes["flexChannelInviteSid"] == invite["sid"]
            assert attributes["conversationSid"] == old_task["conversationSid"], "Flex names the same conversation"
            assert "channelType" not in attributes, "nothing carried over unsent"
            assert "subject" not in attributes, "nothing carried over unsent"
            assert (fetched["task_channel_unique_name"], fetched["task_queue_friendly_name"]) == ("chat", "Sales")

            people = (await client.get(f"{flex}/Participants")).json()["participants"]
            (mine,) = [
                p for p in people if p["type"] == "agent" and p["routing_properties"]["worker_sid"] == backend.agent_id
            ]
            assert mine["routing_properties"]["task_sid"] == old_sid
            await client.post(f"{flex}/Participants/{mine['sid']}", data={"Status": "closed"})
            after = (await client.get(f"{WS}/Tasks/{old_sid}")).json()
            assert after["assignment_status"] == "completed", "closing the participant completes its task"
            assert (await client.get(f"{WS}/Tasks/{new['sid']}")).json()["assignment_status"] in ("pending", "reserved")

            (old_reservation,) = (await client.get(f"{WS}/Tasks/{old_sid}/Reservations")).json()["reservations"]
            assert (old_reservation["worker_sid"], old_reservation["reservation_status"]) == (
                backend.agent_id,
                "completed",
            )
            new_reservations = (await client.get(f"{WS}/Tasks/{new['sid']}/Reservations")).json()["reservations"]
            assert old_reservation["sid"] not in [r["sid"] for r in new_reservations]
            listed = {
                t["sid"]: t["assignment_status"]
                for t in (await client.get(f"{WS}/Tasks", params={"PageSize": 50})).json()["tasks"]
            }
            assert listed[old_sid] == "completed"
            assert listed[new["sid"]] in ("pending", "reserved")
        wanted = {("reservation.completed", old_sid), ("task.completed", old_sid)}
        for _ in range(100):  # the old task's own callbacks, as the relay keeps them for its worker (in either order)
            kept = [(k.event_type, json.loads(k.data).get("TaskSid")) for k in floor.kept(backend.agent_id)]
            if wanted <= set(kept):
                break
            await asyncio.sleep(0.05)
        assert wanted <= set(kept), kept
        await backend.aclose()


async def test_the_desk_invites_with_the_routing_the_doc_asks_for_and_follows_the_new_task(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    """The Invite's `Routing.properties` as the Invites doc lists them (a Worker: its `queue_sid` too), the task's
    own attributes (not carried over otherwise) and the note; then the desk's participant closed; the answer is the
    new task."""
    async with twilio_floor(_settings(tmp_path)) as floor:
        transport = RecordingTransport()
        from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter

        backend = TwilioContactCenter(floor.config("agent-001"), transport=transport, heartbeat_timeout_s=5.0)
        other = floor.backend("agent-002")
        old_sid = await _chat_in_hand(floor, backend)
        task = await backend._get(f"{WS}/Tasks/{old_sid}")
        await other.set_state(AgentState.AVAILABLE)
        moved = await backend.transfer_contact(
            old_sid, Target(kind=TargetKind.AGENT, id=other.agent_id), "Wants a refund"
        )
        (invite,) = [body for path, body in transport.bodies if path.endswith("/Invites")]
        properties = json.loads(invite["Routing"])["properties"]
        assert {
            k: properties.get(k)
            for k in (
                "workspace_sid",
                "workflow_sid",
                "queue_sid",
                "worker_sid",
                "task_channel_unique_name",
                "task_channel_sid",
                "priority",
            )
        } == {
            "workspace_sid": DEMO_WORKSPACE_SID,
            "workflow_sid": task["workflow_sid"],
            "queue_sid": task["task_queue_sid"],
            "worker_sid": other.agent_id,
            "task_channel_unique_name": "chat",
            "task_channel_sid": task["task_channel_sid"],
            "priority": task["priority"],
        }
        assert "timeout" not in properties, "the workflow's reservation timeout stays the one the desk counts down"
        assert properties["attributes"] == {
            **json.loads(task["attributes"]),
            "transferNote": "Wants a refund",
            "transferredBy": "Alex Morgan",  # the worker's friendly name: Twilio keeps no author of an attribute
        }
        closed = [body for path, body in transport.bodies if "/Participants/" in path and "/Interactions/" in path]
        assert closed == [{"Status": "closed"}]
        assert moved.id != old_sid
        assert moved.transferred_from == old_sid
        assert moved.agent_id is None
        assert (await backend._get(f"{WS}/Tasks/{old_sid}"))["assignment_status"] == "completed"
        for desk in (backend, other):
            await desk.aclose()
