"""Who hears a call: the voice leg hands each side's decoded audio to a `Hearing` (call_transcripts/heard_calls.py's
`HeardCalls`), whose recognised lines become the call's live transcript."""

from __future__ import annotations

from typing import Protocol

from agent_desktop_mocks.speech.language_model import LanguageModel


class Ear(Protocol):
    def feed(self, pcm: bytes) -> bool:
        """The next chunk of one side's 16-bit PCM, never waiting: False if it was dropped."""
        ...


class Hearing(Protocol):
    """Who recognises a call's speech from its audio (call_transcripts/heard_calls.py's `HeardCalls`)."""

    async def prepare(self) -> bool:
        """Ready to hear calls (its words' model built once, off the loop); False if it cannot (no recogniser)."""
        ...

    def expect(self, contact_id: str) -> None:
        """The call's audio is coming: its script is no longer read out as its transcript."""
        ...

    def listen(self, contact_id: str, speaker: str, sample_rate: int) -> Ear: ...

    def end(self, contact_id: str, wait_s: float = ...) -> None:
        """The call's audio is over: its recognisers stop (`wait_s`: how long to wait for their threads)."""
        ...


class ModelHearing(Hearing, Protocol):
    """A hearing whose words' model a recogniser of another's may use (a voicemail's: voicemail_box.py)."""

    @property
    def model(self) -> LanguageModel | None: ...
