"""Where a card number can hide in text: runs of digits joined by anything that is not a letter or a digit.

People write card numbers every way a keyboard allows: any dash, dot, comma, colon, plus or bar,
spaces of any width and number, zero-width and other format characters, soft hyphens, line breaks
and blank lines between the groups, and digits in any Unicode form (ASCII, full-width, Arabic-Indic,
superscript, circled). A *run* is a stretch of such digits where everything between two digits is
non-alphanumeric; a letter (or a number that is not a digit, such as ½ or Ⅻ) ends it. A *group* is a
stretch of digits with nothing between them.

Finding runs is one regular expression whose parts cannot overlap (a separator is never a digit), so
it takes linear time whatever the text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pci_redaction.lazy_pattern import LazyPattern


# Characters with a digit value that `\d` (category Nd) does not match: superscripts and subscripts,
# Ethiopic digits, circled, parenthesised and dingbat digits... (Unicode 14, as Python 3.11 has it;
# tests/unit/test_pci_digit_runs.py checks this table against `unicodedata`).
OTHER_DIGIT_RANGES = (
    (0xB2, 0xB3), (0xB9, 0xB9), (0x1369, 0x1371), (0x19DA, 0x19DA), (0x2070, 0x2070), (0x2074, 0x2079),
    (0x2080, 0x2089), (0x2460, 0x2468), (0x2474, 0x247C), (0x2488, 0x2490), (0x24EA, 0x24EA), (0x24F5, 0x24FD),
    (0x24FF, 0x24FF), (0x2776, 0x277E), (0x2780, 0x2788), (0x278A, 0x2792), (0x10A40, 0x10A43),
    (0x10E60, 0x10E68), (0x11052, 0x1105A), (0x1F100, 0x1F10A),
)  # fmt: skip
_OTHER_DIGITS = "".join(f"{chr(low)}-{chr(high)}" for low, high in OTHER_DIGIT_RANGES)

# `\w` holds every letter and digit (and `_`); what is neither is a separator. Python's `\w` also holds
# every character with a digit value (isalnum), so the separator class never matches a digit.
_DIGIT = rf"[\d{_OTHER_DIGITS}]"
_SEPARATOR = r"[\W_]"
RUN = LazyPattern(rf"{_DIGIT}(?:{_SEPARATOR}*{_DIGIT})*")
GROUP = LazyPattern(rf"{_DIGIT}+")
ANY_DIGIT = LazyPattern(_DIGIT)
# A text's first run starts at its start (only separators before it); its last run ends at its end.
LEADING_RUN = LazyPattern(rf"{_SEPARATOR}*({_DIGIT}(?:{_SEPARATOR}*{_DIGIT})*)")
TRAILING_RUN = LazyPattern(rf"({_DIGIT}(?:{_SEPARATOR}*{_DIGIT})*){_SEPARATOR}*\Z")


def digit_value(char: str) -> str:
    """The ASCII digit a Unicode digit stands for ("４" → "4", "²" → "2", "③" → "3")."""
    return str(unicodedata.digit(char))


def ascii_digits(text: str) -> str:
    """Every digit of `text` as ASCII, in order, everything else dropped."""
    return "".join(digit_value(m.group()) for m in ANY_DIGIT.finditer(text))


@dataclass(frozen=True)
class Group:
    """Digits with nothing between them: where they are in the text, and what they are in ASCII."""

    start: int
    end: int
    digits: str


def groups_in(text: str, start: int = 0, end: int | None = None) -> list[Group]:
    """The groups of `text[start:end]`, positions in `text`."""
    return [
        Group(m.start(), m.end(), "".join(digit_value(c) for c in m.group()))
        for m in GROUP.finditer(text, start, len(text) if end is None else end)
    ]
