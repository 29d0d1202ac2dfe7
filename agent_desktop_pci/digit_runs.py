"""Where a card number can hide in text: runs of digits joined by anything that is not a word.

People write card numbers every way a keyboard allows: any dash, dot, comma, colon, plus or bar,
spaces of any width and number, zero-width and other format characters, soft hyphens, the Hangul fillers
(letters that are drawn as nothing), line breaks and blank lines between the groups, single letters (`4111x1111x1111x1111`, `4111 a 1111`), digits in any
Unicode form (ASCII, full-width, Arabic-Indic, superscript, circled) and digits spelt as English words
("four one one one", "double four"). A *run* is a stretch of such digits where everything between two
digits is non-alphanumeric or a lone letter (one with no letter beside it); a word of two letters or more
that is not a digit's name ends it. A *group* is a stretch of digits with nothing between them, or one
digit's word ("double four" is the group "44").

Finding runs is one regular expression whose parts cannot overlap (a separator or a lone letter is never
a digit, and never the start of a digit's word, which has two letters or more), so it takes linear time
whatever the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TypeVar

from agent_desktop_pci.lazy_pattern import lazy_pattern

T = TypeVar("T")


# Characters with a digit value that `\d` (category Nd) does not match: superscripts and subscripts,
# Ethiopic digits, circled, parenthesised and dingbat digits... (Unicode 14, as Python 3.11 has it;
# tests/unit/pci/test_pci_conversations.py checks this table against `unicodedata`).
OTHER_DIGIT_RANGES = (
    (0xB2, 0xB3),
    (0xB9, 0xB9),
    (0x1369, 0x1371),
    (0x19DA, 0x19DA),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2460, 0x2468),
    (0x2474, 0x247C),
    (0x2488, 0x2490),
    (0x24EA, 0x24EA),
    (0x24F5, 0x24FD),
    (0x24FF, 0x24FF),
    (0x2776, 0x277E),
    (0x2780, 0x2788),
    (0x278A, 0x2792),
    (0x10A40, 0x10A43),
    (0x10E60, 0x10E68),
    (0x11052, 0x1105A),
    (0x1F100, 0x1F10A),
)
_OTHER_DIGITS = "".join(f"{chr(low)}-{chr(high)}" for low, high in OTHER_DIGIT_RANGES)

# Letters by their category that every terminal draws as nothing (the Hangul fillers): a separator, not a word,
# however many stand between two digits.
FILLERS = "\u115f\u1160\u3164\uffa0"
# `\w` holds every letter and digit (and `_`); what is neither is a separator. Python's `\w` also holds
# every character with a digit value (isalnum), so the separator class never matches a digit.
_DIGIT = rf"[\d{_OTHER_DIGITS}]"
_SEPARATOR = rf"[\W_{FILLERS}]"
# A letter (or a numeric sign that is no digit, ½ or Ⅻ) with no letter beside it: `4111x1111`, `4111 a 1111`.
_LETTER = rf"[^\W\d_{_OTHER_DIGITS}{FILLERS}]"
_LONE_LETTER = rf"(?<!{_LETTER}){_LETTER}(?!{_LETTER})"
_STRETCH = rf"(?:{_SEPARATOR}|{_LONE_LETTER})"  # what may stand between two digits of one run
# A digit spelt as an English word, whole ("someone" holds none), in any case of its ASCII letters; "double" and
# "triple" repeat it.
DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_REPEATS = {"double": 2, "triple": 3}
_NUMBER_WORD = rf"\b(?i:(?:(?:double|triple){_SEPARATOR}{{1,3}})?(?:{'|'.join(DIGIT_WORDS)}))\b"
_WORD_PARTS = lazy_pattern(rf"(?:(double|triple){_SEPARATOR}{{1,3}})?({'|'.join(DIGIT_WORDS)})", re.IGNORECASE)
# A token (a digit, or a digit's word) written so that the pattern starts with one character class: the regular
# expression engine then skips to the next character that can start one (a digit, or the first letter of a
# word) in C, as it did when a run was digits only (a word alternative tried at every position made finding
# runs in a 5,000-message transcript far slower; bench_transcript). The same matches as `{_DIGIT}|{_NUMBER_WORD}`.
_INITIALS = "".join(sorted({word[0] for word in (*DIGIT_WORDS, *_REPEATS)}))
_WORDS = "|".join(DIGIT_WORDS)
_AFTER_INITIAL = "|".join(
    [
        rf"(?<=[{i}{i.upper()}])(?i:{'|'.join(w[1:] for w in DIGIT_WORDS if w[0] == i)})"
        for i in sorted({w[0] for w in DIGIT_WORDS})
    ]
    + [rf"(?<=[{r[0]}{r[0].upper()}])(?i:{r[1:]}){_SEPARATOR}{{1,3}}(?i:{_WORDS})" for r in _REPEATS]
)
_WORD_AFTER_INITIAL = rf"(?<!\w.)(?:{_AFTER_INITIAL})\b"
_TOKEN = rf"[\d{_OTHER_DIGITS}{_INITIALS}{_INITIALS.upper()}](?:(?<={_DIGIT})|{_WORD_AFTER_INITIAL})"
_RUN = rf"{_TOKEN}(?:{_STRETCH}*{_TOKEN})*"
RUN = lazy_pattern(_RUN)
GROUP = lazy_pattern(
    rf"[\d{_OTHER_DIGITS}{_INITIALS}{_INITIALS.upper()}](?:(?<={_DIGIT}){_DIGIT}*|{_WORD_AFTER_INITIAL})"
)
ANY_DIGIT = lazy_pattern(_DIGIT)
STRETCH = _STRETCH  # (a pattern) what may stand between two digits of a run: the security codes' hint reads it too
# A text's first run starts at its start (only separators before it); its last run ends at its end.
LEADING_RUN = lazy_pattern(rf"{_STRETCH}*({_RUN})")
TRAILING_RUN = lazy_pattern(rf"({_RUN}){_STRETCH}*\Z")
NO_WORD = lazy_pattern(rf"{_STRETCH}*\Z")  # nothing but separators and lone letters (a masked part, `••••`)
_STRETCH_CHARACTER = lazy_pattern(_STRETCH)  # one character of a stretch, read in its place (its neighbours seen)
# The longest token: "double" or "triple", three separators, a digit's longest word ("three").
_LONGEST_TOKEN = max(map(len, _REPEATS)) + 3 + max(map(len, DIGIT_WORDS))


def ends_in_run(text: str) -> bool:
    """The text ends in digits (separators and lone letters after them allowed), or holds nothing but separators
    (a masked part, `••••`, through which a number can go on). Read from the end: `TRAILING_RUN` searched over a
    whole text tries every position of it, and a conversation asks this of nearly every message. The stretch at
    the end is never part of a token (a digit is no separator, a digit's word has two letters), so a run ends
    where it begins, and its last token, `_LONGEST_TOKEN` characters at most, starts close before; the patterns
    still decide, their look-behinds reading the characters before where the search starts."""
    end = len(text)
    while end and _STRETCH_CHARACTER.match(text, end - 1) is not None:
        end -= 1
    return end == 0 or TRAILING_RUN.search(text, max(0, end - _LONGEST_TOKEN)) is not None


# Letters typed for the digits they look like (`4lll llll llll llll`, `4III`, `4O00`): in a word of nothing but such
# letters and digits they are read as those digits. Only a Luhn-valid 13-19 digits is masked (cards.py), so the
# words of a sentence ("lol", "Io") become no card number. A lone letter is read as a separator already (above).
# Two characters or more ("I" alone is a word); the class first, so the engine skips to where one can start.
_LOOKALIKE_WORD = lazy_pattern(r"[0-9lIoO](?<!\w[0-9lIoO])[0-9lIoO]+(?!\w)")
_LOOKALIKES = str.maketrans("lIoO", "1100")


def read_as_digits(text: str) -> str:
    """`text` with letters that stand for digits read as those digits, each character in its place (same length);
    the text itself when it has none."""
    return _LOOKALIKE_WORD.sub(lambda word: word.group().translate(_LOOKALIKES), text)


def digit_value(char: str) -> str:
    """The ASCII digit a Unicode digit stands for ("４" → "4", "²" → "2", "③" → "3")."""
    return str(unicodedata.digit(char))


def _group_digits(group: str) -> str:
    """The ASCII digits a group stands for: its figures, or its word's ("Double Four" → "44")."""
    if not group[0].isalpha():
        return "".join(digit_value(c) for c in group)
    parts = _WORD_PARTS.fullmatch(group)
    assert parts is not None  # GROUP matched it as a digit's word, which _WORD_PARTS reads whole
    repeat, word = parts.groups()
    return _named(DIGIT_WORDS, word) * (_named(_REPEATS, repeat) if repeat else 1)


def _named(table: dict[str, T], word: str) -> T:
    """`table`'s value for `word` matched without case, as the pattern matched it (Unicode folding: "ſix")."""
    return table.get(word.lower()) or next(v for k, v in table.items() if re.fullmatch(k, word, re.IGNORECASE))


def ascii_digits(text: str) -> str:
    """Every digit of `text` as ASCII, in order (digits' words included), everything else dropped."""
    return "".join(_group_digits(m.group()) for m in GROUP.finditer(text))


@dataclass(frozen=True)
class Group:
    """Digits with nothing between them: where they are in the text, and what they are in ASCII."""

    start: int
    end: int
    digits: str


def groups_in(text: str, start: int = 0, end: int | None = None) -> list[Group]:
    """The groups of `text[start:end]`, positions in `text`."""
    return [
        Group(m.start(), m.end(), _group_digits(m.group()))
        for m in GROUP.finditer(text, start, len(text) if end is None else end)
    ]
