"""One speaker's audio recognised as it arrives: interim hypotheses while they speak, one final line per utterance.

pocketsphinx's `Endpointer` (voice activity detection over a 0.3 s window) says where an utterance starts and ends;
its `Decoder` hears the speech frames between (`start_utt`, `process_raw`, `hyp`, `end_utt`). Both run in a thread of
the recogniser's own, so whoever feeds it (an event loop reading RTP) never waits on the decoder: `feed` hands a chunk
over and returns. The audio waiting is bounded (`max_buffered_s`; a chunk past it is dropped and counted), and so
are the events not yet taken (`max_events`; the thread waits for room, and stops if told). An interim is asked for
every `interim_every_s` of speech heard, counted in frames, not in chunks: the events are the same however the audio
was cut. Anything the decoder raises ends the stream with `error` set, and an event loop calling it sees no exception.

Times are the stream's own (seconds of audio from its first sample); `at` is when the event was made
(`time.monotonic`), which a benchmark reads.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from agent_desktop_mocks.speech.language_model import LanguageModel
from agent_desktop_mocks.speech.pcm import MODEL_RATE, PcmFramer

INTERIM_EVERY_S = 0.3
MAX_BUFFERED_S = 10.0
MAX_EVENTS = 256
PUT_WAIT_S = 0.1  # how often a thread waiting for room in the events looks whether it was stopped


@dataclass(frozen=True)
class Heard:
    """A hypothesis of one utterance: interim (the words so far) or its final line. `text` is as recognised, not
    masked: whoever shows or keeps it masks it (call_transcripts/heard_calls.py)."""

    speaker: str
    utterance: int  # 0, 1, 2… within the stream: the same for an utterance's interims and its final
    text: str
    final: bool
    start_s: float
    end_s: float
    at: float


class _End:
    """The stream is over: no event follows."""


class StreamRecogniser:
    def __init__(
        self,
        speaker: str,
        sample_rate: int,
        model: LanguageModel | None = None,
        *,
        interim_every_s: float = INTERIM_EVERY_S,
        max_buffered_s: float = MAX_BUFFERED_S,
        max_events: int = MAX_EVENTS,
        on_event: Callable[[], None] = lambda: None,
    ) -> None:
        """`speaker`: who is heard (carried on each event). `sample_rate`: 8000 or 16000 (16-bit mono, little-endian).
        `model`: the words listened for (language_model.py); None, pocketsphinx's general English. `on_event`: called
        from the recogniser's thread after each event is queued (an event loop's `call_soon_threadsafe`)."""
        PcmFramer(sample_rate, 2)  # refuses a rate it cannot take, here rather than in the thread
        self.speaker = speaker
        self.sample_rate = sample_rate
        self.model = model
        self.interim_every_s = interim_every_s
        self.max_buffered_bytes = int(max_buffered_s * sample_rate) * 2
        self.on_event = on_event
        self.error: str | None = None
        self.dropped_bytes = 0
        self.audio_s = 0.0  # audio recognised, once the stream has ended
        self.cpu_s = 0.0  # the thread's CPU time, once it has ended
        self._events: queue.Queue[Heard | _End] = queue.Queue(max_events)
        self._chunks: collections.deque[bytes] = collections.deque()
        self._buffered = 0
        self._closed = False
        self._stopped = threading.Event()
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._run, name=f"recogniser {speaker}", daemon=True)
        self._ended = threading.Event()

    def start(self) -> StreamRecogniser:
        self._thread.start()
        return self

    # --- the audio in -------------------------------------------------------------------

    def feed(self, pcm: bytes) -> bool:
        """Hand over the next chunk; False if it was dropped (the stream closed, or `max_buffered_s` already waits)."""
        with self._ready:
            if self._closed or self._buffered + len(pcm) > self.max_buffered_bytes:
                self.dropped_bytes += len(pcm)
                return False
            self._chunks.append(bytes(pcm))
            self._buffered += len(pcm)
            self._ready.notify()
        return True

    def feed_waiting(self, pcm: bytes, timeout_s: float) -> bool:
        """`feed` for a producer that may wait (a thread, a test, a benchmark reading a file): waits up to
        `timeout_s` for room; False if the chunk was dropped."""
        deadline = time.monotonic() + timeout_s
        with self._ready:
            while not self._closed and self._buffered + len(pcm) > self.max_buffered_bytes:
                left = deadline - time.monotonic()
                if left <= 0 or self._ended.is_set():
                    break
                self._ready.wait(left)
        return self.feed(pcm)

    def close(self) -> None:
        """The stream ends: what is fed is heard, the utterance under way made final, then the events end."""
        with self._ready:
            self._closed = True
            self._ready.notify()

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Ends at once, whatever is left unheard; True if the thread ended within `timeout_s`."""
        self._stopped.set()
        self.close()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def wait(self, timeout_s: float) -> bool:
        """True once the stream has ended (after `close`, its last event queued)."""
        return self._ended.wait(timeout_s)

    # --- the events out -----------------------------------------------------------------

    def take(self) -> list[Heard]:
        """The events queued so far, without waiting."""
        taken: list[Heard] = []
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return taken
            if isinstance(event, Heard):
                taken.append(event)

    def events(self, timeout_s: float) -> Iterator[Heard]:
        """Each event until the stream ends; TimeoutError if none comes for `timeout_s`."""
        while True:
            try:
                event = self._events.get(timeout=timeout_s)
            except queue.Empty:
                raise TimeoutError(f"no event from {self.speaker}'s recogniser in {timeout_s:g} s") from None
            if isinstance(event, _End):
                return
            yield event

    # --- the thread ---------------------------------------------------------------------

    def _run(self) -> None:
        started = time.thread_time()
        framer: PcmFramer | None = None
        try:
            from pocketsphinx import Decoder, Endpointer

            endpointer = Endpointer(sample_rate=MODEL_RATE)
            files: dict[str, Any] = {"lm": str(self.model.lm), "dict": str(self.model.dictionary)} if self.model else {}
            decoder = Decoder(samprate=MODEL_RATE, loglevel="FATAL", **files)
            framer = PcmFramer(self.sample_rate, endpointer.frame_bytes)
            utterances = _Utterances(self, endpointer, decoder)
            while (chunk := self._next_chunk()) is not None:
                for frame in framer.add(chunk):
                    utterances.frame(endpointer.process(frame))
            if not self._stopped.is_set():
                rest = framer.finish()
                utterances.end(endpointer.end_stream(rest) if endpointer.in_speech else None)
        except Exception as error:  # a decoder that fails ends this stream, never the program that feeds it
            self.error = f"{type(error).__name__}: {error}"
        finally:
            if framer is not None:
                self.audio_s = framer.samples_in / self.sample_rate
            self.cpu_s = time.thread_time() - started
            self._ended.set()
            with self._ready:
                self._ready.notify_all()
            self._put(_End())

    def _next_chunk(self) -> bytes | None:
        with self._ready:
            while not self._chunks and not self._closed:
                self._ready.wait()
            if self._stopped.is_set() or not self._chunks:
                return None
            chunk = self._chunks.popleft()
            self._buffered -= len(chunk)
            self._ready.notify_all()  # a producer waiting for room
            return chunk

    def _put(self, event: Heard | _End) -> None:
        while True:
            try:
                self._events.put(event, timeout=PUT_WAIT_S)
                break
            except queue.Full:
                if self._stopped.is_set():
                    return
        self.on_event()


class _Utterances:
    """The endpointer's speech frames into the decoder, one utterance at a time, and the events they make."""

    def __init__(self, owner: StreamRecogniser, endpointer: Any, decoder: Any) -> None:
        self.owner = owner
        self.endpointer = endpointer
        self.decoder = decoder
        self.frame_s = endpointer.frame_length
        self.every = max(1, round(owner.interim_every_s / self.frame_s))  # frames between two interims
        self.count = 0  # utterances that made an event
        self.speaking = False
        self.start_s = 0.0
        self.frames = 0
        self.said = ""  # the last interim's text

    def frame(self, speech: bytes | None) -> None:
        if speech is None:
            return
        if not self.speaking:
            self.decoder.start_utt()
            self.speaking, self.frames, self.said = True, 0, ""
            self.start_s = self.endpointer.speech_start
        self.decoder.process_raw(speech)
        before = self.frames
        self.frames += max(1, len(speech) // self.endpointer.frame_bytes)
        if not self.endpointer.in_speech:
            self._final()
        elif self.frames // self.every > before // self.every:
            self._interim()

    def end(self, speech: bytes | None) -> None:
        """The stream ended: its last speech heard, the utterance under way final."""
        if speech:
            self.decoder.process_raw(speech)
            self.frames += max(1, len(speech) // self.endpointer.frame_bytes)
        if self.speaking:
            self._final()

    def _interim(self) -> None:
        text = _text(self.decoder.hyp())
        if text and text != self.said:
            self.said = text
            self._emit(text, final=False, end_s=self.start_s + self.frames * self.frame_s)

    def _final(self) -> None:
        self.decoder.end_utt()
        self.speaking = False
        text = _text(self.decoder.hyp())
        if text or self.said:  # a line shown as interim words is closed, even when nothing is left of it
            self._emit(text, final=True, end_s=self.start_s + self.frames * self.frame_s)
            self.count += 1

    def _emit(self, text: str, *, final: bool, end_s: float) -> None:
        owner = self.owner
        heard = Heard(owner.speaker, self.count, text, final, round(self.start_s, 3), round(end_s, 3), time.monotonic())
        owner._put(heard)


def _text(hypothesis: Any) -> str:
    return str(hypothesis.hypstr).strip() if hypothesis is not None else ""
