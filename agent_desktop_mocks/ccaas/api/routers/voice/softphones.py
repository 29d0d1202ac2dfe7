"""An agent's softphone: the SIP contact the mock rings with the agent's real calls; a supervisor's: where a call they
take over goes (docs/voice.md)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status

from agent_desktop_mocks.ccaas.api.dependencies import AgentIdDep, EngineDep, SupervisorDep
from agent_desktop_mocks.ccaas.core.errors import Invalid
from agent_desktop_mocks.ccaas.core.wire.schemas import Message
from agent_desktop_mocks.ccaas.voice.contact_uri import ContactUriError, SipContact, parse_contact_uri
from agent_desktop_mocks.ccaas.voice.softphones import Softphone, SoftphoneRegistration, Softphones
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(prefix="/v1/agents", tags=["agents"])
supervisor_router = APIRouter(prefix="/v1/supervisor", tags=["monitoring"])

ERRORS: Responses = {403: {"model": Message}, 404: {"model": Message}}


def _softphones(request: Request) -> Softphones:
    softphones: Softphones = request.app.state.softphones
    return softphones


@router.put(
    "/{agent_id}/softphone",
    response_model=Softphone,
    responses=ERRORS,
    summary="Register the agent's softphone: their calls ring it as real SIP calls from a caller on this machine",
    description="The agent, or a supervisor. `contact_uri` is `sip:[user@]127.x.y.z[:port]`: IPv4 loopback only "
    "(422 says which part is refused otherwise). Each call offered to the agent is then an INVITE to it from a "
    "caller speaking the call's script, carrying `X-Agent-Desktop-Contact: <contact id>`. Replaces an earlier one.",
)
async def register(agent_id: AgentIdDep, body: SoftphoneRegistration, engine: EngineDep, request: Request) -> Softphone:
    engine.read.agent(agent_id)
    try:
        contact = parse_contact_uri(body.contact_uri)
    except ContactUriError as error:
        raise Invalid("contact_uri", str(error), body.contact_uri) from None
    return _softphones(request).register(agent_id, contact, engine.read.now())


@router.get("/{agent_id}/softphone", response_model=Softphone, responses=ERRORS, summary="The agent's softphone")
async def softphone(agent_id: AgentIdDep, engine: EngineDep, request: Request) -> Softphone:
    engine.read.agent(agent_id)
    found = _softphones(request).of(agent_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"agent {agent_id} has no softphone registered")
    return found


@router.delete(
    "/{agent_id}/softphone",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ERRORS,
    summary="Forget the agent's softphone: their calls are simulated again (a call already ringing goes on)",
)
async def forget(agent_id: AgentIdDep, engine: EngineDep, request: Request) -> Response:
    engine.read.agent(agent_id)
    if not _softphones(request).forget(agent_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"agent {agent_id} has no softphone registered")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _supervisors(request: Request) -> Softphones:
    softphones: Softphones = request.app.state.supervisor_softphones
    return softphones


def _parsed(body: SoftphoneRegistration) -> SipContact:
    try:
        return parse_contact_uri(body.contact_uri)
    except ContactUriError as error:
        raise Invalid("contact_uri", str(error), body.contact_uri) from None


@supervisor_router.put(
    "/softphone",
    response_model=Softphone,
    responses=ERRORS,
    summary="Register the supervisor's softphone: a call they take over rings it",
    description="The supervisor's own token. `contact_uri` as an agent's (IPv4 loopback only, 422 otherwise). A call "
    "taken over (`POST /v1/contacts/{id}/monitoring/takeover`) is moved there; without one a take-over is 409. "
    "`agent_id` of the answer is the supervisor's id. Replaces an earlier one.",
)
async def register_supervisors(
    body: SoftphoneRegistration, who: SupervisorDep, engine: EngineDep, request: Request
) -> Softphone:
    return _supervisors(request).register(who.subject, _parsed(body), engine.read.now())


@supervisor_router.get("/softphone", response_model=Softphone, responses=ERRORS, summary="The supervisor's softphone")
async def supervisors_softphone(who: SupervisorDep, request: Request) -> Softphone:
    found = _supervisors(request).of(who.subject)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"supervisor {who.subject} has no softphone registered")
    return found


@supervisor_router.delete(
    "/softphone",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ERRORS,
    summary="Forget the supervisor's softphone (a call already taken over goes on)",
)
async def forget_supervisors(who: SupervisorDep, request: Request) -> Response:
    if not _supervisors(request).forget(who.subject):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"supervisor {who.subject} has no softphone registered")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
