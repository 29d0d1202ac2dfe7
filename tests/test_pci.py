"""Card numbers and security codes never leave the desktop in notes (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from desktop.pci import CARD_MASK, CODE_REMOVED, luhn_valid, mask_pci


def _with_check_digit(body: str) -> str:
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("one check digit always completes a Luhn number")


card_numbers = st.integers(12, 18).flatmap(
    lambda length: st.text("0123456789", min_size=length, max_size=length)
).map(_with_check_digit)
separators = st.sampled_from(["", "", " ", "-"])
words = st.text(st.characters(exclude_categories=["Nd"], exclude_characters="-"), max_size=30)


@st.composite
def written_cards(draw) -> tuple[str, str]:
    """A card number and the way an agent typed it: any separator between any digits."""
    digits = draw(card_numbers)
    seps = draw(st.lists(separators, min_size=len(digits) - 1, max_size=len(digits) - 1))
    return digits, digits[0] + "".join(sep + digit for sep, digit in zip(seps, digits[1:], strict=True))


@given(written_cards(), words, words)
@example(("4111111111111111", "4111 1111 1111 1111"), "Paid with ", " today")
@example(("378282246310005", "3782-822463-10005"), "amex ", "")
def test_every_luhn_valid_card_number_is_masked_to_its_last_four(card, before, after):
    digits, written = card
    before = before.rstrip(" ") + (" " if before else "")
    after = (" " if after else "") + after.lstrip(" ")
    assert mask_pci(before + written + after) == before + CARD_MASK + digits[-4:] + after


@given(st.text("0123456789", min_size=13, max_size=19).filter(lambda d: not luhn_valid(d)), words)
@example("12345678901234", "Order ")
def test_digit_runs_failing_luhn_are_left_alone(digits, before):
    text = f"{before}{digits} shipped"
    assert mask_pci(text) == text


@given(st.text("0123456789", max_size=12), words)
def test_short_numbers_are_left_alone(digits, before):
    text = f"{before} {digits}"
    assert mask_pci(text) == text


def test_security_codes_are_removed():
    for text in ["CVV 123", "cvc: 1234", "security code 123", "Security code is 987", "CVV2=555", "card verification code 4321"]:
        masked = mask_pci(f"Customer read out the {text} by mistake.")
        assert masked == f"Customer read out the {CODE_REMOVED} by mistake.", text
        assert not re.search(r"\d{3}", masked)


def test_a_whole_note():
    note = "Card 4111-1111-1111-1111 exp 12/27, CVV 123. Order 12345678901234. Call back on 415 555 0101."
    assert mask_pci(note) == (
        f"Card {CARD_MASK}1111 exp 12/27, {CODE_REMOVED}. Order 12345678901234. Call back on 415 555 0101."
    )


def test_masking_is_idempotent_and_fast_on_huge_digit_text():
    huge = " ".join(["1"] * 20_000)
    assert not any(luhn_valid("1" * n) for n in range(13, 20))
    assert mask_pci(huge) == huge
    note = "4111 1111 1111 1111 " * 3
    assert mask_pci(mask_pci(note)) == mask_pci(note)
