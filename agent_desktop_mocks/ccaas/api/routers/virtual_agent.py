"""The virtual agent on the chat and voice entries: a customer's chat with it (supervisor token: tests, demos and the
simulator stand for the web chat widget), a call it answers first, and its chats and calls counted per queue."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status

from agent_desktop_mocks.ccaas.api.dependencies import SupervisorDep
from agent_desktop_mocks.ccaas.api.virtual_agent_wiring import bot_answers_call
from agent_desktop_mocks.ccaas.core.wire.schemas import Conflict, Message
from agent_desktop_mocks.ccaas.virtual_agent.schemas import (
    VirtualAgentCounts,
    VirtualCallCreate,
    VirtualChat,
    VirtualChatCreate,
    VirtualChatMessage,
)
from agent_desktop_mocks.ccaas.virtual_agent.service import VirtualAgent
from agent_desktop_mocks.ccaas.voice.bot_calls import BotCalls
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(prefix="/v1/virtual-agent", tags=["virtual agent"])
ERRORS: Responses = {404: {"model": Message}, 409: {"model": Conflict}}


async def get_virtual_agent(request: Request) -> VirtualAgent:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(VirtualAgent, request.app.state.virtual_agent)


VirtualAgentDep = Annotated[VirtualAgent, Depends(get_virtual_agent)]


async def get_bot_calls(request: Request) -> BotCalls | None:
    return cast(BotCalls | None, getattr(request.app.state, "bot_calls", None))


BotCallsDep = Annotated[BotCalls | None, Depends(get_bot_calls)]


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
    summary="A caller on a queue whose calls the virtual agent answers: it hears the caller's lines, then hands the "
    "call to a person or the caller hangs up served",
    description="422 for a queue whose calls have no virtual agent. Escalated, the call is a voice contact queued "
    "with its `handoff`, as a chat's. On the real voice path (a softphone registered, baresip installed, calls' "
    "speech recognised) and without `said`, the call is a real one: the answer comes at once with outcome "
    "`talking` and the call's id, while the caller's softphone speaks their script's lines to the bot, which hears "
    "them recognised and answers aloud; how it ended is read from `GET /v1/virtual-agent/counts` and, handed over, "
    "from the voice contact queued with its `handoff`. Otherwise (`said` given, or no softphone registered) the "
    "lines are heard as text and the answer says how the call ended.",
)
async def call(body: VirtualCallCreate, _: SupervisorDep, bot: VirtualAgentDep, calls: BotCallsDep) -> VirtualChat:
    return await bot_answers_call(bot, calls, body.queue_id, body.from_address, body.subject, body.said)


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
