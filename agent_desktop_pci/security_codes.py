"""Card security codes and PINs written next to their name: removed (PCI DSS forbids keeping them).

"CVV 123", "cvv2: 1 2 3", "c v v 123", "C.V.C. 123", "cvv123", "my cvv number is 123", "sec code: 123",
"code is 123", "the three digits on the back are 123", "123 is the CVV", "… and 123 on the back", in any
Unicode digit form. A bare "code" counts too ("code 123"), except after the words that make it some other
code (area code 415, error code 404).
"""

from __future__ import annotations

import re

from agent_desktop_pci.digit_runs import OTHER_DIGIT_RANGES
from agent_desktop_pci.lazy_pattern import lazy_pattern

CODE_REMOVED = "[security code removed]"

_DIGIT = "[\\d" + "".join(f"{chr(low)}-{chr(high)}" for low, high in OTHER_DIGIT_RANGES) + "]"
# Three or four digits, perhaps spaced out ("1 2 3", "1-2-3"), and not the start of a longer number.
_CODE_DIGITS = rf"{_DIGIT}(?:[^\w\n]{{0,2}}{_DIGIT}){{2,3}}(?![^\w\n]{{0,2}}{_DIGIT})"
_OF_THE_CARD = r"\s+of\s+(?:the\s+|my\s+|your\s+|his\s+|her\s+)?card"
_BACK_OF_CARD = rf"(?:on\s+(?:the\s+)?back(?:{_OF_THE_CARD})?|at\s+the\s+back(?:{_OF_THE_CARD})?)"


def _spaced(name: str) -> str:
    """An abbreviation, its letters perhaps spaced or dotted apart ("c v v", "C.V.V.", "c-v-v")."""
    return r"[^\w\n]{0,2}".join(name) + r"\.?"


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
SECURITY_CODE = lazy_pattern(
    rf"\b{NAME_STARTS}{_NOT_OTHER_CODE}(?:{_CODE_NAMES}){_NO_LETTER_NEXT}"
    rf"(?:\s+{_BACK_OF_CARD})?"
    rf"(?:\s*{_VERB})?(?:\s*{_VERB})?\s*"
    rf"{_CODE_DIGITS}"
    # ... or the other way round: "123 is the CVV"
    rf"|(?<!\w){_CODE_DIGITS}\s+(?:is|was|are|were)\s+(?:the\s+|their\s+|his\s+|her\s+|my\s+)?(?:card\s+)?"
    r"(?:cvv2?|cvc2?|cvn|cid|csc|cv2|pin|security\s+code|sec\.?\s*code|(?:card\s+)?verification\s+code)\b"
    # ... or said where it is: "and 123 on the back", "4567 at the back of the card"
    rf"|(?<!\w){_CODE_DIGITS}\s+(?:is\s+|are\s+)?{_BACK_OF_CARD}\b",
    re.IGNORECASE,
)


def remove_security_codes(text: str) -> str:
    return SECURITY_CODE.sub(CODE_REMOVED, text)
