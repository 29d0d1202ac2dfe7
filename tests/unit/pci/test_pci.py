"""Card numbers and security codes never leave the desktop in anything typed (hypothesis).

The separators an agent may type between digits are generated too (spaces, dashes, dots,
slashes, underscores, a line break or CRLF, tabs, no-break spaces), mixed within one number.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop.domain.pci import CARD_MASK, CODE_REMOVED, luhn_valid, mask_pci
from agent_desktop_pci import security_codes
from agent_desktop_pci.digit_runs import DIGIT_WORDS


def _with_check_digit(body: str) -> str:
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("one check digit always completes a Luhn number")


card_numbers = (
    st.integers(12, 18)
    .flatmap(lambda length: st.text("0123456789", min_size=length, max_size=length))
    .map(_with_check_digit)
)
# What people type between the digits of a card number; each position draws its own (mixes).
SEPARATORS = ["", " ", "  ", "-", " - ", ".", "/", " / ", "_", "\\", "\t", "\n", "\r\n", " \n", "\u00a0", "–"]
separators = st.sampled_from(["", "", *SEPARATORS])
# No digit of any form (a superscript ² beside a card number is one more digit of it to the masker), no digit spelt
# as a word ("SIX" after a card number is one more digit of it: a caller reads digits out) and no separator: a word
# ends a run of digits.
SPOKEN_DIGIT = re.compile(rf"\b(?:{'|'.join([*DIGIT_WORDS, 'double', 'triple'])})\b", re.IGNORECASE)
words = st.text(
    st.characters(exclude_categories=["Nd", "No"], exclude_characters="-–.\\/_ \t\r\n\u00a0"), max_size=30
).filter(lambda word: not SPOKEN_DIGIT.search(word))


@st.composite
def written_cards(draw: st.DrawFn) -> tuple[str, str]:
    """A card number and the way an agent typed it: any separator between any digits."""
    digits = draw(card_numbers)
    seps = draw(st.lists(separators, min_size=len(digits) - 1, max_size=len(digits) - 1))
    return digits, digits[0] + "".join(sep + digit for sep, digit in zip(seps, digits[1:], strict=True))


# Any digit run an eye could read as one number: digits joined by anything short that is not a letter.
_ANY_RUN = re.compile(r"\d(?:[\W_]{0,4}\d)*")


def surviving_card_numbers(text: str) -> list[str]:
    """Every 13-19 digit stretch of a run (separators ignored) that passes the Luhn check."""
    found = []
    for run in _ANY_RUN.findall(text):
        digits = re.sub(r"\D", "", run)
        for start in range(len(digits)):
            for length in range(13, 20):
                window = digits[start : start + length]
                if len(window) == length and luhn_valid(window):
                    found.append(window)
    return found


@given(written_cards(), words, words)
@example(("4111111111111111", "4111 1111 1111 1111"), "Paid with ", " today")
@example(("378282246310005", "3782-822463-10005"), "amex ", "")
@example(("4111111111111111", "4111.1111.1111.1111"), "card ", "")
@example(("4111111111111111", "4111/1111/1111/1111"), "card ", "")
@example(("4111111111111111", "4111_1111_1111_1111"), "card ", "")
@example(("4000000000003469", "4000000000003469"), "", "SIXTH")  # a word beginning like a digit's is no digit
@example(("4111111111111111", "4111 1111\n1111 1111"), "card ", "")
@example(("4111111111111111", "4111 1111\r\n1111 1111"), "card ", "")
def test_every_luhn_valid_card_number_is_masked_to_its_last_four(
    card: tuple[str, str], before: str, after: str
) -> None:
    digits, written = card
    before = before + (" " if before else "")
    after = (" " if after else "") + after
    assert mask_pci(before + written + after) == before + CARD_MASK + digits[-4:] + after


# A reference the CRM needs (order, ticket): never Luhn-valid over any 13-19 digit stretch.
references = st.text("0123456789", min_size=5, max_size=19).filter(lambda d: not surviving_card_numbers(d))


@given(st.lists(st.one_of(written_cards(), references, words), min_size=1, max_size=8), references)
def test_a_note_mixing_cards_references_and_words_keeps_no_card_and_every_reference(
    pieces: list[str | tuple[str, str]], reference: str
) -> None:
    text = " words ".join(piece[1] if isinstance(piece, tuple) else piece for piece in [*pieces, f"ref #{reference}"])
    masked = mask_pci(text)
    assert surviving_card_numbers(masked) == [], masked
    assert f"ref #{reference}" in masked, "a number that is not a card reaches the CRM as typed"
    for piece in pieces:
        if isinstance(piece, tuple):
            assert CARD_MASK + piece[0][-4:] in masked, "at most the last four digits are shown"


@given(st.text("0123456789", min_size=13, max_size=19).filter(lambda d: not luhn_valid(d)), words)
@example("12345678901234", "Order ")
def test_digit_runs_failing_luhn_are_left_alone(digits: str, before: str) -> None:
    text = f"{before}{digits} shipped"
    assert mask_pci(text) == text


@given(st.text("0123456789", max_size=12), words)
def test_short_numbers_are_left_alone(digits: str, before: str) -> None:
    text = f"{before} {digits}"
    assert mask_pci(text) == text


SECURITY_CODES = [
    "CVV 123",
    "cvc: 1234",
    "security code 123",
    "Security code is 987",
    "CVV2=555",
    "card verification code 4321",
    "code 123",
    "sec code: 123",
    "sec. code 123",
    "security code is 123",
    "code is 123",
    "CSC#123",
    "cvv:123",
    "code on the back is 123",
    "code on the back: 456",
    "security number 789",
    "verification value 321",
    "PIN 1234",
    "pin is 4321",
    "Code = 999",
    "cid 1234",
    "123 is the CVV",
    "4567 was the security code",
]


@pytest.mark.parametrize("text", SECURITY_CODES)
def test_security_codes_are_removed(text: str) -> None:
    masked = mask_pci(f"Customer read out the {text} by mistake.")
    assert masked == f"Customer read out the {CODE_REMOVED} by mistake.", text
    assert not re.search(r"\d{3}", masked)


@pytest.mark.parametrize(
    "text", ["area code 415", "zip code 9411", "error code 404", "promo code 2024", "status code 500", "3 codes"]
)
def test_codes_that_are_not_security_codes_are_kept(text: str) -> None:
    assert mask_pci(f"Noted the {text}.") == f"Noted the {text}."


def test_a_security_code_in_front_of_a_card_number_does_not_leak_the_card() -> None:
    masked = mask_pci("code 4111 1111 1111 1111")
    assert surviving_card_numbers(masked) == []
    assert "1111 1111" not in masked


def test_a_whole_note() -> None:
    note = "Card 4111-1111-1111-1111 exp 12/27, CVV 123. Order 12345678901234. Call back on 415 555 0101."
    assert mask_pci(note) == (
        f"Card {CARD_MASK}1111 exp 12/27, {CODE_REMOVED}. Order 12345678901234. Call back on 415 555 0101."
    )


def test_masking_is_idempotent_and_fast_on_huge_digit_text() -> None:
    huge = " ".join(["1"] * 20_000)
    assert not any(luhn_valid("1" * n) for n in range(13, 20))
    assert mask_pci(huge) == huge
    note = "4111 1111 1111 1111 " * 3
    assert mask_pci(mask_pci(note)) == mask_pci(note)
    spaces = "1" + " " * 100_000 + "x" + "\n" * 100_000 + "2"
    assert mask_pci(spaces) == spaces


@given(
    st.lists(
        st.one_of(
            st.sampled_from([*SECURITY_CODES, "area code 415", "ſec code 123", "PİN 1234", "CVV\u00a0123", "code"]),
            st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
            st.text("0123456789 -", max_size=8),
        ),
        max_size=6,
    )
)
def test_the_quick_look_for_a_code_s_name_never_changes_what_is_removed(pieces: list[str]) -> None:
    """SECURITY_CODE looks for a word's start and a name's first letter before its look-behinds: it removes
    what the pattern without that look removes (Unicode case folding included: "ſ" is an "s" to both)."""
    fast = security_codes.SECURITY_CODE
    behind = security_codes._NOT_OTHER_CODE
    plain = fast.pattern.replace(rf"\b{security_codes.NAME_STARTS}{behind}", rf"{behind}\b", 1)
    assert plain != fast.pattern
    text = " ".join(pieces)
    assert fast.sub(CODE_REMOVED, text) == re.compile(plain, re.IGNORECASE).sub(CODE_REMOVED, text)


def test_two_readings_of_one_run_are_masked_together_showing_only_the_last_four() -> None:
    """'FIVE 0001222334689 6' holds a card with the word (50001222334689) and one without (00012223346896):
    masking the first alone showed 4689 and left the 6 beside it (five digits of the second). Found by hypothesis."""
    assert mask_pci("FIVE 0001222334689 6 A") == f"{CARD_MASK}6896 A"
