"""Card data never reaches a model, and never comes back from one (a property): hypothesis writes card
numbers in every form the masker knows (any digits, words, separators, split over a customer's messages) into the
customer's messages, the knowledge passages and the agent's question; the desk's own client sends every request the
desk makes (the suggestion, the wrap-up, the ask box's question, the running summary, an automated evaluation with
a form whose question and answers carry a number too, the supervisor's question about the floor with a queue's name
and a figure carrying one, and a translation of each customer message as it arrives and
of the agent's reply) to the mock model server, as does the mock contact center's virtual agent with its own client
, which
keeps every request body it receives, and no body holds the number in any form, nor a security code said in words. An answer
carrying a card number, whole or split across stream chunks, is masked in every text the suggestion shows and in the
wrap-up drafted from it."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.openai_compat.chat_completions import ChatCompletionsModel
from agent_desktop.assist.floor_question.floor_prompt import Figure
from agent_desktop.assist.prompt import CardFact, Said, SourcePassage
from agent_desktop.assist.quality.auto_evaluation import evaluate_transcript
from agent_desktop.assist.running_summary import SummaryRefresher
from agent_desktop.assist.suggestion import Assistant, SuggestionState
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.assist.translation import translate
from agent_desktop.assist.wrap_up_draft import DraftedWrapUp, ai_or_rules
from agent_desktop.domain.models import ParticipantRole, TranscriptItem
from agent_desktop.domain.quality.forms import Form, FormQuestion, FormSection
from agent_desktop_mocks.ccaas.virtual_agent.ports import OpenAiModel, Passage
from agent_desktop_mocks.ccaas.virtual_agent.prompt import masked_answer, request_messages, with_next_message
from agent_desktop_mocks.model.settings import DEMO_MODEL, DEMO_MODEL_KEY
from tests.support.hypothesis_profiles import examples
from tests.support.model_server import RunningModel, model_server
from tests.support.pci_cards import gives_away, split_card, written_card

DISPOSITIONS = ["Refund issued", "Card replaced"]
AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def _transcript(said: list[Said]) -> list[TranscriptItem]:
    """The conversation as a finished contact's transcript, as an automated evaluation reads it."""
    roles = {"customer": ParticipantRole.CUSTOMER, "agent": ParticipantRole.AGENT}
    return [
        TranscriptItem(
            id=f"m-{n}",
            contact_id="c-1",
            index=n,
            role=roles[line.party],
            display_name=line.party,
            text=line.text,
            created_at=AT,
        )
        for n, line in enumerate(said, start=1)
    ]


def _form(written: str) -> Form:
    """An evaluation form whose question, answer and name carry `written` (a contact center's text is data too)."""
    question = FormQuestion(id="card", text=f"Did not read {written} back", weight=1, scale=["No", f"Yes {written}"])
    return Form(id="f-1", name=f"Cards {written}", sections=[FormSection(title="Cards", questions=[question])])


@pytest.fixture(scope="module")
def running() -> Iterator[RunningModel]:
    with model_server(keep_bodies=16) as running:
        yield running


NONCE = re.compile(r"[0-9a-f]{12}(?=>>>)")  # a block's nonce, at the end of its fence lines (assist/prompt.py `block`)
# The request's own numbers ("max_tokens": 200): read on from a message's last digits they made a card's ("…0000" + "2")
OPTIONS = re.compile(r'"(?:max_tokens|temperature|top_p|seed|n)":\s*-?[\d.]+')


def _contents(body: str) -> list[str]:
    """Every text a request body carries, as the model server reads it (JSON escapes undone), without the fences'
    nonce: random hex, whose digits beside the ten a masked run may show once read as eleven of the card's in a row
    (a translation's request failed so, and passed on the next try with another nonce). A fence's kind and label
    (a passage's id and title) are still read."""
    return [NONCE.sub("", message["content"]) for message in json.loads(body)["messages"]]


CODES_IN_WORDS = [
    ("the security code is one two three", "one two three"),
    ("cvv: seven, four, one", "seven, four, one"),
    ("CVC nine eight seven six", "nine eight seven six"),
]


@settings(max_examples=examples(120))
@given(
    customer=split_card(),
    passage=written_card(),
    question=written_card(),
    said_before=st.sampled_from(["", "Hello, ", "My card: "]),
    code=st.sampled_from(CODES_IN_WORDS),
)
def test_no_request_body_holds_a_card_number_in_any_form(
    running: RunningModel,
    customer: tuple[str, list[str]],
    passage: tuple[str, list[str]],
    question: tuple[str, list[str]],
    said_before: str,
    code: tuple[str, str],
) -> None:
    customer_digits, messages = customer
    passage_digits, pieces = passage
    question_digits, typed = question
    said_code, code_words = code
    said = [
        Said("customer", said_before + messages[0]),
        *[Said("customer", text) for text in messages[1:]],
        Said("customer", said_code),
    ]
    passages = [SourcePassage("kb-1", "Cards", "To replace a card, we need " + "".join(pieces) + " on file.")]
    asked = "Is " + "".join(typed) + " the card to replace?"
    card = [CardFact("tier", "Gold"), CardFact("plan", "Card " + "".join(pieces))]

    async def ask() -> None:
        model = running.desk_model()
        try:
            assistant = Assistant(model, TokenLedger(10**9))
            suggestion = assistant.suggest("c-1", said, passages, "Billing")
            await suggestion.wait()
            assert suggestion.state is SuggestionState.DONE, suggestion.error
            drafted = await ai_or_rules(model, said, DISPOSITIONS, "Billing", "c-1", TokenLedger(10**9), "rules")
            assert drafted.source == "model", drafted.said
            answer = assistant.ask("c-1", asked, said, card, passages, "Billing")  # the ask box's request
            await answer.wait()
            assert answer.state is SuggestionState.DONE, answer.error

            async def summary_so_far(contact_id: str) -> DraftedWrapUp | None:  # the running summary's request
                return await ai_or_rules(model, said, DISPOSITIONS, "Billing", contact_id, TokenLedger(10**9), "")

            summarised = asyncio.Event()
            refresher = SummaryRefresher(
                summary_so_far, lambda s: None if s.asking else summarised.set(), every=1, debounce_s=0
            )
            refresher.heard("c-1", len(said))
            await asyncio.wait_for(summarised.wait(), 60)  # (bounds a broken run: the answer comes in well under)
            summary = refresher.summaries["c-1"]
            assert summary.text, summary.failed
            evaluated = await evaluate_transcript(  # an automated evaluation's request
                model, _transcript(said), _form("".join(pieces)), "Billing", "c-1", TokenLedger(10**9)
            )
            assert evaluated.evaluation is not None, evaluated.said
            # Translation both ways: each customer message alone as it arrives, after those before it, and the
            # agent's reply, which carries the passage's number.
            texts = [line.text for line in said]
            for at, text in enumerate(texts):
                await translate(model, text, "es", "en", earlier=texts[:at])
            await translate(model, "Is " + "".join(typed) + " yours?", "en", "es")
            figures = [  # the supervisor's question about the floor: a queue's name and a cause carry one too
                Figure("Cards " + "".join(pieces), "service level", "61% against 80% in 20 s"),
                Figure("Billing", "cause", "agents not ready (" + "".join(pieces) + ")"),
            ]
            floor = assistant.ask_floor("Why is " + "".join(typed) + "'s service level down?", figures)
            await floor.wait()
            assert floor.state is SuggestionState.DONE, floor.error
        finally:
            await model.aclose()

    running.server.received.clear()
    asyncio.run(ask())
    bodies = running.received_raw()
    assert len(bodies) == 5 + len(said) + 1 + 1
    assert any("Answer the supervisor's question from the floor's figures." in body for body in bodies)
    assert any("Answer the agent's question." in body for body in bodies), "the ask box's request was among them"
    assert any("Answer every question of the form." in body for body in bodies), "the evaluation's was too"
    assert sum("<<<translate " in body for body in bodies) == len(said) + 1, "the translations were among them"
    for body in bodies:
        for digits in (customer_digits, passage_digits, question_digits):
            assert not gives_away(digits, *_contents(body)), body
            assert not gives_away(digits, body)
        assert code_words not in body.lower(), body


def _stream_of(pieces: list[str]) -> httpx.MockTransport:
    """A model server whose answer is these pieces, one SSE chunk each, then its finish reason, its usage and [DONE]."""

    def answer(request: httpx.Request) -> httpx.Response:
        chunks: list[dict[str, Any]] = [{"choices": [{"index": 0, "delta": {"content": piece}}]} for piece in pieces]
        chunks.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        chunks.append({"choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": len(pieces)}})
        events = "".join(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n" for chunk in chunks) + "data: [DONE]\n\n"
        return httpx.Response(200, headers={"Content-Type": "text/event-stream"}, content=events.encode())

    return httpx.MockTransport(answer)


@st.composite
def answer_with_a_card(draw: st.DrawFn) -> tuple[str, list[str]]:
    """An answer that writes a card number, cut into stream chunks anywhere (inside the number too)."""
    digits, pieces = draw(written_card())
    text = "Your card " + "".join(pieces) + " is on file."
    cuts = sorted(draw(st.lists(st.integers(1, len(text) - 1), max_size=8, unique=True)))
    bounds = [0, *cuts, len(text)]
    return digits, [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


@settings(max_examples=examples(150))
@given(answer=answer_with_a_card())
def test_an_answer_carrying_a_card_number_is_masked_in_every_text_shown(answer: tuple[str, list[str]]) -> None:
    digits, chunks = answer
    shown: list[str] = []

    async def stream() -> str:
        model = ChatCompletionsModel("http://model.test/v1", "m", transport=_stream_of(chunks))
        try:
            assistant = Assistant(model, TokenLedger(10**9), changed=lambda suggestion: shown.append(suggestion.text))
            suggestion = assistant.suggest("c-1", [Said("customer", "Is my card on file?")], [], "Billing")
            await suggestion.wait()
            assert suggestion.state is SuggestionState.DONE, suggestion.error
            return suggestion.text
        finally:
            await model.aclose()

    final = asyncio.run(stream())
    assert not gives_away(digits, final), final
    for text in shown:
        assert not gives_away(digits, text), (text, chunks)


@settings(max_examples=examples(60))
@given(card=written_card())
def test_a_wrap_up_summary_carrying_a_card_number_is_masked(card: tuple[str, list[str]]) -> None:
    digits, pieces = card
    answer = f"Summary: The customer read their card {''.join(pieces)} out.\nDisposition: Card replaced"

    async def draft() -> DraftedWrapUp:
        model = ChatCompletionsModel("http://model.test/v1", "m", transport=_stream_of([answer]))
        try:
            return await ai_or_rules(
                model, [Said("customer", "New card")], DISPOSITIONS, "Billing", "c-1", TokenLedger(10**9), "rules"
            )
        finally:
            await model.aclose()

    drafted = asyncio.run(draft())
    assert drafted.source == "model", drafted.said
    assert not gives_away(digits, drafted.summary), drafted.summary


@settings(max_examples=examples(80))
@given(
    customer=split_card(),
    passage=written_card(),
    said_before=st.sampled_from(["", "Hello, ", "My card: "]),
    code=st.sampled_from(CODES_IN_WORDS),
)
def test_no_request_of_the_virtual_agent_holds_a_card_number_in_any_form(
    running: RunningModel,
    customer: tuple[str, list[str]],
    passage: tuple[str, list[str]],
    said_before: str,
    code: tuple[str, str],
) -> None:
    """The mock contact center's virtual agent: each of its requests, built by its own prompt and sent by
    its own client to the mock model server as the customer's messages come, one at a time, holds no card number
    (the customer's, split over messages, nor the passage's) and no security code said in words; nor does its
    answer as the customer reads it."""
    customer_digits, messages = customer
    passage_digits, pieces = passage
    said_code, code_words = code
    said = [said_before + messages[0], *messages[1:], said_code]
    passages = [Passage("kb-1", "Cards", "To replace a card, we need " + "".join(pieces) + " on file.")]

    async def chat() -> list[str]:
        client = httpx.AsyncClient(base_url=running.url, headers={"Authorization": f"Bearer {DEMO_MODEL_KEY}"})
        bot = OpenAiModel(client, DEMO_MODEL)
        sent: list[str] = []  # the customer's messages as the bot keeps them, each masked as it comes
        answers = []
        try:
            for text in said:
                sent = with_next_message(sent, text)
                answers.append(masked_answer(await bot.answer(request_messages("Billing", sent, passages))))
            return answers
        finally:
            await bot.aclose()

    running.server.received.clear()
    answers = asyncio.run(chat())
    bodies = running.received_raw()
    assert len(bodies) == len(said)
    for body in bodies:
        for digits in (customer_digits, passage_digits):
            assert not gives_away(digits, *_contents(body)), body
            raw = OPTIONS.sub("", NONCE.sub("", body))  # (a nonce's random hex is not the customer's, nor max_tokens)
            assert not gives_away(digits, raw), body
        assert code_words not in body.lower(), body
    for answer in answers:
        assert not gives_away(passage_digits, answer), answer
