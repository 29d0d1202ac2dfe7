"""Calls recorded by the contact center, as a CCaaS records them: the media relay hands each side's decoded audio to
the call's recording, which writes both sides mixed into one mono 8 kHz WAV under the mock's data folder
(`voice/recordings/<contact id>.wav`, the folder 0700 and each file 0600), on the call's own clock.

The agent may pause it (card data read out): from that moment what either side says is dropped, never written, and
silence takes its place, so the recording keeps the call's timeline and its paused spans say where the gap is. A
recording that cannot be written (the folder full) stops; the call goes on, and the recording says why it stopped.
"""

from __future__ import annotations

import contextlib
import os
import time
import wave
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel, Field

RATE = 8000  # G.711's: what the relay hands over
SLACK_S = 0.1  # a side's audio arriving later than its last by more than this: the silence between kept
LAG_S = 0.5  # the timeline is written this far behind the clock: a packet late by less (a busy loop) lands in place
MAX_AHEAD_S = 2.0  # a side's audio kept waiting past the clock (a burst, a clock drift) before its excess is dropped

RecordingState = Literal["recording", "paused", "stopped", "ended"]


class PausedSpan(BaseModel):
    start_s: float = Field(description="Seconds into the recording where the pause began")
    end_s: float | None = Field(description="Where it ended; null while still paused")


class Recording(BaseModel):
    """`GET /v1/contacts/{id}/recording`: what the contact center recorded of a call."""

    contact_id: str
    state: RecordingState
    seconds: float = Field(description="The recording's length so far (silence included: paused, on hold)")
    paused_spans: list[PausedSpan]
    paused_for_s: float = Field(description="How long the current pause has lasted (0 when not paused)")
    stopped_reason: str | None = Field(None, description="Why the recording stopped before the call ended")


class RecordingEvent(BaseModel):
    """A call's recording paused, resumed or stopped (a full folder), on its agent's stream and the supervisor's:
    the supervisor marks the paused calls, the agent is told the contact center stopped recording."""

    type: Literal["recording"] = "recording"
    contact_id: str
    agent_id: str | None = Field(None, description="The agent whose call it is (None: no longer in anyone's hands)")
    state: RecordingState
    stopped_reason: str | None = Field(None, description="Why the recording stopped before the call ended")


class CallRecording:
    """One call's recording: `add` each side's PCM as it is passed on, `flush(now)` on the call's ticks."""

    def __init__(self, contact_id: str, path: Path | None, started: float) -> None:
        """`path`: where the WAV goes (None: no audio to record, the call is simulated; the pauses are still kept).
        `started`: the clock's time at which the recording's timeline begins."""
        self.contact_id = contact_id
        self.path = path
        self.started = started
        self.written = 0  # samples written (or, with no file, accounted for)
        self.paused_spans: list[PausedSpan] = []
        self.stopped_reason: str | None = None
        self.ended = False
        self._paused_at: float | None = None  # the clock's time of the current pause
        self.on_change: Callable[[CallRecording], None] | None = None  # told of a pause, a resume, a stop
        self._waiting: dict[str, bytearray] = {"customer": bytearray(), "agent": bytearray()}
        self._file: BinaryIO | None = None
        self._wav: wave.Wave_write | None = None
        if path is not None:
            self._open(path)

    def open(self, path: Path) -> None:
        """Write the call's audio to `path` from now (a recording made with no path)."""
        self.path = path
        self._open(path)

    def _open(self, path: Path) -> None:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._file = os.fdopen(fd, "wb", buffering=0)  # a full disk refuses the write itself, not a later flush
            self._wav = wave.open(self._file, "wb")  # noqa: SIM115 - kept open for the call, closed by `close`
            self._wav.setnchannels(1)
            self._wav.setsampwidth(2)
            self._wav.setframerate(RATE)
        except OSError as error:
            self._stop(error)

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def add(self, side: str, pcm: bytes, now: float) -> None:
        """A side's 16-bit PCM as the relay passes it on at `now`: dropped while paused (never written anywhere);
        placed where it arrived on the call's timeline (a side that was silent starts again where it spoke)."""
        if self._paused_at is None and self._wav is not None:
            waiting = self._waiting[side]
            start = round((now - self.started) * RATE) - len(pcm) // 2
            gap = start - (self.written + len(waiting) // 2)
            if gap > SLACK_S * RATE:
                waiting += bytes(2 * gap)
            waiting += pcm
            excess = len(waiting) - int(2 * RATE * MAX_AHEAD_S)
            if excess > 0:
                del waiting[:excess]

    def pause(self, now: float) -> bool:
        """Stop recording what is said, at once; False if it already was."""
        if self._paused_at is not None or self.ended:
            return False
        self._paused_at = now
        self.paused_spans.append(PausedSpan(start_s=round(max(0.0, now - self.started), 3), end_s=None))
        self._told()
        return True

    def resume(self, now: float) -> bool:
        """Record what is said again; False if it was not paused."""
        if self._paused_at is None or self.ended:
            return False
        self.flush(now, lag_s=0.0)  # the pause's silence up to now, before anything said after it
        self._paused_at = None
        self.paused_spans[-1] = PausedSpan(start_s=self.paused_spans[-1].start_s, end_s=round(now - self.started, 3))
        if not self.ended:
            self._told()
        return True

    def paused_for(self, now: float) -> float:
        return 0.0 if self._paused_at is None else max(0.0, now - self._paused_at)

    def flush(self, now: float, lag_s: float = LAG_S) -> None:
        """Write the call's timeline up to `lag_s` before `now`: what each side said, mixed, silence where nothing
        came (or paused)."""
        due = max(0, round((now - lag_s - self.started) * RATE)) - self.written
        if due <= 0:
            return
        if self._wav is None:
            self.written += due
            return
        sides = [self._take(side, due) for side in self._waiting]
        mixed = sides[0] if not sides[1] else sides[1] if not sides[0] else _mix(sides[0], sides[1])
        frames = mixed.tobytes() if mixed else b""
        frames += b"\0" * (2 * due - len(frames))
        try:
            self._wav.writeframes(frames)
        except OSError as error:
            self._stop(error)
            return
        self.written += due

    def _take(self, side: str, count: int) -> array[int]:
        waiting = self._waiting[side]
        taken = array("h", bytes(waiting[: 2 * count]))
        del waiting[: 2 * count]
        return taken  # short if less came: silence takes the rest (`flush`)

    def _stop(self, error: OSError) -> None:
        self.stopped_reason = f"the recording could not be written: {error.strerror or error}"
        self._close_file()
        for waiting in self._waiting.values():
            waiting.clear()
        self._told()

    def _told(self) -> None:
        if self.on_change is not None:
            self.on_change(self)

    def _close_file(self) -> None:
        wav, self._wav = self._wav, None
        if wav is not None:
            with contextlib.suppress(OSError):
                wav.close()
        file, self._file = self._file, None
        if file is not None:
            with contextlib.suppress(OSError):
                file.close()

    def close(self, now: float) -> None:
        """The call is over: the rest written, the file closed, a pause still open ended here."""
        if self.ended:
            return
        self.flush(now, lag_s=0.0)
        if self._paused_at is not None:
            self.resume(now)
        self.ended = True
        self._close_file()

    def state(self) -> RecordingState:
        if self.stopped_reason is not None:
            return "stopped"
        if self.ended:
            return "ended"
        return "paused" if self.paused else "recording"

    def seconds(self) -> float:
        return round(self.written / RATE, 3)

    def describe(self, now: float) -> Recording:
        return Recording(
            contact_id=self.contact_id,
            state=self.state(),
            seconds=self.seconds(),
            paused_spans=list(self.paused_spans),
            paused_for_s=round(self.paused_for(now), 3),
            stopped_reason=self.stopped_reason,
        )


def _mix(one: array[int], other: array[int]) -> array[int]:
    if len(one) < len(other):
        one, other = other, one
    mixed = array("h", one)
    for i, sample in enumerate(other):
        mixed[i] = max(-32768, min(32767, mixed[i] + sample))
    return mixed


class Recordings:
    """Every call's recording, by contact id: the media relay writes them, the API reads and pauses them."""

    def __init__(self, folder: Path, now: Callable[[], float] = time.monotonic) -> None:
        """`folder`: where the WAVs go (`voice/recordings/` under the mock's data folder); `now`: the calls' clock
        (the audio's: a real call's timeline is wall time as its packets come)."""
        self.folder = folder
        self.now = now
        self.on_change: Callable[[CallRecording], None] | None = None  # each recording's pause, resume, stop told
        self._calls: dict[str, CallRecording] = {}

    def start(self, contact_id: str, *, audio: bool) -> CallRecording:
        """The call's recording from `now` (`audio`: a real call whose sound is written; otherwise its pauses only).
        A call that already has one (moved to another softphone) goes on with it."""
        found = self._calls.get(contact_id)
        if found is not None and not found.ended and (found.path is not None or not audio):
            return found
        now = self.now()
        paused = found is not None and found.paused
        recording = CallRecording(contact_id, None, now)
        recording.on_change = self._changed
        if audio:
            recording.open(self.path_of(contact_id))  # told if it cannot be written (a full folder): after the hook
        if paused:
            recording.pause(now)  # a pause taken before the call's audio came stays a pause
        self._calls[contact_id] = recording
        return recording

    def _changed(self, recording: CallRecording) -> None:
        if self.on_change is not None:
            self.on_change(recording)

    def path_of(self, contact_id: str) -> Path:
        return self.folder / f"{contact_id}.wav"

    def of(self, contact_id: str) -> CallRecording | None:
        return self._calls.get(contact_id)

    def paused(self) -> set[str]:
        """The contacts whose recording is paused now (the supervisor's mark)."""
        return {contact_id for contact_id, recording in self._calls.items() if recording.paused}
