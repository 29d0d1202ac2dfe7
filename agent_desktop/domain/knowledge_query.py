"""A knowledge search made from what a customer wrote, for articles suggested by themselves.

A customer's message is mostly greeting, courtesy and grammar ("Hi, I was charged twice this month, can you fix
that?"); searched as it stands, every article matches its common words. What is kept are the words that say what
the message is about — not a stop word, not a courtesy, not a number (an amount, a date, a card's digits: nothing of
a card's leaves the desk in a query), not an address — in the order written, each once, at most `MOST_WORDS`.
"""

from __future__ import annotations

import re

MOST_WORDS = 8

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")  # a word starts with a letter; inner ' and - stay (wi-fi, can't)
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)

STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before being below between
    both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from
    further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his
    how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not
    of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd
    they'll they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were
    weren't what what's when when's where where's which while who who's whom why why's with won't would wouldn't you
    you'd you'll you're you've your yours yourself yourselves
    also just still yet even really already now today tonight tomorrow yesterday get got gets getting go going went
    want wanted wants need needs needed like know think make made way thing things something anything everything lot
    able could'nt im ive dont cant wont didnt doesnt isnt thats whats hey hi hello dear thanks thank thx pls please
    plz ok okay yes yeah sorry help helps helped tell told say said ask asked one two three time times bit since
    every month week day year morning evening
    """.split()
)
_COURTESY = frozenset(
    {
        "regards",
        "cheers",
        "best",
        "kind",
        "sincerely",
        "appreciate",
        "appreciated",
        "hope",
        "wonder",
        "much",
        "nice",
        "great",
        "good",
        "lovely",
        "wonderful",
        "awesome",
        "soon",
        "possible",
        "quick",
        "quickly",
        "sure",
        "yep",
        "alright",
        "fine",
        "right",
        "perfect",
    }
)


def search_words(message: str, most: int = MOST_WORDS) -> list[str]:
    """The distinctive words of `message`, lower case, in the order written, each once, at most `most`."""
    text = _ADDRESS.sub(" ", message)
    kept: list[str] = []
    for found in _WORD.finditer(text):
        word = found.group().lower().replace("’", "'")
        if len(word) < 3 or word in STOP_WORDS or word in _COURTESY or word in kept:
            continue
        kept.append(word)
        if len(kept) == most:
            break
    return kept


def query_from_message(message: str, most: int = MOST_WORDS) -> str:
    """A search query made of `message`'s distinctive words ("" when it has none: suggest nothing)."""
    return " ".join(search_words(message, most))
