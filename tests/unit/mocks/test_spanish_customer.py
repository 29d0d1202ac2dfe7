"""The demo's Spanish-speaking customers: a chat from a caller the CRM says speaks Spanish, about a matter with
Spanish words, is written in Spanish from its first line to its last, whatever the agent writes (in Spanish, as a
translated reply arrives, or in English), and every line of it is one the mock model translates into English, so the
demo shows translation both ways without a real model. Their calls, emails and SMS, and an English speaker's chat,
stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.formats.languages import guess_language
from agent_desktop_mocks.ccaas.conversations import customer as customers
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.tables import intents
from agent_desktop_mocks.demo_people import Caller, caller_at
from agent_desktop_mocks.model.translation import PHRASES, UNTRANSLATED, translated

SEED = 7
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TABLE = intents.shipped()
INTENTS = {intent.id: intent for intent in TABLE.intents}
SPANISH_CALLER = next(caller_at(SEED, i) for i in range(500) if caller_at(SEED, i).language == "es")
ENGLISH_CALLER = next(caller_at(SEED, i) for i in range(500) if caller_at(SEED, i).language == "en")
# What an agent writes: the demo's replies in English or as translated into Spanish, the closing lines, any words.
AGENT_LINES = st.one_of(
    st.sampled_from([row[0] for row in PHRASES] + [row[1] for row in PHRASES]),
    st.sampled_from([TABLE.agent.anything_else, TABLE.agent.goodbye, "¿Algo más?", "Adiós."]),
    st.text(max_size=40),
)


def conversation(caller: Caller, intent_id: str, channel: Channel, agent_lines: list[str]) -> list[str]:
    """The customer's lines of a conversation: their opening, then their answer to each of the agent's lines until
    they leave (or go quiet)."""
    intent = INTENTS[intent_id]
    state = customers.new_customer(SEED, f"c-{intent_id}", intent, caller, caller.email, NOW, channel)
    state.idle_after = None  # (a customer who goes quiet writes nothing more to read)
    said = [item.text for item in customers.opening(intent, state, channel, None) if item.role == "customer"]
    for line in agent_lines:
        answer = customers.answer(SEED, f"c-{intent_id}", intent, state, line, channel, TABLE)
        if answer is None:
            break
        said.append(answer.text)
        if answer.leaves:
            break
    return said


@settings(max_examples=60, deadline=None)
@given(
    intent_id=st.sampled_from(["billing_dispute", "refund_request", "internet_dropping"]),
    agent_lines=st.lists(AGENT_LINES, min_size=1, max_size=6),
)
def test_a_spanish_speakers_chat_is_in_spanish_and_every_line_translates(
    intent_id: str, agent_lines: list[str]
) -> None:
    said = conversation(SPANISH_CALLER, intent_id, Channel.CHAT, agent_lines)
    assert guess_language(said[:1]) == "es", f"the desk reads their first line as Spanish: {said[0]!r}"
    for line in said:
        english = translated(line, "es", "en")
        assert not english.startswith(UNTRANSLATED), f"the mock model translates {line!r}"
        assert guess_language([english]) != "es", english


def test_they_say_they_are_done_and_leave_when_the_agent_closes_in_spanish() -> None:
    said = conversation(
        SPANISH_CALLER, "billing_dispute", Channel.CHAT, ["Hola.", "¿Hay algo más en lo que pueda ayudarle?", "Adiós."]
    )
    assert said[-2:] == ["No, eso es todo.", "Muchas gracias. Adiós."]


def test_their_calls_and_emails_and_an_english_speakers_chat_are_in_english() -> None:
    for caller, channel in (
        (SPANISH_CALLER, Channel.EMAIL),
        (SPANISH_CALLER, Channel.SMS),
        (ENGLISH_CALLER, Channel.CHAT),
    ):
        first = conversation(caller, "billing_dispute", channel, [])[0]
        assert guess_language([first]) != "es", (caller.language, channel, first)
