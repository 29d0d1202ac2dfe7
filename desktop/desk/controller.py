"""The agent's use cases, without a terminal: the desk's state changes and the backend calls behind every
key. The screen calls these (in its workers) and draws the desk; the controller tells it that something
changed through one callback, which the screen coalesces into one redraw per burst.

Events are applied in the turn they are parsed, and a CRM lookup they call for starts in that same turn,
not when the screen's message queue reaches the offer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar

from desktop.backends.errors import BackendError
from desktop.backends.models import Case, Colleague, Contact, Customer, Expert, ExpertMessageEvent, Interaction, LookupResult, NewCustomer, NextState, PresenceEvent, Target, TranscriptItem
from desktop.vocabulary import AgentState, ContactState, OfferState
from desktop.backends.protocols import ContactCenter, Crm, PresenceDirectory
from desktop.backends.link_status import LinkStatus
from desktop.desk.caller_id import is_withheld
from desktop.desk.changes import (
    Effect,
    ForgetDraft,
    LoadConversation,
    LoadQueues,
    LoadStateCatalog,
    LookUpCaller,
    SearchExperts,
    TakeNextState,
)
from desktop.desk.conversation_drafts import ConversationDraftStore
from desktop.desk.desk import Desk
from desktop.desk.draft_keeper import DraftKeeper
from desktop.desk.drafts import Draft, DraftStore
from desktop.outbox.fit import marker_in
from desktop.outbox.fixes import Fix, fixed_payload
from desktop.pci import mask_outgoing, mask_pci
from desktop.outbox.outcome import wrap_up_outcome
from desktop.outbox.store import EntryKind, EntryState, Outbox, OutboxEntry
from desktop.outbox.wrap_up import enqueue_wrap_up

T = TypeVar("T")
log = logging.getLogger(__name__)
CASE_SENDING = "sending…"  # the id a new case shows until the CRM gives it one
TYPING_IDLE_S = 3.0  # the agent stopped typing this long ago: the customer stops seeing "typing"
NEWEST_PAGE = 50
OLDER_PAGE = 100
# Loaded before a wrap-up at most: past this the CRM's marker counts the oldest lines as never loaded.
WRAP_UP_MOST_ITEMS = 20_000
GAP_PAGES = 20  # at most this many pages to fill a hole left by an outage (2,000 items)
# Quitting waits this long at most for the contact center to take the agent off routing.
LEAVE_TIMEOUT_S = 5.0
# An offer's drawing waits this long at most for its caller's record, so that both are drawn in one frame.
OFFER_WAITS_FOR_LOOKUP_S = 0.05


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
        conversation_drafts: ConversationDraftStore | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        changed: Callable[[], None] = lambda: None,
        outbox_written: Callable[[], None] = lambda: None,
    ) -> None:
        self.desk = desk
        self.contact_center = contact_center
        self.crm = crm
        self.presence = presence
        self.outbox = outbox
        self.now = now
        self.changed = changed  # the desk changed: the screen redraws (coalesced)
        self.outbox_written = outbox_written  # an entry was added: the app's outbox sender sends it now
        self._cases_sending: dict[str, tuple[str, Case]] = {}  # outbox key → (contact id, the case shown)
        self._tasks: set[asyncio.Task] = set()
        self.kept = DraftKeeper(desk, drafts, conversation_drafts, self._spawn)  # what is typed, on disk as typed
        self._typing: dict[str, asyncio.TimerHandle] = {}  # contact id → when its "typing" stops
        self._loading_older: set[str] = set()
        # Lookups an offer's drawing waits for (at most OFFER_WAITS_FOR_LOOKUP_S), and whether a redraw was
        # asked for meanwhile.
        self._lookups_drawn_with_offer: set[asyncio.Future] = set()
        self._redraw_held = False
        self._hold_timer: asyncio.TimerHandle | None = None

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
        """One item of a stream: applied now, its effects started now, a redraw asked for if it changed
        anything (the echo of the agent's own action, applied from its answer already, changes nothing)."""
        desk = self.desk
        before = desk.version
        if isinstance(item, LinkStatus):
            self._carry_out(desk.set_link(item, kind))
        elif isinstance(item, PresenceEvent):
            desk.apply_presence(item)
        elif isinstance(item, ExpertMessageEvent):
            desk.apply_expert_message(item)
        else:
            self._carry_out(desk.apply(item))  # type: ignore[arg-type]
        if desk.version != before:
            self._redraw()

    def _redraw(self) -> None:
        """Ask the screen to redraw, unless an offer's drawing waits for its caller's lookup."""
        if self._lookups_drawn_with_offer:
            self._redraw_held = True
        else:
            self.changed()

    def _hold_redraw_for(self, lookup: asyncio.Future) -> None:
        """The offer is drawn with its caller's record in one frame: drawn first, its frame delayed the lookup's
        request and then its answer (the screen pop's largest part). A lookup slower than
        OFFER_WAITS_FOR_LOOKUP_S lets the offer be drawn ("Looking up…"), its answer in a later frame."""
        self._lookups_drawn_with_offer.add(lookup)
        lookup.add_done_callback(self._lookup_drawn)
        if self._hold_timer is None:
            self._hold_timer = asyncio.get_running_loop().call_later(OFFER_WAITS_FOR_LOOKUP_S, self._release_redraw)

    def _lookup_drawn(self, lookup: asyncio.Future) -> None:
        self._lookups_drawn_with_offer.discard(lookup)
        if not self._lookups_drawn_with_offer:
            self._release_redraw()

    def _release_redraw(self) -> None:
        self._lookups_drawn_with_offer.clear()
        if self._hold_timer is not None:
            self._hold_timer.cancel()
            self._hold_timer = None
        if self._redraw_held:
            self._redraw_held = False
            self.changed()

    def _carry_out(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, LookUpCaller):
                self._hold_redraw_for(self._spawn(self.look_up(effect.contact_id, effect.address, effect.account)))
            elif isinstance(effect, LoadQueues):
                self._spawn(self.load_queues())
            elif isinstance(effect, LoadStateCatalog):
                self._spawn(self.load_state_catalog())
            elif isinstance(effect, TakeNextState):
                self._spawn(self._act(self.contact_center.set_state(effect.state, effect.reason), "Next state"))
            elif isinstance(effect, SearchExperts):
                self._spawn(self.search_experts(effect.search, effect.skill))
            elif isinstance(effect, LoadConversation):
                self._spawn(self.load_conversation(effect.contact_id))
            elif isinstance(effect, ForgetDraft):
                self._stop_typing_timer(effect.contact_id)
                self.kept.forget(effect.contact_id)

    def _spawn(self, work: Awaitable[object]) -> asyncio.Future:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._said_if_failed)
        return task

    def _said_if_failed(self, task: asyncio.Future) -> None:
        """A background task that ended on an error nobody expected (a backend's refusal is a notice already):
        the agent is told, in words, that the desk is still running, and the desk's log gets where it happened
        (its kind and the code's lines, not its message, which may quote a backend's text)."""
        if task.cancelled() or (error := task.exception()) is None:
            return
        frames = "".join(traceback.format_tb(error.__traceback__))
        log.error("a background task of the desk failed: %s\n%s", type(error).__name__, frames)
        self.desk.notice(
            f"Something went wrong in the background ({type(error).__name__}). The desk keeps running; "
            "what you see may be out of date until the next change. Where it happened is in desk.log.",
            "Desk",
            "error",
        )
        self._redraw()

    async def aclose(self) -> None:
        """Stop what runs in the background; drafts typed in the last moments are written first."""
        for timer in self._typing.values():
            timer.cancel()
        if self._hold_timer is not None:
            self._hold_timer.cancel()
        await self.kept.flush()
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
        self._redraw()

    async def load_queues(self) -> None:
        """Queues (and their dispositions), fetched each time the contact-center link comes up."""
        try:
            self.desk.set_queues(await self.contact_center.list_queues())
        except BackendError as error:
            self.desk.notice(error.message, "Queues", "error")
        self._redraw()

    async def load_state_catalog(self) -> None:
        """The states the agent may choose (the not-ready picker's reasons), each time the link comes up."""
        try:
            self.desk.set_state_catalog(await self.contact_center.state_catalog())
        except BackendError as error:
            self.desk.notice(error.message, "Agent states", "error")
        self._redraw()

    async def search_experts(self, search: str, skill: str | None = None) -> None:
        self.desk.directory.filter(search, skill)
        try:
            experts = await self.presence.list_experts(search, skill)
        except BackendError as error:
            self.desk.notice(error.message, "Experts", "error")
        else:
            self.desk.show_experts(experts)
        self._redraw()

    async def alternatives_to(self, expert: Expert) -> list[Expert]:
        """Experts with the same skills across the whole directory (the panel may show a search)."""
        people = dict(self.desk.directory.experts)
        try:
            for skill in expert.skills:
                people.update((e.id, e) for e in await self.presence.list_experts("", skill))
        except BackendError as error:
            self.desk.notice(f"Showing only the experts on screen: {error.message}", "Experts", "warning")
            self._redraw()
        return list(people.values())

    async def send_escalation(self, expert: Expert, text: str) -> None:
        agent = self.desk.agent
        try:
            await self.presence.send_message(expert.id, text, agent.name if agent else None)
        except BackendError as error:
            self.desk.notice(error.message, f"Message to {expert.name}", "error")
        else:
            self.desk.notice(f"Sent to {expert.name}. Their reply will show here.", "Escalation message")
        self._redraw()

    # --- the agent's state ------------------------------------------------------------

    async def _act(self, call: Awaitable[T], title: str) -> T | None:
        """One call to a backend; a refusal becomes a notice, never an exception. A contact in the answer
        is applied at once (its event may come later)."""
        try:
            result = await call
        except BackendError as error:
            self.desk.notice(error.message, title, "error")
            self._redraw()
            return None
        if isinstance(result, Contact):
            before = self.desk.version
            self._carry_out(self.desk.apply_contact(result))
            if self.desk.version != before:  # else its event came first, and was drawn then
                self._redraw()
        return result

    async def go_available(self) -> None:
        """Available; on a contact: forget the requested next state and be routable for more contacts within
        capacity (this also clears Missed after an offer was rejected or timed out)."""
        center = self.contact_center
        agent = self.desk.agent
        if self.desk.has_contacts_in_hand() and agent is not None and agent.next_state is not None:
            if not self.desk.capabilities.native_next_state:
                self.desk.keep_next_state(None)
                self._redraw()
            elif await self._act(center.set_next_state(None), "Available") is None:
                return
        await self._act(center.set_state(AgentState.AVAILABLE), "Available")

    async def not_ready(self, reason: str) -> None:
        await self._act(self.contact_center.set_state(AgentState.NOT_READY, reason), "Not ready")

    async def next_not_ready(self, reason: str) -> None:
        if self.desk.capabilities.native_next_state:
            await self._act(self.contact_center.set_next_state(AgentState.NOT_READY, reason), "Next state")
            return
        # Kept on the desk, set when the last contact is done (Desk._next_state_due); the platform would
        # route no more than capacity allows meanwhile, as with a native next state.
        self.desk.keep_next_state(NextState(state=AgentState.NOT_READY, reason=reason))
        self._redraw()

    # --- the offer and the contacts in hand -------------------------------------------

    async def accept(self) -> None:
        offer = self.desk.offer
        if offer is not None:
            await self._act(self.contact_center.accept_offer(offer.id), "Accept")

    async def reject(self) -> None:
        offer = self.desk.reject_offer()
        if offer is None:
            return
        self._redraw()
        await self._act(self.contact_center.reject_offer(offer.id), "Reject")
        if self.desk.held:
            self.desk.notice("No more offers until you press v (Available).", "Rejected")
            self._redraw()

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

    async def transfer(
        self, target: Target, mode: str = "blind", contact_id: str | None = None, *, note: str | None = None
    ) -> None:
        """Transfer the selected contact (or `contact_id`, if still selected) to `target`: at once ("blind"),
        or after speaking to the target on a second leg while the customer holds ("consult")."""
        selected = self._selected_id()
        if selected is None or (contact_id is not None and contact_id != selected):
            self.desk.notice("Select a contact to transfer first.", "Transfer", "warning")
            self._redraw()
            return
        center = self.contact_center
        note = mask_pci(note) if note else None  # it leaves the desk for the next agent's transcript
        if mode == "consult":
            await self._act(center.start_consult(selected, target, note), f"Consult {target.label}")
        else:
            await self._act(center.transfer_contact(selected, target, note), f"Transfer to {target.label}")

    async def complete_consult(self) -> None:
        if (contact_id := self._selected_id()) is not None:
            await self._act(self.contact_center.complete_consult(contact_id), "Complete transfer")

    async def cancel_consult(self) -> None:
        if (contact_id := self._selected_id()) is not None:
            await self._act(self.contact_center.cancel_consult(contact_id), "Cancel consult")

    async def transfer_options(self) -> tuple[list[Colleague], list[Expert]]:
        """Who the transfer dialog lists: the other agents (the contact center's directory) and the experts
        (the presence directory), read together; either may fail alone and says so."""
        colleagues, experts = await asyncio.gather(
            self.contact_center.list_colleagues(), self.presence.list_experts(), return_exceptions=True
        )
        for failed, what in ((colleagues, "Agents"), (experts, "Experts")):
            if isinstance(failed, BackendError):
                self.desk.notice(f"{what} unavailable: {failed.message}", "Transfer", "warning")
                self._redraw()
            elif isinstance(failed, BaseException):
                raise failed
        mine = self.contact_center.agent_id
        return (
            [c for c in colleagues if c.id != mine] if isinstance(colleagues, list) else [],
            experts if isinstance(experts, list) else [],
        )

    # --- conversations: chats, SMS and emails in hand ------------------------------------

    async def load_conversation(self, contact_id: str) -> None:
        """The conversation and its newest page, read together; merged by id with whatever the stream
        brought meanwhile (so a re-read after a reconnect neither loses nor doubles a message)."""
        center = self.contact_center
        try:
            info, page = await asyncio.gather(
                center.get_conversation(contact_id), center.list_messages(contact_id, limit=NEWEST_PAGE)
            )
        except BackendError as error:
            if contact_id in self.desk.conversations:
                self.desk.notice(error.message, "Conversation", "error")
        else:
            self.desk.conversation_loaded(contact_id, info, page)
            await self._fill_gaps(contact_id)
        self._redraw()

    async def _fill_gaps(self, contact_id: str) -> None:
        """After a long outage the newest page may not reach back to what was known: fetch what lies between
        (the stream's replay usually brings it; this makes sure)."""
        for _ in range(GAP_PAGES):
            conversation = self.desk.conversations.get(contact_id)
            after_gap = conversation.gap() if conversation is not None else None
            if after_gap is None:
                return
            try:
                page = await self.contact_center.list_messages(contact_id, before=after_gap, limit=OLDER_PAGE)
            except BackendError as error:
                self.desk.notice(f"Some messages may be missing: {error.message}", "Conversation", "warning")
                return
            if not page.items:
                return
            self.desk.conversation_loaded(contact_id, None, page, newest=False, filling_gap=True)

    async def load_older(self, contact_id: str) -> None:
        """The page before the oldest item known (the agent scrolled to the top)."""
        conversation = self.desk.conversations.get(contact_id)
        if conversation is None or not conversation.has_more or contact_id in self._loading_older:
            return
        self._loading_older.add(contact_id)
        try:
            page = await self.contact_center.list_messages(contact_id, before=conversation.oldest_id, limit=OLDER_PAGE)
        except BackendError as error:
            self.desk.notice(error.message, "Older messages", "error")
        else:
            self.desk.conversation_loaded(contact_id, None, page, newest=False)
        finally:
            self._loading_older.discard(contact_id)
        self._redraw()

    async def _load_whole_conversation(self, contact_id: str, most: int = WRAP_UP_MOST_ITEMS) -> None:
        """Before the wrap-up is written: the pages the agent never scrolled to (the CRM gets the start and
        the end of a long conversation, so the start must be on the desk). With the contact center
        unreachable the wrap-up is not held back: what the desk has is written, and the agent is told."""
        conversation = self.desk.conversations.get(contact_id)
        while conversation is not None and conversation.has_more and len(conversation.items) < most:
            try:
                page = await self.contact_center.list_messages(contact_id, before=conversation.oldest_id, limit=OLDER_PAGE)
            except BackendError as error:
                self.desk.notice(f"The CRM gets the messages loaded so far: {error.message}", "Transcript", "warning")
                return
            known = len(conversation.items)
            self.desk.conversation_loaded(contact_id, None, page, newest=False)
            conversation = self.desk.conversations.get(contact_id)
            if conversation is not None and len(conversation.items) == known:
                return  # a page that brought nothing new: asking again would bring nothing either

    async def send_text(self, contact_id: str, text: str, subject: str | None = None) -> TranscriptItem | None:
        """Send the agent's text (card data masked first, with what the agent sent before: it never leaves
        the desk unmasked, even split over messages). None if the contact center refused it; the refusal is
        a notice and the caller gives the text back to the agent. The message ends the agent's "typing"
        there (as a customer's ends theirs, and as Twilio Conversations does): no request of its own."""
        was_typing = self._stop_typing_timer(contact_id)
        conversation = self.desk.conversations.get(contact_id)
        masked = mask_outgoing(conversation.sent_texts() if conversation is not None else [], text)
        try:
            item = await self.contact_center.send_message(
                contact_id,
                masked,
                subject=mask_pci(subject) if subject else subject,
                idempotency_key=f"desk-{uuid.uuid4()}",
            )
        except BackendError as error:
            if was_typing:
                self._spawn(self._set_typing(contact_id, False))
            self.desk.notice(f"Not sent: {error.message}", "Message", "error")
            self._redraw()
            return None
        before = self.desk.version
        self.desk.conversation_sent(contact_id, item)
        if self.desk.version != before:  # else its echo on the stream came first, and was drawn then
            self._redraw()
        return item

    def _channel_can(self, contact_id: str, what: str) -> bool:
        held = self.desk.held.get(contact_id)
        return held is not None and getattr(self.desk.capabilities.channel(held.contact.channel), what)

    def typed(self, contact_id: str) -> None:
        """A key in the composer: "typing" starts on the first one and stops TYPING_IDLE_S after the last
        (not at all where the contact center carries no typing indicator)."""
        if not self._channel_can(contact_id, "typing"):
            return
        timer = self._typing.pop(contact_id, None)
        if timer is not None:
            timer.cancel()
        else:
            self._spawn(self._set_typing(contact_id, True))
        self._typing[contact_id] = asyncio.get_running_loop().call_later(TYPING_IDLE_S, self.stop_typing, contact_id)

    def stop_typing(self, contact_id: str) -> None:
        if self._stop_typing_timer(contact_id):
            self._spawn(self._set_typing(contact_id, False))

    def _stop_typing_timer(self, contact_id: str) -> bool:
        timer = self._typing.pop(contact_id, None)
        if timer is not None:
            timer.cancel()
        return timer is not None

    async def _set_typing(self, contact_id: str, typing: bool) -> None:
        try:
            await self.contact_center.set_typing(contact_id, typing)
        except BackendError:
            pass  # a typing indicator lost is not worth a notice: the message itself still goes

    def mark_read(self, contact_id: str) -> None:
        """The agent has the conversation's newest messages in front of them."""
        item_id = self.desk.mark_read(contact_id)
        if item_id is None:
            return
        if self._channel_can(contact_id, "read_marks"):
            self._spawn(self._mark_read(contact_id, item_id))
        self._redraw()  # the unread count, now: the contact center's echo of the marker changes nothing

    async def _mark_read(self, contact_id: str, item_id: str) -> None:
        try:
            await self.contact_center.mark_read(contact_id, item_id)
        except BackendError:
            pass  # the marker is the desk's already; the next message read moves it again

    def add_note(self, contact_id: str, text: str) -> None:
        """A private note on the conversation: kept with the desk (and on disk), never sent to the customer."""
        note = self.desk.add_note(contact_id, text, self.now())
        if note is not None:
            self.kept.note_added(contact_id, note)
        self._redraw()

    # --- wrap-up: outbox first, then complete in the contact center ----------------------

    def keep_draft(self, contact_id: str, draft: Draft) -> None:
        """What the agent typed: on the desk now, on disk at once (draft_keeper.py)."""
        if self.desk.set_draft(contact_id, draft):
            self.kept.wrap_up_changed(contact_id)

    def keep_composer(self, contact_id: str, text: str) -> bool:
        """What the agent typed in a conversation's composer and has not sent: on the desk now, on disk at
        once. False if it is what was kept already (a draft shown again, not typed)."""
        if not self.desk.set_composer(contact_id, text):
            return False
        self.kept.composer_changed(contact_id)
        return True

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
            self._redraw()
            return None
        customer_id = lookup.record.customer.id if lookup is not None and lookup.record is not None else None
        await self._load_whole_conversation(contact_id)
        transcript, private_notes = desk.transcript_of(contact_id)
        conversation = desk.conversations.get(contact_id)
        has_older = conversation is not None and conversation.has_more and bool(conversation.items)
        never_loaded = conversation.items[0].index if has_older and conversation else 0
        entry = await asyncio.to_thread(
            partial(
                enqueue_wrap_up, transcript=transcript, private_notes=private_notes, never_loaded=never_loaded,
                limits=self.crm.limits,
            ),
            self.outbox, held.contact, self.contact_center.agent_id, disposition, notes, customer_id,
        )  # fmt: skip
        self.outbox_written()
        left_out = marker_in(entry.payload.get("interaction", {}))
        if left_out is not None:
            desk.notice(f"Too long for the CRM: it gets the start and the end. {left_out}", "Wrap-up", "warning")
        if contact_id not in desk.held:
            return entry  # completed meanwhile (a late timeout, saved twice)
        desk.set_wrap_up_status(contact_id, "Saved in the outbox; completing the contact…")
        self._redraw()
        if desk.begin_save(contact_id):
            try:
                completed = await self.contact_center.complete_contact(contact_id, disposition)
            except BackendError as error:
                if not (error.status == 409 and error.state == ContactState.COMPLETED):
                    desk.save_failed(contact_id)
                    desk.set_wrap_up_status(
                        contact_id, f"Saved for the CRM, but not completed: {error.message}. ctrl+s retries.", "error"
                    )
                    self._redraw()
                    return None
            else:
                self._carry_out(desk.apply_contact(completed))
        # Done here, whatever the contact center said last: the wrap-up is in the outbox.
        self._carry_out(desk.finish(contact_id))
        # Say what is true now: the sender may have written it (or the CRM refused it) meanwhile.
        message, severity = wrap_up_outcome(await asyncio.to_thread(self.outbox.get, entry.key) or entry)
        desk.notice(message, "Wrap-up", severity)  # type: ignore[arg-type]
        self._redraw()
        return entry

    # --- the caller's customer record: picking, a new caller, cases -----------------------

    async def choose_customer(self, contact_id: str, customer_id: str) -> bool:
        try:
            record = await self.crm.customer_record(customer_id)
        except BackendError as error:
            self.desk.notice(error.message, "CRM", "error")
            self._redraw()
            return False
        self.desk.customer_chosen(contact_id, record)
        self._redraw()
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

    async def enqueue(self, kind: EntryKind, payload: dict, contact_id: str, label: str) -> OutboxEntry:
        entry = await asyncio.to_thread(self.outbox.add, kind, payload, contact_id=contact_id, label=label)
        self.outbox_written()
        self.desk.notice(f"Queued for the CRM: {label}", "Case")
        self._redraw()
        return entry

    async def link_case(self, contact_id: str, case_id: str) -> OutboxEntry:
        """Put this contact on a case the caller has open, through the outbox."""
        payload = {"case_id": case_id, "contact_id": contact_id}
        return await self.enqueue(EntryKind.CASE_LINK, payload, contact_id, f"link to {case_id}")

    async def search_customers(self, query: str) -> list[Customer]:
        """The CRM's customers matching `query` (the search dialogs'; a refusal is theirs to show)."""
        return await self.crm.search_customers(query)

    async def interaction(self, interaction_id: str) -> Interaction | None:
        """A past conversation from the caller's history, or None (the refusal is a notice)."""
        try:
            return await self.crm.interaction(interaction_id)
        except BackendError as error:
            self.desk.notice(error.message, "History", "error")
            self._redraw()
            return None

    async def create_case(self, contact_id: str, customer_id: str, subject: str) -> None:
        """Open a case through the outbox, and show it on the caller's card at once ("sending…" until the
        CRM answers with its id: `cases_written`)."""
        payload = {"customer_id": customer_id, "subject": subject, "contact_id": contact_id}
        entry = await self.enqueue(EntryKind.CASE_CREATE, payload, contact_id, f"new case: {subject}")
        shown = Case(
            id=CASE_SENDING, customer_id=customer_id, subject=entry.payload["subject"], status="open",
            opened_at=self.now(), contact_ids=[contact_id],
        )  # fmt: skip
        if self.desk.case_opened(contact_id, shown):
            self._cases_sending[entry.key] = (contact_id, shown)
            self._redraw()
            await self.cases_written()  # the sender may have written it already

    async def cases_written(self) -> None:
        """Cases shown while they were sent: the CRM's id replaces "sending…" (or the refusal is said)."""
        for key, (contact_id, shown) in list(self._cases_sending.items()):
            entry = await asyncio.to_thread(self.outbox.get, key)
            if entry is None or entry.state is EntryState.PENDING or key not in self._cases_sending:
                continue
            del self._cases_sending[key]
            if entry.state is EntryState.SENT:
                written = shown.model_copy(update={"id": entry.result_id or shown.id})
            else:
                written = shown.model_copy(update={"status": "not saved"})
            self.desk.case_written(contact_id, shown, written)
            self._redraw()

    # --- the outbox: what was written, and a refused write fixed and sent again -----------

    async def recent_writes(self) -> list[OutboxEntry]:
        return await asyncio.to_thread(self.outbox.recent)

    async def fix_write(self, entry: OutboxEntry, fix: Fix, customer_id: str | None = None) -> None:
        """Send a refused write again, changed as the agent chose (cutting a megabyte of transcript is
        work for a thread, not for the event loop)."""
        payload = await asyncio.to_thread(fixed_payload, entry, fix, customer_id, self.crm.limits)
        await asyncio.to_thread(self.outbox.retry, entry.key, payload)
        self.outbox_written()
        self.desk.notice(f"Sent again: {entry.label}", "CRM outbox")
        self._redraw()

    # --- leaving: off routing before the desktop stops --------------------------------------

    async def leave_routing(self, state: AgentState, reason: str | None = None) -> str | None:
        """Take the agent off routing: a pending offer is rejected (it goes back to the queue), then `state`
        now, or as the next state while contacts are in hand (the contact center refuses Offline with a
        contact in hand; a next state also stops new offers). What went wrong, in one line, or None."""
        center = self.contact_center
        try:
            async with asyncio.timeout(LEAVE_TIMEOUT_S):
                can = self.desk.capabilities
                for offer in await center.list_offers() if can.offer_decision else []:
                    if offer.state == OfferState.PENDING:
                        with contextlib.suppress(BackendError):  # it expired or was taken meanwhile
                            await center.reject_offer(offer.id)
                try:
                    await center.set_state(state, reason)
                except BackendError as error:
                    if error.status != 409 or not can.native_next_state:
                        raise  # (without a next state of its own, nobody would set it once the desk is gone)
                    await center.set_next_state(state, reason)
        except BackendError as error:
            return error.message
        except TimeoutError:
            return f"no answer in {LEAVE_TIMEOUT_S:g} s"
        return None
