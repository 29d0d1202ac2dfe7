"""When the virtual agent hands a customer to a person (agent_desktop_mocks/ccaas/virtual_agent/rules.py): hypothesis
writes conversations from words that ask for a person, words of a falling mood, neutral words, with and without an
article found and with the model failing, and the reason the bot gives is the first rule that holds — and none
while no rule does: the customer is never handed over for nothing, nor kept from a person they asked for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.virtual_agent.rules import (
    ANSWERS_WITHOUT_ARTICLE,
    Turn,
    asks_for_person,
    escalation,
    mood_of,
    mood_score,
)
from tests.support.hypothesis_profiles import examples

NEUTRAL = ["my", "bill", "shows", "a", "charge", "from", "March", "on", "the", "invoice", "router", "order", "what"]
NEGATIVE = ["useless", "ridiculous", "terrible", "wrong", "angry", "frustrated"]
POSITIVE = ["thanks", "great", "helpful", "perfect"]
ASKS = ["let me talk to a human", "can I speak to someone", "get me an agent", "a real person please", "OPERATOR"]


def _text(words: list[str]) -> str:
    return " ".join(words) or "hello"


calm = st.lists(st.sampled_from(NEUTRAL + POSITIVE), max_size=8).map(_text)
any_words = st.lists(st.sampled_from(NEUTRAL + POSITIVE + NEGATIVE), max_size=8).map(_text)


@st.composite
def turns(draw: st.DrawFn, text: st.SearchStrategy[str] = any_words, most: int = 6) -> list[Turn]:
    return [
        Turn(draw(text), article_found=draw(st.booleans()), model_failed=draw(st.booleans()))
        for _ in range(draw(st.integers(1, most)))
    ]


@settings(max_examples=examples(200))
@given(before=turns(), said=any_words, ask=st.sampled_from(ASKS), failed=st.booleans(), found=st.booleans())
def test_a_customer_who_asks_for_a_person_gets_one_whatever_else_holds(
    before: list[Turn], said: str, ask: str, failed: bool, found: bool
) -> None:
    last = Turn(f"{said} {ask}", article_found=found, model_failed=failed)
    assert escalation([*before, last]) == "asked_for_person"


@settings(max_examples=examples(200))
@given(before=turns(calm), said=calm)
def test_a_calm_customer_answered_from_articles_stays_with_the_bot(before: list[Turn], said: str) -> None:
    answered = [Turn(t.text, article_found=True, model_failed=False) for t in before]
    assert escalation([*answered, Turn(said, article_found=True, model_failed=False)]) is None


@settings(max_examples=examples(200))
@given(history=turns(any_words))
def test_the_reason_is_the_first_rule_that_holds_and_none_without_one(history: list[Turn]) -> None:
    last = history[-1]
    scores = [mood_score(t.text) for t in history]
    falling = len(scores) >= 2 and scores[-1] < 0 and scores[-1] < scores[-2]
    without = sum(not t.article_found for t in history)
    expected = (
        "asked_for_person"
        if asks_for_person(last.text)
        else "model_failed"
        if last.model_failed
        else "mood_falling"
        if falling
        else "no_article_twice"
        if not last.article_found and without >= ANSWERS_WITHOUT_ARTICLE
        else None
    )
    assert escalation(history) == expected


def test_the_second_answer_without_an_article_hands_over_not_the_first() -> None:
    lost = Turn("zxqv blorf", article_found=False, model_failed=False)
    helped = Turn("my invoice", article_found=True, model_failed=False)
    assert escalation([lost]) is None
    assert escalation([lost, helped]) is None
    assert escalation([lost, helped, lost]) == "no_article_twice"


def test_a_mood_falls_only_to_a_negative_message_lower_than_the_one_before() -> None:
    said = [Turn(text, article_found=True, model_failed=False) for text in ("thanks", "this is ridiculous")]
    assert escalation(said) == "mood_falling"
    assert escalation(said[1:]) is None, "one angry message alone is not a fall: the bot tries"
    assert mood_of(mood_score("this is useless and wrong")) == "negative"
    assert mood_of(mood_score("great, thanks")) == "positive"


@settings(max_examples=examples(100))
@given(said=st.lists(st.sampled_from(NEUTRAL + NEGATIVE + POSITIVE + ["agent", "the agent said", "personal"])))
def test_words_near_a_request_are_not_one(said: list[str]) -> None:
    assert not asks_for_person(" ".join(said)), "the agent, personal: not a request for a person"
