"""Flex Interactions (twilio_flex_v1.yaml): how a contact in hand is transferred.

A task's attributes name its Interaction and channel (`flexInteractionSid`, `flexInteractionChannelSid`, as
Flex keeps them). `CreateInteractionChannelInvite` creates a new task for the interaction (Invites doc), routed by
`Routing.properties`: `workspace_sid`, `workflow_sid` (this workspace's one), `queue_sid` (a TaskQueue) or `queue_sid`
and `worker_sid` (a Worker: the doc marks both required for an agent-initiated invite), `task_channel_unique_name`,
`priority` and `attributes` (the new task's: nothing is carried over from the task before, Park an Interaction).
Here the engine keeps one contact and transfers it (queued again, or offered to the worker); TaskRouter's view
starts a new task for it and keeps the inviting agent's as a task of its own (task_segments.py), assigned until
that agent's participant is updated: `Status=closed` completes it, `wrapup` wraps it up. The answer is the new
task, as Park an Interaction's example shows it (`routing.properties`, dates in epoch seconds). Transfer notes:
`Routing.properties.attributes.transferNote`. Only chat and SMS have an interaction (Flex Conversations is the digital
channels): a call's is 404, and a call is transferred by `<Enqueue>` (routers/calls.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request

from agent_desktop_mocks.ccaas.conversations.schemas import DIGITAL
from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid, NotFound
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, ContactState, Target
from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.http.form import form
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.routers.common import render, sid_param
from agent_desktop_mocks.twilio.state import Twilio, TwilioState
from agent_desktop_mocks.twilio.task_segments import STATUS_OF_PARTICIPANT, Invite

router = APIRouter(prefix="/v1/Interactions/{InteractionSid}/Channels/{ChannelSid}", tags=["Interactions"])

InteractionSid = Annotated[str, sid_param("KD")]
ChannelSid = Annotated[str, sid_param("UO")]
ParticipantSid = Annotated[str, sid_param("UT")]
FLEX = "https://flex-api.twilio.com"
IN_HAND = (ContactState.CONNECTED, ContactState.ON_HOLD)


def _contact(twilio: TwilioState, request: Request, interaction: str, channel: str) -> Contact:
    contact_id = twilio.sids.key("KD", interaction)
    if contact_id is None or twilio.sids.key("UO", channel) != contact_id:
        raise not_found(request.url.path)
    contact = twilio.engine.read.contact(contact_id)
    if contact.channel not in DIGITAL:  # Flex Conversations has no voice: a call has no interaction to invite to
        raise not_found(request.url.path)
    return contact


def _participants(twilio: TwilioState, contact: Contact) -> list[dict[str, Any]]:
    """The customer, and an agent participant per task an agent was reserved for (as the doc's example shows it:
    `routing_properties` name the task, the worker and the reservation): joined while the task is assigned."""
    sids, base = (
        twilio.sids,
        f"{FLEX}/v1/Interactions/{twilio.sids.of('KD', contact.id)}/Channels/{twilio.sids.of('UO', contact.id)}",
    )
    people: list[tuple[str, str, dict[str, Any]]] = [("customer", f"customer:{contact.id}", {})]
    tasks = [
        (
            s.agent_id,
            s.sid,
            s.offer_id,
            "joined" if s.status == "assigned" else "closed" if s.status == "completed" else "wrapup",
        )
        for s in sorted(twilio.tasks.finished(), key=lambda s: s.number)
        if s.contact_id == contact.id and s.agent_id
    ]
    if contact.agent_id is not None and contact.state in (*IN_HAND, ContactState.AFTER_CONTACT_WORK):
        status = "joined" if contact.state in IN_HAND else "wrapup"
        tasks.append((contact.agent_id, twilio.task_sid(contact.id), twilio.accepted_through.get(contact.id), status))
    for agent_id, task_sid, offer_id, status in tasks:
        properties = {
            "workspace_sid": twilio.settings.workspace_sid,
            "worker_sid": sids.of("WK", agent_id),
            "task_sid": task_sid,
            "reservation_sid": sids.of("WR", offer_id) if offer_id else None,
            "status": status,
        }
        people.append(("agent", f"agent:{agent_id}:{task_sid}", properties))
    return [
        {
            "sid": sids.of("UT", key),
            "type": kind,
            "interaction_sid": sids.of("KD", contact.id),
            "channel_sid": sids.of("UO", contact.id),
            "url": f"{base}/Participants/{sids.of('UT', key)}",
            "routing_properties": properties,
        }
        for kind, key, properties in people
    ]


def _routing(fields: dict[str, str]) -> dict[str, Any]:
    try:
        routing = json.loads(fields["Routing"])
    except KeyError:
        raise TwilioError(400, 20001, "Missing required parameter Routing in the post body") from None
    except ValueError:
        raise TwilioError(400, 20001, "Invalid parameter Routing: not JSON") from None
    properties = routing.get("properties") if isinstance(routing, dict) else None
    if not isinstance(properties, dict):
        raise TwilioError(400, 20001, "Invalid parameter Routing: it needs `properties`")
    return properties


def _target(twilio: TwilioState, properties: dict[str, Any]) -> Target:
    if properties.get("workspace_sid") != twilio.settings.workspace_sid:
        raise TwilioError(
            400, 20001, "Invalid parameter Routing: properties.workspace_sid is not this account's workspace"
        )
    workflow = properties.get("workflow_sid")
    if workflow is not None and workflow != twilio.settings.workflow_sid:
        raise TwilioError(400, 20001, f"Invalid parameter Routing: no Workflow {workflow} in this workspace")
    queue_sid, worker_sid = properties.get("queue_sid"), properties.get("worker_sid")
    queue_id = twilio.sids.key("WQ", str(queue_sid)) if queue_sid else None
    if queue_sid and queue_id is None:
        raise TwilioError(400, 20001, f"Invalid parameter Routing: no TaskQueue {queue_sid}")
    if worker_sid:
        agent_id = twilio.sids.key("WK", str(worker_sid))
        if agent_id is None:
            raise TwilioError(400, 20001, f"Invalid parameter Routing: no Worker {worker_sid}")
        if queue_id is None:  # guessed strict: the doc marks both required for an agent-initiated invite
            raise TwilioError(
                400, 20001, "Invalid parameter Routing: properties.queue_sid is required with properties.worker_sid"
            )
        return Target(kind="agent", id=agent_id)
    if queue_id is None:  # guessed: this mock's workflow routes no invited task without a TaskQueue
        raise TwilioError(400, 20001, "Invalid parameter Routing: properties name a queue_sid or a worker_sid")
    return Target(kind="queue", id=queue_id)


def _epoch(value: Any) -> Any:
    """A task's date as Park an Interaction's example shows an invite's: seconds since the epoch."""
    return (
        int(datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())
        if isinstance(value, str)
        else value
    )


@router.post("/Invites", status_code=201)
async def create_invite(
    request: Request, twilio: Twilio, InteractionSid: InteractionSid, ChannelSid: ChannelSid
) -> dict[str, Any]:
    contact = _contact(twilio, request, InteractionSid, ChannelSid)
    properties = _routing(await form(request))
    target = _target(twilio, properties)
    if contact.state not in IN_HAND or contact.agent_id is None:
        raise TwilioError(400, 20001, f"Invalid parameter Routing: task {twilio.task_sid(contact.id)} is not assigned")
    sent = properties.get("attributes")
    attributes = sent if isinstance(sent, dict) else {}
    channel, priority = properties.get("task_channel_unique_name"), properties.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool) or priority < 0:
        raise TwilioError(400, 20001, f"Invalid parameter Routing: properties.priority {priority!r} (0 to 2^31-1)")
    sids, view, engine = twilio.sids, render(request, twilio), twilio.engine
    invite_sid = sids.of("KG", f"{contact.id}:{len(contact.transfer_path)}")
    # What Flex adds to an invited task (Park an Interaction's example): the interaction, its channel, the invite,
    # and for a conversation its SID; everything else is what the routing sent.
    flex = {
        "flexInteractionSid": InteractionSid,
        "flexInteractionChannelSid": ChannelSid,
        "flexChannelInviteSid": invite_sid,
    }
    if contact.channel in DIGITAL:
        flex["conversationSid"] = sids.of("CH", contact.id)
    invite = Invite(
        invite_sid,
        {**attributes, **flex},
        channel if isinstance(channel, str) and channel else "default",
        priority,
        engine.read.now(),
    )
    previous, written = twilio.tasks.invite_of(contact.id), twilio.task_attributes.pop(contact.id, None)
    segment = twilio.tasks.begin(
        view.task(contact), contact.id, contact.agent_id, twilio.accepted_through.get(contact.id), invite
    )
    note = attributes.get("transferNote")
    conversations = twilio.conversations
    if conversations is not None:
        conversations.note_transfer(
            contact.id, Principal("", "agent", contact.agent_id), note if isinstance(note, str) else None
        )
    try:
        moved = engine.transfers.transfer(contact.id, target)
    except (Conflict, Invalid) as error:  # a worker who cannot take it now; the contact's own agent
        twilio.tasks.undo(segment, previous)
        if written is not None:
            twilio.task_attributes[contact.id] = written
        raise TwilioError(400, 20001, f"Invalid parameter Routing: {error}") from None
    task = view.task(engine.read.contact(moved.id))
    routed = {
        **{
            k: _epoch(v) if k.startswith("date_") or k == "task_queue_entered_date" else v
            for k, v in task.items()
            if k not in ("url", "links", "task_queue_sid", "task_queue_friendly_name", "workflow_friendly_name")
        },
        "queue_sid": task["task_queue_sid"],
        "queue_name": task["task_queue_friendly_name"],
        "workflow_name": task["workflow_friendly_name"],
        "age_in_queue": 0,
    }
    return {
        "sid": invite_sid,
        "interaction_sid": InteractionSid,
        "channel_sid": ChannelSid,
        "routing": {"reservation": None, "properties": routed},
        "url": f"{FLEX}/v1/Interactions/{InteractionSid}/Channels/{ChannelSid}/Invites/{invite_sid}",
    }


@router.get("/Participants")
async def list_participants(
    request: Request,
    twilio: Twilio,
    InteractionSid: InteractionSid,
    ChannelSid: ChannelSid,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    contact = _contact(twilio, request, InteractionSid, ChannelSid)
    return page_of(request, "participants", _participants(twilio, contact), Page, PageSize)


@router.post("/Participants/{Sid}")
async def update_participant(
    request: Request, twilio: Twilio, InteractionSid: InteractionSid, ChannelSid: ChannelSid, Sid: ParticipantSid
) -> dict[str, Any]:
    contact = _contact(twilio, request, InteractionSid, ChannelSid)
    status = (await form(request)).get("Status")
    if status not in STATUS_OF_PARTICIPANT:
        raise TwilioError(400, 20001, f"Invalid parameter Status: {status!r} (closed or wrapup)")
    participant = next((p for p in _participants(twilio, contact) if p["sid"] == Sid), None)
    if participant is None:
        raise not_found(request.url.path)
    if participant["type"] != "agent":
        raise TwilioError(400, 20001, "Invalid parameter Sid: only an agent's participant is updated here")
    found = twilio.tasks.resolve(participant["routing_properties"]["task_sid"])
    segment = found[1] if found is not None else None
    if (
        segment is not None
    ):  # a task an Invite left behind: closed completes it, wrapup wraps it up (Park an Interaction)
        if segment.status != "completed":
            twilio.tasks.update(segment, STATUS_OF_PARTICIPANT[status], twilio.engine.read.now())
    elif participant["routing_properties"]["status"] == "joined":  # the contact's task now: they leave into wrap-up
        try:
            contact = twilio.engine.contacts.end(contact.id)
        except (Conflict, NotFound) as error:
            raise TwilioError(400, 20001, str(error)) from None
    return next(p for p in _participants(twilio, twilio.engine.read.contact(contact.id)) if p["sid"] == Sid)
