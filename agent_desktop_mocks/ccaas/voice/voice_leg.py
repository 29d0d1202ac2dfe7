"""The voice leg: a call offered to an agent with a registered softphone is a real SIP call from a real caller.

Per contact, one caller's softphone (caller_phone.py) is started when the call is first offered to such an agent; its
microphone is the call's script spoken (script_audio.py); it dials the agent's contact through the mock's SIP proxy
(sip_proxy.py: `X-Agent-Desktop-Contact`); the call's audio both ways passes through a media relay of the call's
(rtp_relay.py), which the contact center hears it at: each side's decoded audio goes to that side's recogniser
(`Hearing`, call_transcripts/heard_calls.py), and the call's live transcript is what was recognised, no longer its
script read out. The contact's state on the mock drives the call and the call's end drives the contact:
- offered: the agent's softphone rings; the offer closed unaccepted (rejected, expired, cancelled): the ringing stops
  and the next offer rings again; the agent accepts on the desk and answers on their softphone (the desk does both);
- on hold: hold music into the caller's ear from the relay (hold_music.py), stopped when the contact leaves the hold;
- ended, abandoned, completed, transferred away: the mock hangs the caller up and stops its softphone;
- transferred to another agent (blind: when it is offered to them; a consult completed: at once, the contact is
  theirs): the caller's call to the first agent's softphone is hung up and the caller dials the expert's, going on
  with the script where it was (the first agent's leg closes; the caller, the relay and its ears are the call's);
- taken over by a supervisor (`ended_by = takeover`: the agent goes to wrap-up): the caller's call to the agent's
  softphone is hung up and the caller dials the supervisor's registered softphone, going on with the script; from
  then on the contact's changes (the agent's wrap-up) do not touch the call, which ends when either side hangs up;
- measured for coaching while talking (leg_coaching.py); recorded from the first ring to the call's end, both sides
  mixed, by the relay (call_recording.py), silence while the agent has the recording paused; placed by the agent to a
  number's line on this machine (phone_lines.py), the proxy telling either side's hang-up;
- the caller hanging up (their script said to its end) ends a connected contact as the customer's hang-up
  (`ended_by = customer`); the agent's softphone hanging up ends it as the agent's; a caller's softphone that dies
  is a dropped line, the customer's. A caller gone while the agent's phone rings is the supervisor's `abandon`.

Calls to agents without a softphone are not touched: the 1,000-agent floor starts no process. A caller who leaves a
message is answered by the voicemail box (voicemail_box.py), through this proxy and a relay in `boxed`. Everything
runs on the server's event loop; engine commands are run from tasks, never from inside the engine's listener."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, DomainEvent, OfferClosed, OfferMade
from agent_desktop_mocks.ccaas.core.errors import REFUSALS
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact, ContactState, OfferState
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScripts
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped as shipped_scripts
from agent_desktop_mocks.ccaas.voice.caller_phone import CallerEvent, CallerPhone, CallerPhoneError
from agent_desktop_mocks.ccaas.voice.caller_scripts import CallerScripts
from agent_desktop_mocks.ccaas.voice.contact_uri import SipContact
from agent_desktop_mocks.ccaas.voice.hearing import Hearing
from agent_desktop_mocks.ccaas.voice.leg_coaching import LegCoaching
from agent_desktop_mocks.ccaas.voice.media.call_levels import TICK_S, CallLevelEvent
from agent_desktop_mocks.ccaas.voice.media.call_recording import CallRecording, Recordings
from agent_desktop_mocks.ccaas.voice.media.rtp_relay import RATE, SIDES, RtpRelay, Side
from agent_desktop_mocks.ccaas.voice.media.script_audio import ScriptAudio
from agent_desktop_mocks.ccaas.voice.media.sdp import Media
from agent_desktop_mocks.ccaas.voice.phone_lines import PhoneLines, dial_uri
from agent_desktop_mocks.ccaas.voice.sip_proxy import SipProxy
from agent_desktop_mocks.ccaas.voice.softphones import Softphones
from agent_desktop_mocks.ccaas.voice.talk_figures import CallCoachingEvent, CoachingRules

log = logging.getLogger(__name__)

CLOSED_BY_PEER = "Connection reset by peer"  # baresip 1.0: the other side (the agent's softphone) hung up
GONE = (ContactState.AFTER_CONTACT_WORK, ContactState.COMPLETED, ContactState.ABANDONED)


@dataclass
class _Leg:
    contact_id: str
    phone: CallerPhone | None = None
    relay: RtpRelay | None = None
    ringing: str | None = None  # the agent whose softphone it dialled, until the call closes
    answered: bool = False
    answered_at: float | None = None  # on the loop's clock: when the softphone now on the call answered it
    said_s: float = 0.0  # of the caller's script, said to softphones since their microphone last began: skipped next
    closing: bool = False  # the mock hung it up: its close is not the caller's
    finished: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    meter: asyncio.Task[None] | None = None  # each side's level, told to the agent whose softphone has the call
    recording: CallRecording | None = None  # what the contact center records of the call (call_recording.py)
    taken_by: str | None = None  # the supervisor who took the call over: theirs now, not the contact's agent's


class VoiceLeg:
    def __init__(
        self,
        engine: Engine,
        softphones: Softphones,
        folder: Path,
        *,
        scripts: CallScripts | None = None,
        hearing: Hearing | None = None,
        tell_levels: Callable[[str, CallLevelEvent], None] | None = None,
        recordings: Recordings | None = None,
        supervisors: Softphones | None = None,
        tell_coaching: Callable[[CallCoachingEvent], None] | None = None,
        coaching: CoachingRules | None = None,
    ) -> None:
        """`folder`: the mock's `voice/` data folder (the spoken lines' cache, the calls' WAVs, the hold music).
        `hearing`: who recognises the calls' speech (None: nobody, the calls' transcripts stay as they are).
        `tell_levels`: publishes a call's levels on an agent's stream (None: they are measured, told to nobody).
        `recordings`: where the calls are recorded (None: `folder`'s `recordings/`). `supervisors`: the supervisors'
        softphones, where a call taken over goes (None: none registered). `tell_coaching`: publishes a call's coaching
        figures (None: told to nobody), by the `coaching` rules."""
        self.engine, self.softphones, self.supervisors = engine, softphones, supervisors or Softphones()
        self.audio = ScriptAudio(folder)
        self.scripts = scripts or shipped_scripts()
        self.hearing = hearing
        self.tell_levels = tell_levels
        self.recordings = recordings or Recordings(folder / "recordings")
        self.coaching = LegCoaching(tell_coaching, coaching, engine)
        self.tell_coaching = tell_coaching  # how the contact center publishes them (a scene or a test tells its own)
        self.lines = PhoneLines()  # the numbers a call the agent places reaches on this machine
        self.proxy = SipProxy(self._contact_of, self._anchor, self.lines.placed, self._placed_hung_up)
        self._legs: dict[str, _Leg] = {}
        self._by_sip_port: dict[int, str] = {}
        self.boxed: dict[str, tuple[int, RtpRelay]] = {}  # the box's calls: contact id → the caller's SIP port, relay
        self.callers = CallerScripts(lambda: self.scripts)  # what each caller says (where the bot left them)
        self._tasks: set[asyncio.Task[None]] = set()
        self._music: bytes | None = None

    async def start(self) -> None:
        await self.proxy.start()

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for leg in list(self._legs.values()):
            await self._finish(leg)
        self.proxy.close()

    def caller_rtp_port(self, contact_id: str) -> int | None:
        """Where the caller of a call under way hears (its RTP port on 127.0.0.1): what a test measures there."""
        leg = self._legs.get(contact_id)
        return leg.phone.rtp_port if leg is not None and leg.phone is not None else None

    def relay(self, contact_id: str) -> RtpRelay | None:
        """The media relay of a call under way (what it passed on, from which side)."""
        return leg.relay if (leg := self._legs.get(contact_id)) is not None else None

    def _contact_of(self, sip_port: int) -> str | None:
        return self._by_sip_port.get(sip_port) or next((c for c, (p, _) in self.boxed.items() if p == sip_port), None)

    def _anchor(self, contact_id: str, side: Side, media: Media) -> int | None:
        leg, boxed = self._legs.get(contact_id), self.boxed.get(contact_id)
        if leg is None or leg.relay is None or leg.finished:
            return boxed[1].anchor(side, media) if boxed is not None else None
        return leg.relay.anchor(side, media)

    # --- the engine's changes: what they do to the calls -----------------------------------------------------------

    def on_engine_events(self, events: list[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, OfferMade):
                contact, agent_id = event.offer.contact, event.offer.agent_id
                rung = contact.channel == Channel.VOICE and contact.voicemail is None  # a message left rings nobody
                if rung and self.softphones.contact(agent_id) is not None:
                    leg = self._legs.setdefault(contact.id, _Leg(contact.id))
                    if self.hearing is not None:  # before the offer can be accepted: no script line read out first
                        self.hearing.expect(contact.id)
                    self._spawn(self._ring(leg, contact, agent_id))
            elif isinstance(event, OfferClosed):
                ringing = self._legs.get(event.offer.contact.id)
                if ringing is not None and event.offer.state != OfferState.ACCEPTED:
                    self._spawn(self._stop_ringing(ringing, event.offer.agent_id))
            elif isinstance(event, ContactChanged) and event.contact.id in self._legs:
                self._spawn(self._follow(self._legs[event.contact.id], event.kind, event.contact))
            elif isinstance(event, ContactChanged) and event.contact.state in GONE:
                self.callers.forget(event.contact.id)

    def ring(self, contact: Contact, sip: SipContact) -> None:
        """A call already in its agent's hands rung at `sip` (the Twilio-shaped mock's conference instruction dials
        the worker's `contact_uri` once the reservation is accepted); nothing if its call is already ringing."""
        if contact.channel != Channel.VOICE or contact.agent_id is None:
            return
        leg = self._legs.setdefault(contact.id, _Leg(contact.id))
        if leg.ringing is not None or leg.finished:
            return
        if self.hearing is not None:
            self.hearing.expect(contact.id)
        self._spawn(self._ring(leg, contact, contact.agent_id, sip))

    async def place(self, contact: Contact, line: str | None = None) -> str | None:
        """A call the agent placed, on the real voice path: its relay and recording as an offered call's, its line (`line`, a
        colleague's softphone; else the number's) kept for the proxy; what the agent's softphone dials (None: none)."""
        line = line or self.lines.line(contact.from_address)
        if contact.agent_id is None or self.softphones.contact(contact.agent_id) is None or line is None:
            return None
        leg = self._legs.setdefault(contact.id, _Leg(contact.id))
        async with leg.lock:
            await self._open_media(leg)
            leg.ringing, leg.answered = contact.agent_id, True  # levels told to the agent; music on a hold
            await self._listen(leg)
            self.lines.place(contact.id, line)
        return dial_uri(contact.from_address, contact.id, self.proxy.port, internal=contact.colleague is not None)

    async def _open_media(self, leg: _Leg) -> None:
        """The call's relay opened, recorded from now, its levels measured."""
        leg.relay = await RtpRelay(leg.contact_id).open()
        recording, now = self.recordings.start(leg.contact_id, audio=True), self.recordings.now
        leg.recording, leg.relay.recorder = recording, lambda side, pcm: recording.add(side, pcm, now())
        leg.meter = asyncio.get_running_loop().create_task(self._meter(leg), name="call levels")

    def _placed_hung_up(self, contact_id: str, side: Side) -> None:
        """A placed call's BYE, seen by the proxy: the contact ends as its side's hang-up (the mock owns no phone of
        it to hear the end from)."""
        leg = self._legs.get(contact_id)
        if leg is not None and self.lines.placed(contact_id) is not None and not leg.finished:
            self._spawn(self._ended(leg, side == "customer", f"BYE from the {side}"))

    def _spawn(self, work: object) -> None:
        assert asyncio.iscoroutine(work)
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("the voice leg failed", exc_info=task.exception())

    async def _ring(self, leg: _Leg, contact: Contact, agent_id: str, dialled: SipContact | None = None) -> None:
        """Dial the agent's softphone: the one registered while the call is offered to them, or `dialled` while it is
        in their hands."""
        sip = dialled or self.softphones.contact(agent_id)
        async with leg.lock:
            if leg.finished or sip is None:
                return
            try:
                if leg.phone is None:
                    leg.phone = await self._caller(contact)
                elif leg.said_s > 0:  # moved to another softphone: the caller goes on where they were
                    said, leg.said_s = leg.said_s, 0.0
                    await asyncio.to_thread(self.audio.rest, leg.phone.source, said)
                if leg.relay is None:
                    await self._open_media(leg)
                if leg.taken_by is None and not self._still_for(contact.id, agent_id, in_hand=dialled is not None):
                    self._stop_hearing(leg)
                    return
                if leg.taken_by is None:  # (a call taken over is no longer the contact's: its wrap-up has begun)
                    await self._listen(leg)
                leg.ringing, leg.answered, leg.closing = agent_id, False, False
                await leg.phone.dial(sip.uri)
            except (CallerPhoneError, OSError) as error:  # no baresip, a port taken: the call stays simulated
                log.warning("contact %s: no caller's softphone (%s); the call is simulated", contact.id, error)
                self._stop_hearing(leg)

    async def _listen(self, leg: _Leg) -> None:
        """Each side's recogniser on the relay's ears; a hearing that cannot hear leaves the script read out."""
        if self.hearing is None or leg.relay is None:
            return
        if not await self.hearing.prepare():
            self._stop_hearing(leg)
            return
        self.hearing.expect(leg.contact_id)
        for side in SIDES:
            leg.relay.ears[side] = self.hearing.listen(leg.contact_id, side, RATE).feed

    def _stop_hearing(self, leg: _Leg) -> None:
        if leg.relay is not None:
            leg.relay.ears.clear()
        if self.hearing is not None:
            self.hearing.end(leg.contact_id, 0)  # the recognisers' threads end on their own: the loop does not wait

    async def _caller(self, contact: Contact) -> CallerPhone:
        script = self.callers.for_caller(contact)
        calls = self.audio.folder / "calls"
        calls.mkdir(parents=True, exist_ok=True)
        wav = await asyncio.to_thread(self.audio.call, script, calls / f"{contact.id}.wav")
        if self._music is None:
            self._music = (await asyncio.to_thread(self.audio.hold_music)).read_bytes()
        phone = CallerPhone(contact.id, wav, self.proxy.port, contact.from_address)
        phone.on_event = lambda event: self._heard(contact.id, event)
        self._by_sip_port[phone.sip_port] = contact.id
        await phone.start()
        return phone

    def _still_for(self, contact_id: str, agent_id: str, *, in_hand: bool) -> bool:
        """Whether the call is still offered to the agent (or, `in_hand`, still in their hands)."""
        states = (ContactState.CONNECTED, ContactState.ON_HOLD) if in_hand else (ContactState.OFFERED,)
        with contextlib.suppress(*REFUSALS):
            contact = self.engine.read.contact(contact_id)
            return contact.state in states and contact.agent_id == agent_id
        return False

    async def _meter(self, leg: _Leg) -> None:
        """Each side's level of the call a few times a second, told only when it changed (call_levels.py)."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        while leg.relay is not None and not leg.finished:
            due = max(due + TICK_S, loop.time())
            await asyncio.sleep(due - loop.time())
            if leg.recording is not None:
                leg.recording.flush(self.recordings.now())
            levels = leg.relay.levels.take(TICK_S)
            if levels is not None and leg.ringing is not None and leg.taken_by is None and self.tell_levels is not None:
                event = CallLevelEvent(contact_id=leg.contact_id, customer=levels["customer"], agent=levels["agent"])
                self.tell_levels(leg.ringing, event)
            talking = leg.answered and not leg.relay.playing and leg.taken_by is None  # on hold neither is heard
            self.coaching.frame(leg.contact_id, leg.ringing, leg.relay.levels.last if talking else None)

    async def _stop_ringing(self, leg: _Leg, agent_id: str) -> None:
        async with leg.lock:
            if leg.ringing == agent_id and not leg.answered:
                await self._hang_up(leg)

    async def _follow(self, leg: _Leg, kind: str, contact: Contact) -> None:
        async with leg.lock:
            if leg.finished or leg.taken_by is not None:
                return
            taken = contact.taken_over_by
            if contact.ended_by == "takeover" and taken is not None and leg.phone is not None:
                to = self.supervisors.contact(taken.supervisor_id)
                if to is not None:
                    await self._hang_up(leg)  # the agent's leg closes; the caller goes on with the supervisor
                    leg.taken_by = taken.supervisor_id
                    self._spawn(self._ring(leg, contact, taken.supervisor_id, to))
                    return
            if contact.state in GONE or (kind == "transferred" and contact.agent_id is None):
                await self._finish(leg)
                return
            if kind == "transferred" and leg.ringing not in (None, contact.agent_id):
                await self._hang_up(leg)  # to another agent: their softphone rings when it is offered to them
                expert = self.softphones.contact(contact.agent_id) if contact.agent_id else None
                if expert is not None and contact.agent_id and contact.state == ContactState.CONNECTED:
                    # a consult completed: the contact is already the expert's, no offer will ring them
                    self._spawn(self._ring(leg, contact, contact.agent_id, expert))
            if contact.state == ContactState.ON_HOLD and leg.relay is not None and leg.answered:
                if self._music is not None:
                    leg.relay.play_to_caller(self._music)
            elif leg.relay is not None:
                await leg.relay.stop_playing()

    async def _hang_up(self, leg: _Leg) -> None:
        if leg.phone is not None and leg.ringing is not None:
            if leg.answered and leg.answered_at is not None:
                leg.said_s += asyncio.get_running_loop().time() - leg.answered_at
            leg.answered_at = None
            leg.closing = True
            leg.ringing, leg.answered = None, False
            with contextlib.suppress(CallerPhoneError):
                await leg.phone.hang_up()
        self._stop_hearing(leg)
        if leg.relay is not None:
            await leg.relay.stop_playing()

    async def _finish(self, leg: _Leg) -> None:
        if leg.finished:
            return
        leg.finished = True
        if leg.meter is not None:
            leg.meter.cancel()
        self.coaching.end(leg.contact_id, leg.ringing)
        await self._hang_up(leg)
        self._stop_hearing(leg)
        self.proxy.forget(leg.contact_id)
        if leg.relay is not None:
            await leg.relay.close()
        if leg.recording is not None:
            leg.recording.close(self.recordings.now())
        if leg.phone is not None:
            self._by_sip_port.pop(leg.phone.sip_port, None)
            await leg.phone.stop()
            with contextlib.suppress(OSError):
                leg.phone.source.unlink()
        self._legs.pop(leg.contact_id, None)

    # --- the call's changes: what they do to the contact -----------------------------------------------------------

    def _heard(self, contact_id: str, event: CallerEvent) -> None:
        leg = self._legs.get(contact_id)
        if leg is None or leg.finished:
            return
        if event.kind == "CALL_ESTABLISHED":
            leg.answered, leg.answered_at = True, asyncio.get_running_loop().time()
        elif event.kind in ("CALL_CLOSED", "LINK_CLOSED"):
            if leg.closing:
                leg.closing = False
                return
            answered, leg.ringing, leg.answered = leg.answered, None, False
            if leg.taken_by is not None:  # the supervisor's call: its end is the call's, the contact is wrapping up
                self._spawn(self._end_taken(leg))
            elif answered or event.kind == "LINK_CLOSED":
                by_customer = event.reason != CLOSED_BY_PEER
                self._spawn(self._ended(leg, by_customer, event.reason))
            else:  # the agent's softphone refused it, or it never rang: the offer runs its course
                log.info("contact %s: the agent's softphone did not take the call: %s", contact_id, event.reason[:200])

    async def _end_taken(self, leg: _Leg) -> None:
        async with leg.lock:
            await self._finish(leg)

    async def _ended(self, leg: _Leg, by_customer: bool, reason: str) -> None:
        """The call ended on the line: a contact still talking ends, as the customer's hang-up or the agent's."""
        try:
            contact = self.engine.read.contact(leg.contact_id)
            if contact.state in (ContactState.CONNECTED, ContactState.ON_HOLD):
                self.engine.contacts.end(leg.contact_id, "customer" if by_customer else "agent")
        except REFUSALS as error:
            log.info("contact %s: the call ended (%s) but the contact does not: %s", leg.contact_id, reason, error)
