"""Card data in the forms found passing: digits separated by letters (`4111x1111x1111x1111`), a card
number spelt in words ("four one one one …", "double one"), security codes said as `c v v 123` or "… and 123 on
the back" — and the ordinary text (order and phone numbers, dates, amounts, words that name a number) that the
masking must still leave alone (hypothesis, over `tests/support/pci_cards.py`'s ways of writing a number)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop_pci import CARD_MASK, CODE_REMOVED, mask_draft, mask_messages, mask_outgoing, mask_pci
from tests.support.pci_cards import DIGIT_NAMES, gives_away, split_card, written_card

# Words around a number that are not themselves a digit's name (a word "one" before a card is one more digit).
plain_words = st.text(st.characters(categories=["Lu", "Ll"]), min_size=2, max_size=10).filter(
    lambda word: word.casefold() not in (*DIGIT_NAMES, "oh", "double", "triple")
)


@given(written_card(), plain_words, plain_words)
@example(("4111111111111111", ["4111", "x1111", "x1111", "x1111"]), "card", "thanks")
@example(("4111111111111111", ["4111", " a 1111", " b 1111", " c 1111"]), "card", "thanks")
@example(("4111111111111111", ["4111", "é1111", "ж1111", "字1111"]), "card", "thanks")
@example(
    (
        "4111111111111111",
        [
            "four",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
            " one",
        ],
    ),
    "card",
    "ok",
)
@example(
    ("4111111111111111", ["Four", " -One- ", "double one", " triple-one", " one", " 1111", " x 1111"]), "card", "ok"
)
@example(
    ("4111111111111111", ["4", " one ", "1", "1", " x 1", "1", "1", "1", " ONE", " 1", "1", "1", "1", "1", "1", "1"]),
    "card",
    "ok",
)
def test_a_card_number_written_with_letters_or_words_keeps_only_its_last_four(
    card: tuple[str, list[str]], before: str, after: str
) -> None:
    digits, pieces = card
    masked = mask_pci(f"{before} {''.join(pieces)} {after}")
    assert masked == f"{before} {CARD_MASK}{digits[-4:]} {after}"


@given(split_card())
@example(("4111111111111111", ["card four one one one one one one", "one one one one one one one one one done"]))
@example(("4111111111111111", ["card 4111x1111x11", "11x1111 done"]))
def test_a_card_number_in_words_or_letters_split_over_messages_is_not_given_away(card: tuple[str, list[str]]) -> None:
    digits, messages = card
    assert not gives_away(digits, *mask_messages(messages))
    sent: list[str] = []
    for text in messages:
        sent.append(mask_outgoing(sent, text))
    assert not gives_away(digits, *sent), sent


@given(written_card())
def test_a_draft_in_words_or_letters_typed_key_by_key_never_gives_the_number_away(card: tuple[str, list[str]]) -> None:
    digits, pieces = card
    typed = "Card "
    for piece in pieces:
        typed += piece
        assert not gives_away(digits, mask_draft(typed)), typed


@pytest.mark.parametrize(
    "text",
    [
        "c v v 123",
        "C.V.V. 123",
        "c-v-v: 123",
        "C V C 4567",
        "cvv123",
        "cvv number is 123",
        "cvv code 123",
        "123 on the back",
        "4567 on the back of the card",
        "123 at the back of the card",
        "the three numbers at the back 123",
        "c.v.c 456",
    ],
)
def test_security_codes_said_in_other_ways_are_removed(text: str) -> None:
    assert mask_pci(f"She said {text} then hung up") == f"She said {CODE_REMOVED} then hung up"


def test_a_security_code_after_the_card_number_and_and() -> None:
    masked = mask_pci("the card number is 4111 1111 1111 1111 and 123 on the back")
    assert masked == f"the card number is {CARD_MASK}1111 and {CODE_REMOVED}"


KEPT = [
    "Order 12345678901234 shipped on 2026-11-23",
    "Call me on 415 555 0101 ext 22",
    "Call 415 555 0101 x 22 today",
    "I have one card and two accounts",
    "one or two of them, maybe three",
    "Pay $12.50 x 3 = $37.50 by 12/27",
    "Room 12 b 5, floor 3",
    "We open at nine and close at five",
    "someone gave me a ten",
    "Oh no, the 3 codes",
    "area code 415",
    "zip code 94110",
    "the back of the box says 123",
    "Flight BA 117 at 10h30",
    "Order A1B2C3 is late",
    "one two three",
    "Someone one two three four five six seven",
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_with_numbers_and_number_words_is_left_alone(text: str) -> None:
    assert mask_pci(text) == text
    assert mask_outgoing([], text) == text


def test_letters_typed_for_the_digits_they_look_like_are_read_as_digits() -> None:
    for typed in ("4lll llll llll llll", "4III-IIII-IIII-IIII", "card 4lll llll llll llll, thanks"):
        masked = mask_pci(typed)
        assert "•••• 1111" in masked, masked
        assert "llll" not in masked, masked
        assert "IIII" not in masked, masked
    assert mask_messages(["my card is 4lll llll", "llll llll"]) == ["my card is ••••", "••••"]
    for words in ("lol, call me at 555 0101", "IO and Oslo", "Hello 4111 lol"):
        assert mask_pci(words) == words, "words of a sentence are no card number"


@pytest.mark.parametrize("filler", ["\u3164", "\u115f", "\u1160", "\uffa0"])
def test_fillers_drawn_as_nothing_between_the_digits_do_not_hide_a_card(filler: str) -> None:
    assert mask_pci(filler.join(["4111", "1111", "1111", "1111"])) == "•••• 1111"
    eight = "\u115f\u1160\u3164\uffa0\u2800\u180e\u200b\u2060"  # eight invisible fillers, U+3164 among them
    assert mask_pci(f"4111{eight}1111{filler * 8}1111{eight}1111") == "•••• 1111"
