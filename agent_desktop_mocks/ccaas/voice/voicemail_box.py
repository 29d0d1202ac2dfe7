"""The voicemail box: on the real voice path (a softphone registered), a queued caller the queue sends to voicemail
(their choice, or past the queue's `voicemail_after_s`) is answered by the contact center itself.

The caller's softphone (caller_phone.py, its microphone the customer's lines of the call's script) dials the box's own
baresip, which answers, through the mock's SIP proxy and a media relay of the call's (rtp_relay.py); the relay's
caller side, decoded, is written to the message's tape (voicemail_tape.py) and heard by a recogniser of the live
transcript's (the same model). At the queue's `voicemail_max_s` the tape is full and the caller is cut off; when the
caller hangs up, or is cut, the message is left with its audio: its length the tape's, its transcript what was
recognised, `cut` said. A tape that cannot be written (a full disk) is refused cleanly: its partial WAV removed, the
message left as a simulated caller's (no audio), said in the log; the caller is not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from agent_desktop_mocks.ccaas.core.errors import REFUSALS, Conflict
from agent_desktop_mocks.ccaas.core.parts.voicemails import said_within
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact
from agent_desktop_mocks.ccaas.voice.caller_phone import CallerEvent, CallerPhone, CallerPhoneError
from agent_desktop_mocks.ccaas.voice.hearing import ModelHearing
from agent_desktop_mocks.ccaas.voice.media.rtp_relay import RATE, RtpRelay, Side
from agent_desktop_mocks.ccaas.voice.media.voicemail_tape import VoicemailTape, voicemail_path
from agent_desktop_mocks.speech.recogniser import StreamRecogniser

if TYPE_CHECKING:
    from agent_desktop_mocks.ccaas.voice.voice_leg import VoiceLeg

log = logging.getLogger(__name__)

SILENT_S = 30.0  # past the queue's longest message: the bound on a caller who neither stops nor is cut
HEAR_S = 30.0  # the bound on the recogniser's last words, once the call is over
NO_INTERIMS_S = 1e9  # a message's words are read once they are final


class VoicemailBox:
    def __init__(self, leg: VoiceLeg, hearing: ModelHearing | None) -> None:
        """`leg`: the voice leg whose proxy, scripts and media the box uses; `hearing`: the live transcript's
        recognisers (None: nobody recognises, a message's transcript stays empty)."""
        self.leg = leg
        self.hearing = hearing
        self._taking: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def take(self, contact: Contact, why: str, max_s: int) -> bool:
        """Whether the box records the caller's message (the engine's far end asks, inside its unit: the recording
        runs in a task of its own). A voice caller, a softphone registered (the real voice path is in use), baresip
        installed, on the server's event loop."""
        if contact.id in self._taking:
            raise Conflict("this caller is already leaving a message", contact.state)
        if contact.channel != Channel.VOICE or not self.leg.softphones.registered() or shutil.which("baresip") is None:
            return False
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self._taking.add(contact.id)
        task = loop.create_task(self._record(contact.model_copy(deep=True), why, max_s), name=f"voicemail {contact.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _record(self, contact: Contact, why: str, max_s: int) -> None:
        path = voicemail_path(self.leg.audio.folder, contact.id)
        said = self._said(contact)
        lines, seconds, cut = said_within(said, max_s)
        audio = False
        try:
            lines, seconds, cut = await self._call(contact, path, said, max_s)
            audio = True
        except (CallerPhoneError, OSError) as error:  # no baresip, a port taken, a full disk: refused, as simulated
            log.warning("contact %s: the message was not recorded (%s); it is left with no audio", contact.id, error)
            with contextlib.suppress(OSError):
                path.unlink()
        finally:
            self._taking.discard(contact.id)
        try:
            self.leg.engine.voicemails.leave(
                contact.id, lines, seconds=seconds, cut=cut, audio=audio, why=why, recorded=True
            )
        except REFUSALS as error:
            log.info("contact %s: its message is not left: %s", contact.id, error)

    async def _call(self, contact: Contact, path: Path, said: list[str], max_s: int) -> tuple[list[str], float, bool]:
        """The caller's call answered and recorded: what was recognised, the message's length, whether it was cut."""
        tape = VoicemailTape(path, max_s)  # OSError: the folder cannot be written, refused before the call
        microphone = self.leg.audio.folder / "calls" / f"{contact.id}-message.wav"
        recogniser: StreamRecogniser | None = None
        relay: RtpRelay | None = None
        phones: list[CallerPhone] = []
        over = asyncio.Event()
        failed: list[OSError] = []

        def heard(side: Side, pcm: bytes) -> None:
            if side != "customer" or over.is_set():
                return
            if recogniser is not None:
                recogniser.feed(pcm)
            try:
                if not tape.add(pcm):
                    over.set()  # the queue's longest message: the caller is cut off
            except OSError as error:  # the disk filled up during the message
                failed.append(error)
                over.set()

        def ended(event: CallerEvent) -> None:
            if event.kind in ("CALL_CLOSED", "LINK_CLOSED"):
                over.set()

        try:
            microphone.parent.mkdir(parents=True, exist_ok=True)
            await asyncio.to_thread(self.leg.audio.message, said, microphone)
            greeting = await asyncio.to_thread(self.leg.audio.silence, max_s + SILENT_S)  # the box says nothing
            recogniser = await self._recogniser()
            relay = await RtpRelay(contact.id).open()
            relay.recorder = heard
            box = CallerPhone(f"{contact.id}-box", greeting, self.leg.proxy.port, "")
            box.on_event = lambda event: self._answer(box, event) if event.kind == "CALL_INCOMING" else ended(event)
            phones.append(box)
            await box.start()
            caller = CallerPhone(contact.id, microphone, self.leg.proxy.port, contact.from_address)
            caller.on_event = ended
            phones.append(caller)
            await caller.start()
            self.leg.boxed[contact.id] = (caller.sip_port, relay)
            await caller.dial(box.uri)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max_s + SILENT_S):
                    await over.wait()
        except BaseException:
            if recogniser is not None:
                recogniser.stop(0)
            raise
        finally:
            over.set()
            self.leg.boxed.pop(contact.id, None)
            self.leg.proxy.forget(contact.id)
            for phone in reversed(phones):
                await phone.stop()
            if relay is not None:
                await relay.close()
            seconds = tape.close()
            with contextlib.suppress(OSError):
                microphone.unlink()
        if failed:
            if recogniser is not None:
                recogniser.stop(0)
            raise failed[0]
        return await self._words(recogniser), round(seconds, 3), tape.cut

    def _said(self, contact: Contact) -> list[str]:
        """What the caller says in their message: the customer's lines of the call's script."""
        attached = contact.attached
        intent, language = (attached.intent, attached.language) if attached else (None, None)
        script = self.leg.scripts.for_call(intent, contact.queue_id, 0, language=language)
        return [str(said).replace("{agent}", "") for role, said in script.lines if role == "customer"]

    def _answer(self, box: CallerPhone, event: CallerEvent) -> None:
        task = asyncio.get_running_loop().create_task(box.command("accept"), name="voicemail box answers")
        task.add_done_callback(lambda done: done.cancelled() or done.exception())  # a refused answer: the call ends

    async def _recogniser(self) -> StreamRecogniser | None:
        if self.hearing is None or not await self.hearing.prepare():
            return None
        return StreamRecogniser("customer", RATE, self.hearing.model, interim_every_s=NO_INTERIMS_S).start()

    @staticmethod
    async def _words(recogniser: StreamRecogniser | None) -> list[str]:
        """The message's final lines, in order, once the recogniser has heard all it was fed (bounded)."""
        if recogniser is None:
            return []
        recogniser.close()
        words: list[str] = []

        def drain() -> None:
            for heard in recogniser.events(HEAR_S):
                if heard.final and heard.text.strip():
                    words.append(heard.text.strip())

        try:
            await asyncio.to_thread(drain)
        except TimeoutError:
            recogniser.stop(0)
        return words
