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


def _longest_from(groups: Sequence[Group], first: int) -> CardSpan | None:
    """The longest card number that starts at group `first`, if one does."""
    found: CardSpan | None = None
    digits = ""
    for j in range(first, len(groups)):
        digits += groups[j].digits
        if len(digits) > LONGEST:
            break
        if len(digits) >= SHORTEST and luhn_valid(digits):
            found = CardSpan(first, j, digits)
    return found


def card_spans(groups: Sequence[Group]) -> Iterator[CardSpan]:
    """Every card number in a run's groups, left to right, none overlapping. Where a number that starts inside
    one ends after it (two readings of one run: "FIVE 0001222334689 6" is a card with or without the word), the
    span covers both, so no digit of either is shown but the last four of the whole."""
    i = 0
    while i < len(groups):
        found = _longest_from(groups, i)
        if found is None:
            i += 1
            continue
        last, k = found.last, i + 1
        while k <= last:
            later = _longest_from(groups, k)
            if later is not None and later.last > last:
                last = later.last
            k += 1
        if last != found.last:
            found = CardSpan(i, last, "".join(group.digits for group in groups[i : last + 1]))
        yield found
        i = found.last + 1
