"""Card numbers (PANs) inside a run of digits: 13 to 19 digits that pass the Luhn check.

A card number starts and ends on a group boundary (people do not glue a card number to another
number); within a run every start is tried, the longest valid number from it wins, and the search goes
on after it. A Luhn-valid 13–19 digit reference number is masked too, which errs on the safe side; a
run failing the check (an order or phone number) is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from agent_desktop_pci.digit_runs import Group

SHORTEST, LONGEST = 13, 19


def luhn_valid(digits: str) -> bool:
    """The Luhn check over ASCII digits (the last one is the check digit)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass(frozen=True)
class CardSpan:
    """A card number found in a run: groups `first`..`last` (inclusive) of it, and its digits."""

    first: int
    last: int
    digits: str


def card_spans(groups: Sequence[Group]) -> Iterator[CardSpan]:
    """Every card number in a run's groups, left to right, none overlapping."""
    i = 0
    while i < len(groups):
        found: CardSpan | None = None
        digits = ""
        for j in range(i, len(groups)):
            digits += groups[j].digits
            if len(digits) > LONGEST:
                break
            if len(digits) >= SHORTEST and luhn_valid(digits):
                found = CardSpan(i, j, digits)
        if found is None:
            i += 1
            continue
        yield found
        i = found.last + 1
