"""Voicemail: a waiting caller leaves a message (the caller's side: supervisor token, as the IVR and a callback's
request), offered as routed work; its audio for the agent it is offered to or who has it (docs/voice.md
"Voicemail")."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import FileResponse

from agent_desktop_mocks.ccaas.api.dependencies import EngineDep, PrincipalDep, ScopeDep, SupervisorDep
from agent_desktop_mocks.ccaas.core.wire.requests import VoicemailRequest
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, ContactState, Message
from agent_desktop_mocks.ccaas.voice.media.voicemail_tape import voicemail_path

router = APIRouter(prefix="/v1/contacts", tags=["voicemail"])

HEARD_IN = (ContactState.OFFERED, ContactState.CONNECTED, ContactState.ON_HOLD, ContactState.AFTER_CONTACT_WORK)


@router.post(
    "/{contact_id}/voicemail",
    response_model=Contact,
    responses={403: {"model": Message}, 404: {"model": Message}, 409: {"model": Message}},
    summary="The waiting caller leaves a message instead of waiting: they keep their place, the message is offered",
    description="A voice contact still queued (409 otherwise, or once it chose a callback or left a message). Its "
    "`lines` are said at the scripts' pace and cut at the queue's `voicemail_max_s`.",
)
async def leave(
    contact_id: str, body: VoicemailRequest, who: SupervisorDep, engine: EngineDep, scope: ScopeDep
) -> Contact:
    scope.check_queue(who, engine.read.contact(contact_id).queue_id, f"contact {contact_id}")
    return engine.voicemails.leave(contact_id, body.lines)


@router.get(
    "/{contact_id}/voicemail/audio",
    response_class=FileResponse,
    responses={
        403: {"model": Message},
        404: {"model": Message},
        409: {"model": Message},
        200: {"content": {"audio/wav": {}}},
    },
    summary="The message as a WAV (8 kHz mono, the caller's side only): the agent it is offered to or who has it",
    description="403: another agent (a supervisor hears it from a queue of theirs); 404: not a voicemail, or one "
    "left on a simulated call (no audio); 409: a voicemail not offered to nor held by anyone now.",
)
async def audio(
    contact_id: str, who: PrincipalDep, engine: EngineDep, scope: ScopeDep, request: Request
) -> FileResponse:
    contact = engine.read.contact(contact_id)
    scope.check_queue(who, contact.queue_id, f"contact {contact_id}")
    mine = who.role == "supervisor" or (who.role == "agent" and who.subject == contact.agent_id)
    if contact.agent_id is not None and not mine:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a message is heard by the agent it is offered to")
    voicemail = contact.voicemail
    if voicemail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"contact {contact.id} is no voicemail")
    if who.role != "supervisor" and (contact.state not in HEARD_IN or not mine):
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"contact {contact.id} is {contact.state.value}: a message is heard by the agent it is offered to",
        )
    path = voicemail_path(request.app.state.voice_leg.audio.folder, contact.id)
    if not voicemail.audio or not path.exists():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"contact {contact.id}'s message was left with no audio")
    return FileResponse(path, media_type="audio/wav", filename=f"{contact.id}-voicemail.wav")
