"""The simulated customers and the channel limits as pure functions: scripts that always fill, seeded
behaviour (idle customers, second questions, card numbers), and SMS segments counted as carriers do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from agent_desktop_mocks.ccaas.conversations import customer as customers
from agent_desktop_mocks.ccaas.conversations.limits import LimitError, check_message, sms_segments
from agent_desktop_mocks.ccaas.conversations.records import CustomerState
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.tables import intents
from agent_desktop_mocks.ccaas.tables.intents import Intent
from tests.support.narrowing import present

INTENTS = intents.shipped().intents

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def population(n: int = 400, seed: int = 5) -> Iterator[tuple[Intent, CustomerState]]:
    for k in range(n):
        intent = INTENTS[k % len(INTENTS)]
        yield intent, customers.new_customer(seed, f"c-{k:06d}", intent, None, "+15125550000", NOW)


@pytest.mark.parametrize("intent", INTENTS, ids=lambda i: i.id)
def test_every_script_fills_on_every_channel(intent: Intent) -> None:
    state = customers.new_customer(1, "c-000001", intent, None, "kim@example.org", NOW)
    for channel in (Channel.CHAT, Channel.SMS, Channel.EMAIL):
        lines = customers.opening(intent, state, channel, None)
        assert lines
        assert all(line.text and "{" not in line.text for line in lines)
    for rule in intent.rules:
        for template in (rule.text, rule.sms):
            assert "{" not in customers.fill(template, state)
    assert sum(1 for rule in intent.rules if rule.resolves) >= 1
    assert len(customers.opening(intent, state, Channel.SMS, None)[0].text) <= 60  # SMS customers are terse


def test_each_queue_has_a_handful_of_intents_and_subjects_pick_them() -> None:
    by_queue = {q: [i.id for i in INTENTS if i.queue == q] for q in ("billing", "tech_support", "sales")}
    assert all(len(ids) >= 3 for ids in by_queue.values()), by_queue
    assert customers.choose_intent(1, "c-1", "billing", "Charged twice this month").id == "billing_dispute"
    assert customers.choose_intent(1, "c-1", "tech_support", "Cannot log in to the app").id == "password_reset"
    picks = {customers.choose_intent(1, f"c-{n}", "sales", None).id for n in range(50)}
    assert picks == set(by_queue["sales"])  # no subject: the seed spreads them over the queue's intents
    assert customers.choose_intent(1, "c-9", "sales", None) == customers.choose_intent(1, "c-9", "sales", None)


def test_some_customers_go_quiet_ask_a_second_question_or_write_a_card_number() -> None:
    people = list(population())
    idle = [s for _, s in people if s.idle_after is not None]
    second = [s for _, s in people if s.second_question]
    cards = [s for _, s in people if s.writes_card]
    assert 0.06 < len(idle) / len(people) < 0.2
    assert 0.25 < len(second) / len(people) < 0.45
    assert 0.2 < len(cards) / len(people) < 0.4
    assert all(luhn_ok(s.facts["card"]) and len([d for d in s.facts["card"] if d.isdigit()]) >= 15 for s in cards)
    assert all(s.facts["card"].startswith("ending in ") for _, s in people if not s.writes_card)


def test_a_card_number_is_written_when_the_agent_asks_for_the_card() -> None:
    intent, state = next(
        (i, s) for i, s in population() if i.id == "billing_dispute" and s.writes_card and not s.idle_after
    )
    reply = customers.answer(5, "c-x", intent, state, "Which card did you pay with?", Channel.CHAT)
    assert reply is not None
    assert state.facts["card"] in reply.text


def test_some_write_their_card_number_in_their_first_message() -> None:
    volunteers = [(i, s) for i, s in population() if s.volunteers_card and i.id in customers.CARD_INTENTS]
    assert volunteers
    assert all(s.writes_card for _, s in volunteers)
    intent, state = volunteers[0]
    assert customers.opening(intent, state, Channel.CHAT, None)[0].text.endswith(f"My card is {state.facts['card']}.")
    assert state.facts["card"] in customers.opening(intent, state, Channel.SMS, None)[0].text
    quiet = next((i, s) for i, s in population() if not s.volunteers_card and i.id == intent.id)
    assert "card is" not in customers.opening(*quiet, Channel.CHAT, None)[0].text


def test_an_idle_customer_stops_answering_after_their_turns() -> None:
    intent, state = next((i, s) for i, s in population() if s.idle_after == 1)
    assert customers.answer(5, "c-x", intent, state, "hello", Channel.CHAT) is not None
    assert customers.answer(5, "c-x", intent, state, "hello?", Channel.CHAT) is None


def test_answers_follow_keywords_once_then_close() -> None:
    intent = next(i for i in INTENTS if i.id == "password_reset")
    state = customers.new_customer(3, "c-000002", intent, None, "+15125550000", NOW)
    state.second_question, state.idle_after = True, None
    said = customers.answer(3, "c-000002", intent, state, "We sent you a reset link", Channel.CHAT)
    assert present(said).text == "Got the link. Done, I'm in now! Also, can I turn on two-step verification?"
    assert present(customers.answer(3, "c-000002", intent, state, "Yes, it is under Settings.", Channel.CHAT)).text == (
        "Perfect, that answers it. Thank you!"
    )
    assert present(
        customers.answer(3, "c-000002", intent, state, "Anything else I can do?", Channel.CHAT)
    ).text.startswith("No, that's everything")
    bye = customers.answer(3, "c-000002", intent, state, "Have a great day!", Channel.CHAT)
    assert present(bye).leaves
    assert present(bye).text == "Bye! 👋"
    sms_bye = customers.answer(3, "c-000002", intent, state, "Have a great day!", Channel.SMS)
    assert not present(sms_bye).leaves  # an SMS conversation has no one leaving a chat window


@pytest.mark.parametrize(
    ("text", "encoding", "count"),
    [
        ("", "GSM-7", 1),
        ("x" * 160, "GSM-7", 1),
        ("x" * 161, "GSM-7", 2),
        ("x" * 306, "GSM-7", 2),
        ("x" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters take two septets
        ("x" * 152 + "€" + "x" * 10, "GSM-7", 2),  # the pair is not split at 153
        ("x" * 158 + "{", "GSM-7", 1),  # 160 septets
        ("x" * 159 + "{", "GSM-7", 2),
        ("é" * 160, "GSM-7", 1),  # é is in the basic GSM alphabet
        ("ê" * 70, "UCS-2", 1),  # ê is not
        ("ê" * 71, "UCS-2", 2),
        ("🙂" * 35, "UCS-2", 1),  # two UTF-16 units each
        ("x" * 66 + "🙂" + "x" * 10, "UCS-2", 2),  # the surrogate pair is not split at 67
        ("x" * 1600, "GSM-7", 11),
    ],
)
def test_sms_segments(text: str, encoding: str, count: int) -> None:
    assert (sms_segments(text).encoding, sms_segments(text).count) == (encoding, count)


def test_limits_name_what_they_refuse() -> None:
    check_message(Channel.CHAT, "x" * 4096, None)
    with pytest.raises(LimitError, match="a chat message is at most 4,096 characters") as error:
        check_message(Channel.CHAT, "x" * 4097, None)
    assert error.value.field == "text"
    with pytest.raises(LimitError, match="an email subject is at most 200"):
        check_message(Channel.EMAIL, "hi", "s" * 201)
    with pytest.raises(LimitError, match="an email body is at most 20,000"):
        check_message(Channel.EMAIL, "x" * 20_001, None)
