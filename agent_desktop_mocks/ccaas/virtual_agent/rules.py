"""When the virtual agent hands the customer to a person, and how it reads them: pure, no I/O.

Each customer turn is read for a request for a person and for its mood (a small word list: positive and negative
words counted); the bot then escalates on the first rule that holds, in this order: the customer asked for a person,
the model failed, the mood fell (the last message reads negative and lower than the one before), or a second answer
went without a knowledge article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent_desktop_mocks.ccaas.core.bot_handoff import EscalationReason, Mood

ANSWERS_WITHOUT_ARTICLE = 2  # the second answer the knowledge base had no article for hands over

_PERSON = re.compile(
    r"\b(?:human|humans|person|representative|operator|someone real|real agent|live agent|an agent|"
    r"speak to someone|talk to someone|supervisor|manager)\b"
)
_WORD = re.compile(r"[a-z']+")
NEGATIVE = frozenset(
    "angry annoyed annoying awful bad broken disappointed disgusting frustrated frustrating furious hate horrible "
    "incompetent joke ridiculous rubbish stupid terrible unacceptable upset useless waste worse worst wrong "
    "pointless nonsense".split()
)
POSITIVE = frozenset(
    "thanks thank great perfect helpful brilliant excellent sorted solved lovely good appreciate".split()
)


def asks_for_person(text: str) -> bool:
    """The customer asks to be put through to a person ("can I talk to a human?", "get me an agent")."""
    return _PERSON.search(text.lower()) is not None


def mood_score(text: str) -> int:
    """Positive words less negative words in `text` (a mock's reading: a real bot would ask a sentiment model)."""
    words = _WORD.findall(text.lower())
    return sum(word in POSITIVE for word in words) - sum(word in NEGATIVE for word in words)


def mood_of(score: int) -> Mood:
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


@dataclass(frozen=True)
class Turn:
    """One customer message and what the bot could do with it."""

    text: str
    article_found: bool  # the knowledge base had an article written for customers for it
    model_failed: bool  # the contact center's model did not answer


def mood_falling(scores: Sequence[int]) -> bool:
    """The customer's last message reads negative and lower than the one before it."""
    return len(scores) >= 2 and scores[-1] < 0 and scores[-1] < scores[-2]


def escalation(turns: Sequence[Turn]) -> EscalationReason | None:
    """Why the last turn hands the customer to a person, or None: the bot answers it. Only the last turn's rules
    are new: the bot stops at the first escalation, so earlier turns did not escalate."""
    if not turns:
        return None
    last = turns[-1]
    if asks_for_person(last.text):
        return "asked_for_person"
    if last.model_failed:
        return "model_failed"
    if mood_falling([mood_score(turn.text) for turn in turns]):
        return "mood_falling"
    if not last.article_found and sum(not turn.article_found for turn in turns) >= ANSWERS_WITHOUT_ARTICLE:
        return "no_article_twice"
    return None
