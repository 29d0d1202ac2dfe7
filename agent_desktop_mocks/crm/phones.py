"""Reading phone numbers and email addresses the way callers and forms write them."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "US"


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """The number in E.164 (`+14155550101`), or None if `raw` is not a possible phone number.

    `region` (ISO 3166 alpha-2) is how a number written without a country code is read.
    """
    if len(raw) > 64:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_region(code: str) -> bool:
    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def looks_like_email(raw: str) -> bool:
    local, at, domain = raw.strip().partition("@")
    return bool(at and local and "." in domain and " " not in raw.strip())
