"""The simulated caller and agent speaking on voice calls, heard as live transcription.

While a voice call is connected, its script's lines (tables/call_scripts.py, by the IVR's intent or the queue) are
spoken in turn, paced like speech: each line's words arrive as interim versions of it (the words heard so far),
then the line is final; a pause, then the next. Hold pauses the speaking (the line under way is said again from
its start when the call resumes); the call leaving its agent (ended, transferred, abandoned) stops it, and a call
taken by another agent after a transfer goes on where it was, that agent first sent the final lines said before
they joined (what a transcript shows the next agent), just before the first line they hear. A callback is silent while it is dialled, until the
customer answers. Card data is not published: a final line is masked as chat messages are, an interim line without a
run of digits at its end that may be a card number still being read out (`settled_part`), and a line going on from
its speaker's earlier final lines (a number read out over two) shows at most ten digits of it across them
(`mask_outgoing`: what was published was read, and the event log keeps it). Only
`on_heard` hears the words as said: a speech-to-text engine of the contact center's (the Twilio-shaped mock's
real-time transcription, which sends them on as Twilio's would and keeps nothing). Interim versions are pushed, not kept in the event log (a client resuming
its stream needs only the final lines); final ones are stored as every event is.

A silence is heard too: when nothing has been said for the contact center's `silent_for_s` on a call not on hold, the
call's silence is told (`on_silence`: the alerts from what is said raise one). The script is all the mock knows of a
call, so only a silence within it is heard (a `["silence", seconds]` line, or a long first pause); once the script
is said, what follows is not silence but talk the mock does not script, and raises nothing.

A part of the server's one scheduler (`next_due`, `fire_due`), on the monotonic clock; the engine's changes come
through `Engine.listen`. What is under way is kept in memory: a restart leaves calls in progress silent.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from agent_desktop_mocks.ccaas.call_transcripts.heard_masking import mask_heard
from agent_desktop_mocks.ccaas.call_transcripts.schemas import TranscriptionEvent, TranscriptionLine
from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, DomainEvent
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact
from agent_desktop_mocks.ccaas.shell.engine import NotFound, agent_topic
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScript, CallScripts
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped as shipped_scripts
from agent_desktop_pci import SPLIT_REACH, mask_outgoing, settled_part

WORDS_PER_S = 2.5  # conversational speech, about 150 words a minute
INTERIM_WORDS = 3  # an interim version every this many words heard
FIRST_LINE_S = (1.0, 2.0)  # after the call connects, before the agent's greeting
PAUSE_S = (0.6, 1.8)  # between two lines
STOPS = ("ended", "transferred", "abandoned", "completed")
CALLER = "Caller"


@dataclass
class _Call:
    contact_id: str
    script: CallScript
    agent_id: str
    agent_name: str
    next_line: int = 0
    generation: int = 0  # bumped by a hold or a stop: the timers of an older generation are dropped
    speaking: bool = False
    heard: int = 0  # how many times something was heard on it: a silence check finding it unchanged was silent
    said: list[TranscriptionEvent] = field(default_factory=list)  # its final lines so far
    owed: bool = False  # the agent who took it over has not been sent the lines said before they joined
    last_said: str = ""  # the last final line, masked (what was said before a silence)
    heard_lines: dict[tuple[str, int], int] = field(default_factory=dict)  # (speaker, utterance) → its line's index


@dataclass(frozen=True, order=True)
class _Due:
    contact_id: str
    generation: int
    line: int
    words: int  # words heard when it fires (0: the line begins)
    started: float = field(compare=False)


@dataclass(frozen=True)
class _SilenceCheck:
    """Due once `silent_for_s` has passed since something was last heard: a silence if nothing was heard since."""

    contact_id: str
    generation: int
    heard: int
    seconds: float


class CallSpeaker:
    def __init__(
        self,
        conversations: ConversationService,
        *,
        speed: float = 1.0,
        scripts: CallScripts | None = None,
        monotonic: Callable[[], float],
    ) -> None:
        """`conversations`: whose event log, clock and watchers (the supervisors monitoring a contact) it publishes
        with. `speed`: the simulated people's (`MockSettings.actor_speed`)."""
        self.conversations = conversations
        self.engine = conversations.engine
        self.speed = speed
        self.scripts = scripts or shipped_scripts()
        self._monotonic = monotonic
        self._rng = random.Random(conversations.seed)
        self._calls: dict[str, _Call] = {}
        self._from_audio: set[str] = set()  # calls whose lines are recognised from their sound, not read out
        self._answered: Counter[tuple[str | None, str]] = Counter()  # calls answered, by intent and queue
        self._timers: list[tuple[float, int, _Due | _SilenceCheck]] = []
        self._seq = itertools.count()
        self.on_scheduled: Callable[[], None] = lambda: None  # the scheduler's `wake`
        # Told of each final line the caller says (contact id, line id, its masked text, when), in the transaction
        # that publishes it: the alerts from what is said read it (said_alerts/service.py sets it).
        self.on_caller_said: Callable[[str, str, str, datetime], None] = lambda contact_id, line_id, text, at: None
        # How long a call may be silent (seconds, not on hold) before its silence is told, and who is told (contact
        # id, the seconds, the last line said before it): the said alerts' rules and their `call_silent`.
        self.silent_for_s: Callable[[], float] = lambda: math.inf
        self.on_silence: Callable[[str, float, str, datetime], None] = lambda contact_id, seconds, said, at: None
        # Told of each version of a line as it is heard, unmasked (contact id, the line's index, "customer" or
        # "agent", the words so far, whether final): a transcription engine's ear (agent_desktop_mocks/twilio/).
        self.on_heard: Callable[[str, int, str, str, bool], None] = lambda contact_id, index, role, text, final: None

    # --- the engine's changes ------------------------------------------------------------

    def on_engine_events(self, events: list[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, ContactChanged) and event.contact.channel == Channel.VOICE:
                self._contact_changed(event.kind, event.contact)

    def _contact_changed(self, kind: str, contact: Contact) -> None:
        call = self._calls.get(contact.id)
        dialling = contact.callback is not None and contact.callback.state == "dialling"  # nobody on the line yet
        dialling = dialling or contact.voicemail is not None  # a message left: its caller hung up, nobody speaks
        # Connected to an agent: answered, resumed, or moved straight to the agent a consult reached.
        arrived = kind in ("connected", "resumed") or (kind == "transferred" and contact.agent_id is not None)
        if arrived and contact.state.value == "connected" and contact.agent_id and not dialling:
            if call is None:
                intent = contact.attached.intent if contact.attached else None
                language = contact.attached.language if contact.attached else None
                nth = self._answered[intent, contact.queue_id]
                self._answered[intent, contact.queue_id] += 1
                call = self._calls[contact.id] = _Call(
                    contact.id,
                    self.scripts.for_call(intent, contact.queue_id, nth, contact.subject, language),
                    contact.agent_id,
                    "",
                )
            elif call.agent_id != contact.agent_id:  # another agent took it over: the line under way said again
                call.speaking = False
                call.owed = bool(call.said)
            call.agent_id = contact.agent_id
            call.agent_name = self._agent_name(contact.agent_id)
            if not call.speaking:
                call.speaking = True
                call.generation += 1
                self._after(self._rng.uniform(*FIRST_LINE_S), _Due(contact.id, call.generation, call.next_line, 0, 0))
                self._check_silence(call)
        elif call is not None and (kind == "held" or kind in STOPS):
            call.speaking = False
            call.generation += 1
            if kind in ("ended", "abandoned", "completed"):
                del self._calls[contact.id]
                self._from_audio.discard(contact.id)

    def _agent_name(self, agent_id: str) -> str:
        try:
            return self.engine.read.agent(agent_id).name
        except NotFound:
            return agent_id

    # --- timers ---------------------------------------------------------------------------

    def next_due(self) -> float | None:
        return self._timers[0][0] if self._timers else None

    def fire_due(self) -> None:
        now = self._monotonic()
        while self._timers and self._timers[0][0] <= now:
            _, _, due = heapq.heappop(self._timers)
            call = self._calls.get(due.contact_id)
            if call is None or not call.speaking or call.generation != due.generation:
                continue
            if isinstance(due, _SilenceCheck):
                if call.heard == due.heard:
                    self._silent(call, due.seconds)
            elif due.line < len(call.script.lines) and call.contact_id not in self._from_audio:
                self._hear(call, due, now)

    def _after(self, human_s: float, due: _Due | _SilenceCheck) -> None:
        heapq.heappush(self._timers, (self._monotonic() + human_s / self.speed, next(self._seq), due))
        self.on_scheduled()

    def _check_silence(self, call: _Call) -> None:
        """From now, nothing heard: check again once the silence the rules allow has passed."""
        seconds = self.silent_for_s()
        if math.isfinite(seconds):
            self._after(seconds, _SilenceCheck(call.contact_id, call.generation, call.heard, seconds))

    def _silent(self, call: _Call, seconds: float) -> None:
        with self.conversations.transaction():
            self.on_silence(call.contact_id, seconds, call.last_said, self.conversations.clock.now())

    def _hear(self, call: _Call, due: _Due, now: float) -> None:
        role, said = call.script.lines[due.line]
        if role == "silence":  # nobody speaks for a while; then the next line
            call.next_line = due.line + 1
            self._after(float(said), _Due(call.contact_id, call.generation, call.next_line, 0, 0))
            return
        template = str(said)
        words = template.format(agent=call.agent_name.split()[0] if call.agent_name else "").split()
        started = now if due.words == 0 else due.started
        heard = min(len(words), due.words + INTERIM_WORDS) if due.words else min(len(words), INTERIM_WORDS)
        final = heard >= len(words)
        self._say(call, due.line, "agent" if role == "agent" else "customer", " ".join(words[:heard]), final, started)
        if final:
            call.next_line = due.line + 1
            if call.next_line < len(call.script.lines):
                self._after(self._rng.uniform(*PAUSE_S), _Due(call.contact_id, call.generation, call.next_line, 0, 0))
                self._check_silence(call)
        else:
            self._after(INTERIM_WORDS / WORDS_PER_S, _Due(call.contact_id, call.generation, due.line, heard, started))

    def _say(
        self, call: _Call, index: int, speaker: str, text: str, final: bool, started: float, *, misheard: bool = False
    ) -> None:
        """One version of a line, as heard: told to the transcription engine's ear, masked, published. `misheard`:
        recognised from audio, whose mistakes break card numbers up (heard_masking.py)."""
        call.heard += 1
        if call.owed:
            self._tell_what_was_said(call)
        self.on_heard(call.contact_id, index, speaker, text, final)
        before = [event.line.text for event in call.said if event.line.role == speaker][-SPLIT_REACH:]
        if misheard:
            masked = mask_heard(before, text, final=final)
        else:
            masked = mask_outgoing(before, text if final else settled_part(text))
        self._publish(call, index, speaker, masked, final, started)
        if final:
            call.last_said = masked

    # --- what is heard from a call's audio (heard_calls.py) ---------------------------------

    def hear_audio_of(self, contact_id: str) -> None:
        """The call's sound is real and recognised: its script is no longer read out as its transcript (its lines
        are spoken on the line instead), and `line_heard` gives its lines."""
        self._from_audio.add(contact_id)

    def read_script_of(self, contact_id: str) -> None:
        """The call's sound is no longer recognised (its audio leg ended, or never came): its script is read out when it
        next connects to an agent, and a later recogniser's utterances are new lines."""
        self._from_audio.discard(contact_id)
        call = self._calls.get(contact_id)
        if call is not None:
            call.heard_lines.clear()

    def line_heard(self, contact_id: str, speaker: str, utterance: int, text: str, final: bool, started: float) -> bool:
        """A version of a line recognised from the call's audio: `speaker` "customer" or "agent", `utterance` the
        recogniser's count for that speaker, `started` when it began (the monotonic clock). False when the call is
        not connected to an agent (ringing, on hold, ended): nothing is published."""
        call = self._calls.get(contact_id)
        if call is None or not call.speaking or contact_id not in self._from_audio:
            return False
        key = (speaker, utterance)
        if key not in call.heard_lines:  # a new line, after every line the call has had
            call.heard_lines[key] = call.next_line
            call.next_line += 1
        self._say(call, call.heard_lines[key], speaker, text, final, started, misheard=True)
        if final:
            self._check_silence(call)
        return True

    def _tell_what_was_said(self, call: _Call) -> None:
        """The final lines said before the call's agent took it over, sent to them alone, as they were said."""
        call.owed = False
        topic = agent_topic(call.agent_id)
        with self.conversations.transaction():
            for event in call.said:
                self.conversations.events.publish([topic], event.type, event.model_dump(mode="json"))

    def _publish(self, call: _Call, index: int, speaker: str, text: str, final: bool, started: float) -> None:
        clock = self.conversations.clock
        now = clock.now()
        event = TranscriptionEvent(
            contact_id=call.contact_id,
            line=TranscriptionLine(
                id=f"{call.contact_id}:{index}",
                contact_id=call.contact_id,
                index=index,
                role="agent" if speaker == "agent" else "customer",
                display_name=call.agent_name if speaker == "agent" else CALLER,
                text=text,
                final=final,
                started_at=now - _seconds(self._monotonic() - started),
                at=now,
            ),
        )
        topics = [agent_topic(call.agent_id), *self.conversations.watchers(call.contact_id)]
        if final:
            call.said.append(event)
        with self.conversations.transaction():
            self.conversations.events.publish(topics, event.type, event.model_dump(mode="json"), persist=final)
            if final and event.line.role == "customer":
                self.on_caller_said(call.contact_id, event.line.id, text, now)


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=max(0.0, value))
