"""The desk driving its softphone: the calls' events followed (matched to contacts, answered when their contact was
accepted), and what the agent does on a call carried to the softphone too (accept answers, hold, resume, end, mute,
DTMF). A softphone that dies or stops answering is said on the call's row; the contact stays in hand and `reconnect`
opens a new link (a softphone the desk started is started again).

Where the contact center rings the agent's own softphone (capability `softphone_contact`), the desk tells it where
each time the link opens (sign-in, and after `R`: the softphone may be at a new port) and takes it back at sign-out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.agent_desk.voice.call_media import LinkState, MediaState
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind, Softphone, SoftphoneError
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import TALKING, Channel

if TYPE_CHECKING:
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.voice.call_media import SoftphoneCalls
    from agent_desktop.domain.capabilities import ContactCenterCapabilities
    from agent_desktop.domain.models import Offer

log = logging.getLogger(__name__)
NOTICE = "Softphone"


@dataclass
class _Accepting:
    """A contact's accepts on their way to the contact center, and the answers its call was sent meanwhile."""

    sends: int = 0
    answers: list[asyncio.Future[object]] = field(default_factory=list)


class SoftphoneDesk(DeskNotices, Protocol):
    """The desk as the softphone's use cases read it (desk/model.py's Desk): what the contact center serves, the
    offer, the contacts in hand and the selection, and the calls' sound."""

    @property
    def capabilities(self) -> ContactCenterCapabilities: ...

    @property
    def offer(self) -> Offer | None: ...

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def selected_id(self) -> str | None: ...

    @property
    def softphone(self) -> SoftphoneCalls: ...


class SoftphoneUseCases(DeskUseCase[SoftphoneDesk]):
    def __init__(self, controller: UseCaseHost[SoftphoneDesk], softphone: Softphone) -> None:
        super().__init__(controller)
        self.softphone = softphone
        self.calls = self.desk.softphone
        self.registered = ""  # the contact the contact center rings now, as the desk told it ("": none)
        self._accepting: dict[str, _Accepting] = {}  # by contact id

    # --- the softphone's events --------------------------------------------------------------------------------

    async def follow(self, *, again: bool = False) -> None:
        """Follow the softphone's calls until its link breaks (then said, and `follow(again=True)` reconnects)."""
        if not self.calls.sound:
            return
        try:
            await (self.softphone.reconnect() if again else self.softphone.connect())
            self.calls.link_up(self.softphone.sound_problem(), self.softphone.ringer())
            self._spawn(self.register())
            async for event in self.softphone.events():
                self.apply(event)
        except SoftphoneError as error:
            self.calls.link_lost(one_line(str(error)))

    # --- where the contact center rings the softphone ----------------------------------------------------------------

    async def register(self) -> None:
        """The softphone's contact told to the contact center, so that the agent's calls ring it; a refusal said once.
        Nothing where the contact center does not ring softphones or the softphone cannot say where it is."""
        if not self.desk.capabilities.softphone_contact:
            return
        try:
            contact = await self.softphone.contact_uri()
        except SoftphoneError:
            return  # the link is said lost by `follow`
        if not contact:
            return
        try:
            await self.ports.registrar.register_softphone(contact)
        except BackendError as error:
            log.warning("the contact center did not take the softphone's contact: %s", error.status)
            self.desk.notice(f"Calls will not ring your softphone: {one_line(error.message)}", NOTICE, "warning")
            return
        self.registered = contact

    async def sign_out(self) -> None:
        """The softphone's contact taken back at the contact center (its calls are simulated again): at sign-out."""
        if self.registered:
            self.registered = ""
            await self.ports.registrar.forget_softphone()

    def apply(self, event: CallEvent) -> None:
        contact_id = self.calls.apply(event, self._candidates())
        if contact_id is None:
            return
        if event.kind is CallEventKind.INCOMING and contact_id in self._accepting:
            self._accepting[contact_id].answers.append(self._spawn(self._answer(contact_id)))  # its accept on its way
        elif event.kind is CallEventKind.INCOMING and self._in_hand(contact_id):
            self._spawn(self._chime_and_answer(contact_id))  # accepted before its call rang: answered now
        elif event.kind is CallEventKind.MEDIA_UP:
            self._spawn(self._read_codec(contact_id, event.call_id))

    def _candidates(self) -> list[Contact]:
        """The voice contacts a call may carry: the one offered first, then those in hand."""
        desk = self.desk
        offered = [desk.offer.contact] if desk.offer is not None else []
        held = [held.contact for held in desk.held.values() if held.contact.state in TALKING]
        return [contact for contact in offered + held if contact.channel is Channel.VOICE]

    def _in_hand(self, contact_id: str) -> bool:
        held = self.desk.held.get(contact_id)
        return held is not None and held.contact.state in TALKING

    async def _read_codec(self, contact_id: str, call_id: str) -> None:
        try:
            codec = one_line(await self.softphone.codec(call_id))[:40]
        except SoftphoneError:
            return  # the call's state says the rest; the codec is a detail
        self.calls.update(contact_id, codec=codec)

    # --- the agent's actions, carried to the softphone -----------------------------------------------------------

    async def accept(self, contact: Contact, sent: Awaitable[object | None]) -> None:
        """The agent's accept of `contact`, `sent` to the contact center (None: refused, and said so by the sender).
        Its call is answered at once, as the accept goes, not once it is taken (a call that rings meanwhile or later
        is answered as it rings). A refused accept hangs up what was answered: the softphone never talks for a
        contact the agent does not have. A call left ringing rings on: the contact may stay offered."""
        if contact.channel is not Channel.VOICE or self.calls.link is not LinkState.UP:
            await sent
            return
        accepting = self._accepting.setdefault(contact.id, _Accepting())
        accepting.sends += 1
        accepting.answers.append(self._spawn(self._answer_matched(contact)))
        try:
            accepted = await sent
        finally:
            accepting.sends -= 1
            if accepting.sends == 0:
                del self._accepting[contact.id]
        answered = [result is True for result in await asyncio.gather(*accepting.answers, return_exceptions=True)]
        if accepted is not None:
            await self._answer_matched(contact)  # a call that rang unmatched meanwhile, matched now
        elif any(answered) and not self._in_hand(contact.id):
            await self.ended(contact.id)

    async def _answer_matched(self, contact: Contact) -> bool:
        """The contact's ringing call answered, one that rang before its offer matched now: True if answered."""
        if self.calls.link is LinkState.UP and self.calls.match_waiting(contact) is not None:
            return await self._answer(contact.id)
        return False

    async def _chime_and_answer(self, contact_id: str) -> None:
        """A call whose contact was in hand before it rang (auto-accepted, or accepted at once) is answered without a
        ring the agent would hear: a short chime on the ringer device first, so its arrival is heard all the same."""
        try:
            await self.softphone.chime()
        except SoftphoneError as error:  # a softphone without the sound: the call is answered all the same
            log.info("no chime for an answered call: %s", one_line(str(error))[:120])
        await self._answer(contact_id)

    async def _answer(self, contact_id: str) -> bool:
        media = self.calls.media(contact_id)
        if media is not None and media.state is MediaState.RINGING:
            return await self._on_call(contact_id, self.softphone.answer, "Answer")
        return False

    async def dial(self, uri: str) -> None:
        """A call the agent placed: its agent leg dialled on the softphone (its RINGING matches it to the contact by
        the number dialled); a softphone that cannot is said, the contact stays in hand."""
        if self.calls.link is not LinkState.UP:
            return
        try:
            await self.softphone.dial(uri)
        except SoftphoneError as error:
            self.desk.notice(f"Dial: {one_line(str(error))}", NOTICE, "warning")

    async def held(self, contact_id: str) -> None:
        if await self._on_call(contact_id, self.softphone.hold, "Hold"):
            self.calls.update(contact_id, state=MediaState.ON_HOLD)

    async def resumed(self, contact_id: str) -> None:
        if await self._on_call(contact_id, self.softphone.resume, "Resume"):
            self.calls.update(contact_id, state=MediaState.CONNECTED)

    async def ended(self, contact_id: str) -> None:
        await self._on_call(contact_id, self.softphone.hang_up, "Hang up")

    async def toggle_mute(self) -> None:
        """The selected call's microphone muted, or unmuted if it was."""
        contact_id = self.desk.selected_id
        media = self.calls.media(contact_id)
        if contact_id is None or media is None:
            return
        muting = not media.muted
        if await self._on_call(contact_id, self.softphone.mute if muting else self.softphone.unmute, "Mute"):
            self.calls.update(contact_id, muted=muting)

    async def send_dtmf(self, digits: str) -> None:
        """Digits to the selected call (a payment line, an IVR). The digits are not kept or logged: they may be a
        card's."""
        contact_id = self.desk.selected_id
        if contact_id is not None and await self._on_call(
            contact_id, lambda call_id: self.softphone.send_dtmf(call_id, digits), "Keypad"
        ):
            self.desk.notice(f"{len(digits)} keypad tones sent.", NOTICE)

    async def _on_call(self, contact_id: str, command: Callable[[str], Awaitable[None]], title: str) -> bool:
        """`command` on the contact's softphone call, if it has one that is up; a refusal said, a softphone that does
        not answer said on the call's row. True if carried out."""
        call_id = self.calls.live_call(contact_id)
        if call_id is None:
            return False
        try:
            await command(call_id)
        except SoftphoneError as error:
            words = one_line(str(error))
            log.warning("the softphone did not carry out %s: %s", title, type(error).__name__)
            self.calls.call_lost(contact_id, words)
            self.desk.notice(f"{title}: {words}", NOTICE, "warning")
            return False
        return True
