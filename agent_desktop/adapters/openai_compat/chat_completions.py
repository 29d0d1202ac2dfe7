"""A chat-completions client with streaming: `POST {base_url}/chat/completions` with `stream: true`, read as
server-sent events (`data:` chunks whose `choices[0].delta.content` is the next piece, a `finish_reason` in the last
one, `data: [DONE]` at the end, and with `stream_options.include_usage` a chunk carrying `usage` before it). A stream
that ends without a finish reason (`[DONE]` alone is not one), or whose connection breaks once the answer has begun,
was cut: its answer is incomplete, and said so.

httpx and httpx_sse, not the `openai` SDK: they are the one HTTP client every backend of the desk already uses (the
wire's streams, timeouts and errors in words), and the SDK would add its own client stack and a few hundred modules to
a desk that counts its imports at start (tests/contract/start_up/test_import_budget.py); this module is imported only when
`[assist]` names a model. The contract test drives the mock model server with the SDK itself, so both speak the same
API. No tools or functions are ever sent: the model is given no way to act.

An answer with a shape (a wrap-up's JSON, its disposition one of the queue's list) asks the server to hold the model
to it, in the way the server reads (`structured_output`): OpenAI's `response_format` of type `json_schema` (OpenAI,
Ollama, vLLM, llama.cpp's own llama-server, LM Studio), or `json_object` with a `schema` beside it, the only form
llama-cpp-python's server reads (it answers `json_schema` with a 500 naming the types it knows); `none` sends no
shape, for a server that has none: the answer is then read strictly as it comes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from httpx_sse import SSEError, aconnect_sse

from agent_desktop.adapters.openai_compat.secret_redaction import Redactor, url_secrets
from agent_desktop.adapters.wire.http_errors import content_kind, describe_transport_error, json_body
from agent_desktop.adapters.wire.url_path import public_url
from agent_desktop.domain.assist.protocol import (
    AnswerIncomplete,
    AnswerSchema,
    AssistCapabilities,
    ChatMessage,
    Usage,
)
from agent_desktop.domain.errors import BackendError

BACKEND = "assist"
WHO = "The assistant's model"

StructuredOutput = Literal["json_schema", "json_object_schema", "none"]


class ChatCompletionsModel:
    """One model on an OpenAI-compatible server. `first_token_s` bounds the wait for the answer's first piece (and
    for each next one), `answer_s` the whole answer by the clock, whatever arrives meanwhile (a server sending only
    keep-alive comments included): a model that goes quiet fails in words, never hangs a suggestion. An answer whose
    stream ends before the server says it is whole ends in `AnswerIncomplete`.
    The key is sent as `Authorization: Bearer` and appears in no message, repr or log: every error's words pass the
    `Redactor` of the key and the base URL's secrets before they leave this module."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        first_token_s: float = 20.0,
        answer_s: float = 60.0,
        connect_s: float = 3.0,
        structured_output: StructuredOutput = "json_schema",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.capabilities = AssistCapabilities(replies=True, streams=True, counts_tokens=True, model=model)
        self._model = model
        self._answer_s = answer_s
        self._structured_output = structured_output
        self._redact = Redactor([api_key, *url_secrets(base_url)])
        headers = {"Accept": "text/event-stream"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(first_token_s, connect=connect_s),
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"ChatCompletionsModel({public_url(self._client.base_url)!r}, {self._model!r})"

    def request_body(
        self, messages: Sequence[ChatMessage], max_tokens: int | None, schema: AnswerSchema | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self._model,
            "messages": [{"role": message.role, "content": message.content} for message in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": 0.2,
        }
        if max_tokens is not None:
            body["max_tokens"] = max_tokens
        if schema is not None and self._structured_output == "json_schema":
            shape = {"name": schema.name, "strict": True, "schema": dict(schema.schema)}
            body["response_format"] = {"type": "json_schema", "json_schema": shape}
        elif schema is not None and self._structured_output == "json_object_schema":
            body["response_format"] = {"type": "json_object", "schema": dict(schema.schema)}
        return body

    async def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        """The answer's pieces, each awaited under the whole answer's deadline (`answer_s`): the clock is not read
        only when an event comes, so a stream of keep-alive comments ends at the deadline too. The deadline's scope
        closes around each wait and never spans a `yield` (a timeout across a yield would cancel the caller)."""
        deadline = asyncio.get_running_loop().time() + self._answer_s
        pieces = self._pieces(self.request_body(messages, max_tokens, schema))
        try:
            while True:
                try:
                    async with asyncio.timeout_at(deadline):
                        piece = await anext(pieces)
                except StopAsyncIteration:
                    return
                except TimeoutError:
                    raise BackendError(BACKEND, f"{WHO} took longer than {self._answer_s:g} s to answer") from None
                yield piece
        except AnswerIncomplete as error:
            raise AnswerIncomplete(self._redact.line(error.message, 400)) from None
        except BackendError as error:  # the last word on what leaves: no key in it, whoever built it
            raise BackendError(BACKEND, self._redact.line(error.message, 400), error.status) from None
        finally:
            await pieces.aclose()

    async def _pieces(self, body: dict[str, Any]) -> AsyncGenerator[str | Usage, None]:
        ended = _Ending()
        given = False  # a piece of the answer was given: a connection that breaks after it cut the answer short
        events = 0
        try:
            async with aconnect_sse(self._client, "POST", "chat/completions", json=body) as source:
                response = source.response
                if not response.is_success:
                    await response.aread()
                    raise _refused(response, self._redact)
                if "text/event-stream" not in response.headers.get("Content-Type", ""):
                    await response.aread()
                    raise _not_a_stream(response)
                async for event in source.aiter_sse():
                    events += 1
                    if event.data.strip() == "[DONE]":
                        break  # whole only if a finish reason came first: llama-cpp-python's server ends an answer
                        # it interrupts for another request's sake with `[DONE]` alone
                    for piece in _read_chunk(event.data, self._redact, ended):
                        given = given or isinstance(piece, str)
                        yield piece
        except httpx.HTTPError as error:
            if given:  # a server killed mid-answer breaks its stream rather than ending it
                raise AnswerIncomplete(
                    f"{WHO}'s answer stopped before its end (its connection broke: {describe_transport_error(error)})"
                ) from None
            raise BackendError(
                BACKEND, f"cannot reach the assistant's model ({describe_transport_error(error)})"
            ) from None
        except SSEError:
            raise BackendError(BACKEND, f"{WHO} answered something that is not an event stream") from None
        if events == 0:
            raise await self._why_no_answer(body)
        if not ended.finished:
            raise AnswerIncomplete(f"{WHO}'s answer stopped before its end (its stream was cut)")

    async def _why_no_answer(self, body: dict[str, Any]) -> BackendError:
        """An event stream that ended before its first event: llama-cpp-python's server answers a prompt longer than
        its model's context so (a 200 and an empty stream; OpenAI refuses with a 400 before streaming). The same
        request asked whole, for one token, has the server say why in its own words (a 400 at once, where the prompt is
        too long); an answer to that says the stream was empty."""
        probe = {key: value for key, value in body.items() if key not in ("stream", "stream_options")}
        probe["max_tokens"] = 1
        for attempt in (1, 2):  # that server closes the connection after such a stream: the pool's copy is stale once
            try:
                response = await self._client.post(
                    "chat/completions", json=probe, headers={"Accept": "application/json"}
                )
                break
            except (httpx.ReadError, httpx.RemoteProtocolError) as error:
                if attempt == 2:
                    return BackendError(
                        BACKEND, f"cannot reach the assistant's model ({describe_transport_error(error)})"
                    )
            except httpx.HTTPError as error:
                return BackendError(BACKEND, f"cannot reach the assistant's model ({describe_transport_error(error)})")
        if not response.is_success:
            return _refused(response, self._redact)
        return BackendError(BACKEND, f"{WHO} sent an empty answer (its event stream ended before its first event)")

    async def aclose(self) -> None:
        await self._client.aclose()


@dataclass
class _Ending:
    """Whether the server said the answer is whole: a choice's `finish_reason` (`[DONE]` is the other sign)."""

    finished: bool = False


def _read_chunk(data: str, redact: Redactor, ended: _Ending) -> list[str | Usage]:
    """What one `data:` chunk carries: the delta's text (if any) and the usage (if any); a finish reason noted."""
    try:
        chunk = json.loads(data)
    except (ValueError, RecursionError):
        raise BackendError(BACKEND, f"{WHO} sent a chunk that is not JSON") from None
    if not isinstance(chunk, dict):
        raise BackendError(BACKEND, f"{WHO} sent a chunk that is not a JSON object")
    error = chunk.get("error")
    if isinstance(error, dict | str):  # some servers report a failure inside the stream (Ollama: a string)
        said = str(error.get("message", "")) if isinstance(error, dict) else error
        raise BackendError(BACKEND, f"{WHO} failed: {redact.line(said, 200)}")
    found: list[str | Usage] = []
    choices = chunk.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        delta = choices[0].get("delta")
        content = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(content, str) and content:
            found.append(content)
        reason = choices[0].get("finish_reason")
        if isinstance(reason, str) and reason:
            ended.finished = True
    usage = chunk.get("usage")
    if isinstance(usage, dict):
        prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
        if type(prompt) is int and type(completion) is int and prompt >= 0 and completion >= 0:  # not a bool
            found.append(Usage(prompt, completion))
    return found


def _refused(response: httpx.Response, redact: Redactor) -> BackendError:
    """An error answer in words: OpenAI's shape `{"error": {"message", "type", "param", "code"}}` where given, its
    secrets redacted whatever the status."""
    body = json_body(response)
    said = ""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        said = str(body["error"].get("message") or "")
    elif isinstance(body, dict) and isinstance(body.get("error"), str):  # Ollama's own shape
        said = body["error"]
    status = response.status_code
    what = {
        401: "refused the API key",
        403: "refused the API key",
        404: "does not know this model or address",
        429: "is rate limited or out of quota",
    }.get(status, "failed" if status >= 500 else "refused the request")
    if status in (401, 403):
        said = ""  # OpenAI's words for a wrong key quote part of it: said without its words
    said = redact.line(said, 200)
    words = f"{WHO} {what} ({status}" + (f": {said})" if said else ")")
    return BackendError(BACKEND, words, status)


def _not_a_stream(response: httpx.Response) -> BackendError:
    kind = content_kind(response)
    return BackendError(BACKEND, f"{WHO} answered {kind}, not an event stream (is the base URL the /v1 one?)")
