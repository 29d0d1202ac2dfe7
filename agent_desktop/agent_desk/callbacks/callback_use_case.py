"""Callbacks an agent owns: scheduling one from the selected contact and reading today's, through the
contact center (callback_rules.py reads what was typed); a refusal is said where the agent typed it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.callbacks.callback_rules import (
    CallbackDraft,
    CallbackRow,
    agent_zone,
    confirmation,
    draft_for,
    first_zone,
    read_time,
    todays_rows,
)
from agent_desktop.agent_desk.refusals import logged_refusal
from agent_desktop.agent_desk.retry_keys import RetryKeys
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.vocabulary import Channel

if TYPE_CHECKING:
    from agent_desktop.agent_desk.callers.lookups import CallerLookup
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.domain.capabilities import ContactCenterCapabilities
    from agent_desktop.domain.models import Contact


class CallbackDesk(DeskNotices, Protocol):
    """The desk as a callback reads it (desk/model.py's Desk): what the contact center serves, the contacts in hand,
    the one selected and the caller's lookup popped."""

    @property
    def capabilities(self) -> ContactCenterCapabilities: ...

    @property
    def held(self) -> dict[str, HeldContact]: ...

    def selected_contact(self) -> Contact | None: ...

    def popped_lookup(self) -> CallerLookup | None: ...


class CallbackUseCase(DeskUseCase[CallbackDesk]):
    own_zone = staticmethod(agent_zone)  # the tests set the agent's zone here

    def __init__(self, controller: UseCaseHost[CallbackDesk]) -> None:
        super().__init__(controller)
        # What the agent typed in a dialog closed without scheduling, by contact: shown when it opens again.
        self._kept: dict[str, CallbackDraft] = {}
        # A callback whose answer was lost is scheduled again under the same Idempotency-Key, even after a restart:
        # stored once.
        self._retries = RetryKeys("callback", self.kept.drafts)

    def first_draft(self) -> CallbackDraft | None:
        """The dialog's first values for the selected contact: what was typed for it and kept, else fresh ones
        (None: no contact selected)."""
        contact = self.desk.selected_contact()
        if contact is None:
            return None
        if contact.id in self._kept:
            return self._kept[contact.id]
        return self.fresh_draft()

    def closed(self, contact_id: str, opened_with: CallbackDraft, typed: CallbackDraft, scheduled: bool) -> None:
        """The dialog closed: scheduled, its draft is done with; cancelled with something typed (or a kept draft
        reopened), it is kept for the contact and said, so the agent knows `b` brings it back; a fresh one closed
        untouched is not."""
        if scheduled or (typed == opened_with and contact_id not in self._kept):
            self._kept.pop(contact_id, None)
            return
        for gone in [cid for cid in self._kept if cid not in self.desk.held]:
            del self._kept[gone]
        self._kept[contact_id] = typed
        self.desk.notice(
            "Not scheduled: the time and note you typed are kept for this contact; b opens them again.", "Callback"
        )

    def fresh_draft(self) -> CallbackDraft:
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
        note = mask_pci(draft.note.strip())
        write = (contact.id, read.due_at, read.zone, note, number)
        key, _ = await self._retries.request_for(write, None)
        try:
            await self.contact_center.schedule_callback(
                contact.id, read.due_at, read.zone, note, number, idempotency_key=key
            )
        except BackendError as error:
            await self._retries.failed(write, key, None, error)
            return logged_refusal(error, "Callback", typed=True)
        await self._retries.answered(write, key)
        self.desk.notice(confirmation(read, self.own_zone(), self.now()), "Callback scheduled")
        return None

    async def today(self) -> list[CallbackRow] | None:
        """The agent's callbacks due today (None: the contact center serves none, or refused: a notice says)."""
        if not self.desk.capabilities.owned_callbacks:
            return None
        try:
            callbacks = await self.contact_center.my_callbacks()
        except BackendError as error:
            self.desk.notice(logged_refusal(error, "Callbacks"), "Callbacks", "error")
            return None
        return todays_rows(callbacks, self.own_zone(), self.now())
