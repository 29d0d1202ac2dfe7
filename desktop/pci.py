"""PCI DSS masking of free text (agents' notes) before it leaves the desktop.

Card numbers — 13 to 19 digits passing the Luhn check, written with or without
spaces or dashes — keep their last four digits only; card security codes written
next to their name ("CVV 123", "cvc: 1234", "security code is 123") are removed.
A digit run that fails the Luhn check (an order or phone number) is left alone; a
Luhn-valid 13–19 digit reference number is masked too, which errs on the safe side.
"""

from __future__ import annotations

import re

CARD_MASK = "•••• "
CODE_REMOVED = "[security code removed]"

# A run of digits separated by single spaces or dashes (where a card number can hide).
_DIGIT_RUN = re.compile(r"\d(?:[ \-]?\d)*")
_GROUP = re.compile(r"\d+")
_SECURITY_CODE = re.compile(
    r"\b(?:cvv2?|cvc2?|cid|csc|cv2|(?:card\s+)?security\s+code|card\s+verification(?:\s+(?:code|value))?"
    r"|verification\s+code)"
    r"(?:\s*(?:number|no\.?|#))?\s*(?:is|was|[:=#-])?\s*\d{3,4}(?!\d)",
    re.IGNORECASE,
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
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
    """The text safe to store and send: security codes removed, card numbers cut to their last four."""
    return mask_card_numbers(remove_security_codes(text))
