"""The mock model server driven by OpenAI's own Python client (the `openai` SDK, a test dependency only): what it
sends and parses is the API's published shape, so a server that satisfies it satisfies the desk's client and the
field's. Streamed and whole answers, the model list, usage in the last chunk, and errors in OpenAI's shape with the
SDK's own exception for each status."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletion, ChatCompletionChunk, completion_create_params
from pydantic import TypeAdapter

from agent_desktop.assist.prompt import Said, SourcePassage, reply_prompt
from agent_desktop_mocks.model.grounding import NOTHING_TO_GROUND
from agent_desktop_mocks.model.settings import DEMO_MODEL, DEMO_MODEL_KEY
from tests.support.model_server import RunningModel, model_server

QUESTION = (
    "<<<passage kb-7 | Late fees 0123456789ab>>>\nWe waive one late fee a year on request. Our offices open at nine."
    "\n<<<end 0123456789ab>>>\n<<<customer 0123456789ab>>>\nCan you waive my late fee?\n<<<end 0123456789ab>>>"
)


@pytest.fixture(scope="module")
def running() -> Iterator[RunningModel]:
    with model_server() as running:
        yield running


@pytest.fixture
def client(running: RunningModel) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=running.url, api_key=DEMO_MODEL_KEY, max_retries=0, timeout=10) as client:
        yield client


def test_a_whole_answer_is_a_chat_completion_grounded_in_the_passage(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(model=DEMO_MODEL, messages=[{"role": "user", "content": QUESTION}])
    assert completion.object == "chat.completion"
    assert completion.model == DEMO_MODEL
    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert choice.finish_reason == "stop"
    assert choice.message.content == "We waive one late fee a year on request."
    assert completion.usage is not None
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens > 0


def test_a_streamed_answer_comes_in_chunks_with_the_usage_last(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model=DEMO_MODEL,
        messages=[{"role": "user", "content": QUESTION}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == "We waive one late fee a year on request."
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens > 0
    assert all(chunk.usage is None for chunk in chunks[:-1])


def test_without_include_usage_no_chunk_carries_usage(client: openai.OpenAI) -> None:
    chunks = list(
        client.chat.completions.create(model=DEMO_MODEL, messages=[{"role": "user", "content": "Hi"}], stream=True)
    )
    assert all(chunk.usage is None for chunk in chunks)
    assert "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices) == NOTHING_TO_GROUND


def test_max_tokens_cuts_the_answer_and_says_so(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model=DEMO_MODEL, messages=[{"role": "user", "content": QUESTION}], max_tokens=3
    )
    assert completion.choices[0].finish_reason == "length"
    assert completion.choices[0].message.content == "We waive one"


def test_the_models_are_listed(client: openai.OpenAI) -> None:
    assert [model.id for model in client.models.list()] == [DEMO_MODEL]
    assert client.models.retrieve(DEMO_MODEL).id == DEMO_MODEL


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"model": DEMO_MODEL, "messages": []}, "messages"),
        ({"model": DEMO_MODEL, "messages": [{"role": "customer", "content": "Hi"}]}, "messages[0].role"),
        ({"model": DEMO_MODEL, "messages": [{"role": "user", "content": "  "}]}, "messages[0].content"),
        ({"model": DEMO_MODEL, "messages": [{"role": "user", "content": 7}]}, "messages[0].content"),
        ({"model": DEMO_MODEL, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 0}, "max_tokens"),
        (
            {"model": DEMO_MODEL, "messages": [{"role": "user", "content": "Hi"}], "stream_options": {}},
            "stream_options",
        ),
        ({"model": DEMO_MODEL, "messages": [{"role": "user", "content": "Hi"}], "tools": []}, "tools"),
    ],
)
def test_a_bad_request_is_a_400_naming_its_param(client: openai.OpenAI, body: dict[str, Any], param: str) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.post("/chat/completions", body=body, cast_to=object)
    error = raised.value
    assert error.status_code == 400
    assert error.param == param
    assert error.type == "invalid_request_error"
    assert isinstance(error.body, dict)
    assert set(error.body) == {"message", "type", "param", "code"}


def test_a_request_without_a_model_is_refused_as_openai_refuses_it(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.post("/chat/completions", body={"messages": [{"role": "user", "content": "Hi"}]}, cast_to=object)
    assert raised.value.param == "model"


def test_an_unknown_model_is_404_and_a_wrong_key_401(running: RunningModel, client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "Hi"}])
    assert raised.value.code == "model_not_found"
    with (
        openai.OpenAI(base_url=running.url, api_key="sk-wrong", max_retries=0) as wrong,
        pytest.raises(openai.AuthenticationError) as refused,
    ):
        wrong.models.list()
    assert refused.value.code == "invalid_api_key"
    assert "sk-wrong" not in str(refused.value)


def test_a_failure_drawn_by_the_seeded_rate_is_a_500_in_openais_shape() -> None:
    with (
        model_server(failure_rate=1.0) as failing,
        openai.OpenAI(base_url=failing.url, api_key=DEMO_MODEL_KEY, max_retries=0) as client,
        pytest.raises(openai.InternalServerError) as raised,
    ):
        client.chat.completions.create(model=DEMO_MODEL, messages=[{"role": "user", "content": "Hi"}])
    assert raised.value.type == "server_error"


def test_the_desks_request_is_a_streaming_request_as_the_sdks_types_describe_it(running: RunningModel) -> None:
    """The desk's own client's body (kept by the server) read with the SDK's request type, generated from OpenAI's
    published API description: every field the desk sends is one the API has, of its type."""

    async def ask() -> None:
        model = running.desk_model()
        try:
            prompt = reply_prompt(
                [Said("customer", "Late fee?")], [SourcePassage("kb-7", "Late fees", "We waive one.")], "Billing"
            )
            [piece async for piece in model.reply(prompt.messages, max_tokens=50)]
        finally:
            await model.aclose()

    asyncio.run(ask())
    body = running.received()[-1]
    params = TypeAdapter(completion_create_params.CompletionCreateParamsStreaming).validate_python(body)
    messages = list(params["messages"])
    assert [m["role"] for m in messages] == ["system", "user"]
    assert params["stream"] is True
    assert set(body) <= set(completion_create_params.CompletionCreateParamsBase.__annotations__) | {"stream"}


def test_the_servers_answers_read_as_the_sdks_answer_types(running: RunningModel) -> None:
    """The raw answers (not through the SDK's lenient parsing) validated with the SDK's answer types."""
    headers = {"Authorization": f"Bearer {DEMO_MODEL_KEY}"}
    body = {"model": DEMO_MODEL, "messages": [{"role": "user", "content": QUESTION}]}
    whole = httpx.post(f"{running.url}/chat/completions", json=body, headers=headers, timeout=10).json()
    ChatCompletion.model_validate(whole, strict=False)
    streamed = httpx.post(
        f"{running.url}/chat/completions",
        headers=headers,
        timeout=10,
        json={**body, "stream": True, "stream_options": {"include_usage": True}},
    )
    data = [line.removeprefix("data: ") for line in streamed.text.splitlines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    for chunk in data[:-1]:
        ChatCompletionChunk.model_validate(json.loads(chunk))
