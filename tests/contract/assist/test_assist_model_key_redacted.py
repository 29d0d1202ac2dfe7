"""The desk never shows the assistant's API key (docs/assist.md), whatever the model server's error quotes: the key put
anywhere in an error body — OpenAI's JSON, Ollama's, plain text, any status, or an error event inside a 200 stream —
as written, percent-encoded, JSON-escaped or after `Bearer`, is not in the words the client raises, which are the words
"No suggestion: …" and "Drafted by rules: …" show (agent_desktop/adapters/openai_compat/secret_redaction.py). Nor is a
key in the base URL's user-info or query in the client's repr."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from urllib.parse import quote, quote_plus

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.openai_compat.chat_completions import ChatCompletionsModel
from agent_desktop.assist.prompt import Said
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.assist.wrap_up_draft import ai_or_rules
from agent_desktop.domain.assist.protocol import ChatMessage
from agent_desktop.domain.errors import BackendError
from tests.support.hypothesis_profiles import examples

keys = st.from_regex(r"(sk-(proj-)?)?[A-Za-z0-9][A-Za-z0-9_\-+/=.]{11,47}", fullmatch=True)
FORMS: dict[str, Callable[[str], str]] = {
    "as written": lambda key: key,
    "percent-encoded": lambda key: quote(key, safe=""),
    "percent-encoded, lower hex": lambda key: re.sub(r"%[0-9A-F]{2}", lambda hex: hex.group().lower(), quote(key, "")),
    "form-encoded": quote_plus,
    "slashes escaped": lambda key: key.replace("/", "\\/"),
    "after Bearer": lambda key: f"Authorization: Bearer {key}",
}
forms = st.sampled_from(sorted(FORMS))
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=260)  # past the 200-character cut


def _error_answer(shape: str, status: int, said: str) -> httpx.Response:
    if shape == "OpenAI's JSON":
        return httpx.Response(status, json={"error": {"message": said, "type": "invalid_request_error"}})
    if shape == "Ollama's JSON":
        return httpx.Response(status, json={"error": said})
    if shape == "plain text":
        return httpx.Response(status, text=said, headers={"Content-Type": "text/plain"})
    error = {"error": {"message": said}} if shape == "stream, OpenAI's error event" else {"error": said}
    first = {"choices": [{"index": 0, "delta": {"content": "Let me"}}]}
    stream = f"data: {json.dumps(first)}\n\ndata: {json.dumps(error)}\n\n"
    return httpx.Response(200, text=stream, headers={"Content-Type": "text/event-stream"})


SHAPES = ["OpenAI's JSON", "Ollama's JSON", "plain text", "stream, OpenAI's error event", "stream, Ollama's error"]


async def _raised(model: ChatCompletionsModel) -> BackendError:
    try:
        with pytest.raises(BackendError) as raised:
            [piece async for piece in model.reply([ChatMessage("user", "Hi")])]
    finally:
        await model.aclose()
    return raised.value


@settings(max_examples=examples(300))
@given(
    key=keys,
    form=forms,
    before=words,
    after=words,
    shape=st.sampled_from(SHAPES),
    status=st.sampled_from([400, 401, 403, 404, 409, 422, 429, 500, 502, 503]),
)
def test_a_key_quoted_anywhere_in_a_servers_error_is_never_in_the_words_shown(
    key: str, form: str, before: str, after: str, shape: str, status: int
) -> None:
    said = before + FORMS[form](key) + after
    model = ChatCompletionsModel(
        "http://model.test/v1", "m", key, transport=httpx.MockTransport(lambda _: _error_answer(shape, status, said))
    )
    error = asyncio.run(_raised(model))
    for shown in (error.message, str(error)):
        for written in {f(key) for f in FORMS.values()}:
            assert written not in shown, (form, shown)
        for fragment in (key[:10], key[-10:]):  # the start a cut line would leave, the end OpenAI quotes
            if fragment not in before + after:
                assert fragment not in shown, (form, shown)


async def test_the_wrap_ups_drafted_by_rules_line_holds_no_key_a_500_quoted() -> None:
    key = "k3y-0f-th1s-desk-9f8e7d"
    quoted = f"Internal error handling request with headers {{'authorization': 'Bearer {key}'}} for key {key}"
    model = ChatCompletionsModel(
        "http://model.test/v1",
        "m",
        key,
        transport=httpx.MockTransport(lambda _: httpx.Response(500, json={"error": {"message": quoted}})),
    )
    try:
        drafted = await ai_or_rules(
            model, [Said("customer", "Hi")], ["Resolved"], "Billing", "c-1", TokenLedger(10_000), "rules"
        )
    finally:
        await model.aclose()
    assert drafted.source == "rules"
    assert drafted.said.startswith("Drafted by rules: The assistant's model failed (500: Internal error"), drafted.said
    assert key not in drafted.said
    assert "9f8e7d" not in drafted.said


@pytest.mark.parametrize(
    "base_url",
    [
        "http://desk:k3y-in-the-url-5150@model.test/v1",
        "https://model.test/openai/v1?api-key=k3y-in-the-url-5150",
        "https://k3y-in-the-url-5150@model.test/v1",
    ],
)
async def test_a_key_in_the_base_urls_user_info_or_query_is_not_in_the_clients_repr(base_url: str) -> None:
    model = ChatCompletionsModel(base_url, "gpt-4o-mini")
    try:
        shown = repr(model)
    finally:
        await model.aclose()
    assert "5150" not in shown, shown
    assert "model.test" in shown, shown
    assert "gpt-4o-mini" in shown, shown
