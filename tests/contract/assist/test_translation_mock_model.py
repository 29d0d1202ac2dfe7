"""Translation both ways through the desk's own model client against the mock model server: a Spanish
customer's message comes back in English and the agent's English reply in Spanish, from the demo's phrase table; text
outside it comes back marked untranslated, which the desk reads as no translation; a failing or slow server gives no
translation and a sentence why, never an error, so the caller keeps (and can send) the original."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.assist.translation import Translated, translate
from tests.support.model_server import RunningModel, model_server


@pytest.fixture(scope="module")
def running() -> Iterator[RunningModel]:
    with model_server(first_token_s=0.0, token_s=0.0) as running:
        yield running


def _translated(running: RunningModel, text: str, source: str, target: str, within_s: float = 10) -> Translated:
    async def ask() -> Translated:
        model = running.desk_model()
        try:
            return await translate(model, text, source, target, within_s=within_s)
        finally:
            await model.aclose()

    return asyncio.run(ask())


def test_a_spanish_customer_message_comes_back_in_english(running: RunningModel) -> None:
    done = _translated(running, "Hola. Me cobraron dos veces este mes.", "es", "en")
    assert done.text == "Hello. I was charged twice this month.", done.why
    assert done.original == "Hola. Me cobraron dos veces este mes."
    body = running.received()[-1]["messages"][-1]["content"]
    assert "Translate from Spanish into English" in body
    assert "<<<translate es>en " in body, "the text goes fenced as data"


def test_the_agents_english_reply_comes_back_in_spanish(running: RunningModel) -> None:
    done = _translated(running, "I have refunded the duplicate charge today. Thank you.", "en", "es")
    assert done.text == "Hoy he reembolsado el cargo duplicado. Gracias.", done.why


def test_text_the_model_cannot_translate_is_no_translation_and_says_so(running: RunningModel) -> None:
    done = _translated(running, "Quantum flux capacitors.", "en", "fr")
    assert done.text is None
    assert done.why == "the model could not translate it."


def test_a_failing_server_gives_no_translation_and_a_sentence_never_an_error() -> None:
    with model_server(failure_rate=1.0) as failing:
        done = _translated(failing, "Gracias.", "es", "en")
    assert done.text is None
    assert "500" in done.why or "error" in done.why.lower(), done.why


def test_a_slow_server_gives_no_translation_within_the_bound() -> None:
    with model_server(first_token_s=5.0) as slow:
        done = _translated(slow, "Gracias.", "es", "en", within_s=0.3)
    assert done.text is None
    assert done.why == "the model did not answer within 0.3 s."


def test_a_translation_is_counted_on_the_contact_and_a_spent_day_asks_none(running: RunningModel) -> None:
    async def ask(ledger: TokenLedger) -> Translated:
        model = running.desk_model()
        try:
            return await translate(model, "Gracias.", "es", "en", ledger=ledger, contact_id="chat-1")
        finally:
            await model.aclose()

    ledger = TokenLedger(daily_limit=10_000)
    assert asyncio.run(ask(ledger)).text == "Thank you."
    assert ledger.spent_on("chat-1") == ledger.spent_today > 0, "its tokens are the assistant's, on the contact"

    ledger.daily_limit = ledger.spent_today  # the day's allowance spent
    asked = len(running.received())
    done = asyncio.run(ask(ledger))
    assert done.text is None, done
    assert "daily limit" in done.why, done
    assert len(running.received()) == asked, "no request once the day's allowance is spent"
