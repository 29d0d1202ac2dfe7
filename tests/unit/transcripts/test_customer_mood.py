"""The customer's mood from their own words (agent_desktop/transcripts/sentiment.py): VADER's reading of each message,
the last one's label, and whether it got better or worse than the messages before."""

from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from agent_desktop.transcripts.sentiment import _analyzer, mood_of, score

ANGRY = "This is ridiculous, I was charged twice and nobody answers. Terrible service!"
CALM = "Hi, I was charged twice this month, can you look at it?"
GLAD = "Thank you so much, that fixed it, great help!"


def test_nothing_written_is_no_mood() -> None:
    assert mood_of([]) is None
    assert mood_of(["   "]) is None


def test_a_first_message_has_a_mood_and_no_trend() -> None:
    mood = mood_of([ANGRY])
    assert mood is not None
    assert mood.label == "negative"
    assert mood.trend is None
    assert mood.words == "negative"


def test_a_customer_getting_angrier_reads_worse_and_one_calming_down_better() -> None:
    worse = mood_of([CALM, GLAD, ANGRY])
    assert worse is not None
    assert (worse.label, worse.trend) == ("negative", "worse")
    assert worse.words == "negative ↓ worse"
    better = mood_of([ANGRY, ANGRY, GLAD])
    assert better is not None
    assert (better.label, better.trend) == ("positive", "better")
    assert better.words == "positive ↑ better"


def test_a_polite_complaint_is_not_a_happy_customer() -> None:
    mood = mood_of(["I have not heard back and the double charge is still there. Can someone look at it please?"])
    assert mood is not None, mood
    assert mood.label == "neutral", mood


def test_the_same_words_again_are_steady() -> None:
    mood = mood_of([CALM, CALM])
    assert mood is not None
    assert mood.trend == "steady"
    assert mood.words.endswith("→ steady")


def test_a_neutral_steady_customer_is_not_news() -> None:
    steady = mood_of(["My router keeps dropping", "It is a Fiber 500 plan"])
    assert steady is not None
    assert (steady.label, steady.trend) == ("neutral", "steady")
    assert not steady.worth_saying
    calmer = mood_of(["This is ridiculous, terrible service", "It is a Fiber 500 plan"])
    assert calmer is not None, "better is news"
    assert calmer.label == "neutral", "better is news"
    assert calmer.worth_saying, "better is news"


def test_only_the_last_three_before_the_last_are_compared() -> None:
    # Long ago glad, lately angry: the last angry message is steady against the three before it, not "worse".
    mood = mood_of([GLAD, GLAD, GLAD, ANGRY, ANGRY, ANGRY, ANGRY])
    assert mood is not None
    assert mood.trend == "steady"


def test_the_bars_draw_the_last_messages_lowest_the_angriest() -> None:
    mood = mood_of([GLAD, CALM, ANGRY])
    assert mood is not None
    assert len(mood.bars) == 3
    glad, calm, angry = list(mood.bars)
    assert glad > calm > angry, mood.bars  # the bar glyphs rise in code point with their height
    assert angry in "▁▂"
    many = mood_of([CALM] * 12)
    assert many is not None
    assert len(many.bars) == 8, "only the last eight messages are drawn"


def test_the_lexicon_stays_as_words_not_as_the_files_it_was_read_from() -> None:
    """After the first message scored the desk holds VADER's dictionaries, not also the whole text of the two files
    they were parsed from (a vaderSentiment that keeps that text under other names fails here), and scores as VADER
    does, emoji included."""
    texts = [ANGRY, CALM, GLAD, "Thank you 😀", "😠 still waiting", "I was charged twice :("]
    scores = [score(text) for text in texts]
    analyzer = _analyzer()
    assert len(analyzer.lexicon) > 7000
    assert len(analyzer.emojis) > 3000
    assert [name for name, value in vars(analyzer).items() if isinstance(value, str) and len(value) > 10_000] == []
    assert scores == [SentimentIntensityAnalyzer().polarity_scores(text)["compound"] for text in texts]
