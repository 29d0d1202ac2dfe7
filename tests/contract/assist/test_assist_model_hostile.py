"""Whatever a model server answers — any status, any content type, event streams of any JSON or none, bytes that are
not text — the desk's client ends in text pieces and usage, or in a BackendError whose words fit one line and hold no
key (agent_desktop/adapters/openai_compat/chat_completions.py). Never another exception: a suggestion must end in
words the agent can read, not crash the desk."""

from __future__ import annotations

import asyncio
import json

import httpx
from hypothesis import example, given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.openai_compat.chat_completions import ChatCompletionsModel
from agent_desktop.domain.assist.protocol import ChatMessage, Usage
from agent_desktop.domain.errors import BackendError
from tests.support.hostile.headers import CONTENT_TYPES, DELTA_SECONDS, HTTP_DATES, Headers, values
from tests.support.hypothesis_profiles import examples

KEY = "sk-hostile-key-777"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=12,
)
chunks = st.one_of(
    json_values.map(json.dumps),
    st.builds(
        lambda content, usage: json.dumps({"choices": [{"index": 0, "delta": {"content": content}}], "usage": usage}),
        json_values,
        json_values,
    ),
    st.sampled_from(["[DONE]", "", "{", '{"error": {"message": "overloaded"}}', '{"error": "model not loaded"}']),
    st.text(max_size=40),
)
streams = st.lists(chunks, max_size=6).map(lambda data: "".join(f"data: {d}\n\n" for d in data).encode())
bodies = st.one_of(streams, st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()))
content_types = st.sampled_from(["text/event-stream", "application/json", "text/html", "", "text/event-stream; x=1"])


@settings(max_examples=examples(300))
@given(
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 422, 429, 500, 502, 503]),
    content_type=content_types,
    body=bodies,
)
def test_any_answer_ends_in_pieces_or_a_backend_error_in_one_line(status: int, content_type: str, body: bytes) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    _ends_in_pieces_or_words(httpx.Response(status, headers=headers, content=body))


@settings(max_examples=examples(200))
@given(
    spoil=st.builds(
        Headers,
        date=values(HTTP_DATES),
        retry_after=values(DELTA_SECONDS),
        content_type=values(CONTENT_TYPES),
        status=st.sampled_from((None, 429, 503)),
    ),
    body=bodies,
)
@example(  # the content type as written made the words: 5,000 characters of them
    spoil=Headers(content_type=(b"text/" + b"x" * 5_000,)), body=b"data: [DONE]\n\n"
)
def test_any_headers_on_a_models_answer_end_in_pieces_or_a_backend_error_in_one_line(
    spoil: Headers, body: bytes
) -> None:
    """`Date`, `Retry-After` and `Content-Type` of any value (tests/support/hostile/headers.py), dropped or
    repeated, on a model server's answer of any body."""
    headers = [(name, value) for name, given in spoil.replaced().items() for value in given]
    _ends_in_pieces_or_words(httpx.Response(spoil.status or 200, headers=headers, content=body))


def _ends_in_pieces_or_words(answered: httpx.Response) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return answered

    async def ask() -> list[object]:
        model = ChatCompletionsModel("http://model.test/v1", "m", KEY, transport=httpx.MockTransport(answer))
        try:
            return [piece async for piece in model.reply([ChatMessage("user", "Hi")])]
        finally:
            await model.aclose()

    try:
        pieces = asyncio.run(ask())
    except BackendError as error:
        assert "\n" not in error.message, error.message
        assert len(error.message) <= 400, error.message
        assert KEY not in str(error)
        assert "777" not in error.message
        return
    assert answered.status_code < 300, "a refusal is never read as an answer"
    assert all(isinstance(piece, str | Usage) for piece in pieces)
