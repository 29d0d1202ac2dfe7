"""Email addresses and phone numbers masked out of a text, for a contact center that keeps them from the model too
(`[assist] mask_contact_details`). Card data is the masker's (`agent_desktop.domain.pci`), always; this is apart."""

from __future__ import annotations

import re

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A `+` or a digit, then at least six more digits with the separators people write between them: (312) 555-0100,
# +44 20 7946 0958, 312.555.0100. A masked card's shown digits (`••••1111`) are four: not a phone.
_PHONE = re.compile(r"(?<![\w•])(?:\+|\(?\d)(?:[\s().\-]{0,2}\d){6,14}(?![\w•])")


def mask_contact_details(text: str) -> str:
    return _PHONE.sub(PHONE_MASK, _EMAIL.sub(EMAIL_MASK, text))
