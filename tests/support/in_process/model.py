"""`AssistModel` over the mock model server's own engine, in-process: the request body the desk's client would send
is read by the server's own reader and kept among its received bodies, and the answer is the server's
(`ModelServer.answer`), yielded in the pieces its route streams, after the same waits, then its usage. A request the
server's draw fails is refused in the words the desk's client says for a 500, and a stream the server cuts
(`cut_after_pieces`) ends as the client ends it, in `AnswerIncomplete`. Keep-alive comments are the wire's: none here."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence

from agent_desktop.domain.assist.protocol import (
    AnswerIncomplete,
    AnswerSchema,
    AssistCapabilities,
    ChatMessage,
    Usage,
)
from agent_desktop.domain.errors import BackendError
from agent_desktop_mocks.model.app import create_app
from agent_desktop_mocks.model.chat_request import read_chat_request
from agent_desktop_mocks.model.model_server import ModelServer
from agent_desktop_mocks.model.settings import DEMO_MODEL, ModelMockSettings


class InProcessModel:
    def __init__(self, settings: ModelMockSettings | None = None) -> None:
        self.server: ModelServer = create_app(settings).state.server
        self.capabilities = AssistCapabilities(model=DEMO_MODEL)

    async def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        body: dict[str, object] = {
            "model": DEMO_MODEL,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if max_tokens is not None:
            body["max_tokens"] = max_tokens
        if schema is not None:  # as the desk's client sends it by default (OpenAI's structured output)
            shape = {"name": schema.name, "strict": True, "schema": dict(schema.schema)}
            body["response_format"] = {"type": "json_schema", "json_schema": shape}
        server = self.server
        server.received.append(json.dumps(body, ensure_ascii=False))
        chat = read_chat_request(body)
        if server.fails_now():
            raise BackendError("assist", "The assistant's model failed (500: The server had an error)", 500)
        answer = server.answer(chat)
        settings = server.settings
        for position, piece in enumerate(answer.pieces):
            if settings.cut_after_pieces is not None and position >= settings.cut_after_pieces:
                break
            await asyncio.sleep(settings.first_token_s if position == 0 else settings.token_s)
            yield piece
        if settings.cut_after_pieces is not None:
            raise AnswerIncomplete("The assistant's model's answer stopped before its end (its stream was cut)")
        yield Usage(answer.usage.prompt_tokens, answer.usage.completion_tokens)

    def bodies(self) -> list[str]:
        """The request bodies received, oldest first."""
        return list(self.server.received)

    async def aclose(self) -> None:
        return None
