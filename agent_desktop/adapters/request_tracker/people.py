"""Callers as RT users: their numbers read in any written form, and the names the desk gives the users it makes.

RT keeps a custom field's value as it was typed and its REST 2 search matches by SQL `=` or `LIKE`, so a number
is asked for by its last four digits (contiguous in every usual written form) and each candidate's numbers are
compared in E.164 here.
"""

from __future__ import annotations

import hashlib
import uuid

import phonenumbers

NAME_PREFIX = "desk-"


def e164(address: str, region: str) -> str | None:
    """The number in E.164, or None if `address` is not a possible phone number."""
    if len(address) > 64 or "@" in address or not any(c.isdigit() for c in address):
        return None
    try:
        number = phonenumbers.parse(address, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_email(address: str) -> bool:
    local, at, domain = address.strip().partition("@")
    return bool(at and local and "." in domain and " " not in address.strip())


def user_name(key: str | None) -> str:
    """The Name of a user the desk makes: from the write's key (a retry finds the user by it, RT's Names being
    unique), else fresh (a second caller on a shared line is a user of their own)."""
    seed = key if key is not None else uuid.uuid4().hex
    return NAME_PREFIX + hashlib.sha256(seed.encode()).hexdigest()[:24]
