"""Security codes as people say them: in words ("the security code is five five five", "five fifty-five",
"five hundred and fifty-five"), followed by more digits ("cvv 555 12/28", an escape sequence's remnant "[31m"), and
split over two messages or lines of one party ("my cvv is" / "555") — removed, with what follows kept; and the same
numbers without a code's name left alone (hypothesis)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop.domain.models import Channel, ParticipantRole, TranscriptItem
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop_pci import CODE_REMOVED, ends_in_code_name, mask_arriving, mask_messages, mask_pci

UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# What is left of a code that was not removed: a figure, or a number's word.
NUMBER_WORD = re.compile(rf"\b(?:{'|'.join([*UNITS, *TEENS, *TENS[2:], 'oh', 'double', 'triple', 'hundred'])})\b", re.I)
cases = st.sampled_from([str.lower, str.upper, str.title])


def pair_words(number: int, join: str) -> str:
    """10-99 as said ("twelve", "fifty-five", "forty")."""
    if number < 20:
        return TEENS[number - 10]
    tens, unit = divmod(number, 10)
    return TENS[tens] + (join + UNITS[unit] if unit else "")


@st.composite
def said_codes(draw: st.DrawFn) -> tuple[str, str]:
    """A three- or four-digit code and how it was said: figures (grouped or spaced), digits' words (with "oh",
    "double", "triple", figures mixed in), pairs ("five fifty-five", "twelve thirty-four") or hundreds ("five hundred
    and fifty-five"), in any case."""
    digits = draw(st.text("0123456789", min_size=3, max_size=4))
    sep = draw(st.sampled_from([" ", ", ", "-", " - "]))
    way = draw(st.sampled_from(["grouped", "digits", "pairs", "hundreds"]))
    case = draw(cases)
    if way == "grouped":
        return digits, digits
    if way == "pairs" and digits[-2] != "0":
        head = digits[:-2]
        words = [UNITS[int(d)] for d in head] if len(head) == 1 or head[0] == "0" else [pair_words(int(head), sep)]
        return digits, case(sep.join([*words, pair_words(int(digits[-2:]), sep)]))
    if way == "hundreds" and len(digits) == 3 and digits[0] != "0":
        rest = int(digits[1:])
        tail = "" if rest == 0 else UNITS[rest] if rest < 10 else pair_words(rest, draw(st.sampled_from([" ", "-"])))
        joined = f" hundred{draw(st.sampled_from([' and ', ' ']))}{tail}" if tail else " hundred"
        return digits, case(UNITS[int(digits[0])] + joined)
    tokens, at = [], 0
    while at < len(digits):
        digit = digits[at]
        repeat = len(digits[at:]) - len(digits[at:].lstrip(digit))
        times = draw(st.sampled_from([n for n in (1, 2, 3) if n <= repeat]))
        if times == 1 and draw(st.integers(0, 3)) == 0:
            tokens.append(digit)  # a figure among the words
        else:
            name = "oh" if digit == "0" and draw(st.booleans()) else UNITS[int(digit)]
            tokens.append(case(name if times == 1 else f"{['double', 'triple'][times - 2]} {name}"))
        at += times
    return digits, sep.join(tokens)


# A code's name said before it (and the words of the sentence the masker keeps), or after it.
NAMES_BEFORE = [
    "cvv",
    "CVV is",
    "the security code is",
    "security code:",
    "my cvv number is",
    "cvc",
    "PIN",
    "code",
    "the three digits on the back are",
    "c v v",
    "card verification code",
]
NAMES_AFTER = ["is my cvv", "is the security code", "on the back", "at the back of the card"]
# What may follow a code: an expiry, a time, more digits, an escape sequence's remnant, words.
AFTER = ["", ".", " thanks", " 12/28", " 1228", " 12", " exp 12/28", " 10:30", "[31m", " 31m", ", expiry twelve 28"]
after_code = st.sampled_from(AFTER)


def no_code_left(text: str) -> bool:
    return not re.search(r"\d", text) and not NUMBER_WORD.search(text)


@given(said_codes(), st.sampled_from(NAMES_BEFORE), after_code)
@example(("555", "five five five"), "the security code is", "")
@example(("555", "five five five"), "cvv", "")
@example(("555", "555"), "cvv", " 12/28")
@example(("555", "555"), "cvv", " 1228")
@example(("555", "555"), "code", " 12")
@example(("555", "555"), "cvv", " 31m")
@example(("555", "555"), "cvv", "[31m")
@example(("555", "five hundred fifty five"), "cvv", "")
@example(("555", "five fifty-five"), "cvv", "")
@example(("1234", "twelve thirty-four"), "PIN", " 12/28")
def test_a_code_said_after_its_name_is_removed_and_what_follows_it_kept(
    code: tuple[str, str], name: str, after: str
) -> None:
    _, said = code
    masked = mask_pci(f"She said {name} {said}{after} and hung up")
    assert masked.endswith(f"{CODE_REMOVED}{after} and hung up"), masked
    assert masked.startswith("She said "), masked
    assert no_code_left(masked.removesuffix(f"{CODE_REMOVED}{after} and hung up")), masked


@given(said_codes(), st.sampled_from(NAMES_AFTER), after_code)
@example(("555", "five five five"), "is my cvv", " 12/28")
def test_a_code_said_before_its_name_is_removed(code: tuple[str, str], name: str, after: str) -> None:
    _, said = code
    assert mask_pci(f"ok, {said} {name}{after}") == f"ok, {CODE_REMOVED}{after}"


@given(said_codes(), st.sampled_from(NAMES_BEFORE), after_code, st.sampled_from(["\n", "\r\n", " \n\n"]))
@example(("555", "555"), "my cvv is", "", "\n")
def test_a_code_whose_name_ends_a_message_or_a_line_is_removed_from_the_next(
    code: tuple[str, str], name: str, after: str, line_break: str
) -> None:
    _, said = code
    first, second = f"She said {name}", f"{said}{after} and hung up"
    assert ends_in_code_name(first)
    assert mask_messages([first, second]) == [first, f"{CODE_REMOVED}{after} and hung up"]
    assert mask_arriving([first], second) == ([first], f"{CODE_REMOVED}{after} and hung up")
    in_one = mask_pci(first + line_break + second)  # two lines of one message: the name goes with the code
    assert in_one.endswith(f"{CODE_REMOVED}{after} and hung up"), in_one
    assert no_code_left(in_one.removesuffix(f"{CODE_REMOVED}{after} and hung up")), in_one
    # As a chat holds it: the messages one by one, the agent answering between them or not, in either order.
    for order in ([0, 1], [1, 0]):
        conversation = ConversationState("c-1", Channel.CHAT)
        conversation.add(_item(2, ParticipantRole.AGENT, "Go on"))
        for index in order:
            conversation.add(_item(index * 3, ParticipantRole.CUSTOMER, [first, second][index]))
        assert [item.text for item in conversation.items if item.role is ParticipantRole.CUSTOMER] == [
            first,
            f"{CODE_REMOVED}{after} and hung up",
        ]


# Words before a number that make it no security code: a noun, or a code of another kind.
PLAIN_LEADS = ["order", "Room", "flight", "aisle", "page", "I bought", "bus", "order number", "area code", "zip code"]


@given(said_codes(), st.sampled_from(PLAIN_LEADS), after_code)
@example(("555", "555"), "order", " 12 items")
@example(("555", "five five five"), "I bought", " apples")
@example(("415", "four one five"), "area code", "")
def test_the_same_numbers_without_a_codes_name_are_left_alone(code: tuple[str, str], lead: str, after: str) -> None:
    _, said = code
    text = f"{lead} {said}{after}"
    assert mask_pci(text) == text
    assert mask_messages(["we talked", text]) == ["we talked", text]


@pytest.mark.parametrize(
    "text",
    [
        "order 555 12 items",
        "code one of them",
        "the code is two",
        "pin twenty",
        "cvv 12345",
        "the code is oh so long",
        "one two three",
        "error code 404 at 10:30",
    ],
)
def test_short_or_long_numbers_and_other_codes_are_kept(text: str) -> None:
    assert mask_pci(text) == text


def test_a_message_that_only_mentions_a_code_does_not_take_the_next_ones_numbers() -> None:
    """The next message is read with a name only when the name ends its message."""
    messages = ["what is a cvv anyway?", "order 555 12 items"]
    assert mask_messages(messages) == messages
    assert not ends_in_code_name("the cvv is on the card")


T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _item(index: int, role: ParticipantRole, text: str) -> TranscriptItem:
    return TranscriptItem(
        id=f"m-{index:06d}",
        contact_id="c-1",
        index=index,
        role=role,
        display_name=role.value,
        text=text,
        created_at=T0 + timedelta(seconds=index),
    )
