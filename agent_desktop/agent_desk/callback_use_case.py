"""Callbacks an agent owns (issue 45): scheduling one from the selected contact and reading today's, through the
contact center (callback_rules.py reads what was typed); a refusal is said where the agent typed it."""

from __future__ import annotations

from agent_desktop.agent_desk.callback_rules import (
    CallbackDraft,
    CallbackRow,
    agent_zone,
    draft_for,
    first_zone,
    read_time,
    todays_rows,
)
from agent_desktop.agent_desk.use_case import DeskUseCase
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.vocabulary import Channel


class CallbackUseCase(DeskUseCase):
    own_zone = staticmethod(agent_zone)  # the tests set the agent's zone here

    def first_draft(self) -> CallbackDraft | None:
        """The dialog's first values for the selected contact (None: no contact selected)."""
        if self.desk.selected_contact() is None:
            return None
        lookup = self.desk.popped_lookup()
        customer = lookup.record.customer if lookup is not None and lookup.record is not None else None
        zone = first_zone(customer.time_zone if customer is not None else None, self.own_zone())
        return draft_for(self.now(), zone)

    async def schedule(self, draft: CallbackDraft) -> str | None:
        """Schedule it for the selected contact; None when done (a notice says when), else why not in words."""
        contact = self.desk.selected_contact()
        if contact is None:
            return "No contact is selected any more."
        read = read_time(draft, self.now())
        if isinstance(read, str):
            return read
        number = None
        if contact.channel != Channel.VOICE:  # a chat or email: the customer's phone from their record
            lookup = self.desk.popped_lookup()
            phones = lookup.record.customer.phones if lookup is not None and lookup.record is not None else []
            number = phones[0] if phones else None
        try:
            await self.contact_center.schedule_callback(
                contact.id, read.due_at, read.zone, mask_pci(draft.note.strip()), number
            )
        except BackendError as error:
            return error.message
        self.desk.notice(f"Callback at {read.due_at:%Y-%m-%d %H:%M} {read.zone}", "Callback scheduled")
        return None

    async def today(self) -> list[CallbackRow] | None:
        """The agent's callbacks due today (None: the contact center serves none, or refused: a notice says)."""
        if not self.desk.capabilities.owned_callbacks:
            return None
        try:
            callbacks = await self.contact_center.my_callbacks()
        except BackendError as error:
            self.desk.notice(error.message, "Callbacks", "error")
            return None
        return todays_rows(callbacks, self.own_zone(), self.now())
