"""Call recordings: what the contact center recorded of a call, its pauses (the agent's, while card data is read out)
and its audio (a supervisor of the contact's queue only); docs/voice.md "Recording"."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import FileResponse

from agent_desktop_mocks.ccaas.api.dependencies import HandledContactDep, PrincipalDep, require_owner
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact, ContactState, Message
from agent_desktop_mocks.ccaas.voice.media.call_recording import CallRecording, Recording, Recordings
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(prefix="/v1/contacts", tags=["recordings"])

ERRORS: Responses = {403: {"model": Message}, 404: {"model": Message}}
PAUSE_ERRORS: Responses = {**ERRORS, 409: {"model": Message}, 422: {"model": Message}}
IN_HAND = (ContactState.CONNECTED, ContactState.ON_HOLD)


def _recordings(request: Request) -> Recordings:
    recordings: Recordings = request.app.state.voice_leg.recordings
    return recordings


def _recording(request: Request, contact: Contact) -> CallRecording:
    found = _recordings(request).of(contact.id)
    if found is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"contact {contact.id} has no recording: only a call's audio is recorded"
        )
    return found


@router.get(
    "/{contact_id}/recording",
    response_model=Recording,
    responses=ERRORS,
    summary="What was recorded of the call: its length, whether it is paused now, its paused spans",
)
async def recording(contact: HandledContactDep, request: Request) -> Recording:
    recordings = _recordings(request)
    return _recording(request, contact).describe(recordings.now())


def _pausable(contact: Contact, request: Request) -> CallRecording:
    if contact.channel != Channel.VOICE:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"contact {contact.id} is a {contact.channel.value} contact: only calls are recorded",
        )
    if contact.state not in IN_HAND:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"contact {contact.id} is {contact.state.value}: a recording is paused on a call in hand",
        )
    recordings = _recordings(request)
    found = recordings.of(contact.id)
    if found is None or found.ended:  # a call without its audio (simulated): its pauses are kept all the same
        found = recordings.start(contact.id, audio=False)
    return found


@router.post(
    "/{contact_id}/recording/pause",
    response_model=Recording,
    responses=PAUSE_ERRORS,
    summary="Pause the call's recording (card data): silence is recorded from now, never what is said",
    description="The contact's agent only, on a call connected or on hold (422 for another channel, 409 otherwise). "
    "Pausing a paused recording changes nothing.",
)
async def pause(contact: HandledContactDep, who: PrincipalDep, request: Request) -> Recording:
    require_owner(who, contact.agent_id, "contact")
    found = _pausable(contact, request)
    now = _recordings(request).now()
    found.pause(now)
    return found.describe(now)


@router.post(
    "/{contact_id}/recording/resume",
    response_model=Recording,
    responses=PAUSE_ERRORS,
    summary="Resume the call's recording",
    description="The contact's agent only, as for the pause. Resuming a recording that is not paused changes nothing.",
)
async def resume(contact: HandledContactDep, who: PrincipalDep, request: Request) -> Recording:
    require_owner(who, contact.agent_id, "contact")
    found = _pausable(contact, request)
    now = _recordings(request).now()
    found.resume(now)
    return found.describe(now)


@router.get(
    "/{contact_id}/recording/audio",
    response_class=FileResponse,
    responses={**ERRORS, 200: {"content": {"audio/wav": {}}}},
    summary="The call's recording as a WAV (8 kHz mono): a supervisor of the contact's queue only",
)
async def audio(contact: HandledContactDep, who: PrincipalDep, request: Request) -> FileResponse:
    if who.role != "supervisor":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a call's recording is heard by a supervisor only")
    found = _recording(request, contact)
    if found.path is None or not found.path.exists():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"contact {contact.id}'s call had no audio to record")
    return FileResponse(found.path, media_type="audio/wav", filename=f"{contact.id}.wav")
