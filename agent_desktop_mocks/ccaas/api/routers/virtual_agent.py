"""The virtual agent on the chat and voice entries: a customer's chat with it (supervisor token: tests, demos and the
simulator stand for the web chat widget), a call it answers first, and its chats and calls counted per queue."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status

from agent_desktop_mocks.ccaas.api.dependencies import SupervisorDep
from agent_desktop_mocks.ccaas.core.wire.schemas import Conflict, Message
from agent_desktop_mocks.ccaas.virtual_agent.schemas import (
    VirtualAgentCounts,
    VirtualCallCreate,
    VirtualChat,
    VirtualChatCreate,
    VirtualChatMessage,
)
from agent_desktop_mocks.ccaas.virtual_agent.service import VirtualAgent
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(prefix="/v1/virtual-agent", tags=["virtual agent"])
ERRORS: Responses = {404: {"model": Message}, 409: {"model": Conflict}}


async def get_virtual_agent(request: Request) -> VirtualAgent:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(VirtualAgent, request.app.state.virtual_agent)


VirtualAgentDep = Annotated[VirtualAgent, Depends(get_virtual_agent)]


@router.post(
    "/chats",
    response_model=VirtualChat,
    status_code=status.HTTP_201_CREATED,
    responses={403: {"model": Message}},
    summary="A customer opens a chat on a queue's chat entry: the virtual agent answers or hands over",
    description="422 for a queue whose entry has no virtual agent (it is off unless configured per queue).",
)
async def open_chat(body: VirtualChatCreate, _: SupervisorDep, bot: VirtualAgentDep) -> VirtualChat:
    return await bot.open(body.queue_id, body.from_address, body.text)


@router.post(
    "/calls",
    response_model=VirtualChat,
    status_code=status.HTTP_201_CREATED,
    responses={403: {"model": Message}},
    summary="A simulated caller on a queue whose calls the virtual agent answers: it hears the caller's script's "
    "lines, then hands the call to a person or the caller hangs up served",
    description="422 for a queue whose calls have no virtual agent. Escalated, the call is a voice contact queued "
    "with its `handoff`, as a chat's.",
)
async def call(body: VirtualCallCreate, _: SupervisorDep, bot: VirtualAgentDep) -> VirtualChat:
    return await bot.answer_call(body.queue_id, body.from_address, body.subject, body.said)


@router.post(
    "/chats/{chat_id}/messages",
    response_model=VirtualChat,
    responses=ERRORS,
    summary="The customer's next message to the virtual agent (409 once it has handed over or the customer left)",
)
async def customer_message(
    chat_id: str, body: VirtualChatMessage, _: SupervisorDep, bot: VirtualAgentDep
) -> VirtualChat:
    return await bot.customer_says(chat_id, body.text)


@router.post(
    "/chats/{chat_id}/leave",
    response_model=VirtualChat,
    responses=ERRORS,
    summary="The customer leaves the chat served by the virtual agent alone (contained)",
)
async def leave(chat_id: str, _: SupervisorDep, bot: VirtualAgentDep) -> VirtualChat:
    return bot.leave(chat_id)


@router.get(
    "/counts",
    response_model=list[VirtualAgentCounts],
    summary="Per queue with a virtual agent: chats contained, escalated and failed since the start, talking now",
)
async def counts(_: SupervisorDep, bot: VirtualAgentDep) -> list[VirtualAgentCounts]:
    return bot.counts()
