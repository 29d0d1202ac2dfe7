"""Masking card data in one text, in one party's run of messages, in what an agent sends and in drafts.

- A card number in one text keeps its last four digits (`•••• 1111`); PCI DSS allows at most the first
  six and the last four.
- A card number split over consecutive messages of one party ("my card is 4111 1111" then
  "1111 1111 thanks") is masked in every message it touches, with no digit left (`••••`): the last four
  would add to what the earlier part showed.
- What an agent sends cannot be taken back, so a message may not end in a number the next message
  could finish: a run of 11 or more digits at the end of an outgoing message keeps its last four, and
  a run that goes on from the agent's previous messages is hidden once the digits shown in that run,
  across messages, would reach 11. At most ten digits of any number are ever sent (PCI's own
  truncation shows ten: the first six and the last four).
- A party's messages stored after their previous conversation's (a chat and its email follow-up, both in the
  CRM) are masked as one conversation with them, and the last may not end in a number the next could finish.
- A draft on disk is a number typed so far: any run of 11 or more digits keeps its last four,
  whether or not it passes the Luhn check (a 15-digit prefix gives the 16th digit away).
- Security codes and PINs written next to their name are removed, a name at the end of one message and the digits
  at the start of the party's next included ("my cvv is" / "555").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from agent_desktop_pci.cards import LONGEST, SHORTEST, card_spans
from agent_desktop_pci.digit_runs import (
    ANY_DIGIT,
    DIGIT_WORDS,
    LEADING_RUN,
    NO_WORD,
    RUN,
    TRAILING_RUN,
    ascii_digits,
    ends_in_run,
    groups_in,
    read_as_digits,
)
from agent_desktop_pci.lazy_pattern import lazy_pattern
from agent_desktop_pci.security_codes import (
    could_say_a_code,
    ends_in_code_name,
    remove_security_codes_across,
    splice,
    starts_with_code_name,
)

CARD_MASK = "•••• "  # then the last four digits
SPLIT_MASK = "••••"  # a part of a number, no digit shown
# A card number has at most LONGEST (19) digits: no more of one party's messages (or one speaker's lines) than that
# can hold one, so no more need be read with the next.
SPLIT_REACH = LONGEST
MOST_DIGITS_SHOWN = 10  # of one run, across messages: more could give a card number away
_THREE_DIGITS = lazy_pattern(r"\d(?:\D*\d){2}")


def _could_hold_card_data(text: str) -> bool:
    """A card number needs 13 digits and a security code 3: text with fewer is left as it is, which keeps a
    5,000-message transcript fast (ASCII digits are what nearly every text has; others go the long way). A
    card number spelt out has three digits' words in a row, or three figures; a code said in words two number
    tokens in a row ("triple five", "five fifty-five"), which three digits' words are too (`could_say_a_code`, one
    scan for both). Empty text (a wrap-up's notes at the first frame) does not compile the patterns."""
    if not text:
        return False
    return (
        bool(_THREE_DIGITS.search(text))
        or (not text.isascii() and ANY_DIGIT.search(text) is not None)
        or could_say_a_code(text)
    )


def mask_messages(texts: Sequence[str]) -> list[str]:
    """One party's consecutive messages, masked as one conversation: a card number may span them, and a security
    code's name may end one and its digits start the next. Numbers are looked for as written and again with letters
    that stand for digits read as digits (`read_as_digits`, same positions: `4lll llll llll llll`); where the two
    readings find different numbers in one place, no digit of that place is shown."""
    texts = list(texts)
    views = [read_as_digits(text) for text in texts]
    could = [
        _could_hold_card_data(text) or (view != text and _could_hold_card_data(view))
        for text, view in zip(texts, views, strict=True)
    ]
    if not any(could):
        return texts
    per_message = _card_replacements(texts)
    if views != texts:
        per_message = [_merged(a + b) for a, b in zip(per_message, _card_replacements(views), strict=True)]
    spliced = [
        splice(text, replacements) if maybe else text
        for text, maybe, replacements in zip(texts, could, per_message, strict=True)
    ]
    return remove_security_codes_across(spliced, could)


def _card_replacements(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """Per message, where a card number (or a part of one split over messages) is and what replaces it."""
    joined = "\n".join(texts)
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    per_message: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for run in RUN.finditer(joined):
        if run.end() - run.start() < SHORTEST:
            continue  # a digit is one character at least (a word more): too few for a card number
        groups = groups_in(joined, run.start(), run.end())
        for span in card_spans(groups):
            pieces: dict[int, tuple[int, int]] = {}  # message → its first and last position in the card
            for group in groups[span.first : span.last + 1]:
                message = bisect.bisect_right(starts, group.start) - 1
                first, _ = pieces.get(message, (group.start, group.end))
                pieces[message] = (first, group.end)
            whole = len(pieces) == 1
            for message, (first, last) in pieces.items():
                mask = CARD_MASK + span.digits[-4:] if whole else SPLIT_MASK
                per_message[message].append((first - starts[message], last - starts[message], mask))
    return per_message


def _merged(replacements: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Replacements of one message from two readings: the same one kept once; overlapping ones made one, with no
    digit shown (each reading's last four could differ)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, mask in sorted(set(replacements)):
        if merged and start < merged[-1][1]:
            first, last, _ = merged[-1]
            merged[-1] = (first, max(last, end), SPLIT_MASK)
        else:
            merged.append((start, end, mask))
    return merged


def mask_pci(text: str) -> str:
    """The text safe to store and send: card numbers cut to their last four, security codes removed."""
    return mask_messages([text])[0]


def connected_tail(previous: Sequence[str]) -> int:
    """How many of the last of `previous` a number at the start of the next message could go on from:
    the last one if it ends in digits, and each one before it whose next is nothing but that run."""
    count = 0
    for position in range(len(previous) - 1, -1, -1):
        text = previous[position]
        if not ends_in_run(text):
            break
        count += 1
        if not passes_through(text):
            break
    return count


def stands_apart(text: str) -> bool:
    """Nothing in the text can join the party's message before it: no run of digits at its start (in either
    reading), no card data nor a code's digits in it, no code's name at its start. Masked after a message that
    masking alone leaves as it is, the two come out as each does alone (`ConversationState` then reads it alone)."""
    view = read_as_digits(text)
    return not (
        starts_in_run(text)
        or starts_in_run(view)
        or _could_hold_card_data(text)
        or (view != text and _could_hold_card_data(view))
        or starts_with_code_name(text)
    )


def starts_in_run(text: str) -> bool:
    """The text starts with digits (separators before them allowed): only then can a number of the party's
    earlier messages go on into it."""
    return LEADING_RUN.match(text) is not None


def settled_part(text: str) -> str:
    """The part of a text still being written (a model's answer as it streams) that can be shown: without a run of
    digits at its end (separators after it allowed; read as written or with letters standing for digits), which may
    be the first digits of a card number, nor a word being written that may be a digit's (`on` of `one`, `lll`)."""
    last_word = _UNFINISHED_WORD.search(text)
    assert last_word is not None  # matches the empty string at the end
    word = last_word.group().lower()
    if word and (any(name.startswith(word) for name in _DIGIT_NAMES) or _LOOKALIKES_ONLY.fullmatch(word)):
        text = text[: last_word.start()]
    repeat = _REPEAT_AT_END.search(text)  # "double " waits for the digit it doubles
    if repeat is not None:
        text = text[: repeat.start()]
    found = [m.start(1) for m in (TRAILING_RUN.search(text), TRAILING_RUN.search(read_as_digits(text))) if m]
    return text[: min(found)] if found else text


_UNFINISHED_WORD = re.compile(r"\w*\Z")
_DIGIT_NAMES = (*DIGIT_WORDS, "double", "triple")
_LOOKALIKES_ONLY = re.compile(r"[\dlio]+")
_REPEAT_AT_END = re.compile(r"\b(?:double|triple)[\W_]*\Z", re.IGNORECASE)


def passes_through(text: str) -> bool:
    """Nothing but one run of digits, or nothing alphanumeric at all (`••••`): a number may go through it."""
    return NO_WORD.fullmatch(text) is not None or _all_run(text)


def _all_run(text: str) -> bool:
    match = LEADING_RUN.match(text)
    return match is not None and NO_WORD.fullmatch(text, match.end()) is not None


def mask_arriving(previous: Sequence[str], text: str) -> tuple[list[str], str]:
    """A new message of a party after its `previous` ones (oldest first): the new text masked, and the
    previous texts as they must now read (a card number the new message finishes is masked in them too). A security
    code whose name ends the previous message ("my cvv is") is removed from the new one ("555")."""
    chain = connected_tail(previous) if starts_in_run(text) else 0
    if chain == 0 and previous and ends_in_code_name(previous[-1]):
        chain = 1
    if chain == 0:
        return list(previous), mask_pci(text)
    head = list(previous[: len(previous) - chain])
    *tail, new = mask_messages([*previous[len(previous) - chain :], text])
    return head + tail, new


def mask_outgoing(previous_sent: Sequence[str], text: str) -> str:
    """What an agent's message may carry, after the messages they sent before (as sent, oldest first)."""
    _, masked = mask_arriving(previous_sent, text)
    return _shown_at_most_ten(previous_sent, masked, end=True)


def mask_continuing(earlier: Sequence[str], texts: Sequence[str]) -> list[str]:
    """One party's messages of a conversation, after the ones they wrote in their previous conversation (as
    stored, oldest first: a chat, then its email follow-up), masked for a store that keeps both: a number may go
    on from the earlier conversation into this one, and this one's last message may not end in a number the
    next conversation could finish (a run of 11 or more digits there keeps its last four)."""
    if not texts:
        return []
    tail = list(earlier[len(earlier) - connected_tail(earlier) :]) if starts_in_run(texts[0]) else []
    masked = mask_messages([*tail, *texts])[len(tail) :]
    masked[0] = _shown_at_most_ten(tail, masked[0], end=len(masked) == 1)
    if len(masked) > 1:
        masked[-1] = _shown_at_most_ten([], masked[-1], end=True)
    return masked


def _shown_at_most_ten(previous: Sequence[str], masked: str, *, end: bool) -> str:
    """`masked` with a number going on from `previous` hidden once the digits shown of it would pass ten, and
    (`end`) a run of more than ten digits at its end cut to its last four."""
    replacements: list[tuple[int, int, str]] = []
    shown_before = _digits_shown_in_chain(previous)
    leading = LEADING_RUN.match(masked)
    hidden = None
    if (
        leading is not None
        and shown_before is not None
        and shown_before + len(ascii_digits(leading.group(1))) > MOST_DIGITS_SHOWN
    ):
        hidden = leading.start(1)
        replacements.append((leading.start(1), leading.end(1), SPLIT_MASK))
    trailing = TRAILING_RUN.search(masked) if end else None
    if trailing is not None and trailing.start(1) != hidden:
        digits = ascii_digits(trailing.group(1))
        if len(digits) > MOST_DIGITS_SHOWN:
            replacements.append((trailing.start(1), trailing.end(1), CARD_MASK + digits[-4:]))
    return splice(masked, replacements)


def _digits_shown_in_chain(previous: Sequence[str]) -> int | None:
    """The digits shown in the run the previous messages end with (across them); None if they end in a word."""
    chain = connected_tail(previous)
    if chain == 0:
        return None
    shown = 0
    for text in previous[len(previous) - chain :]:
        match = TRAILING_RUN.search(text)
        if match is not None:
            shown = (shown if _all_run(text) else 0) + len(ascii_digits(match.group(1)))
    return shown


def mask_draft(text: str) -> str:
    """A draft as it may be written to disk: card numbers masked, and any other run of 11 or more digits
    cut to its last four (it may be a card number still being typed)."""
    masked = mask_pci(text)
    replacements = []
    for run in RUN.finditer(masked):
        digits = ascii_digits(run.group())
        if len(digits) > MOST_DIGITS_SHOWN:
            replacements.append((run.start(), run.end(), CARD_MASK + digits[-4:]))
    return splice(masked, replacements)
