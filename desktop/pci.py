"""PCI DSS masking of free text typed at the desk, before it leaves it (notes, case subjects, messages).

Card numbers — 13 to 19 digits passing the Luhn check, written with any separator a
person types between the digits (spaces, tabs, dashes, dots, slashes, underscores,
backslashes, a line break or CRLF, no-break spaces, mixed) — keep their last four
digits only (PCI DSS allows at most the first six and the last four). Card security
codes and PINs written next to their name ("CVV 123", "sec code: 123", "code is 123",
"123 is the CVV") are removed. A digit run that fails the Luhn check (an order or
phone number) is left alone; a Luhn-valid 13–19 digit reference number is masked too,
which errs on the safe side.

Where the mask is applied (one place per way out): `desktop.outbox.store.Outbox.add`
for every CRM write, `desktop.backends.pci_masked` for messages to experts.
"""

from __future__ import annotations

import re

CARD_MASK = "•••• "
CODE_REMOVED = "[security code removed]"

# What may stand between two digits of one card number: a few spaces (any width), a line
# break with spaces around it, or a short run of the punctuation people group digits with.
# Every part is bounded, so a long run of spaces costs linear time, never a backtracking blow-up.
_SPACE = r"[ \t\u00a0\u2007\u2009\u202f]"
_SEPARATOR = (
    rf"(?:{_SPACE}{{0,3}}(?:\r\n|\r|\n){_SPACE}{{0,3}}"
    rf"|{_SPACE}{{0,3}}[-‐‑‒–—―./_\\]{{1,3}}{_SPACE}{{0,3}}"
    rf"|{_SPACE}{{1,3}})"
)
# A run of digits joined by separators (where a card number can hide).
_DIGIT_RUN = re.compile(rf"\d(?:{_SEPARATOR}?\d)*")
_GROUP = re.compile(r"\d+")

# The names a card security code (or PIN) goes by. A bare "code" counts too ("code 123"),
# except after the words that make it some other code (area code 415, error code 404).
_CODE_NAMES = (
    r"cvv2?|cvc2?|cvn|cid|csc|cv2|pin(?:\s+(?:code|number|no\.?))?"
    r"|card\s+verification(?:\s+(?:code|value|number))?|verification\s+(?:code|value|number)"
    r"|(?:card\s+)?sec(?:urity|\.)?\s*(?:code|number|no\.?|num(?:ber)?)"
    r"|(?:card\s+)?code"
)
_OTHER_CODES = (
    "area", "zip", "postal", "post", "promo", "promotion", "coupon", "discount", "voucher", "error", "status",
    "country", "dial", "tracking", "reason", "product", "item", "sort", "branch", "bar", "qr", "source", "dress",
)  # fmt: skip
_NOT_OTHER_CODE = "".join(rf"(?<!\b{word} )" for word in _OTHER_CODES)
_SECURITY_CODE = re.compile(
    rf"{_NOT_OTHER_CODE}\b(?:{_CODE_NAMES})\b"
    r"(?:\s+on\s+(?:the\s+)?back(?:\s+of\s+(?:the\s+)?card)?)?"
    r"(?:\s*(?:is|was|reads|[:=#\-]))?(?:\s*(?:is|was|[:=#\-]))?\s*"
    rf"\d{{3,4}}(?!\d)(?!{_SPACE}?[-./]?\d)"  # not the start of a longer number (a phone's area code)
    # ... or the other way round: "123 is the CVV"
    r"|\b\d{3,4}\s+(?:is|was)\s+(?:the\s+|their\s+|his\s+|her\s+|my\s+)?(?:card\s+)?"
    r"(?:cvv2?|cvc2?|cvn|cid|csc|cv2|pin|security\s+code|sec\.?\s*code|(?:card\s+)?verification\s+code)\b",
    re.IGNORECASE,
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)  # any Unicode decimal digit, as `\d` finds them
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask_run(run: str) -> str:
    """Mask every card number in one digit run, trying spans that start and end on digit groups."""
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(run)]
    out, done, i = [], 0, 0
    while i < len(groups):
        found, digits = None, ""
        for j in range(i, len(groups)):  # the longest card number starting at group i
            digits += run[groups[j][0] : groups[j][1]]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and luhn_valid(digits):
                found = (j, digits)
        if found is None:
            i += 1
            continue
        j, digits = found
        out += [run[done : groups[i][0]], CARD_MASK + digits[-4:]]
        done = groups[j][1]
        i = j + 1
    out.append(run[done:])
    return "".join(out)


def mask_card_numbers(text: str) -> str:
    return _DIGIT_RUN.sub(lambda m: _mask_run(m.group()), text)


def remove_security_codes(text: str) -> str:
    return _SECURITY_CODE.sub(CODE_REMOVED, text)


def mask_pci(text: str) -> str:
    """The text safe to store and send: card numbers cut to their last four, security codes removed.

    Cards first: "code 4111 1111 1111 1111" must not lose "4111" as a "code" and leave
    the other twelve digits behind."""
    return remove_security_codes(mask_card_numbers(text))
