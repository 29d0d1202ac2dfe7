"""Instant messages to a person: send one, read the conversation."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, HTTPException, Request, status

from agent_desktop_mocks.common.http.openapi_responses import Responses
from agent_desktop_mocks.presence.directory import DirectoryDep
from agent_desktop_mocks.presence.messages import Messenger
from agent_desktop_mocks.presence.schemas import ChatMessage, MessageCreate

router = APIRouter(prefix="/people", tags=["messages"])

_NOT_FOUND: Responses = {404: {"description": "No person with this id"}}


def _messenger(request: Request) -> Messenger:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(Messenger, request.app.state.messenger)


MessengerDep = Annotated[Messenger, Depends(_messenger)]


@router.post(
    "/{person_id}/messages",
    response_model=ChatMessage,
    status_code=status.HTTP_201_CREATED,
    summary="Send a person an instant message",
    description=(
        "Stores the message and publishes it as a `message` event on `/v1/presence/events`. The person "
        "answers as their presence suggests (simulated): free people reply within 1-3 s (divided by the "
        "server's speed), busy or away people send an automatic reply, DoNotDisturb and Offline do not "
        "answer. Replies arrive as `message` events with `direction: inbound`. Empty text is 422."
    ),
    responses=_NOT_FOUND,
)
async def send_message(
    directory: DirectoryDep, messenger: MessengerDep, person_id: str, body: MessageCreate
) -> ChatMessage:
    person = directory.person(person_id)
    if person is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no person {person_id}")
    return messenger.send(person, body)


@router.get(
    "/{person_id}/messages",
    response_model=list[ChatMessage],
    summary="The conversation with a person, oldest first",
    responses=_NOT_FOUND,
)
async def conversation(directory: DirectoryDep, messenger: MessengerDep, person_id: str) -> list[ChatMessage]:
    if directory.person(person_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no person {person_id}")
    return messenger.conversation(person_id)
