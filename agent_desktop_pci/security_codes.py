"""Card security codes and PINs written next to their name: removed (PCI DSS forbids keeping them).

"CVV 123", "cvv2: 1 2 3", "c v v 123", "C.V.C. 123", "cvv123", "my cvv number is 123", "sec code: 123",
"code is 123", "the three digits on the back are 123", "123 is the CVV", "… and 123 on the back", in any
Unicode digit form. A bare "code" counts too ("code 123"), except after the words that make it some other
code (area code 415, error code 404).

A code is three or four digits, said the ways people read one out: figures ("555", "5 5 5"), digits' words
("five five five", "double five five", "triple five", "oh"), pairs ("five fifty-five", "twelve thirty-four") and
hundreds ("five hundred and fifty-five"), mixed ("5 five 5"). It is whole groups of figures, so what follows it is
not part of it: "cvv 555 12/28", "cvv 555 1228", "code 555 12" lose the code and keep the rest; "cvv 12345" (a
group of five) is no code.

A code's name may end one message and its digits start the next one of the same party ("my cvv is" / "555"):
`remove_security_codes_across` reads the two together.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from agent_desktop_pci.digit_runs import OTHER_DIGIT_RANGES, STRETCH
from agent_desktop_pci.lazy_pattern import lazy_pattern

CODE_REMOVED = "[security code removed]"

_DIGIT = "[\\d" + "".join(f"{chr(low)}-{chr(high)}" for low, high in OTHER_DIGIT_RANGES) + "]"

# The words of a code said aloud. Each token below stands for a known number of digits, so that a code is three or
# four digits whichever way it was said: a token of words is whole (`\b` on both sides), one of figures is a whole
# group (never followed by another figure).
_UNITS = "zero|oh|one|two|three|four|five|six|seven|eight|nine"
_NONZERO = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_GAP = r"[^\w\n]{1,3}"  # between the words of one number: a space, a hyphen, ", ", " - "
_PAIR = rf"(?:{_TEENS}|(?:{_TENS})(?:{_GAP}(?:{_NONZERO}))?)"  # "twelve", "fifty-five": two digits
_ONE_WORD = rf"\b(?:{_UNITS})\b"
_TWO_WORDS = rf"\b(?:double{_GAP}(?:{_UNITS})|{_PAIR})\b"
_THREE_WORDS = (
    rf"\b(?:triple{_GAP}(?:{_UNITS})|(?:{_NONZERO}){_GAP}hundred(?:(?:{_GAP}and)?{_GAP}(?:{_PAIR}|{_NONZERO}))?)\b"
)

# A number's word, whole, written to start with one character class (the first letter of such a word; the rest is
# read only where one stands), as digit_runs' patterns are: the engine skips in C to where one can start rather than
# try every word at every position of a long transcript.
_WORDS = (*_UNITS.split("|"), *_TEENS.split("|"), *_TENS.split("|"), "double", "triple")
_INITIALS = "".join(sorted({word[0] for word in _WORDS}))
_NUMBER_WORD = (
    rf"[{_INITIALS}{_INITIALS.upper()}](?<!\w.)(?:"
    + "|".join(rf"(?<=[{i}{i.upper()}])(?i:{'|'.join(w[1:] for w in _WORDS if w[0] == i)})" for i in _INITIALS)
    + r")\b"
)


def _figures(count: int) -> str:
    return rf"{_DIGIT}{{{count}}}(?!{_DIGIT})"


_T1 = rf"(?:{_figures(1)}|{_ONE_WORD})"
_T2 = rf"(?:{_figures(2)}|{_TWO_WORDS})"
_T3 = rf"(?:{_figures(3)}|{_THREE_WORDS})"
_T4 = _figures(4)
_S = r"[^\w\n]{0,3}"  # between two tokens of one code ("5 5 5", "1-2-3", "five, five, five")
# Three or four digits, as tokens; four where there are four ("1 2 3 4" is one code). Whatever follows is not the
# code's. Written as a tree (a token, then what may follow it) rather than as the twelve sums of three and four: the
# pattern is compiled on the first text that holds digits, and twelve copies of every word took ten times longer.
_CODE_DIGITS = (
    rf"(?:{_T4}"
    rf"|{_T3}(?:{_S}{_T1})?"
    rf"|{_T2}{_S}(?:{_T2}|{_T1}(?:{_S}{_T1})?)"
    rf"|{_T1}{_S}(?:{_T3}|{_T2}(?:{_S}{_T1})?|{_T1}{_S}(?:{_T2}|{_T1}(?:{_S}{_T1})?)))"
)
_OF_THE_CARD = r"\s+of\s+(?:the\s+|my\s+|your\s+|his\s+|her\s+)?card"
_BACK_OF_CARD = rf"(?:on\s+(?:the\s+)?back(?:{_OF_THE_CARD})?|at\s+the\s+back(?:{_OF_THE_CARD})?)"


def _spaced(name: str) -> str:
    """An abbreviation, its letters perhaps spaced or dotted apart ("c v v", "C.V.V.", "c-v-v"); a "2" after them
    only as one with them ("cvv2", "C.V.V.2"): "cvv 2 0 0" is the code 200, not a cvv2 of 00 and what follows."""
    letters = name.removesuffix("2")
    return r"[^\w\n]{0,2}".join(letters) + r"\.?" + ("2" if letters != name else "")


# The abbreviations (each perhaps spaced), perhaps followed by what they are ("cvv number", "CVC code").
_ABBREVIATIONS = (
    "(?:" + "|".join(_spaced(name) for name in ("cvv2", "cvv", "cvc2", "cvc", "cvn", "csc", "cv2", "cid")) + ")"
    r"(?:\s+(?:code|number|no\.?|value))?"
)
_CODE_NAMES = (
    rf"{_ABBREVIATIONS}|pin(?:\s+(?:code|number|no\.?))?"
    r"|card\s+verification(?:\s+(?:code|value|number))?|verification\s+(?:code|value|number)"
    r"|(?:card\s+)?sec(?:urity|\.)?\s*(?:code|number|no\.?|num(?:ber)?)"
    r"|(?:card\s+)?code"
    rf"|(?:the\s+)?(?:(?:three|four|3|4)[\s-]+)?(?:digits?|numbers?)\s+{_BACK_OF_CARD}"
)
_OTHER_CODES = (
    "area",
    "zip",
    "postal",
    "post",
    "promo",
    "promotion",
    "coupon",
    "discount",
    "voucher",
    "error",
    "status",
    "country",
    "dial",
    "tracking",
    "reason",
    "product",
    "item",
    "sort",
    "branch",
    "bar",
    "qr",
    "source",
    "dress",
)
_NOT_OTHER_CODE = "".join(rf"(?<!\b{word} )" for word in _OTHER_CODES)
_VERB = r"(?:is|was|are|were|reads|[:=#\-])"
# A word's start, then the first letter of every name above (either case, and what folds to it: "ſ" is an
# "s"), looked at before the 23 look-behinds, which the pattern would otherwise try at every position of every
# message: a long chat's write-back crawled (bench_transcript). The same matches.
NAME_STARTS = "(?=[cpvstfdn34])"
_NO_LETTER_NEXT = r"(?![^\W\d_])"  # the name ends here: a digit may follow at once ("cvv123")
_NAMED = (
    rf"\b{NAME_STARTS}{_NOT_OTHER_CODE}(?:{_CODE_NAMES}){_NO_LETTER_NEXT}"
    rf"(?:\s+{_BACK_OF_CARD})?"
    rf"(?:\s*{_VERB})?(?:\s*{_VERB})?"
)
# What names a code said before it: "… is the CVV", "… on the back" (after a space, or a line break).
_NAMED_AFTER = (
    r"(?:is|was|are|were)\s+(?:the\s+|their\s+|his\s+|her\s+|my\s+)?(?:card\s+)?"
    r"(?:cvv2?|cvc2?|cvn|cid|csc|cv2|pin|security\s+code|sec\.?\s*code|(?:card\s+)?verification\s+code)\b"
)
_WHERE_AFTER = rf"(?:is\s+|are\s+)?{_BACK_OF_CARD}\b"
# Figures or the first letter of a number's word: where a code said before its name can start.
_CODE_STARTS = rf"(?={_DIGIT}|{_NUMBER_WORD})"
# A code's name then its digits ("cvv is 123"), or its digits then its name ("123 is the CVV") or where it is ("and 123
# on the back", "4567 at the back of the card"): one copy of the digits' pattern, the name before them in group 1
# (the condition `(?(1)...)` asks for a name after them when there was none before). The digits are group 2: the
# part removed from a message when the name is in another.
SECURITY_CODE = lazy_pattern(
    rf"(?:({_NAMED})\s*|(?<!\w){_CODE_STARTS})({_CODE_DIGITS})(?(1)|\s+(?:{_NAMED_AFTER}|{_WHERE_AFTER}))",
    re.IGNORECASE,
)
# What every code's match holds, whichever way it is named (an abbreviation's first two letters, perhaps spaced: "cv",
# "c s", "c.i"; "pin", "verification", "sec", "code", "back"), under the same case folding: a text without it holds no
# code, and it is found five times faster than the codes are looked for (most messages name no code).
_NAME_HINT = lazy_pattern(r"(?=[cpvsb])(?:c[^\w\n]{0,2}[vsi]|pin|verification|sec|code|back)", re.IGNORECASE)
# A message that ends in a code's name, its digits still to come ("my cvv is", "security code:").
_NAME_AT_END = lazy_pattern(rf"{_NAMED}[^\w]*\Z", re.IGNORECASE)
_NAME_REACH = 120  # characters from a message's end that can hold a code's name and its verb
# A message that starts with what names the code before it ("is the cvv", "on the back").
_NAME_AT_START = lazy_pattern(rf"\s*(?:{_NAMED_AFTER}|{_WHERE_AFTER})", re.IGNORECASE)

# Two number tokens in a row, one of them a word at least, with what may stand between the digits of a run between
# them: a text with fewer than three figures may still say a code ("double five five", "five hundred", "twelve
# thirty-four"), and a card number spelt out has such a pair. A figure before the word is looked for only in a text
# that has one.
_WORD_THEN_NUMBER = lazy_pattern(rf"{_NUMBER_WORD}{STRETCH}*(?:\b(?i:{'|'.join(_WORDS)}|hundred)\b|{_DIGIT})")
_FIGURE_THEN_WORD = lazy_pattern(rf"{_DIGIT}{STRETCH}*\b(?i:{'|'.join(_WORDS)})\b")


def could_say_a_code(text: str) -> bool:
    """Whether a text with fewer than three figures may still hold a code or a card number said in words."""
    if _WORD_THEN_NUMBER.search(text) is not None:
        return True
    has_figure = not text.isascii() or any(figure in text for figure in "0123456789")  # ten scans in C: the quickest
    return has_figure and _FIGURE_THEN_WORD.search(text) is not None


def splice(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """`text` with each `(start, end, replacement)` put in place of its span (in any order, none overlapping): how the
    masker writes its masks in, a code's here and a card number's in masking.py."""
    out, done = [], 0
    for start, end, replacement in sorted(replacements):
        out += [text[done:start], replacement]
        done = end
    out.append(text[done:])
    return "".join(out)


def remove_security_codes(text: str) -> str:
    if _NAME_HINT.search(text) is None:
        return text
    return SECURITY_CODE.sub(CODE_REMOVED, text)


def ends_in_code_name(text: str) -> bool:
    """The text ends in a code's name (and its verb), so the party's next message may start with the code's digits:
    "my cvv is", "Security code:". Only its last characters are read, and only when its last word is one a name or
    its verb ends with (most messages end in another: a conversation asks this of every message)."""
    if _last_word(text).casefold() not in _NAME_ENDINGS:
        return False
    return _NAME_AT_END.search(text, max(0, len(text) - _NAME_REACH)) is not None


def _last_word(text: str) -> str:
    """The letters and digits a text ends in, what follows them aside: read from the end, a few characters (a
    pattern searched over the text's end tried every position of it, for every message of a conversation). Only a
    first look: `_NAME_AT_END` decides."""
    end = len(text)
    while end and not _word_character(text[end - 1]):
        end -= 1
    start = end
    while start and _word_character(text[start - 1]):
        start -= 1
    return text[start:end]


def _word_character(char: str) -> bool:
    return char.isalnum() or char == "_"


# The last word of every name and verb above ("c v v" ends in "v", "… on the back of the card" in "card").
_NAME_ENDINGS = frozenset(
    "cvv cvv2 cvc cvc2 cvn csc cv2 cid v c n d 2 code number no value num pin verification back card "
    "is was are were reads".split()
)


def starts_with_code_name(text: str) -> bool:
    """The text starts with what names a code said just before it, at the end of the party's previous message: "is
    my cvv", "on the back"."""
    return _NAME_AT_START.match(text) is not None


def remove_security_codes_across(texts: Sequence[str], looked_at: Sequence[bool] | None = None) -> list[str]:
    """One party's consecutive messages (oldest first) with their security codes removed, a code whose name ends
    one message and whose digits start the next included ("my cvv is" / "555": the second becomes `CODE_REMOVED`,
    the first keeps its words). `looked_at` says which messages may hold a code's digits (all when not given); a
    message is read with the one before it when that one ends in a code's name, and with the one after it when that
    one starts with a code's name."""
    texts = list(texts)
    looked = [True] * len(texts) if looked_at is None else list(looked_at)
    windows: list[list[int]] = []  # [first, last] messages read together, none shared by two
    for i, maybe in enumerate(looked):
        if not maybe:
            continue
        first = i - 1 if i > 0 and ends_in_code_name(texts[i - 1]) else i
        last = i + 1 if i + 1 < len(texts) and starts_with_code_name(texts[i + 1]) else i
        if windows and first <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], last)
        else:
            windows.append([first, last])
    out = list(texts)
    for first, last in windows:
        out[first : last + 1] = _removed_in([texts[i] for i in range(first, last + 1)])
    return out


def _removed_in(texts: list[str]) -> list[str]:
    """`texts` read as one (joined by line breaks): each code removed from the message that holds its digits, with
    its name if that is in the same message."""
    if len(texts) == 1:
        return [remove_security_codes(texts[0])]
    joined = "\n".join(texts)
    if _NAME_HINT.search(joined) is None:
        return texts
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    cuts: list[list[tuple[int, int]]] = [[] for _ in texts]
    for match in SECURITY_CODE.finditer(joined):
        code = match.start(2)
        at = bisect.bisect_right(starts, code) - 1
        end = starts[at] + len(texts[at])
        cuts[at].append((max(match.start(), starts[at]) - starts[at], min(match.end(), end) - starts[at]))
    return [
        splice(text, [(start, end, CODE_REMOVED) for start, end in spans])
        for text, spans in zip(texts, cuts, strict=True)
    ]
