"""Urgent assist: the rules that make a contact urgent for its supervisors, read over the customer's last lines (their
words and their moods, oldest first). Three, in this order (the first that matches is the reason):

- the customer **asks for a supervisor** (a manager, someone senior, "escalate this");
- a **threat or a cancellation**: legal action, the regulator or the press, closing or cancelling the account,
  moving to a competitor;
- the **mood falling**: over the last `URGENT_LINES` lines, the mean at or below `URGENT_BELOW` and the last line
  lower than the first by at least `URGENT_FALL`. A mood that rises (or stays) never makes a contact urgent alone.

No model decides it: the customer's words are data for these rules, so a line telling "the assistant" to do
anything is only words here (docs/assist.md, "Urgent assist").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

URGENT_LINES = 4  # the customer's lines whose moods make the trend: the last and the three before it
URGENT_BELOW = -0.4  # the mean of those moods at or below this (VADER's compound, -1 to 1)
URGENT_FALL = 0.3  # and the last this much under the first of them

ASKS_FOR_SUPERVISOR = (
    "supervisor",
    "manager",
    "someone senior",
    "somebody senior",
    "person in charge",
    "escalate",
)
THREATS = (
    "sue",
    "suing",
    "court",
    "legal action",
    "regulator",
    "the press",
    "report you",
    "close my account",
    "closing my account",
    "cancel my account",
    "cancel my contract",
    "cancelling my account",
    "switch provider",
    "switching provider",
    "going to a competitor",
)


def _found(phrases: Sequence[str], text: str) -> list[str]:
    folded = text.casefold()
    return [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", folded)]


def mood_falling(moods: Sequence[float]) -> bool:
    """Whether the last `URGENT_LINES` moods (oldest first) fall low: fewer lines make no trend."""
    window = list(moods)[-URGENT_LINES:]
    if len(window) < URGENT_LINES:
        return False
    return sum(window) / len(window) <= URGENT_BELOW and window[0] - window[-1] >= URGENT_FALL


def urgent_reason(text: str, moods: Sequence[float]) -> str | None:
    """Why the line `text` (its mood the last of `moods`, oldest first) makes the contact urgent, in words; None: it
    does not."""
    if asked := _found(ASKS_FOR_SUPERVISOR, text):
        return f"asked for a supervisor (“{asked[0]}”)"
    if threats := _found(THREATS, text):
        return "threat or cancellation: " + ", ".join(f"“{t}”" for t in threats)
    if mood_falling(moods):
        window = list(moods)[-URGENT_LINES:]
        return f"mood falling {window[0]:+.2f} → {window[-1]:+.2f} over {len(window)} lines"
    return None
