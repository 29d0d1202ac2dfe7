"""Flex Interactions (twilio_flex_v1.yaml): how a contact in hand is transferred.

A task's attributes name its Interaction and channel (`flexInteractionSid`, `flexInteractionChannelSid`, as
Flex keeps them). `CreateInteractionChannelInvite` with `Routing.properties.queue_sid` or `worker_sid` invites a
TaskQueue or a Worker: here that is the engine's own blind transfer (queued again with its wait kept, or
offered to the worker), so the routing is the engine's. The inviting agent then leaves by
`UpdateInteractionChannelParticipant` `Status=closed` (or `wrapup`); the engine has already taken the contact
from them, so that answers their participant as it is. Transfer notes: `Routing.properties.attributes.transferNote`
(the next agent reads it in a chat's transcript)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request

from mock_backends.ccaas.errors import Conflict, Invalid, NotFound
from mock_backends.ccaas.schemas import Contact, ContactState, Target
from mock_backends.common.auth import Principal
from mock_backends.twilio.errors import TwilioError, not_found
from mock_backends.twilio.form import form
from mock_backends.twilio.paging import PageNumber, PageSize, PageToken, page_of
from mock_backends.twilio.routers.common import render, sid_param
from mock_backends.twilio.state import Twilio, TwilioState

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
    return twilio.engine.read.contact(contact_id)


def _participants(twilio: TwilioState, contact: Contact) -> list[dict[str, Any]]:
    """The customer, and each agent who has had the contact (the one who holds it now `joined`)."""
    sids, base = twilio.sids, f"{FLEX}/v1/Interactions/{twilio.sids.of('KD', contact.id)}/Channels/{twilio.sids.of('UO', contact.id)}"
    people = [("customer", f"customer:{contact.id}", {})]
    for agent_id in dict.fromkeys(contact.handled_by):
        status = "joined" if agent_id == contact.agent_id and contact.state in IN_HAND else "closed"
        properties = {"workspace_sid": twilio.settings.workspace_sid, "worker_sid": sids.of("WK", agent_id),
                      "task_sid": sids.of("WT", contact.id), "status": status}  # fmt: skip
        people.append(("agent", f"agent:{agent_id}:{contact.id}", properties))
    return [{"sid": sids.of("UT", key), "type": kind, "interaction_sid": sids.of("KD", contact.id),
             "channel_sid": sids.of("UO", contact.id), "url": f"{base}/Participants/{sids.of('UT', key)}",
             "routing_properties": properties} for kind, key, properties in people]  # fmt: skip


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


@router.post("/Invites", status_code=201)
async def create_invite(request: Request, twilio: Twilio, InteractionSid: InteractionSid, ChannelSid: ChannelSid) -> dict:
    contact = _contact(twilio, request, InteractionSid, ChannelSid)
    properties = _routing(await form(request))
    if properties.get("workspace_sid") != twilio.settings.workspace_sid:
        raise TwilioError(400, 20001, "Invalid parameter Routing: properties.workspace_sid is not this account's workspace")
    queue_sid, worker_sid = properties.get("queue_sid"), properties.get("worker_sid")
    if worker_sid:
        agent_id = twilio.sids.key("WK", str(worker_sid))
        if agent_id is None:
            raise TwilioError(400, 20001, f"Invalid parameter Routing: no Worker {worker_sid}")
        target = Target(kind="agent", id=agent_id)
    elif queue_sid:
        queue_id = twilio.sids.key("WQ", str(queue_sid))
        if queue_id is None:
            raise TwilioError(400, 20001, f"Invalid parameter Routing: no TaskQueue {queue_sid}")
        target = Target(kind="queue", id=queue_id)
    else:
        raise TwilioError(400, 20001, "Invalid parameter Routing: properties name a queue_sid or a worker_sid")
    if contact.state not in IN_HAND or contact.agent_id is None:
        raise TwilioError(400, 20001, f"Invalid parameter Routing: task {twilio.sids.of('WT', contact.id)} is not assigned")
    attributes = properties.get("attributes") if isinstance(properties.get("attributes"), dict) else {}
    note = attributes.get("transferNote")
    conversations = twilio.conversations
    if conversations is not None:
        conversations.note_transfer(contact.id, Principal("", "agent", contact.agent_id), note if isinstance(note, str) else None)
    try:
        moved = twilio.engine.transfers.transfer(contact.id, target)
    except (Conflict, Invalid) as error:  # a worker who cannot take it now; the contact's own agent
        raise TwilioError(400, 20001, f"Invalid parameter Routing: {error}") from None
    task = render(request, twilio).task(twilio.engine.read.contact(moved.id))
    sid = twilio.sids.of("KG", f"{contact.id}:{len(moved.transfer_path)}")
    return {
        "sid": sid, "interaction_sid": InteractionSid, "channel_sid": ChannelSid,
        "routing": {"reservation": None, "properties": {**task, "queue_sid": task["task_queue_sid"], "queue_name": task["task_queue_friendly_name"]}},
        "url": f"{FLEX}/v1/Interactions/{InteractionSid}/Channels/{ChannelSid}/Invites/{sid}",
    }  # fmt: skip


@router.get("/Participants")
async def list_participants(
    request: Request, twilio: Twilio, InteractionSid: InteractionSid, ChannelSid: ChannelSid,
    PageSize: PageSize = 50, Page: PageNumber = 0, PageToken: PageToken = None,
) -> dict:  # fmt: skip
    contact = _contact(twilio, request, InteractionSid, ChannelSid)
    return page_of(request, "participants", _participants(twilio, contact), Page, PageSize)


@router.post("/Participants/{Sid}")
async def update_participant(
    request: Request, twilio: Twilio, InteractionSid: InteractionSid, ChannelSid: ChannelSid, Sid: ParticipantSid
) -> dict:
    contact = _contact(twilio, request, InteractionSid, ChannelSid)
    status = (await form(request)).get("Status")
    if status not in ("closed", "wrapup"):
        raise TwilioError(400, 20001, f"Invalid parameter Status: {status!r} (closed or wrapup)")
    participant = next((p for p in _participants(twilio, contact) if p["sid"] == Sid), None)
    if participant is None:
        raise not_found(request.url.path)
    if participant["type"] != "agent":
        raise TwilioError(400, 20001, "Invalid parameter Sid: only an agent's participant is updated here")
    if participant["routing_properties"]["status"] == "joined":  # still theirs: they leave into wrap-up
        try:
            contact = twilio.engine.contacts.end(contact.id)
        except (Conflict, NotFound) as error:
            raise TwilioError(400, 20001, str(error)) from None
        participant = next(p for p in _participants(twilio, contact) if p["sid"] == Sid)
    return participant
