"""A number the agent types to call, checked before it is dialled: written in E.164 (`+15125550199`), a number
without its country code read in the desk's region (`[desk] phone_region`), or refused with why, in words the agent
can act on. Whatever was typed (escapes, letters, 10,000 digits) is only read here, never dialled or echoed back."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from agent_desktop.domain.formats.phone_format import possible_number

MOST_TYPED = 40  # characters: the longest number written with its spaces, dashes and brackets
E164 = re.compile(r"\+[1-9][0-9]{7,14}")  # what a contact center dials: + then 8 to 15 digits
_WRITTEN = frozenset(" -.()/+\u00a0")  # what people write between a number's digits


@dataclass(frozen=True)
class Dialled:
    """`number`: E.164, to dial; else `why` it is refused (one sentence)."""

    number: str | None = None
    why: str | None = None


def dialled_number(typed: str, region: str) -> Dialled:
    """`typed` as a number to call, read in `region` (ISO 3166 two letters) when it has no country code."""
    text = typed.strip()
    if not text:
        return Dialled(why="Type a number to call.")
    if len(text) > MOST_TYPED:
        return Dialled(why=f"That is {len(text):,} characters: a phone number has at most 15 digits.")
    if any(unicodedata.category(ch)[0] == "C" for ch in text):
        return Dialled(why="The number has a control character in it: type its digits only.")
    if any(not (ch.isdecimal() or ch in _WRITTEN) for ch in text):
        return Dialled(why="Only digits are dialled (with +, spaces, dashes or brackets): no letters or signs.")
    parsed = possible_number(text, region)
    if parsed is not None:
        import phonenumbers  # loaded beside the first frame already (phone_format.warm)

        number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if E164.fullmatch(number):
            return Dialled(number=number)
    if text.startswith("+"):
        return Dialled(why="No country dials a number of this length: check its digits.")
    return Dialled(
        why=f"Not a phone number in your region ({region}): check its digits, or add its country code (+44 …)."
    )
