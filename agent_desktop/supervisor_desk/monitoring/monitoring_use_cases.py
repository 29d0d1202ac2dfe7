"""A supervisor on contacts: join (monitor), change mode, whisper, barge, take a call over, leave, and the monitoring
stream that keeps the contacts watched live. Who may do what is the desk's rule (desk.py: `monitorable`,
`open_line`, `next_mode`); each join, mode change and leave of the supervisor's own is handed to the CRM by the
model as it applies it (monitored.py), since the agent's desk may not be told of a silent monitor; the model
announces what changed, so nothing here asks for a redraw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import LookupResult
from agent_desktop.domain.monitoring.protocol import MonitoringConsole
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.vocabulary import MonitorMode
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContacts
from agent_desktop.supervisor_desk.monitoring.monitored_call import caller_summary
from agent_desktop.supervisor_desk.refusals import refusal_words
from agent_desktop.supervisor_desk.use_case import DeskNotices, SupervisorUseCaseHost


class MonitoringDesk(DeskNotices, Protocol):
    """The supervisor's desk as monitoring reads it (desk.py's SupervisorDesk): the contacts watched, the floor (the
    contact in an agent's hands), and the next mode its keys step to."""

    @property
    def floor(self) -> Floor: ...

    @property
    def monitored(self) -> MonitoredContacts: ...

    def next_mode(self) -> tuple[str, MonitorMode] | None: ...

    def agent_name(self, agent_id: str | None) -> str: ...


class MonitoringUseCases:
    def __init__(
        self,
        controller: SupervisorUseCaseHost[MonitoringDesk],
        console: MonitoringConsole,
        lookup_caller: Callable[[str], Awaitable[LookupResult]] | None = None,
    ) -> None:
        """`console`: the console's monitoring (a stand-in that refuses in words on a contact center that cannot
        monitor, whose keys are never offered); `lookup_caller`: the CRM's lookup, for the customer of a call
        monitored (None: the card says nothing of them)."""
        self.controller = controller
        self.desk = controller.desk
        self.console = console
        self._lookup_caller = lookup_caller
        self._resync: asyncio.Task[object] | None = None

    def _refused(self, error: BackendError, title: str) -> None:
        self.desk.notice(refusal_words(error), title, "error")

    async def follow(self) -> None:
        """The supervisor's monitoring stream: joins, modes, leaves and every event of the contacts watched; on
        each (re)connection, what the supervisor is on is read again beside it."""
        model = self.desk.monitored
        async for item in self.console.monitoring_events():
            if isinstance(item, LinkStatus):
                if item.connected:
                    self._resync = self.controller.spawn(self.resync(), replacing=self._resync)
                continue
            model.apply(item)

    async def resync(self) -> None:
        """After a (re)connection: what the supervisor is on, and each transcript read again."""
        monitored = self.desk.monitored
        try:
            asked_at = monitored.asking()  # joins, modes and leaves seen meanwhile are newer than the list
            sessions = await self.console.monitored()
            monitored.sessions_now(sessions, asked_at, self.controller.now())
            for session in sessions:
                known = monitored.contacts.get(session.contact_id)  # (left while a transcript was read)
                if known is not None and known.conversation is not None:
                    monitored.page(session.contact_id, await self.console.monitored_transcript(session.contact_id))
        except BackendError:
            pass  # the stream's next (re)connection tries again; what changed meanwhile is drawn

    async def join(self, contact_id: str, mode: MonitorMode = MonitorMode.MONITOR) -> None:
        """Join (or change mode): the transcript is read once, then kept live by the stream."""
        monitored = self.desk.monitored
        try:
            known = monitored.joined(await self.console.monitor(contact_id, mode))
            if known.conversation is None and known.caller is None:
                await self._look_up_caller(contact_id)
            if known.conversation is not None and not known.conversation.loaded:
                monitored.page(contact_id, await self.console.monitored_transcript(contact_id))
        except BackendError as error:
            self._refused(error, "Monitor")

    async def _look_up_caller(self, contact_id: str) -> None:
        """A call's customer, read once from the CRM by the number calling (a call's card has no transcript)."""
        known = self.desk.monitored.contacts.get(contact_id)
        contact = self.desk.floor.contact_in_hand(contact_id)
        if known is None or contact is None:
            return
        if self._lookup_caller is None:
            known.caller = "Customer: this desk has no CRM to look them up in."
        else:
            try:
                known.caller = caller_summary(await self._lookup_caller(contact.from_address))
            except BackendError as error:
                known.caller = f"Customer: the CRM did not answer ({refusal_words(error)})."
        self.desk.monitored.mark_changed(contact_id)

    async def next_mode(self) -> None:
        """monitor → whisper → barge → monitor, on the monitored contact the keys act on."""
        if (step := self.desk.next_mode()) is not None:
            await self.join(*step)

    async def say(self, kind: str, contact_id: str, text: str) -> None:
        """A whisper (only the agent sees it) or a barge's message (to the customer), PCI-masked as it leaves."""
        text = self.desk.monitored.outgoing_line(contact_id, kind, text)
        try:
            if kind == "whisper":
                await self.console.whisper(contact_id, text)
            else:
                await self.console.barge_message(contact_id, text)
        except BackendError as error:
            self._refused(error, "Whisper" if kind == "whisper" else "Barge")

    async def take_over(self, contact_id: str) -> None:
        """Take the monitored call (asked first by the screen): it rings the supervisor's softphone and its agent
        wraps it up. Off the monitored contacts once taken, recorded for the CRM as taken over (the stream's leave
        may come first and records it the same); a refusal said in words, the call left as it was."""
        try:
            taken = await self.console.take_over(contact_id)
        except BackendError as error:
            self._refused(error, "Take over")
            return
        at = taken.taken_over_by.at if taken.taken_over_by is not None else self.controller.now()
        self.desk.monitored.left(contact_id, at, took_over=True)
        agent = self.desk.agent_name(taken.agent_id)
        self.desk.notice(f"You took {agent}'s call: it rings your softphone. {agent} wraps it up.", "Take over")

    async def leave(self, contact_id: str | None = None) -> None:
        """Leave `contact_id` (the monitored contact the keys act on unless given)."""
        if contact_id is None:
            current = self.desk.monitored.current()
            contact_id = current.contact_id if current is not None else None
        if contact_id is None:
            return
        try:
            await self.console.leave(contact_id)
        except BackendError as error:
            if error.status != 404:  # 404: not on it any more (the contact ended): gone all the same
                self._refused(error, "Leave")
                return
        self.desk.monitored.left(contact_id, self.controller.now())

    def select_next(self) -> None:
        """The next monitored contact becomes the one the keys act on."""
        self.desk.monitored.select_next()
