"""A voice call's live transcript as a desk holds it: the lines heard so far, each once, in the order they were said;
an interim line replaced by its later versions and by its final one (never the other way round); card data masked;
the customer's mood from their final lines. No terminal code and no I/O.

The agent's desk keeps one per call in hand (`CallTranscripts`), the supervisor's one per call monitored. A line's
text comes masked from the domain model (agent_desktop/domain/models/transcription.py); a card number read out over two
final lines of the same speaker is masked in both here, as a conversation does for a number split over messages.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from agent_desktop.domain.models import CallCoachingEvent, Voicemail
from agent_desktop.domain.models.crm import TranscriptLine
from agent_desktop.domain.models.transcription import TranscriptionLine
from agent_desktop.domain.pci import SPLIT_REACH, mask_messages
from agent_desktop.domain.vocabulary import ParticipantRole

if TYPE_CHECKING:
    from agent_desktop.transcripts.sentiment import Mood


@dataclass
class CallTranscript:
    contact_id: str
    lines: list[TranscriptionLine] = field(default_factory=list)  # by index, each line once
    version: int = 0  # goes up with every change the transcript's view draws
    over: bool = False  # the call ended: a line still interim was cut off by its end, no longer being heard
    coaching: CallCoachingEvent | None = None  # how it is being spoken, as the contact center last measured it
    _indexes: list[int] = field(default_factory=list)
    _mood: tuple[int, Mood | None] | None = None

    def apply(self, line: TranscriptionLine) -> bool:
        """A version of a line heard; False if it changes nothing (a replay, an interim older than what is held, an
        interim after its final)."""
        position = bisect.bisect_left(self._indexes, line.index)
        if position < len(self._indexes) and self._indexes[position] == line.index:
            known = self.lines[position]
            if known.final or (not line.final and line.at < known.at) or known == line:
                return False
            self.lines[position] = line
        else:
            self._indexes.insert(position, line.index)
            self.lines.insert(position, line)
        if line.final:
            self._mask_around(position)
        self.version += 1
        return True

    def end(self) -> bool:
        """The call ended (the agent wraps it up): whether that changes what is drawn (a line left interim)."""
        if self.over:
            return False
        self.over = True
        if any(not line.final for line in self.lines):
            self.version += 1
            return True
        return False

    def _mask_around(self, position: int) -> None:
        """The final line at `position` with the same speaker's final lines before it: a number may go on from
        one line to the next."""
        role = self.lines[position].role
        chain = [
            at
            for at in range(max(0, position - 2 * SPLIT_REACH), position + 1)
            if self.lines[at].role is role and self.lines[at].final
        ][-SPLIT_REACH:]
        texts = [self.lines[at].text for at in chain]
        for at, was, now in zip(chain, texts, mask_messages(texts), strict=True):
            if now != was:
                self.lines[at] = self.lines[at].model_copy(update={"text": now})

    def for_the_crm(self) -> list[TranscriptLine]:
        """What the CRM keeps of the call at wrap-up, as it keeps a chat's messages (the outbox masks and fits them):
        each line as last heard, a line cut off by the call's end with the words heard of it."""
        return [
            TranscriptLine(role=line.role.value, name=line.display_name, text=line.text, at=line.said_at)
            for line in self.lines
            if line.text
        ]

    def customer_mood(self) -> Mood | None:
        """The customer's mood from their final lines (sentiment.py), read again only when the transcript changed
        (None: nothing final heard from them yet)."""
        if self._mood is None or self._mood[0] != self.version:
            from agent_desktop.transcripts.sentiment import mood_of  # (the lexicon loads with the first line)

            said = [line.text for line in self.lines if line.role is ParticipantRole.CUSTOMER and line.final]
            self._mood = (self.version, mood_of(said))
        return self._mood[1]


def message_transcript(contact_id: str, voicemail: Voicemail, at: datetime) -> CallTranscript:
    """A voicemail's transcript as a call's: the caller's lines, final, as the contact center recognised them (the
    call area draws it, the wrap-up writes it to the CRM)."""
    transcript = CallTranscript(contact_id, over=True)
    said_at = voicemail.left_at or at
    for index, text in enumerate(voicemail.transcript):
        transcript.apply(
            TranscriptionLine(
                id=f"{contact_id}-message-{index}",
                contact_id=contact_id,
                index=index,
                role=ParticipantRole.CUSTOMER,
                text=text,
                final=True,
                at=said_at,
            )
        )
    return transcript


class CallTranscripts(dict[str, CallTranscript]):
    """The calls' transcripts a desk holds, by contact id."""

    def apply(self, line: TranscriptionLine) -> tuple[bool, bool]:
        """A line heard on a call: (whether its transcript changed, whether the customer's mood as a list says it
        changed: its label or trend)."""
        transcript = self.get(line.contact_id)
        if transcript is None:
            transcript = self[line.contact_id] = CallTranscript(line.contact_id)
        before = _said(transcript.customer_mood()) if line.final else None
        if not transcript.apply(line):
            return False, False
        return True, line.final and _said(transcript.customer_mood()) != before


def _said(mood: Mood | None) -> tuple[str, str | None] | None:
    return (mood.label, mood.trend) if mood is not None else None
