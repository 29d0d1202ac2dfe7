"""A conversation in hand (chat, SMS, email): its pages loaded and kept whole, the agent's messages sent masked, typing and read marks, private notes, the composer kept as typed."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.refusals import logged_refusal
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.pci import mask_outgoing, mask_pci

if TYPE_CHECKING:
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
    from agent_desktop.agent_desk.conversations.held_sends import HeldSends
    from agent_desktop.domain.capabilities import ContactCenterCapabilities

TYPING_IDLE_S = 3.0  # the agent stopped typing this long ago: the customer stops seeing "typing"
NEWEST_PAGE = 50
OLDER_PAGE = 100
# Loaded before a wrap-up at most: past this the CRM's marker counts the oldest lines as never loaded.
WRAP_UP_MOST_ITEMS = 20_000
GAP_PAGES = 20  # at most this many pages to fill a hole left by an outage (2,000 items)


class ConversationDesk(DeskNotices, Protocol):
    """The desk as the conversations' use cases read it (desk/model.py's Desk): what the contact center serves, the
    contacts in hand, their conversations and the sends held back."""

    @property
    def capabilities(self) -> ContactCenterCapabilities: ...

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def conversations(self) -> ConversationsInHand: ...

    @property
    def held_sends(self) -> HeldSends: ...


class ConversationUseCases(DeskUseCase[ConversationDesk]):
    def __init__(self, controller: UseCaseHost[ConversationDesk]) -> None:
        super().__init__(controller)
        self._typing: dict[str, asyncio.TimerHandle] = {}  # contact id → when its "typing" stops
        self._loading_older: set[str] = set()

    def cancel_typing_timers(self) -> None:
        for timer in self._typing.values():
            timer.cancel()

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
                self.desk.notice(logged_refusal(error, "Conversation"), "Conversation", "error")
        else:
            effects = self.desk.conversations.loaded(contact_id, info, page)
            await self._fill_gaps(contact_id)
            self._carry_out(effects)  # a suggested reply, once the gaps are filled

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
                self.desk.notice(
                    f"Some messages may be missing. {logged_refusal(error, 'Conversation')}", "Conversation", "warning"
                )
                return
            if not page.items:
                return
            self.desk.conversations.loaded(contact_id, None, page, newest=False, filling_gap=True)

    async def load_older(self, contact_id: str) -> None:
        """The page before the oldest item known (the agent scrolled to the top)."""
        conversation = self.desk.conversations.get(contact_id)
        if conversation is None or not conversation.has_more or contact_id in self._loading_older:
            return
        self._loading_older.add(contact_id)
        try:
            page = await self.contact_center.list_messages(contact_id, before=conversation.oldest_id, limit=OLDER_PAGE)
        except BackendError as error:
            self.desk.notice(logged_refusal(error, "Older messages"), "Older messages", "error")
        else:
            self.desk.conversations.loaded(contact_id, None, page, newest=False)
        finally:
            self._loading_older.discard(contact_id)

    async def load_whole_conversation(self, contact_id: str, most: int = WRAP_UP_MOST_ITEMS) -> None:
        """Before the wrap-up is written: the pages the agent never scrolled to (the CRM gets the start and
        the end of a long conversation, so the start must be on the desk). With the contact center
        unreachable the wrap-up is not held back: what the desk has is written, and the agent is told."""
        conversation = self.desk.conversations.get(contact_id)
        while conversation is not None and conversation.has_more and len(conversation.items) < most:
            try:
                page = await self.contact_center.list_messages(
                    contact_id, before=conversation.oldest_id, limit=OLDER_PAGE
                )
            except BackendError as error:
                self.desk.notice(
                    f"The CRM gets the messages loaded so far. {logged_refusal(error, 'Transcript')}",
                    "Transcript",
                    "warning",
                )
                return
            known = len(conversation.items)
            self.desk.conversations.loaded(contact_id, None, page, newest=False)
            conversation = self.desk.conversations.get(contact_id)
            if conversation is not None and len(conversation.items) == known:
                return  # a page that brought nothing new: asking again would bring nothing either

    async def send_text(self, contact_id: str, text: str, subject: str | None = None) -> TranscriptItem | None:
        """Send the agent's text (card data masked first, with what the agent sent before: it never leaves
        the desk unmasked, even split over messages). None if the contact center refused it; the refusal is
        a notice and the caller gives the text back to the agent. The message ends the agent's "typing"
        there (as a customer's ends theirs, and as Twilio Conversations does): no request of its own."""
        was_typing = self.stop_typing_timer(contact_id)
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
            self.desk.notice(f"Not sent. {logged_refusal(error, 'Message')}", "Message", "error")
            return None
        self.desk.conversations.sent(contact_id, item)  # (its echo on the stream may have come first)
        self.desk.conversations.sent_original(contact_id, text, item.id)  # a translation: the agent's words with it
        return item

    # --- an email or SMS held a few seconds with an undo (held_sends.py) ---------------------------

    def send_or_hold(self, contact_id: str, text: str) -> bool:
        """The agent's reply: an email or SMS waits the desk's undo time before it leaves; a chat (or a desk whose
        undo time is 0) sends now. True if held; False if the caller sends it now (`send`)."""
        held = self.desk.held.get(contact_id)
        if held is None or not self.desk.held_sends.holds(held.contact.channel):
            return False
        self.desk.held_sends.hold(contact_id, text, self.now())
        return True

    async def send(self, contact_id: str, text: str) -> None:
        """Send now; refused, the text goes back to the composer, before whatever the agent typed since."""
        if await self.send_text(contact_id, text) is None:
            self.give_back(contact_id, text)

    def send_due(self) -> None:
        """The screen's tick: what waited long enough leaves, whichever conversation is in front."""
        for held in self.desk.held_sends.due(self.now()):
            self._spawn(self.send(held.contact_id, held.text))

    async def send_held_now(self, contact_id: str) -> None:
        """The contact ends, or leaves the agent's hands: what it still holds leaves first, in order."""
        for held in self.desk.held_sends.take(contact_id):
            await self.send(held.contact_id, held.text)

    async def send_all_held(self) -> None:
        """The desk quits: every message still held leaves first (a refused one stays the conversation's draft,
        on disk)."""
        for held in self.desk.held_sends.take_all():
            await self.send(held.contact_id, held.text)

    def undo_send(self, contact_id: str) -> bool:
        """The latest message the conversation holds stays: its text goes back to the composer whole. False if
        none was held (it left already)."""
        held = self.desk.held_sends.undo(contact_id)
        if held is None:
            return False
        self.give_back(contact_id, held.text)
        return True

    def give_back(self, contact_id: str, text: str) -> None:
        """`text` back in the conversation's composer, before what the agent typed since (nothing typed is lost)."""
        if contact_id not in self.desk.conversations:
            return
        kept = self.desk.conversations.composer.get(contact_id, "")
        self.keep_composer(contact_id, f"{text}\n{kept}" if kept else text)
        self.desk.conversations.gave_back(contact_id)

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
        if self.stop_typing_timer(contact_id):
            self._spawn(self._set_typing(contact_id, False))

    def stop_typing_timer(self, contact_id: str) -> bool:
        timer = self._typing.pop(contact_id, None)
        if timer is not None:
            timer.cancel()
        return timer is not None

    async def _set_typing(self, contact_id: str, typing: bool) -> None:
        # A typing indicator lost is not worth a notice: the message itself still goes
        with contextlib.suppress(BackendError):
            await self.contact_center.set_typing(contact_id, typing)

    def mark_read(self, contact_id: str) -> None:
        """The agent has the conversation's newest messages in front of them."""
        item_id = self.desk.conversations.mark_read(contact_id)
        if item_id is None:
            return
        if self._channel_can(contact_id, "read_marks"):
            self._spawn(self._mark_read(contact_id, item_id))

    async def _mark_read(self, contact_id: str, item_id: str) -> None:
        # The marker is the desk's already; the next message read moves it again
        with contextlib.suppress(BackendError):
            await self.contact_center.mark_read(contact_id, item_id)

    def add_note(self, contact_id: str, text: str) -> None:
        """A private note on the conversation: kept with the desk (and on disk), never sent to the customer."""
        note = self.desk.conversations.add_note(contact_id, text, self.now())
        if note is not None:
            self.kept.note_added(contact_id, note)

    def keep_composer(self, contact_id: str, text: str) -> bool:
        """What the agent typed in a conversation's composer and has not sent: on the desk now, on disk at
        once. False if it is what was kept already (a draft shown again, not typed)."""
        if not self.desk.conversations.set_composer(contact_id, text):
            return False
        self.kept.composer_changed(contact_id)
        return True
