"""The virtual agent's calls on the real voice path (a softphone registered, baresip installed, the calls' speech
recognised, a running loop): a call on a queue whose calls the bot answers first is a real call, answered by the mock
itself as a message is by the voicemail box (voicemail_box.py).

The caller's softphone (caller_phone.py) speaks the customer's lines of their script, each followed by a pause long
enough for the bot's answer (`pause_after_line`), and dials the bot's own baresip through the mock's SIP proxy and a
media relay of the call's (rtp_relay.py). The relay's caller side is recognised (the live transcript's model); each
turn of the caller's (their final lines until a silence, `TURN_END_S`) goes to the bot as the customer's message: what
was recognised, never the script's text, through `VirtualAgent.customer_says` (which masks what it sends). Each answer
is spoken by espeak-ng and said once into the caller's ear from the relay's port facing the caller (`Prompts`). The
call is recorded, both sides mixed, as `voice/bot_calls/<call id>.wav`.

Handed over (escalated, or the model failed), the bot's leg hangs up once its last words are said, the contact is
queued with its handoff (as on the text path), and when it rings an agent's softphone the caller goes on with the lines
not yet said to the bot (caller_scripts.py). Contained, the caller hangs up at the end of their lines. A caller's
softphone that cannot start (no baresip, a port taken) or a call never answered falls back to the text path (the
script's lines, as `VirtualAgent.answer_call` hears them), said in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from agent_desktop_mocks.ccaas.tables.call_scripts import CallScript
from agent_desktop_mocks.ccaas.voice.caller_phone import CallerEvent, CallerPhone, CallerPhoneError
from agent_desktop_mocks.ccaas.voice.hearing import ModelHearing
from agent_desktop_mocks.ccaas.voice.media import g711
from agent_desktop_mocks.ccaas.voice.media.call_recording import CallRecording
from agent_desktop_mocks.ccaas.voice.media.hold_music import Prompts
from agent_desktop_mocks.ccaas.voice.media.rtp_relay import RATE, RtpRelay
from agent_desktop_mocks.speech.recogniser import Heard, StreamRecogniser

if TYPE_CHECKING:
    from agent_desktop_mocks.ccaas.voice.voice_leg import VoiceLeg

log = logging.getLogger(__name__)

TURN_END_S = 1.2  # the caller's silence after their last words that ends their turn (a bot's end-of-speech wait)
REPLY_S = 4.0  # from the turn's end to the answer's first word: the recogniser's lag, the model, the synthesis
ANSWER_WORDS = 30  # the most of an answer said aloud: a voice bot keeps its turns short (the transcript keeps it all)
WORDS_PER_S = 140 / 60  # espeak-ng's pace at `-s 140` (script_audio.py's voice)
ANSWERED_S = 30.0  # the bound on the bot's softphone answering the caller's call
OVER_S = 30.0  # past the caller's lines and pauses: the bound on a call that neither ends nor is handed over
HEAR_S = 30.0  # the bound on the recogniser's last words, and the bot's last answer, once the caller is gone
TICK_S = 0.25  # how often the recording is written up to the call's clock
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def pause_after_line(answer_words: int = ANSWER_WORDS) -> float:
    """The caller's silence after each line: the bot's turn (its end-of-turn wait, its reply, its answer said)."""
    return TURN_END_S + REPLY_S + answer_words / WORDS_PER_S


def spoken_part(answer: str, most_words: int = ANSWER_WORDS) -> str:
    """What the bot says aloud of `answer`: its first sentences within `most_words` words (the first sentence cut
    there when it alone is longer)."""
    said: list[str] = []
    count = 0
    for sentence in _SENTENCE_END.split(" ".join(answer.split())):
        words = sentence.split()
        if count + len(words) > most_words:
            if not said:
                said.append(" ".join(words[:most_words]))
            break
        said.append(sentence)
        count += len(words)
    return " ".join(said)


def line_starts(lasting: Sequence[float], pause_s: float) -> list[float]:
    """Where each of the caller's lines begins in their audio (seconds), each line followed by `pause_s`."""
    starts: list[float] = []
    at = 0.0
    for seconds in lasting:
        starts.append(at)
        at += seconds + pause_s
    return starts


def lines_said(starts: Sequence[float], at_s: float) -> int:
    """How many of the caller's lines had begun by `at_s` of their audio: said to the bot."""
    return sum(start < at_s for start in starts)


def customer_lines(script: CallScript) -> list[str]:
    """What the caller says of `script`, line by line."""
    return [str(said).replace("{agent}", "").strip() for role, said in script.lines if role == "customer"]


def goes_on_after(script: CallScript, said: int) -> CallScript:
    """`script` from after the caller's `said`-th line: what they go on to say to a person (the agent's turn that
    followed that line first, as the person's greeting). A caller who had said all their lines says the last again
    (their request, to the person)."""
    seen = 0
    for index, (role, _) in enumerate(script.lines):
        if seen == said:
            rest = script.lines[index:]
            break
        seen += role == "customer"
    else:
        rest = ()
    if not any(role == "customer" for role, _ in rest):
        last = next((line for line in reversed(script.lines) if line[0] == "customer"), None)
        rest = (*rest, last) if last is not None else rest
    return script.model_copy(update={"lines": rest or script.lines})


@dataclass(frozen=True)
class BotTurn:
    """What the bot made of one turn of the caller's: its answers, in order, and the contact queued for a person
    once it handed the call over (None: it goes on)."""

    answers: list[str]
    handed_to: str | None = None


class CallBot(Protocol):
    """The virtual agent on one call, as the call drives it (api/virtual_agent_wiring.py's `BotOnCall`)."""

    @property
    def id(self) -> str: ...

    @property
    def from_address(self) -> str: ...

    @property
    def talking(self) -> bool:
        """Whether the bot still has the call (not handed over, not ended)."""
        ...

    @property
    def heard_anything(self) -> bool: ...

    async def hears(self, text: str) -> BotTurn | None:
        """The caller's turn, as recognised, as the customer's message; None if the bot no longer has the call."""
        ...

    async def hears_as_text(self, lines: list[str]) -> None:
        """The caller's lines as the text path hears them (each the customer's message until handed over)."""
        ...

    def hung_up(self) -> None:
        """The caller hung up: served, if the bot still had the call (contained)."""
        ...


@dataclass
class _Call:
    """One bot call under way: who the bot is, what the caller says, and the parts of the call it drives."""

    bot: CallBot
    script: CallScript
    starts: list[float]
    recogniser: StreamRecogniser
    prompts: Prompts
    box: CallerPhone
    heard: asyncio.Event = field(default_factory=asyncio.Event)


class BotCalls:
    def __init__(self, leg: VoiceLeg, hearing: ModelHearing | None) -> None:
        """`leg`: the voice leg whose proxy, script audio, softphones and callers the calls use; `hearing`: the live
        transcript's (None: nobody recognises calls, so the bot cannot hear one: its calls stay on the text path)."""
        self.leg = leg
        self.hearing = hearing
        self.folder = leg.audio.folder / "bot_calls"
        self._tasks: set[asyncio.Task[None]] = set()
        self.under_way: set[str] = set()  # the calls going on (their ids): the bot's, or their caller's still

    def real(self) -> bool:
        """Whether a call the bot answers now is a real one (the real voice path): else it is simulated
        (`VirtualAgent.answer_call`)."""
        if self.hearing is None or not self.leg.softphones.registered() or shutil.which("baresip") is None:
            return False
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        return True

    def answer(self, bot: CallBot, script: CallScript) -> None:
        """The call `bot` answers, `script` what its caller says: it goes on in a task (`real()` first)."""
        self.under_way.add(bot.id)
        task = asyncio.get_running_loop().create_task(self._answer(bot, script), name=f"bot call {bot.id}")
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a virtual agent's call failed", exc_info=task.exception())

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _answer(self, bot: CallBot, script: CallScript) -> None:
        lines = customer_lines(script)
        try:
            try:
                await self._call(bot, script, lines)
            except (CallerPhoneError, OSError) as error:
                if bot.talking and not bot.heard_anything:
                    log.warning("bot call %s: no call (%s); the bot hears the caller's script as text", bot.id, error)
                    await bot.hears_as_text(lines)
                else:
                    log.warning("bot call %s: the call broke off (%s)", bot.id, error)
            bot.hung_up()  # with every line answered: served (nothing, once handed over)
        finally:
            self.under_way.discard(bot.id)

    async def _call(self, bot: CallBot, script: CallScript, lines: list[str]) -> None:
        assert self.hearing is not None
        if not await self.hearing.prepare():
            raise CallerPhoneError("no recogniser: the bot cannot hear a caller")
        loop = asyncio.get_running_loop()
        pause = pause_after_line()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        microphone = self.folder / f"{bot.id}-caller.wav"
        lasting = await asyncio.to_thread(self.leg.audio.turns, lines, pause, microphone)
        length = sum(lasting) + pause * len(lines)
        quiet = await asyncio.to_thread(self.leg.audio.silence, length + OVER_S)  # the bot's microphone: unheard
        heard = asyncio.Event()

        def wake() -> None:  # from the recogniser's thread
            with contextlib.suppress(RuntimeError):  # the loop already closed
                loop.call_soon_threadsafe(heard.set)

        recogniser = StreamRecogniser("customer", RATE, self.hearing.model, on_event=wake).start()
        recording = CallRecording(bot.id, self.folder / f"{bot.id}.wav", loop.time())
        ticks = loop.create_task(self._write(recording), name=f"bot call {bot.id} recording")
        answered, closed = asyncio.Event(), asyncio.Event()

        def caller_event(event: CallerEvent) -> None:
            if event.kind == "CALL_ESTABLISHED":
                answered.set()
            elif event.kind in ("CALL_CLOSED", "LINK_CLOSED"):
                closed.set()

        relay: RtpRelay | None = None
        phones: list[CallerPhone] = []
        talk: asyncio.Task[None] | None = None
        try:
            relay = await RtpRelay(bot.id).open()
            relay.ears["customer"] = recogniser.feed
            relay.recorder = lambda side, pcm: recording.add(side, pcm, loop.time())
            prompts = relay.prompts_to_caller(
                lambda frame: recording.add("agent", g711.decode(g711.PCMU, frame), loop.time())
            )
            box = CallerPhone(f"{bot.id}-bot", quiet, self.leg.proxy.port, "")
            box.on_event = lambda event: self._pick_up(box) if event.kind == "CALL_INCOMING" else None
            phones.append(box)
            await box.start()
            caller = CallerPhone(bot.id, microphone, self.leg.proxy.port, bot.from_address)
            caller.on_event = caller_event
            phones.append(caller)
            await caller.start()
            self.leg.boxed[bot.id] = (caller.sip_port, relay)
            await caller.dial(box.uri)
            await _first(answered, closed, ANSWERED_S)
            if not answered.is_set():
                raise CallerPhoneError("the bot's softphone did not answer the caller")
            call = _Call(bot, script, line_starts(lasting, pause), recogniser, prompts, box, heard)
            talk = loop.create_task(self._turns(call), name=f"bot call {bot.id} turns")
            hung_up = loop.create_task(closed.wait())
            await asyncio.wait({talk, hung_up}, timeout=length + OVER_S, return_when=asyncio.FIRST_COMPLETED)
            hung_up.cancel()
            recogniser.close()  # the caller is gone (or handed over): what they said is heard to its end
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(HEAR_S):
                    await talk
        finally:
            if talk is not None and not talk.done():
                talk.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await talk
            recogniser.stop(0)
            ticks.cancel()
            self.leg.boxed.pop(bot.id, None)
            self.leg.proxy.forget(bot.id)
            for phone in reversed(phones):
                await phone.stop()
            if relay is not None:
                await relay.close()
            recording.close(loop.time())
            with contextlib.suppress(OSError):
                microphone.unlink()

    @staticmethod
    def _pick_up(box: CallerPhone) -> None:
        task = asyncio.get_running_loop().create_task(box.command("accept"), name="the bot answers")
        task.add_done_callback(lambda done: done.cancelled() or done.exception())  # a refused answer: the call ends

    @staticmethod
    async def _write(recording: CallRecording) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(TICK_S)
            recording.flush(loop.time())

    async def _turns(self, call: _Call) -> None:
        """The caller's turns to the bot, each answered aloud, until the bot hands the call over or the caller's
        speech ends."""
        turn: list[Heard] = []
        while call.bot.talking:
            events = await _next_events(call.recogniser, call.heard, TURN_END_S if turn else HEAR_S)
            turn += [event for event in events if event.final and event.text.strip()]
            ended = not events and call.recogniser.wait(0)
            if turn and (not events or ended):
                await self._reply(call, turn)
                turn = []
            elif ended:
                return

    async def _reply(self, call: _Call, turn: list[Heard]) -> None:
        """The caller's turn to the bot as what was recognised; its answers said; handed over, the caller's lines
        not yet said kept for the agent's call, and the bot's leg hung up once its last words are said."""
        answered = await call.bot.hears(" ".join(heard.text.strip() for heard in turn))
        if answered is None:
            log.info("bot call %s: the bot no longer has the call", call.bot.id)
            return
        if answered.handed_to is not None:  # in the same turn of the loop as the hand-over: before the offer can ring
            said = lines_said(call.starts, turn[-1].end_s)
            self.leg.callers.goes_on(answered.handed_to, goes_on_after(call.script, said))
        done: asyncio.Future[None] | None = None
        for answer in answered.answers:
            spoken = spoken_part(answer)
            if spoken:
                done = call.prompts.say(await asyncio.to_thread(self.leg.audio.prompt, spoken))
        if answered.handed_to is not None:
            if done is not None:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(HEAR_S):
                        await done
            with contextlib.suppress(CallerPhoneError):
                await call.box.hang_up()


async def _first(one: asyncio.Event, other: asyncio.Event, timeout_s: float) -> None:
    """Until either event is set, bounded."""
    waits = {asyncio.create_task(one.wait()), asyncio.create_task(other.wait())}
    try:
        await asyncio.wait(waits, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


async def _next_events(recogniser: StreamRecogniser, heard: asyncio.Event, wait_s: float) -> list[Heard]:
    """The recogniser's events, waiting up to `wait_s` for one; none once its stream has ended."""
    events = recogniser.take()
    if events:
        return events
    if recogniser.wait(0):  # ended: its last events were queued before it said so
        return recogniser.take()
    heard.clear()
    events = recogniser.take()  # one that came between the take and the clear
    if events:
        return events
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(wait_s):
            await heard.wait()
    return recogniser.take()
