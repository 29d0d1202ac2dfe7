"""A contact center that records calls and lets the agent pause a call's recording while card data is read out
(capability `recording_pause`; docs/voice.md "Recording, paused for card data"); and one that keeps a voicemail's
recording and serves it to the agent who has the message (capability `voicemail_audio`; docs/voice.md "Voicemail as
routed work"): the WAV the desk plays through its softphone."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve
from agent_desktop.domain.errors import NotServed


@runtime_checkable
class CallRecorder(Protocol):
    async def pause_recording(self, contact_id: str, paused: bool) -> None:
        """The call's recording paused (`paused`: silence is recorded from now, never what is said) or resumed."""
        ...


class NoCallRecorder:
    """Where the contact center cannot pause a recording: the request refuses in one sentence."""

    why = "This contact center cannot pause a call's recording."

    async def pause_recording(self, contact_id: str, paused: bool) -> None:
        raise NotServed(self.why)


def call_recorder(backend: object) -> CallRecorder:
    """The contact center as one whose recordings the agent pauses where it says it can, else the stand-in."""
    return resolve(backend, CallRecorder, NoCallRecorder, "recording_pause")


@runtime_checkable
class VoicemailAudio(Protocol):
    async def voicemail_audio(self, contact_id: str) -> bytes:
        """The message's recording (a WAV) of the voicemail `contact_id` in the agent's hands; a BackendError saying
        why not (none recorded: a simulated caller's)."""
        ...


class NoVoicemailAudio:
    """Where the contact center keeps no recording of a message: the request refuses in one sentence."""

    why = "This contact center keeps no recording of a voicemail."

    async def voicemail_audio(self, contact_id: str) -> bytes:
        raise NotServed(self.why)


def voicemail_audio(backend: object) -> VoicemailAudio:
    """The contact center as one that serves a message's recording where it says it can, else the stand-in."""
    return resolve(backend, VoicemailAudio, NoVoicemailAudio, "voicemail_audio")
