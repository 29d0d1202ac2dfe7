"""Card numbers written as an attacker or a careless customer would (hypothesis strategies), and the check
that a text gives none away, shared by the masker's own tests and the ones through the real servers.

Separators are drawn from whole Unicode categories (every space, dash, punctuation, symbol, format and
combining character, line and paragraph separators) and lone letters of any script (`4111x1111`), digits
from every form Unicode has for them and as English words in any case ("Four one", "double one").
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from functools import cache

from hypothesis import strategies as st
from hypothesis.internal.charmap import CategoryName

from agent_desktop_pci import MOST_DIGITS_SHOWN, luhn_valid
from agent_desktop_pci.digit_runs import DIGIT_WORDS, ascii_digits

SEPARATOR_CATEGORIES: list[CategoryName] = [
    "Zs",
    "Zl",
    "Zp",
    "Pd",
    "Po",
    "Ps",
    "Pe",
    "Pi",
    "Pf",
    "Pc",
    "Sm",
    "Sc",
    "Sk",
    "So",
    "Cf",
    "Mn",
]


@cache
def digit_forms() -> dict[str, list[str]]:
    """Every character Unicode gives a digit value, by that value ("4" → ["4", "٤", "４", "⁴", "④", ...])."""
    forms: dict[str, list[str]] = {str(d): [] for d in range(10)}
    for code in range(sys.maxunicode + 1):
        value = unicodedata.digit(chr(code), None)
        if value is not None and unicodedata.category(chr(code)) != "Cs":
            forms[str(value)].append(chr(code))
    return forms


def _with_check_digit(body: str) -> str:
    return next(body + check for check in "0123456789" if luhn_valid(body + check))


card_numbers = (
    st.integers(12, 18).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n)).map(_with_check_digit)
)
separator_runs = st.lists(
    st.one_of(st.characters(categories=SEPARATOR_CATEGORIES), st.sampled_from(["\n", "\r\n", "\n\n", "\t", "    "])),
    max_size=6,
).map("".join)
# Words around a number: letters only, so that they end a run of digits as any word does.
# Words beside a number: never one the masker reads as a digit ("FIVE" before a card is a digit of it, and masked).
_READ_AS_DIGITS = re.compile(rf"(?i:{'|'.join([*DIGIT_WORDS, 'double', 'triple'])})")
words = st.text(st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=12).filter(
    lambda word: _READ_AS_DIGITS.fullmatch(word) is None
)


# A letter alone between digits or separators (`4111x1111`, `4111 · a · 1111`): never beside another letter.
lone_letters = st.tuples(separator_runs, st.characters(categories=["Lu", "Ll", "Lo"]), separator_runs).map("".join)
DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
word_cases = st.sampled_from([str.lower, str.upper, str.title])


@st.composite
def spelt(draw: st.DrawFn, digit: str) -> str:
    word = "oh" if digit == "0" and draw(st.booleans()) else DIGIT_NAMES[int(digit)]
    case: Callable[[str], str] = draw(word_cases)
    return case(word)


@st.composite
def written_card(draw: st.DrawFn, digits: str | None = None, words_too: bool = True) -> tuple[str, list[str]]:
    """A card number and how it was written: each digit in any form (or as its word, a pair or three of one
    digit perhaps as "double"/"triple" and its word), any separators or lone letters between any digits.
    Returns the ASCII digits and the written pieces (one per digit or word, its separator before it)."""
    digits = digits if digits is not None else draw(card_numbers)
    forms = digit_forms()
    spell = words_too and draw(st.booleans())
    pieces: list[str] = []
    word_before = False
    position = 0
    while position < len(digits):
        digit = digits[position]
        as_word = spell and draw(st.booleans())
        sep = "" if position == 0 else draw(st.one_of(st.just(""), st.just(" "), separator_runs, lone_letters))
        if as_word or word_before:  # a word must stand apart: a space on its side of the separator
            sep = f" {sep} " if position else ""
        if as_word:
            repeat = len(digits[position:]) - len(digits[position:].lstrip(digit))
            times = draw(st.sampled_from([n for n in (1, 2, 3) if n <= repeat]))
            name = draw(spelt(digit))
            written = name if times == 1 else f"{draw(word_cases)(['double', 'triple'][times - 2])} {name}"
        else:
            times, written = 1, draw(st.sampled_from(forms[digit]))
        pieces.append(sep + written)
        word_before, position = as_word, position + times
    return digits, pieces


@st.composite
def split_card(draw: st.DrawFn, parts: int | None = None) -> tuple[str, list[str]]:
    """A card number written over one to three messages ("my card is 4111 1111" / "1111 1111 thanks")."""
    digits, pieces = draw(written_card())
    count = parts if parts is not None else draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(1, len(pieces) - 1), min_size=count - 1, max_size=count - 1, unique=True)))
    bounds = [0, *cuts, len(pieces)]
    messages = ["".join(pieces[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    before, after = draw(words), draw(words)
    messages[0] = f"{before} {messages[0]}"
    messages[-1] = f"{messages[-1]} {after}"
    return digits, messages


def gives_away(digits: str, *texts: str) -> bool:
    """Whether the texts, read in order, show more of the card number than PCI's truncation would: eleven
    of its digits in a row (first six and last four, the most it allows, are ten). A masked number's last four
    (`•••• 1234`) end that number: digits after them are never read on from them, or an all-zero card masked three
    times over ("•••• 0000" in a form, a question and an answer) would read as eleven zeros in a row."""
    parts = re.split(r"(?<=•••• \d{4})|(?<=••••\d{4})", "\n".join(texts))
    shown = "|".join(ascii_digits(part) for part in parts)
    window = MOST_DIGITS_SHOWN + 1
    return any(digits[start : start + window] in shown for start in range(len(digits) - window + 1))
