"""The agent's use cases, without a terminal: the desk's state changes and the backend calls behind every
key. The screen calls these (in its workers) and draws the desk; the controller tells it that something
changed through one callback, which the screen coalesces into one redraw per burst.

Events are applied in the turn they are parsed, and a CRM lookup they call for starts in that same turn,
not when the screen's message queue reaches the offer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from desktop.backends.errors import BackendError
from desktop.backends.models import (
    AgentState,
    Contact,
    ContactState,
    Customer,
    Expert,
    ExpertMessageEvent,
    LookupResult,
    NewCustomer,
    PresenceEvent,
    Target,
)
from desktop.backends.protocols import ContactCenter, Crm, PresenceDirectory
from desktop.backends.link_status import LinkStatus
from desktop.caller_id import is_withheld
from desktop.desk.changes import Effect, ForgetDraft, LoadQueues, LookUpCaller, SearchExperts
from desktop.desk.desk import Desk
from desktop.desk.drafts import Draft, DraftStore
from desktop.outbox.outcome import wrap_up_outcome
from desktop.outbox.store import EntryKind, Outbox, OutboxEntry
from desktop.outbox.wrap_up import enqueue_wrap_up

T = TypeVar("T")
DRAFT_SAVE_DELAY_S = 0.3  # typing settles before a draft goes to disk


class DeskController:
    def __init__(
        self,
        desk: Desk,
        contact_center: ContactCenter,
        crm: Crm,
        presence: PresenceDirectory,
        outbox: Outbox,
        *,
        drafts: DraftStore | None = None,
        changed: Callable[[], None] = lambda: None,
        outbox_written: Callable[[], None] = lambda: None,
    ) -> None:
        self.desk = desk
        self.contact_center = contact_center
        self.crm = crm
        self.presence = presence
        self.outbox = outbox
        self.drafts = drafts
        self.changed = changed  # the desk changed: the screen redraws (coalesced)
        self.outbox_written = outbox_written  # an entry was added: the app's outbox sender sends it now
        self._tasks: set[asyncio.Task] = set()
        self._unsaved_drafts: set[str] = set()
        self._draft_flush: asyncio.TimerHandle | None = None

    # --- the streams ---------------------------------------------------------------

    async def follow_contact_center(self) -> None:
        """Apply the agent's contact-center stream for as long as it runs (reconnecting by itself)."""
        await self._follow(self.contact_center.events(), "contact_center")

    async def follow_presence(self) -> None:
        await self._follow(self.presence.events(), "presence")

    async def _follow(self, stream: AsyncIterator[object], kind: str) -> None:
        async for item in stream:
            self.receive(item, kind)

    def receive(self, item: object, kind: str = "contact_center") -> None:
        """One item of a stream: applied now, its effects started now, one redraw asked for."""
        desk = self.desk
        if isinstance(item, LinkStatus):
            self._carry_out(desk.set_link(item, kind))
        elif isinstance(item, PresenceEvent):
            desk.apply_presence(item)
        elif isinstance(item, ExpertMessageEvent):
            desk.apply_expert_message(item)
        else:
            self._carry_out(desk.apply(item))  # type: ignore[arg-type]
        self.changed()

    def _carry_out(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, LookUpCaller):
                self._spawn(self.look_up(effect.contact_id, effect.address, effect.account))
            elif isinstance(effect, LoadQueues):
                self._spawn(self.load_queues())
            elif isinstance(effect, SearchExperts):
                self._spawn(self.search_experts(effect.search, effect.skill))
            elif isinstance(effect, ForgetDraft):
                self._unsaved_drafts.discard(effect.contact_id)
                if self.drafts is not None:
                    self._spawn(asyncio.to_thread(self.drafts.forget, effect.contact_id))

    def _spawn(self, work: Awaitable[object]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        """Stop what runs in the background; drafts typed in the last moments are written first."""
        if self._draft_flush is not None:
            self._draft_flush.cancel()
        self._flush_drafts_now()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # --- CRM lookups, queues, experts ------------------------------------------------

    async def look_up(self, contact_id: str, address: str, account: str | None = None) -> None:
        """The caller's record: by the account the IVR verified first (one customer, whatever number they
        call from), then by the address they came from."""
        try:
            result = await self.crm.lookup_account(account) if account else None
            if result is None or not result.customers:
                if is_withheld(address):
                    result = result or LookupResult(customers=[])
                else:
                    result = await self.crm.lookup(address)
            record = None
            if len(result.customers) == 1:
                record = result.record or await self.crm.customer_record(result.customers[0].id)
        except BackendError as error:
            self.desk.lookup_failed(contact_id, error.message)
        else:
            self.desk.lookup_found(contact_id, result, record)
        self.changed()

    async def load_queues(self) -> None:
        """Queues (and their dispositions), fetched each time the contact-center link comes up."""
        try:
            self.desk.set_queues(await self.contact_center.list_queues())
        except BackendError as error:
            self.desk.notice(error.message, "Queues", "error")
        self.changed()

    async def search_experts(self, search: str, skill: str | None = None) -> None:
        self.desk.directory.filter(search, skill)
        try:
            experts = await self.presence.list_experts(search, skill)
        except BackendError as error:
            self.desk.notice(error.message, "Experts", "error")
        else:
            self.desk.show_experts(experts)
        self.changed()

    async def alternatives_to(self, expert: Expert) -> list[Expert]:
        """Experts with the same skills across the whole directory (the panel may show a search)."""
        people = dict(self.desk.directory.experts)
        try:
            for skill in expert.skills:
                people.update((e.id, e) for e in await self.presence.list_experts("", skill))
        except BackendError as error:
            self.desk.notice(f"Showing only the experts on screen: {error.message}", "Experts", "warning")
            self.changed()
        return list(people.values())

    async def send_escalation(self, expert: Expert, text: str) -> None:
        agent = self.desk.agent
        try:
            await self.presence.send_message(expert.id, text, agent.name if agent else None)
        except BackendError as error:
            self.desk.notice(error.message, f"Message to {expert.name}", "error")
        else:
            self.desk.notice(f"Sent to {expert.name}. Their reply will show here.", "Escalation message")
        self.changed()

    # --- the agent's state ------------------------------------------------------------

    async def _act(self, call: Awaitable[T], title: str) -> T | None:
        """One call to a backend; a refusal becomes a notice, never an exception. A contact in the answer
        is applied at once (its event may come later)."""
        try:
            result = await call
        except BackendError as error:
            self.desk.notice(error.message, title, "error")
            self.changed()
            return None
        if isinstance(result, Contact):
            self._carry_out(self.desk.apply_contact(result))
            self.changed()
        return result

    async def go_available(self) -> None:
        """Available; on a contact: forget the requested next state and be routable for more contacts within
        capacity (this also clears Missed after an offer was rejected or timed out)."""
        center = self.contact_center
        agent = self.desk.agent
        if self.desk.has_contacts_in_hand() and agent is not None and agent.next_state is not None:
            if await self._act(center.set_next_state(None), "Available") is None:
                return
        await self._act(center.set_state(AgentState.AVAILABLE), "Available")

    async def not_ready(self, reason: str) -> None:
        await self._act(self.contact_center.set_state(AgentState.NOT_READY, reason), "Not ready")

    async def next_not_ready(self, reason: str) -> None:
        await self._act(self.contact_center.set_next_state(AgentState.NOT_READY, reason), "Next state")

    # --- the offer and the contacts in hand -------------------------------------------

    async def accept(self) -> None:
        offer = self.desk.offer
        if offer is not None:
            await self._act(self.contact_center.accept_offer(offer.id), "Accept")

    async def reject(self) -> None:
        offer = self.desk.reject_offer()
        if offer is None:
            return
        self.changed()
        await self._act(self.contact_center.reject_offer(offer.id), "Reject")
        if self.desk.held:
            self.desk.notice("No more offers until you press v (Available).", "Rejected")
            self.changed()

    def _selected_id(self) -> str | None:
        return self.desk.selected_id

    async def end(self) -> None:
        if (contact_id := self._selected_id()) is not None:
            await self._act(self.contact_center.end_contact(contact_id), "End contact")

    async def hold(self) -> None:
        if (contact_id := self._selected_id()) is not None:
            await self._act(self.contact_center.hold_contact(contact_id), "Hold")

    async def resume(self) -> None:
        if (contact_id := self._selected_id()) is not None:
            await self._act(self.contact_center.resume_contact(contact_id), "Resume")

    async def transfer(self, target: Target, mode: str = "blind", contact_id: str | None = None) -> None:
        """Transfer the selected contact (or `contact_id`, if still selected) to `target`: at once ("blind"),
        or after speaking to the target on a second leg while the customer holds ("consult")."""
        selected = self._selected_id()
        if selected is None or (contact_id is not None and contact_id != selected):
            self.desk.notice("Select a contact to transfer first.", "Transfer", "warning")
            self.changed()
            return
        center = self.contact_center
        if mode == "consult":
            await self._act(center.start_consult(selected, target), f"Consult {target.label}")
        else:
            await self._act(center.transfer_contact(selected, target), f"Transfer to {target.label}")

    async def complete_consult(self) -> None:
        if (contact_id := self._selected_id()) is not None:
            await self._act(self.contact_center.complete_consult(contact_id), "Complete transfer")

    async def cancel_consult(self) -> None:
        if (contact_id := self._selected_id()) is not None:
            await self._act(self.contact_center.cancel_consult(contact_id), "Cancel consult")

    async def transfer_options(self) -> list[Expert]:
        try:
            return await self.presence.list_experts()
        except BackendError as error:
            self.desk.notice(f"Experts unavailable: {error.message}", "Transfer", "warning")
            self.changed()
            return []

    # --- wrap-up: outbox first, then complete in the contact center ----------------------

    def keep_draft(self, contact_id: str, draft: Draft) -> None:
        """What the agent typed: on the desk now, on disk once typing settles."""
        if not self.desk.set_draft(contact_id, draft) or self.drafts is None:
            return
        self._unsaved_drafts.add(contact_id)
        if self._draft_flush is None:
            self._draft_flush = asyncio.get_running_loop().call_later(DRAFT_SAVE_DELAY_S, self._flush_drafts)

    def _flush_drafts(self) -> None:
        self._draft_flush = None
        unsaved = {cid: self.desk.drafts[cid] for cid in self._unsaved_drafts if cid in self.desk.drafts}
        self._unsaved_drafts.clear()
        if unsaved and self.drafts is not None:
            store = self.drafts
            self._spawn(asyncio.to_thread(lambda: [store.save(cid, draft) for cid, draft in unsaved.items()]))

    def _flush_drafts_now(self) -> None:
        if self.drafts is not None:
            for contact_id in self._unsaved_drafts:
                if contact_id in self.desk.drafts:
                    self.drafts.save(contact_id, self.desk.drafts[contact_id])
        self._unsaved_drafts.clear()

    async def save_wrap_up(self, contact_id: str, disposition: str, notes: str) -> OutboxEntry | None:
        """The outbox gets the wrap-up (local, durable), then the contact is completed: the CRM is written in
        the background, so a slow or absent CRM never holds the agent back from the next contact. Returns
        the outbox entry once the contact is done, None if it is not."""
        desk = self.desk
        held = desk.held.get(contact_id)
        if held is None:
            return None
        lookup = desk.lookups.get(contact_id)
        if lookup is not None and lookup.needs_pick:
            desk.set_wrap_up_status(contact_id, "Several customers match this caller: p picks one first.", "warning")
            self.changed()
            return None
        customer_id = lookup.record.customer.id if lookup is not None and lookup.record is not None else None
        entry = await asyncio.to_thread(
            enqueue_wrap_up, self.outbox, held.contact, self.contact_center.agent_id, disposition, notes, customer_id
        )
        self.outbox_written()
        if contact_id not in desk.held:
            return entry  # completed meanwhile (a late timeout, saved twice)
        desk.set_wrap_up_status(contact_id, "Saved in the outbox; completing the contact…")
        self.changed()
        if desk.begin_save(contact_id):
            try:
                completed = await self.contact_center.complete_contact(contact_id, disposition)
            except BackendError as error:
                if not (error.status == 409 and error.state == ContactState.COMPLETED):
                    desk.save_failed(contact_id)
                    desk.set_wrap_up_status(
                        contact_id, f"Saved for the CRM, but not completed: {error.message}. ctrl+s retries.", "error"
                    )
                    self.changed()
                    return None
            else:
                self._carry_out(desk.apply_contact(completed))
        # Done here, whatever the contact center said last: the wrap-up is in the outbox.
        self._carry_out(desk.finish(contact_id))
        # Say what is true now: the sender may have written it (or the CRM refused it) meanwhile.
        message, severity = wrap_up_outcome(await asyncio.to_thread(self.outbox.get, entry.key) or entry)
        desk.notice(message, "Wrap-up", severity)  # type: ignore[arg-type]
        self.changed()
        return entry

    # --- the caller's customer record: picking, a new caller, cases -----------------------

    async def choose_customer(self, contact_id: str, customer_id: str) -> bool:
        try:
            record = await self.crm.customer_record(customer_id)
        except BackendError as error:
            self.desk.notice(error.message, "CRM", "error")
            self.changed()
            return False
        self.desk.customer_chosen(contact_id, record)
        self.changed()
        return True

    async def create_customer(self, contact_id: str, customer: NewCustomer) -> str | None:
        """Create the caller in the CRM and show their record; the error to show, or None."""
        try:
            # One key per contact: pressing enter twice, or a retry after a timeout, makes one customer.
            created: Customer = await self.crm.create_customer(customer, f"new-caller-{contact_id}-{customer.name}")
        except BackendError as error:
            return f"Not created: {error.message}"
        await self.choose_customer(contact_id, created.id)
        return None

    async def enqueue(self, kind: EntryKind, payload: dict, contact_id: str, label: str) -> None:
        await asyncio.to_thread(self.outbox.add, kind, payload, contact_id=contact_id, label=label)
        self.outbox_written()
        self.desk.notice(f"Queued for the CRM: {label}", "Case")
        self.changed()
