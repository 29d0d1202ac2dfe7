"""A knowledge search made from what a customer wrote or said, for articles suggested by themselves.

A customer's message is mostly greeting, courtesy and grammar ("Hi, I was charged twice this month, can you fix
that?"); searched as it stands, every article matches its common words. What is kept are the words that say what
the message is about — not a stop word, not a courtesy, not a number (an amount, a date, a card's digits: nothing of
a card's leaves the desk in a query), not a date's day or month, not an address — in the order written, each once,
at most `MOST_WORDS`. An email is read without what it quotes and without its signature (`customer_said`): a
search made from "Thanks, Dana" and "Mon Mar 3" found articles about nothing the customer asked.

Which messages: what the customer said, latest first, until enough words say what it is about (`query_from_said`);
a contact's subject (an IVR's menu choice) only where the customer has said too little.
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
    every month week day year morning evening again back heard hear someone somebody anyone look looking looked
    sounds sound let lets thinking wondering sort sorted fix fixed work works working still there following
    annoyed angry upset frustrated furious crazy driving ridiculous tired unhappy happy glad relief relieved worried
    confused disappointed news wait waiting waited continue continues problem issue
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
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


ENOUGH_WORDS = 3  # fewer distinctive words say too little about what a customer asks: earlier messages add theirs

# A quoted earlier message: "Support team wrote:" (or "On Mon Mar 3, Dana <d@x> wrote:") and every line after it, or a
# line starting ">".
_QUOTE_HEAD = re.compile(r"^\s*(?:on\b.*)?\bwrote:\s*$", re.IGNORECASE)
# A closing, after which what follows is a signature: "Thanks,", "Best regards,", "-- ", "Sent from my phone".
_CLOSING = re.compile(
    r"^\s*(?:--\s*|(?:many |kind |best |warm )?(?:thanks|thank you|regards|cheers|best|sincerely)\b[^.?!]{0,20}[,!]?\s*"
    r"|sent from my .*)$",
    re.IGNORECASE,
)
SIGNATURE_WORDS = 3  # a last line of this many words or fewer, without a sentence's end, is a name signing off


def customer_said(message: str) -> str:
    """What the customer wrote in `message` themselves: without what it quotes (a "… wrote:" line and all after it, a
    line starting ">") and without its signature (from a closing line such as "Thanks," on, or a short last line
    that ends no sentence: their name)."""
    kept: list[str] = []
    for line in message.splitlines():
        if _QUOTE_HEAD.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        if _CLOSING.match(line) and kept:
            break
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    if len(kept) > 1 and _signs_off(kept[-1]):
        kept.pop()
    return "\n".join(kept).strip()


def _signs_off(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= SIGNATURE_WORDS and not line.rstrip().endswith((".", "?", "!", ":"))


def query_from_said(said_latest_first: list[str], subject: str | None = None, most: int = MOST_WORDS) -> str:
    """The search for what a customer asks, from their messages or lines heard, latest first: the words of the latest,
    then of the ones before while fewer than `ENOUGH_WORDS` say what it is about; the contact's subject only where
    everything the customer said has too few ("" when nothing has a word: suggest nothing)."""
    kept: list[str] = []
    for text in said_latest_first:
        for word in search_words(customer_said(text), most):
            if word not in kept and len(kept) < most:
                kept.append(word)
        if len(kept) >= ENOUGH_WORDS:
            return " ".join(kept)
    if subject:
        for word in search_words(subject, most):
            if word not in kept and len(kept) < most:
                kept.append(word)
    return " ".join(kept)


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
