"""Workers: the agents (ListWorker, FetchWorker, UpdateWorker with `ActivitySid`; with contacts in hand an
unavailable Activity is the engine's next state, shown as the Worker's Activity at once, as TaskRouter does; and
with `Attributes`, a JSON object that replaces the Worker's, its `contact_uri` the one the conference instruction
dials), and their Worker Channels (ListWorkerChannel: the capacity per TaskChannel, from the engine's agent
capacity)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request

from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel
from agent_desktop_mocks.twilio.http.errors import TwilioError
from agent_desktop_mocks.twilio.http.form import boolean, form
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.routers.common import WorkerSid, WorkspaceSid, agent_of, render
from agent_desktop_mocks.twilio.state import Twilio

router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}/Workers", tags=["Workers"])


@router.get("")
async def list_workers(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    view = render(request, twilio)
    return page_of(request, "workers", [view.worker(a) for a in twilio.engine.read.agents()], Page, PageSize)


@router.get("/{Sid}")
async def fetch_worker(request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, Sid: WorkerSid) -> dict[str, Any]:
    return render(request, twilio).worker(twilio.engine.read.agent(agent_of(twilio, Sid, request)))


@router.get("/{WorkerSid}/Channels")
async def list_worker_channels(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    WorkerSid: WorkerSid,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    agent = twilio.engine.read.agent(agent_of(twilio, WorkerSid, request))
    view = render(request, twilio)
    return page_of(request, "channels", [view.worker_channel(agent, channel) for channel in Channel], Page, PageSize)


@router.post("/{Sid}")
async def update_worker(request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, Sid: WorkerSid) -> dict[str, Any]:
    agent_id = agent_of(twilio, Sid, request)
    fields = await form(request)
    if "Attributes" in fields:
        twilio.worker_attributes[agent_id] = _attributes(fields["Attributes"])
    if "ActivitySid" in fields:
        activity = twilio.activity_by_sid(fields["ActivitySid"])
        if activity is None:
            raise TwilioError(400, 20001, f"Invalid parameter ActivitySid: no Activity {fields['ActivitySid']}")
        if activity.state == AgentState.MISSED:
            raise TwilioError(400, 20001, f"Activity {activity.name} is set by TaskRouter on a missed reservation")
        engine = twilio.engine
        pending = engine.read.pending_offers(agent_id)
        if pending and boolean(fields.get("RejectPendingReservations")):
            for offer in pending:
                engine.offers.reject(offer.id)
        if activity.state != AgentState.AVAILABLE and engine.read.contacts_in_hand(agent_id):
            # TaskRouter moves a Worker with tasks in hand to an unavailable Activity at once (no new
            # reservation); the engine refuses that state while contacts are in hand and takes it as the
            # agent's next state instead (no new offer either; taken when the last contact is completed).
            engine.agents.set_next_state(agent_id, activity.state, activity.reason)
        else:
            engine.agents.set_agent_state(agent_id, activity.state, activity.reason)
    return render(request, twilio).worker(twilio.engine.read.agent(agent_id))


MAX_ATTRIBUTES = 4096  # characters of a Worker's Attributes (guessed: TaskRouter documents none)


def _attributes(text: str) -> dict[str, Any]:
    """A Worker's Attributes as written: a JSON object (TaskRouter: "The JSON string that describes the Worker")."""
    if len(text) > MAX_ATTRIBUTES:
        raise TwilioError(400, 20001, f"Invalid parameter Attributes: more than {MAX_ATTRIBUTES} characters")
    try:
        attributes = json.loads(text)
    except ValueError:
        raise TwilioError(400, 20001, "Invalid parameter Attributes: not JSON") from None
    if not isinstance(attributes, dict):
        raise TwilioError(400, 20001, "Invalid parameter Attributes: not a JSON object")
    return attributes
