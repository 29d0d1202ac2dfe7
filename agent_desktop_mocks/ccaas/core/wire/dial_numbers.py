"""A number the contact center dials (a callback's): E.164, `+` then 8 to 15 digits that can be a phone number,
nothing else. A number is offered to an agent's desk and dialled: escape sequences, shell words or 200,000 digits
are refused where they arrive, with the rule in the refusal."""

from __future__ import annotations

import re

import phonenumbers

_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
MOST_CHARACTERS = 16  # `+` and 15 digits (ITU-T E.164)


def dial_number_problem(number: str) -> str | None:
    """Why `number` cannot be dialled (None: it can)."""
    rule = "a number to dial is E.164: + then 8 to 15 digits, e.g. +14155550101"
    if len(number) > MOST_CHARACTERS:
        return f"{rule} (this one has {len(number):,} characters)"
    if not _E164.fullmatch(number):
        return f"{rule} (no spaces, letters or other signs)"
    try:
        possible = phonenumbers.is_possible_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        possible = False
    if not possible:
        return f"{rule}: no country dials a number of this length"
    return None


def dial_number(number: str) -> str:
    """The number as given, or ValueError with the rule (a request field's validator: 422 naming the field)."""
    problem = dial_number_problem(number)
    if problem is not None:
        raise ValueError(problem)
    return number
