"""One written form for a phone number wherever the desk shows one (item 10): the national format for a
number of the desk's region ("(415) 555-0117" in the US), the international one for any other ("+44 20 7183 8750");
an email address, a withheld caller or text that is not a possible number is shown as it came. What is stored,
copied and sent is never rewritten: this is only how it reads.

The region is the desk's (`[desk] phone_region`, set once at start). phonenumbers is slow to import, so it is
imported on first use, and `warm()` imports it beside the first frame, not before it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

_region = "US"


def set_region(region: str) -> None:
    """The desk's own region (ISO 3166 two letters): its numbers in the national form, and how a number written
    without a country code is read."""
    global _region
    _region = region.upper()
    shown_phone.cache_clear()


def region() -> str:
    """The desk's region, as `set_region` left it: how a number typed without its country code is read."""
    return _region


def warm() -> None:
    import phonenumbers  # noqa: F401  (loaded now, so the first number shown does not wait for it)


def possible_number(text: str, region: str) -> PhoneNumber | None:
    """`text` read as a phone number (in `region` when written without its country code); None: it cannot be one.
    What the desk shows (`shown_phone`) and what a messaging adapter sends (E.164) read a number the same way."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


@lru_cache(maxsize=4096)
def shown_phone(address: str) -> str:
    """`address` as the desk shows it: a phone number in the one form, anything else unchanged."""
    if not address or "@" in address or sum(ch.isdigit() for ch in address) < 7:
        return address
    import phonenumbers

    number = possible_number(address, _region)
    if number is None:
        return address
    national = phonenumbers.region_code_for_number(number) == _region
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
