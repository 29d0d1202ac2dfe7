"""The customer's mood in a conversation, from their own words: each message scored, the last one's mood, and whether
it is getting better or worse.

Scored on the desk by VADER (Hutto and Gilbert, 2014: a lexicon of ~7,500 words and emoticons rated by people, and
rules for negation, degree words, "but", capitals and punctuation, made for short informal text such as chat and SMS;
the `vaderSentiment` package ships its lexicon, so nothing is fetched and nothing leaves the desk). Its compound score
runs from -1 (most negative) to 1. Its authors read at least 0.05 as positive; a polite complaint scores about 0.3
("Can someone look at it please?", "Sure, my email is …": "please" and "sure" are positive words), so the desk calls a
message positive only from 0.5 ("ok thanks" 0.63), and negative at their -0.05 ("I was charged twice" -0.2), neutral
between: an agent is told of a customer's anger, never comforted by their manners. A model could score better, but a desk without one (most) should still see a customer getting
angrier, and this costs a twentieth of a millisecond a message. The lexicon loads with the first message scored,
not with the desk, and stays as the analyzer's dictionaries only (not the text of the files they were read from).

The trend compares the last message with the mean of the (at most three) before it: a quarter of the scale either
way is "better" or "worse", less is "steady". One message has no trend. The card draws the last few messages' scores
as a row of bars (`bars`), lowest the angriest, beside the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_FROM = 0.5  # above VADER's authors' 0.05: politeness alone is not a happy customer
NEGATIVE_TO = -0.05  # VADER's authors' threshold
TREND_STEP = 0.25  # how far the last message must move from those before it to be a change
EARLIER = 3  # the messages before the last that it is compared with
SHOWN = 8  # the messages whose scores the card draws as bars
BARS = "▁▂▃▄▅▆▇█"  # -1 … 1
_PARSED_FILES = ("lexicon_full_filepath", "emoji_full_filepath")  # vaderSentiment 3.3's names for the files' text

Label = Literal["positive", "neutral", "negative"]
Trend = Literal["better", "worse", "steady"]


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    # It keeps the whole text of both lexicon files beside the dictionaries it parsed from them and scores with: a
    # desk that has read one chat would hold them all day.
    for parsed in _PARSED_FILES:
        vars(analyzer).pop(parsed, None)
    return analyzer


@lru_cache(maxsize=4096)
def score(text: str) -> float:
    """`text`'s compound score, -1 to 1 (the last few thousand kept: a conversation is read again at every redraw)."""
    return float(_analyzer().polarity_scores(text)["compound"])


def label(value: float) -> Label:
    return "positive" if value >= POSITIVE_FROM else "negative" if value <= NEGATIVE_TO else "neutral"


@dataclass(frozen=True)
class Mood:
    """The customer's mood after their last message, and which way it went."""

    last: float  # the last message's score
    label: Label
    trend: Trend | None  # None: their first message
    scores: tuple[float, ...] = ()  # the last few messages' scores, oldest first (the last is `last`)

    @property
    def worth_saying(self) -> bool:
        """Whether a line should say it: a neutral customer, neither better nor worse, is not news."""
        return self.label != "neutral" or self.trend in ("better", "worse")

    @property
    def words(self) -> str:
        """As a line says it, in words and an arrow, never by colour alone: "negative ↓ worse"."""
        arrow = {"better": "↑ better", "worse": "↓ worse", "steady": "→ steady", None: ""}[self.trend]
        return f"{self.label} {arrow}".strip()

    @property
    def bars(self) -> str:
        """The last few messages' scores as bars, oldest first, lowest the most negative: "▆▅▂▁"."""
        top = len(BARS) - 1
        return "".join(BARS[round((max(-1.0, min(1.0, value)) + 1) / 2 * top)] for value in self.scores)


def mood_of(messages: list[str]) -> Mood | None:
    """The mood after `messages`, the customer's in order (None: they have written nothing)."""
    scores = [score(text) for text in messages if text.strip()]
    if not scores:
        return None
    last = scores[-1]
    earlier = scores[-1 - EARLIER : -1]
    trend: Trend | None = None
    if earlier:
        moved = last - sum(earlier) / len(earlier)
        trend = "better" if moved >= TREND_STEP else "worse" if moved <= -TREND_STEP else "steady"
    return Mood(last, label(last), trend, tuple(scores[-SHOWN:]))
