"""The supervisor's own softphone (`[softphone]`, as the agent's desk reads it): its link opened as the desk starts,
its SIP contact registered with the contact center (so a call they take over rings it), taken back as the desk ends;
a call ringing it answered (it rings only with a call they took). Whether it is ready is said in two words on the
monitor panel's title, where `T` is offered; a softphone that fails is said once in one line, with its reason, and
the desk goes on without it (`T` is then refused in the contact center's words)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from agent_desktop.domain.calls.softphone import CallEventKind, Softphone, SoftphoneError, SoftphoneRegistrar
from agent_desktop.domain.changes import Severity
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.formats.text import one_line

log = logging.getLogger(__name__)
READY = "phone ready"
FAILED = "phone failed"
NONE = "no phone"  # no `[softphone]`: a take-over is refused (docs/voice.md)
NOTICE = "Your softphone"


class SupervisorPhone:
    def __init__(
        self,
        softphone: Softphone,
        registrar: SoftphoneRegistrar,
        said: Callable[[str], None],
        notice: Callable[[str, str, Severity], None],
    ) -> None:
        """`said(words)`: how the phone is now, in two words (the monitor panel's title); `notice(text, title,
        severity)`: why it failed, once, in one line."""
        self.softphone = softphone
        self.registrar = registrar
        self._said = said
        self._notice = notice
        self.registered = ""  # the contact the contact center rings with a call taken over ("": none)
        self.state = ""
        self._say(NONE if not softphone.capabilities.sound else "phone starting")

    def _say(self, words: str) -> None:
        self.state = words
        self._said(words)

    def _failed(self, why: str) -> None:
        self._say(FAILED)
        self._notice(f"{why[:200]}. The desk goes on; T (take over) is refused until it works.", NOTICE, "warning")

    async def follow(self) -> None:
        """Open the link, register where it rings, answer the calls that ring it, until its link breaks (said)."""
        if not self.softphone.capabilities.sound:
            return
        try:
            await self.softphone.connect()
            contact = await self.softphone.contact_uri()
            if contact:
                await self.registrar.register_softphone(contact)
                self.registered = contact
            problem = self.softphone.sound_problem()
            self._say(f"{READY}, silent" if problem else READY)  # (no sound device: calls connect, not heard)
            async for event in self.softphone.events():
                if event.kind is CallEventKind.INCOMING:
                    await self._answer(event.call_id)
        except SoftphoneError as error:
            self._failed(f"Your softphone failed: {one_line(str(error))}")
        except BackendError as error:
            log.warning("the contact center did not take the supervisor's softphone: %s", error.status)
            self._failed(f"The contact center did not take your softphone: {one_line(error.message)}")

    async def _answer(self, call_id: str) -> None:
        try:
            await self.softphone.answer(call_id)
        except SoftphoneError as error:  # the caller gone already; a broken link ends `events()` next
            log.warning("the supervisor's softphone did not answer a call: %s", one_line(str(error))[:120])

    async def sign_out(self) -> None:
        """The contact taken back at the contact center: a call taken over no longer rings here."""
        if not self.registered:
            return
        self.registered = ""
        try:
            await self.registrar.forget_softphone()
        except BackendError as error:
            log.warning("the supervisor's softphone was not taken back: %s", error.status)
