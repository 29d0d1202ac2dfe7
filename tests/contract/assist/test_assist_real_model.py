"""The desk's model client (agent_desktop/adapters/openai_compat/) and its assistant on a real OpenAI-compatible server
with a real model: llama.cpp's server from llama-cpp-python serving SmolLM2-135M-Instruct (tests/support/llama_server.py,
the `real-model` extra). A recording proxy between them keeps every request as the server received it.

What a server we did not write does, and the mock model did not: a suggestion streamed token by token; a wrap-up's
disposition held to the queue's list by the server's grammar (llama-cpp-python reads a JSON schema only beside
`response_format.type = "json_object"`, and answers OpenAI's `json_schema` with a 500); a prompt longer than its
context answered with an empty event stream; a request that comes while another streams ends that one with `[DONE]`
alone (its default `interrupt_requests`); a server killed mid-answer breaks its stream; a client that goes away stops
its generation ("Disconnected from client" in its log). Nothing here asserts a time: waits are bounded, and generous,
for a model on two shared cores.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.openai_compat.chat_completions import ChatCompletionsModel
from agent_desktop.app.real_model import MODEL_ALIAS, STRUCTURED_OUTPUT
from agent_desktop.assist.prompt import Said, SourcePassage, reply_prompt
from agent_desktop.assist.suggestion import REPLY_TOKENS, Assistant, Suggestion, SuggestionState
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.assist.translation import translate
from agent_desktop.assist.wrap_up_draft import ai_or_rules
from agent_desktop.domain.assist.protocol import AnswerIncomplete
from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.vocabulary import Channel, ParticipantRole
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.ui.shared.transcript_view import _translation_of
from tests.support.hypothesis_profiles import examples
from tests.support.llama_server import LlamaServer, running_llama
from tests.support.pci_cards import gives_away
from tests.support.recording_proxy import RecordingProxy, recording_proxy

pytestmark = pytest.mark.xdist_group("real_model")  # one worker, one server: inference takes the cores it has

CARD = "4111 1111 1111 1111"
CARD_DIGITS = CARD.replace(" ", "")
PASSAGES = [
    SourcePassage(
        "kb-7",
        "Duplicate charges",
        "When a customer is charged twice, the second charge is refunded to the same card within five working days.",
    )
]
ASKED = [Said("customer", f"Hi, I was charged twice this month on my card {CARD}. Can you refund one?")]
CONVERSATION = [
    Said("customer", f"My card {CARD} was charged twice for the same order."),
    Said("agent", "I have refunded the second charge; it reaches your card within five working days."),
    Said("customer", "Thank you, that is all."),
]
SHORT_REPLY = 48  # tokens: pieces enough to stream in, a sentence to read; each token is CPU on a shared machine
WAIT_S = 300.0  # the longest any answer is awaited: a bound, not a figure (two cores, eight engineers' tests)


def desk_model(url: str) -> ChatCompletionsModel:
    """The desk's own client, as `agent-desktop demo --model real` configures it."""
    return ChatCompletionsModel(
        url, MODEL_ALIAS, structured_output=STRUCTURED_OUTPUT, first_token_s=WAIT_S, answer_s=WAIT_S
    )


@pytest.fixture
def proxy(llama_server: LlamaServer) -> Iterator[RecordingProxy]:
    with recording_proxy(llama_server.url) as running:
        yield running


async def _first_text(suggestion: Suggestion) -> None:
    deadline = time.monotonic() + WAIT_S
    while not suggestion.text and not suggestion.finished:
        assert time.monotonic() < deadline, "no piece of the answer came"
        await asyncio.sleep(0.02)


async def test_a_suggestion_streams_from_the_real_model_and_no_card_number_reaches_it(proxy: RecordingProxy) -> None:
    model = desk_model(proxy.url)
    seen: list[str] = []
    assistant = Assistant(
        model, TokenLedger(10**9), changed=lambda suggestion: seen.append(suggestion.text), reply_tokens=SHORT_REPLY
    )
    try:
        suggestion = assistant.suggest("c-1", ASKED, PASSAGES, "Billing")
        await suggestion.wait()
    finally:
        await model.aclose()
    assert suggestion.state is SuggestionState.DONE, suggestion.error
    assert suggestion.cut is None
    assert suggestion.text.strip(), "the model answered in words"
    assert len({text for text in seen if text}) > 1, "the answer arrived in more than one piece"
    bodies = proxy.bodies()
    assert bodies
    assert all("chat/completions" in item.path for item in proxy.relayed)
    assert "charged twice" in bodies[0], "the customer's words reached the server"
    assert json.loads(bodies[0])["max_tokens"] == SHORT_REPLY, "the server asked for no longer an answer"
    assert len(proxy.relayed[-1].said) <= SHORT_REPLY + 3, "the server asked for no longer an answer"
    assert not gives_away(CARD_DIGITS, *bodies), "the card number reached the server"


async def test_the_ai_wrap_up_comes_from_the_real_model_with_a_disposition_of_the_queues_list(
    proxy: RecordingProxy,
) -> None:
    dispositions = ["Refund issued", "Card replaced", "No action needed"]
    model = desk_model(proxy.url)
    try:
        drafted = await ai_or_rules(
            model, CONVERSATION, dispositions, "Billing", "c-1", TokenLedger(10**9), "rules", within_s=WAIT_S
        )
    finally:
        await model.aclose()
    assert drafted.source == "model", drafted.said
    assert drafted.disposition in dispositions
    assert drafted.summary.strip()
    assert not gives_away(CARD_DIGITS, *proxy.bodies()), "the card number reached the server"
    shape = json.loads(proxy.bodies()[0])["response_format"]
    assert shape["type"] == "json_object"
    assert shape["schema"]["properties"]["disposition"]["enum"] == dispositions


WORDS = st.sampled_from(
    ["Refund", "issued", "Card", "replaced", "Billing", "question", "answered", "Escalated", "to", "tier", "two",
     "Callback", "booked", "Complaint", "logged", "Sale", "made", "Wrong", "number", "Address", "changed"]
)  # fmt: skip
DISPOSITION = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dispositions=st.lists(DISPOSITION, min_size=2, max_size=6, unique_by=str.casefold))
def test_over_any_queues_list_the_real_models_disposition_is_one_of_it(
    llama_server: LlamaServer, dispositions: list[str]
) -> None:
    """The server's grammar, not the model's judgement, keeps the disposition on the list: whatever the list, a
    small model that would name anything names one of it, and a draft the desk takes from it names one too. (The desk
    kept the rules' draft for about one answer in ten here, the model's summary quoting the prompt's blocks: not yet
    explained, docs/assist.md.)"""

    async def draft() -> tuple[str | None, str]:
        model = desk_model(relay.url)
        try:
            drafted = await ai_or_rules(
                model, CONVERSATION, dispositions, "Billing", "c-1", TokenLedger(10**9), "rules", within_s=WAIT_S
            )
        finally:
            await model.aclose()
        return drafted.disposition, drafted.said

    with recording_proxy(llama_server.url) as relay:
        disposition, said = asyncio.run(draft())
    answered = json.loads(_answer_text(relay), strict=False)  # the server's grammar: JSON of the schema's shape
    assert answered["disposition"] in dispositions, answered
    assert disposition is None or disposition in dispositions, said


def _answer_text(proxy: RecordingProxy) -> str:
    """The last answer's text as the server streamed it."""
    chunks = [json.loads(line.removeprefix("data:")) for line in proxy.relayed[-1].said if "[DONE]" not in line]
    return "".join(chunk["choices"][0]["delta"].get("content") or "" for chunk in chunks if chunk.get("choices"))


async def test_a_prompt_longer_than_the_models_context_is_refused_in_the_servers_words(proxy: RecordingProxy) -> None:
    """llama-cpp-python answers it with a 200 and an event stream that ends before its first event; the desk asks the
    same whole, for one token, and says the server's 400 (OpenAI's `context_length_exceeded`)."""
    long_chat = [
        Said("customer" if i % 2 else "agent", "Please read my whole order history again. " * 40) for i in range(20)
    ]
    model = desk_model(proxy.url)
    assistant = Assistant(model, TokenLedger(10**9))
    try:
        suggestion = assistant.suggest("c-1", long_chat, PASSAGES, "Billing")
        await suggestion.wait()
    finally:
        await model.aclose()
    assert suggestion.state is SuggestionState.FAILED
    assert suggestion.error is not None
    assert "refused the request (400: This model's maximum context length is 2048 tokens" in suggestion.error
    assert not suggestion.text


async def test_a_suggestion_cancelled_when_the_agent_moves_on_stops_the_servers_generation(
    llama_server: LlamaServer, proxy: RecordingProxy
) -> None:
    log_before = len(llama_server.log())
    model = desk_model(proxy.url)
    assistant = Assistant(model, TokenLedger(10**9))
    try:
        suggestion = assistant.suggest("c-1", ASKED, PASSAGES, "Billing")
        await _first_text(suggestion)
        assistant.cancel("c-1")  # the contact left the agent's hands
        await suggestion.wait()
        deadline = time.monotonic() + WAIT_S
        while "Disconnected from client" not in llama_server.log()[log_before:]:
            assert time.monotonic() < deadline, llama_server.log()[log_before:][-2000:]
            await asyncio.sleep(0.05)
        relayed = proxy.relayed[-1]
        assert relayed.client_left, relayed
        assert not relayed.ended
        assert relayed.events < REPLY_TOKENS, "the server stopped before the answer's token limit"
        # and it is free: the next answer comes whole
        pieces, ended = await _answer(model, "c-2")
    finally:
        await model.aclose()
    assert suggestion.state is SuggestionState.CANCELLED
    assert ended is None
    assert "".join(pieces).strip()


async def _answer(
    model: ChatCompletionsModel, contact: str, started: asyncio.Event | None = None
) -> tuple[list[str], str | None]:
    """A short answer's pieces (40 tokens at most: the client's contract, not the assistant's length), and how it
    ended: None when whole, else the `AnswerIncomplete`'s words. `started` is set at its first piece."""
    prompt = reply_prompt(ASKED, PASSAGES, f"Billing {contact}")
    pieces: list[str] = []
    try:
        async for piece in model.reply(prompt.messages, max_tokens=40):
            if isinstance(piece, str):
                pieces.append(piece)
                if started is not None:
                    started.set()
    except AnswerIncomplete as error:
        return pieces, error.message
    return pieces, None


async def _two_desks(url: str) -> list[tuple[list[str], str | None]]:
    """Two desks' clients, the second asking once the first's answer has begun."""
    models = [desk_model(url), desk_model(url)]
    begun = asyncio.Event()
    try:
        first = asyncio.create_task(_answer(models[0], "c-1", begun))
        async with asyncio.timeout(WAIT_S):
            await begun.wait()
        second = asyncio.create_task(_answer(models[1], "c-2"))
        return list(await asyncio.gather(first, second))
    finally:
        for model in models:
            await model.aclose()


async def test_two_desks_at_once_each_get_a_whole_answer(llama_server: LlamaServer) -> None:
    """As the demo runs the server (`interrupt_requests` off): the second desk's request waits for the first's answer."""
    for pieces, ended in await _two_desks(llama_server.url):
        assert ended is None, ended
        assert len(pieces) > 1
        assert "".join(pieces).strip()


async def test_an_answer_the_server_interrupts_for_another_desk_is_said_incomplete(tmp_path: Path) -> None:
    """The server's own default: a request that comes while another streams ends that one with `[DONE]` and no
    finish reason. Its text is kept, said incomplete, never taken for a whole answer."""
    with running_llama(tmp_path, interrupt_requests=True) as server:
        (first, first_ended), (second, second_ended) = await _two_desks(server.url)
    assert first
    assert first_ended is not None
    assert "stopped before its end" in first_ended
    assert second_ended is None
    assert "".join(second).strip()


async def test_a_server_killed_mid_answer_leaves_what_came_said_incomplete(tmp_path: Path) -> None:
    with running_llama(tmp_path) as server:
        model = desk_model(server.url)
        try:
            suggestion = Assistant(model, TokenLedger(10**9)).suggest("c-1", ASKED, PASSAGES, "Billing")
            await _first_text(suggestion)
            server.kill()
            await suggestion.wait()
        finally:
            await model.aclose()
    assert suggestion.state is SuggestionState.DONE, suggestion.error
    assert suggestion.cut is not None
    assert suggestion.cut.startswith("Incomplete:"), suggestion.cut
    assert suggestion.text.strip(), "what came is kept"


SPANISH = f"Hola, me cobraron dos veces este mes en mi tarjeta {CARD}. ¿Pueden devolver uno?"
TRANSLATION_TOKENS = 32  # a sentence's worth: the contract is checked, not the quality; each token is CPU


async def test_a_customers_spanish_message_is_translated_by_the_real_model_and_shown_as_a_translation(
    proxy: RecordingProxy,
) -> None:
    """The desk's translation request (agent_desktop/assist/translation.py) on a server we did not write: an answer
    comes within the bound and the transcript shows it as a translation, the customer's words kept a key away, and
    the card number never reaches the server. A 135M model translates badly: its words are not judged."""
    conversation = ConversationState("c-1", Channel.CHAT)
    conversation.language = "es"  # the IVR's, as the contact center gives it
    conversation.add(
        TranscriptItem(
            id="m-1",
            contact_id="c-1",
            index=0,
            role=ParticipantRole.CUSTOMER,
            display_name="Lucía",
            text=SPANISH,
            created_at=datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
        )
    )
    item = conversation.items[0]
    model = desk_model(proxy.url)
    try:
        done = await translate(model, item.text, "es", "en", within_s=WAIT_S, max_tokens=TRANSLATION_TOKENS)
    finally:
        await model.aclose()
    assert done.text is not None, done.why
    assert done.text.strip(), "the model answered in words"
    conversation.translated(item.id, done.text, done.why)
    assert _translation_of(conversation, item) == (done.text, "↳ translated from Spanish")
    conversation.toggle_original()  # f4
    written, said = _translation_of(conversation, item) or ("", "")
    assert said == "↳ as written, in Spanish"
    assert "me cobraron dos veces" in written, "the customer's own words are kept"
    assert not gives_away(CARD_DIGITS, done.text, written)
    bodies = proxy.bodies()
    assert len(bodies) == 1
    asked = json.loads(bodies[0])
    assert asked["max_tokens"] == TRANSLATION_TOKENS, "the server asked for no longer an answer"
    user = asked["messages"][-1]["content"]
    assert "me cobraron dos veces" in user, "the customer's words reached the server"
    assert "<<<translate es>en" in user, "fenced as a text to translate, Spanish into English"
    assert not gives_away(CARD_DIGITS, *bodies), "the card number reached the server"
