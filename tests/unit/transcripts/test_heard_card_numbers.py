"""A card number read out on a call and misheard by the recogniser: a word it made up between the digits
("four one will you one one…") or a digit it got wrong breaks the run the masker looks for and its Luhn check, yet
fifteen digits of sixteen still give the number away. What the mock contact center publishes of a heard line shows
no more than ten digits of it, in one line or over two, interim or final (call_transcripts/heard_masking.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.call_transcripts.heard_masking import mask_heard
from tests.support.hypothesis_profiles import examples
from tests.support.pci_cards import DIGIT_NAMES, card_numbers, gives_away

MADE_UP = ["will", "you", "hello", "are", "would", "i", "oh well", "for"]  # what pocketsphinx heard for digits here


def test_a_word_heard_inside_a_card_number_does_not_let_its_digits_through() -> None:
    line = "my card is four one one one one will you one one one one one one one one one one one thanks"
    shown = mask_heard([], line, final=True)
    assert not gives_away("4111111111111111", shown), shown
    assert shown.startswith("my card is ")
    assert shown.endswith(" thanks")


def test_three_made_up_words_in_a_row_do_not_split_the_run() -> None:
    # Found on a fresh seed: at two bridged words, "will will will" split thirteen zeros into 3 + 10, each shown.
    line = "my card is zero zero zero will will will " + " ".join(["zero"] * 10) + " thank"
    shown = mask_heard([], line, final=False)
    assert not gives_away("0000000000000", shown), shown


@st.composite
def misheard(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A card number read digit by digit, the recogniser's words put in it (up to three, in a row or apart), a wrong digit
    maybe, said over one or two lines: the digits said, and the lines heard."""
    digits = draw(card_numbers)
    words = [DIGIT_NAMES[int(d)] for d in digits]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(words) - 1))
        words[at] = DIGIT_NAMES[(int(digits[at]) + 1) % 10]
    for _ in range(draw(st.integers(0, 3))):
        words.insert(draw(st.integers(1, len(words) - 1)), draw(st.sampled_from(MADE_UP)))
    cut = draw(st.integers(1, len(words) - 1)) if draw(st.booleans()) else len(words)
    first = "my card is " + " ".join(words[:cut])
    rest = " ".join(words[cut:])
    return digits, [first, rest + " thank you"] if rest else [first + " thank you"]


@settings(max_examples=examples(300))
@given(misheard())
def test_a_misheard_card_number_is_never_published_with_more_than_ten_of_its_digits(
    said: tuple[str, list[str]],
) -> None:
    digits, lines = said
    shown: list[str] = []
    for line in lines:
        words = line.split()
        for heard in range(1, len(words)):  # its interim versions, as the words come
            interim = mask_heard(shown, " ".join(words[:heard]), final=False)
            assert not gives_away(digits, *shown, interim), (shown, interim)
        shown.append(mask_heard(shown, line, final=True))
    assert not gives_away(digits, *shown), shown
