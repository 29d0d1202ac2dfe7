"""Snooze and send later from the desk: the selected conversation snoozed until a time, the composer's
reply scheduled to send at one, each taken back; through the contact center, which holds both (a restart of the desk
loses neither). What the contact center answers is applied at once; a refusal is a notice in its words."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.callbacks.callback_rules import agent_zone
from agent_desktop.agent_desk.changes import GiveBack
from agent_desktop.agent_desk.conversations.wait_times import said
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Conversation

if TYPE_CHECKING:
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand


class WaitsDesk(DeskNotices, Protocol):
    """The desk as snooze and send later read it (desk/model.py's Desk): the conversations in hand."""

    @property
    def conversations(self) -> ConversationsInHand: ...


class WaitsUseCase(DeskUseCase[WaitsDesk]):
    own_zone = staticmethod(agent_zone)  # the tests set the agent's zone here

    def _took(self, contact_id: str, conversation: Conversation) -> None:
        self._carry_out(self.desk.conversations.loaded(contact_id, conversation, None))

    async def snooze(self, contact_id: str, until: datetime) -> bool:
        try:
            conversation = await self.ports.waits.snooze(contact_id, until)
        except BackendError as error:
            self.desk.notice(error.message, "Snooze", "error")
            return False
        self._took(contact_id, conversation)
        name = conversation.customer_name or "the customer"
        when = said(until, self.own_zone(), self.now())
        self.desk.notice(f"Snoozed until {when}: a message from {name} wakes it sooner (a thanks does not).", "Snooze")
        return True

    async def wake(self, contact_id: str) -> None:
        try:
            self._took(contact_id, await self.ports.waits.wake(contact_id))
        except BackendError as error:
            self.desk.notice(error.message, "Snooze", "error")

    async def send_later(self, contact_id: str, text: str, send_at: datetime) -> bool:
        """The composer's `text` scheduled; the composer is emptied once the contact center holds it (refused, the
        text stays where it was typed)."""
        try:
            conversation = await self.ports.waits.schedule_reply(contact_id, text, send_at)
        except BackendError as error:
            self.desk.notice(error.message, "Send later", "error")
            return False
        self._took(contact_id, conversation)
        if self.desk.conversations.composer.get(contact_id, "").strip() == text.strip():
            self.desk.conversations.set_composer(contact_id, "")
            self.kept.composer_changed(contact_id)
            self.desk.conversations.gave_back(contact_id)  # the composer shows what is kept: nothing
        when = said(send_at, self.own_zone(), self.now())
        self.desk.notice(f"Reply scheduled for {when}; cancelled if the customer writes first.", "Send later")
        return True

    async def cancel_send_later(self, contact_id: str) -> None:
        """The scheduled reply taken back: its text returns to the composer (its event says it)."""
        conversation = self.desk.conversations.get(contact_id)
        scheduled = conversation.scheduled_reply if conversation is not None else None
        try:
            self._took(contact_id, await self.ports.waits.cancel_scheduled_reply(contact_id))
        except BackendError as error:
            self.desk.notice(error.message, "Send later", "error")
            return
        if scheduled is not None:
            self._carry_out([GiveBack(contact_id, scheduled.text)])
