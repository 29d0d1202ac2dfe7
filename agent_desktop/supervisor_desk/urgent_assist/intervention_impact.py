"""Intervention impact: after a supervisor's whisper or barge on a contact, whether it helped, from the customer's mood
before against after, over the same number of the customer's lines (at most `IMPACT_LINES` each side: the last ones
before the whisper or barge, the first ones after). "helped" when the mean rose by `STEADY` or more, "made it worse"
when it fell as far, else "no change"; the sign always the trend's. Settled once `IMPACT_LINES` lines came after (then
kept in the CRM's supervision record); before that it says how far it has got. Textual-free, no I/O.

The same rule on every channel, over the customer's lines as `Said`: a chat's, SMS's or email's messages (`written`),
a call's final lines as the contact center recognised them (`spoken`: a line still being heard is not yet what the
caller said, and counts only once final; a line is before the intervention when it was begun before it). A supervisor
who joins a call hears only what is said from then on, so the lines that made it urgent come from its alert
(`spoken_since_alert`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.models.transcription import TranscriptionLine
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


@dataclass(frozen=True)
class Said:
    """A line of the customer's: when it was said (a message sent, a call's line begun) and its words, masked."""

    at: datetime
    text: str


def written(items: Sequence[TranscriptItem]) -> list[Said]:
    """A chat's, SMS's or email's customer messages."""
    return [
        Said(i.created_at, i.text)
        for i in items
        if i.role is ParticipantRole.CUSTOMER and i.kind == "message" and i.text.strip()
    ]


def spoken(lines: Sequence[TranscriptionLine]) -> list[Said]:
    """A call's lines the caller said: final ones only (an interim line is words still being heard)."""
    return [
        Said(line.said_at, line.text)
        for line in lines
        if line.role is ParticipantRole.CUSTOMER and line.final and line.text.strip()
    ]


def spoken_since_alert(lines: Sequence[TranscriptionLine], recent: Sequence[str], alerted_at: datetime) -> list[Said]:
    """A call's caller's lines as the supervisor's desk can know them: the final ones its card heard (`spoken`), and
    first, when the card began after the line that made the call urgent (the supervisor joined later: a call's earlier
    lines are not sent to whoever joins), that alert's `recent` lines (oldest first, masked), as said when it came."""
    said = spoken(lines)
    heard_it = any(line.role is ParticipantRole.CUSTOMER and line.final and line.at <= alerted_at for line in lines)
    if heard_it:
        return said
    return [Said(alerted_at, text) for text in recent if text.strip()] + said


def impact_of(kind: Literal["whisper", "barge"], said: Sequence[Said], since: datetime) -> Impact:
    """The impact of a whisper or barge started at `since`, from the customer's lines `said` (oldest first)."""
    from agent_desktop.transcripts.sentiment import score  # (the lexicon loads with the first use)

    before = [line.text for line in said if line.at <= since][-IMPACT_LINES:]
    after = [line.text for line in said if line.at > since][:IMPACT_LINES]
    return Impact(kind, tuple(score(text) for text in before), tuple(score(text) for text in after))
