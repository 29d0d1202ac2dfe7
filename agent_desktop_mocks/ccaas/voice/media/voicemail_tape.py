"""A message the caller leaves: the caller's side of the relay's audio only, written as it comes to an 8 kHz 16-bit
WAV (`voice/voicemails/<contact id>.wav`, the folder 0700 and the file 0600), cut at the queue's longest message.
Everything before the cut is kept as it came; what comes after it is not written, and the tape says it was cut."""

from __future__ import annotations

import os
import wave
from pathlib import Path

from agent_desktop_mocks.ccaas.voice.media.rtp_relay import RATE

SAMPLE_BYTES = 2


def voicemail_path(voice_folder: Path, contact_id: str) -> Path:
    """Where a contact's message is written, under the mock's `voice/` data folder."""
    return voice_folder / "voicemails" / f"{contact_id}.wav"


class VoicemailTape:
    def __init__(self, path: Path, max_s: float) -> None:
        """Opened at once (OSError: the folder cannot be written); at most `max_s` seconds of audio are kept."""
        self.path = path
        self.cut = False
        self._room = int(max_s * RATE) * SAMPLE_BYTES
        self._written = 0
        self._odd = b""  # half a sample, kept for the next chunk (the cap falls between samples)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file = os.fdopen(fd, "wb", buffering=0)
        self._wav: wave.Wave_write | None = wave.open(self._file, "wb")  # noqa: SIM115 - closed by `close`
        self._wav.setnchannels(1)
        self._wav.setsampwidth(SAMPLE_BYTES)
        self._wav.setframerate(RATE)

    @property
    def seconds(self) -> float:
        return self._written / SAMPLE_BYTES / RATE

    def add(self, pcm: bytes) -> bool:
        """The caller's 16-bit PCM as it comes, cut anywhere; False once the tape is full (the caller is cut off)."""
        if self._wav is None:
            return False
        data = self._odd + pcm
        whole = len(data) - len(data) % SAMPLE_BYTES
        data, self._odd = data[:whole], data[whole:]
        keep = data[: self._room - self._written]
        if keep:
            self._wav.writeframesraw(keep)
            self._written += len(keep)
        if len(keep) < len(data) or (self._odd and self._written >= self._room):
            self.cut = True
        return not self.cut

    def close(self) -> float:
        """The tape closed (its WAV header written); its length in seconds."""
        if self._wav is not None:
            self._wav.close()
            self._file.close()
            self._wav = None
        return self.seconds
