"""`POST /v1/chat/completions`, streamed (server-sent events, `data: [DONE]` last) or whole."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from agent_desktop_mocks.model.chat_request import ChatRequest, read_chat_request
from agent_desktop_mocks.model.model_server import ModelServer
from agent_desktop_mocks.model.openai_errors import OpenAiError
from agent_desktop_mocks.model.schemas import (
    AssistantMessage,
    ChatCompletion,
    ChatCompletionChunk,
    Choice,
    ChunkChoice,
    CompletionUsage,
    Delta,
    ErrorBody,
)

router = APIRouter(tags=["chat"])

BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["model", "messages"],
                "properties": {
                    "model": {"type": "string"},
                    "messages": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["role", "content"],
                            "properties": {
                                "role": {"type": "string", "enum": ["system", "developer", "user", "assistant"]},
                                "content": {"type": "string", "minLength": 1},
                            },
                        },
                    },
                    "stream": {"type": "boolean"},
                    "stream_options": {"type": "object", "properties": {"include_usage": {"type": "boolean"}}},
                    "max_tokens": {"type": "integer", "minimum": 1},
                    "response_format": {
                        "type": "object",
                        "required": ["type"],
                        "properties": {
                            "type": {"type": "string", "enum": ["text", "json_object", "json_schema"]},
                            "json_schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string", "minLength": 1},
                                    "strict": {"type": "boolean"},
                                    "schema": {"type": "object"},
                                },
                            },
                        },
                    },
                },
            }
        }
    },
}


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "a completion, or its chunks when streamed"},
        400: {"model": ErrorBody},
        401: {"model": ErrorBody},
        404: {"model": ErrorBody},
        500: {"model": ErrorBody},
    },
    openapi_extra={"requestBody": BODY},
    summary="A chat completion grounded in the request's passages",
)
async def chat_completions(request: Request) -> Any:
    server: ModelServer = request.app.state.server
    raw = await request.body()
    server.received.append(raw.decode("utf-8", "replace"))
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise OpenAiError(400, "We could not parse the JSON body of your request.") from None
    chat = read_chat_request(body)
    if chat.model not in server.settings.models:
        raise OpenAiError(
            404,
            f"The model '{chat.model}' does not exist or you do not have access to it.",
            param="model",
            code="model_not_found",
        )
    if server.fails_now():
        raise OpenAiError(
            500, "The server had an error while processing your request. Sorry about that!", "server_error"
        )
    answer = server.answer(chat)
    said, finish, usage = answer.pieces, answer.finish, answer.usage
    ident, created = f"chatcmpl-mock-{server.next_id()}", int(time.time())
    if not chat.stream:
        await asyncio.sleep(server.settings.first_token_s + server.settings.token_s * max(0, len(said) - 1))
        whole = ChatCompletion(
            id=ident,
            created=created,
            model=chat.model,
            usage=usage,
            choices=[Choice(message=AssistantMessage(content="".join(said)), finish_reason=finish)],
        )
        return JSONResponse(whole.model_dump())
    return StreamingResponse(
        _chunks(server, chat, ident, created, said, finish, usage),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache"},
    )


async def _chunks(
    server: ModelServer,
    chat: ChatRequest,
    ident: str,
    created: int,
    said: list[str],
    finish: str,
    usage: CompletionUsage,
) -> AsyncIterator[str]:
    def chunk(choices: list[ChunkChoice], with_usage: CompletionUsage | None = None) -> str:
        body = ChatCompletionChunk(id=ident, created=created, model=chat.model, choices=choices, usage=with_usage)
        dumped = body.model_dump(exclude={"usage"} if not chat.include_usage else set())
        for choice in dumped["choices"]:  # as OpenAI sends a delta: only what it carries
            choice["delta"] = {key: value for key, value in choice["delta"].items() if value is not None}
        return f"data: {json.dumps(dumped, ensure_ascii=False)}\n\n"

    knobs = server.settings
    yield chunk([ChunkChoice(delta=Delta(role="assistant", content=""))])
    for position, piece in enumerate(said):
        if knobs.cut_after_pieces is not None and position >= knobs.cut_after_pieces:
            return  # as a server stopped mid-answer: no finish_reason, no [DONE]
        async for comment in _waited(knobs.first_token_s if position == 0 else knobs.token_s, knobs.keep_alive_s):
            yield comment
        yield chunk([ChunkChoice(delta=Delta(content=piece))])
    if knobs.cut_after_pieces is not None:
        return  # all of it, yet no finish_reason and no [DONE]
    yield chunk([ChunkChoice(delta=Delta(), finish_reason=finish)])
    if chat.include_usage:
        yield chunk([], usage)
    yield "data: [DONE]\n\n"


async def _waited(seconds: float, keep_alive_s: float) -> AsyncIterator[str]:
    """Wait `seconds`, with a `: keep-alive` comment every `keep_alive_s` meanwhile (as OpenRouter sends while its
    model thinks); a client reading events sees nothing of them."""
    if keep_alive_s <= 0:
        await asyncio.sleep(seconds)
        return
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    while (left := until - loop.time()) > 0:
        await asyncio.sleep(min(keep_alive_s, left))
        if until - loop.time() > 0:
            yield ": keep-alive\n\n"
