"""Whether a contact's address identifies the caller at all: a withheld caller ID is normal in a
contact center (`anonymous`, `withheld`, `private`, `unknown`, an empty address, SIP's
`anonymous@anonymous.invalid` from RFC 3323), and must not be looked up or made into a customer."""

from __future__ import annotations

WITHHELD = frozenset(
    {"", "anonymous", "withheld", "private", "unknown", "restricted", "unavailable", "not available", "blocked"}
)


def is_withheld(address: str | None) -> bool:
    """True when `address` says who the caller is not (only that they hid it)."""
    if address is None:
        return True
    value = address.strip().lower()
    for scheme in ("sip:", "sips:", "tel:"):
        value = value.removeprefix(scheme)
    user, at, domain = value.partition("@")
    if at and domain == "anonymous.invalid":
        return True
    return value in WITHHELD or (not at and user.strip("<> \"'") in WITHHELD)
