"""A call's live transcript recognised from its sound: one recogniser per side of each call whose audio the contact
center has (the caller's leg and the agent's), their lines published as the scripted ones are (speaker.py), so the
mood, the said alerts, the handover summary and card masking work on what was heard.

Whoever carries a call's audio (the voice leg's media relay) plugs it in: `prepare()` once (the words' model built in
a thread), `expect(contact_id)` as soon as the call's audio is sure to come (its script is no longer read out),
`listen(contact_id, speaker, sample_rate)` gives the side's recogniser, to `feed` 16-bit mono PCM as it arrives (8 or
16 kHz) and `close` when the side ends; `end(contact)` stops a call's recognisers (the call connected again without
its audio has its script read out). Recognition runs in each recogniser's thread; its events come back to the event loop that
called `listen` (`call_soon_threadsafe`) and are published there, in the server's one thread, as every event is.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable
from pathlib import Path

from agent_desktop_mocks.ccaas.call_transcripts.speaker import CallSpeaker
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScripts
from agent_desktop_mocks.speech.language_model import LanguageModel, build
from agent_desktop_mocks.speech.recogniser import Heard, StreamRecogniser

log = logging.getLogger(__name__)

SPEAKERS = ("customer", "agent")
STOP_S = 5.0  # how long a stopped recogniser's thread is given to end


def scripts_model(scripts: CallScripts, folder: Path) -> LanguageModel:
    """The words of the contact center's call scripts (what its callers and agents say), for the recognisers."""
    sentences = [
        str(said).replace("{agent}", "")
        for script in scripts.scripts
        for role, said in script.lines
        if role != "silence"
    ]
    return build(sentences, folder)


class HeardCalls:
    def __init__(
        self,
        speaker: CallSpeaker,
        model: LanguageModel | None,
        *,
        monotonic: Callable[[], float],
        make: Callable[..., StreamRecogniser] = StreamRecogniser,
        build: Callable[[], LanguageModel] | None = None,
    ) -> None:
        """`model`: the words listened for (`scripts_model`; None: general English). `monotonic`: the clock of the
        speaker's (the stream's times are mapped onto it). `build`: the model made by `prepare` instead, in a thread,
        when the first call is heard (a mock that never carries a call's audio never loads a recogniser)."""
        self.speaker = speaker
        self.model = model
        self._monotonic = monotonic
        self._make = make
        self._build = build
        self._prepared: asyncio.Future[bool] | None = None
        self._sides: dict[tuple[str, str], StreamRecogniser] = {}
        self.published = 0  # versions of lines published
        self.unheard = 0  # versions recognised while the call was not connected (ringing, on hold): not published
        # a final line published: (contact id, speaker, its words' count), for the call's pace (voice/talk_figures.py)
        self.on_words: Callable[[str, str, int], None] | None = None

    async def prepare(self) -> bool:
        """Ready to hear: the model built (once, off the event loop) and the recogniser importable. False, said once in
        the log, when it cannot be (the `speech` extra not installed): calls keep their scripts read out."""
        if self._prepared is None:
            self._prepared = asyncio.ensure_future(self._prepare())
        return await asyncio.shield(self._prepared)

    async def _prepare(self) -> bool:
        try:
            await asyncio.to_thread(importlib.import_module, "pocketsphinx")
            if self._build is not None:
                self.model = await asyncio.to_thread(self._build)
        except ImportError as error:
            log.warning("calls' speech is not recognised (%s): install the `speech` extra", error)
            return False
        return True

    def expect(self, contact_id: str) -> None:
        """The call's audio is sure to come: its script is no longer read out as its transcript, from now."""
        self.speaker.hear_audio_of(contact_id)

    def listen(self, contact_id: str, speaker: str, sample_rate: int) -> StreamRecogniser:
        """The recogniser of one side of a call, started; its lines are the call's transcript from now on."""
        if speaker not in SPEAKERS:
            raise ValueError(f"speaker {speaker!r}: one of {SPEAKERS}")
        key = (contact_id, speaker)
        if key in self._sides:
            return self._sides[key]
        loop = asyncio.get_running_loop()
        self.speaker.hear_audio_of(contact_id)
        recogniser = self._make(
            speaker, sample_rate, self.model, on_event=lambda: loop.call_soon_threadsafe(self._drain, key)
        )
        self._sides[key] = recogniser.start()
        return recogniser

    def end(self, contact_id: str, wait_s: float = STOP_S) -> None:
        """The call's audio is over: its recognisers stop, whatever was not heard yet dropped (`wait_s`: how long their
        threads are waited for; an event loop gives 0, the threads end on their own). The call's script is read out
        again when it next connects to an agent (its audio went elsewhere, or nowhere)."""
        for speaker in SPEAKERS:
            recogniser = self._sides.pop((contact_id, speaker), None)
            if recogniser is not None:
                recogniser.stop(wait_s)
        self.speaker.read_script_of(contact_id)

    def close(self) -> None:
        for contact_id, _ in list(self._sides):
            self.end(contact_id)

    def _drain(self, key: tuple[str, str]) -> None:
        recogniser = self._sides.get(key)
        if recogniser is None:
            return
        for heard in recogniser.take():
            self._publish(key[0], heard)

    def _publish(self, contact_id: str, heard: Heard) -> None:
        started = self._monotonic() - max(0.0, heard.end_s - heard.start_s)
        if self.speaker.line_heard(contact_id, heard.speaker, heard.utterance, heard.text, heard.final, started):
            self.published += 1
            if heard.final and self.on_words is not None:
                self.on_words(contact_id, heard.speaker, len(heard.text.split()))
        else:
            self.unheard += 1
