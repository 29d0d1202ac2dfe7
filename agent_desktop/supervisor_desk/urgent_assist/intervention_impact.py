"""Intervention impact: after a supervisor's whisper or barge on a contact, whether it helped, from the customer's mood
before against after, over the same number of the customer's lines (at most `IMPACT_LINES` each side: the last ones
before the whisper or barge, the first ones after). "helped" when the mean rose by `STEADY` or more, "made it worse"
when it fell as far, else "no change"; the sign always the trend's. Settled once `IMPACT_LINES` lines came after (then
kept in the CRM's supervision record); before that it says how far it has got. Textual-free, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.vocabulary import ParticipantRole

IMPACT_LINES = 3  # the customer's lines compared on each side of the intervention
STEADY = 0.1  # a change of the mean mood smaller than this is no change

Verdict = Literal["helped", "made it worse", "no change", "too early"]


@dataclass(frozen=True)
class Impact:
    kind: Literal["whisper", "barge"]
    before: tuple[float, ...]  # the customer's moods before it, oldest first
    after: tuple[float, ...]  # and after it

    @property
    def compared(self) -> int:
        """Lines compared on each side: as many after as before, at most `IMPACT_LINES`."""
        return min(len(self.before), len(self.after), IMPACT_LINES)

    @property
    def change(self) -> float:
        """Mean mood after less mean mood before, over `compared` lines each side (0 before any)."""
        n = self.compared
        if n == 0:
            return 0.0
        return sum(self.after[:n]) / n - sum(self.before[-n:]) / n

    @property
    def settled(self) -> bool:
        return self.compared == min(len(self.before), IMPACT_LINES) and self.compared > 0

    @property
    def verdict(self) -> Verdict:
        if self.compared == 0:
            return "too early"
        if self.change >= STEADY:
            return "helped"
        if self.change <= -STEADY:
            return "made it worse"
        return "no change"

    def words(self) -> str:
        head = f"Impact of the {self.kind}: "
        if not self.before:
            return head + "no customer line before it to compare with."
        if self.compared == 0:
            return head + "waiting for the customer's next line."
        n = self.compared
        was, now = sum(self.before[-n:]) / n, sum(self.after[:n]) / n
        lines = f"{n} customer line{'s' if n != 1 else ''} each side"
        so_far = "" if self.settled else " so far"
        return f"{head}{self.verdict}{so_far} (mood {was:+.2f} → {now:+.2f}, {lines})"


def customer_lines(items: Sequence[TranscriptItem]) -> list[TranscriptItem]:
    return [i for i in items if i.role is ParticipantRole.CUSTOMER and i.kind == "message" and i.text.strip()]


def impact_of(kind: Literal["whisper", "barge"], items: Sequence[TranscriptItem], since: datetime) -> Impact:
    """The impact of a whisper or barge started at `since` on a conversation's `items`."""
    from agent_desktop.transcripts.sentiment import score  # (the lexicon loads with the first use)

    said = customer_lines(items)
    before = tuple(score(i.text) for i in said if i.created_at <= since)[-IMPACT_LINES:]
    after = tuple(score(i.text) for i in said if i.created_at > since)[:IMPACT_LINES]
    return Impact(kind, before, after)
