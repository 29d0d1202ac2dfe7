"""The agent's use cases, without a terminal: the desk's state changes and the backend calls behind every
key. The screen calls these (in its workers) and draws the desk, which announces each change itself (`Desk.feed`);
the screen's pacer coalesces them into one redraw per burst. Nothing here knows of frames: an offer's caller lookup
is named to the feed as what the offer is best drawn with (`drawn_with`), and how long a frame waits for it is the
screen's.

This module holds the streams and the agent's actions (state, offer, contacts in hand, transfers, leaving);
the other use cases are parts it holds, each in its file: `conversation` (conversation_use_cases.py),
`wrap_up` (wrap_up_use_cases.py), `caller` (caller_use_cases.py) and `experts` (expert_use_cases.py).

Events are applied in the turn they are parsed, and a CRM lookup they call for starts in that same turn,
not when the screen's message queue reaches the offer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from agent_desktop import agent_desk
from agent_desktop.agent_desk import changes
from agent_desktop.agent_desk.callers.caller_use_cases import CallerUseCases
from agent_desktop.agent_desk.contacts import call_on_the_line
from agent_desktop.agent_desk.conversations.conversation_use_cases import ConversationUseCases
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore
from agent_desktop.agent_desk.drafts.draft_keeper import DISK_RETRY_S, DraftKeeper
from agent_desktop.agent_desk.drafts.drafts import DraftStore
from agent_desktop.agent_desk.experts.expert_use_cases import ExpertUseCases
from agent_desktop.agent_desk.refusals import logged_refusal
from agent_desktop.agent_desk.voice.call_media import SoftphoneCalls
from agent_desktop.agent_desk.voice.softphone_use_cases import SoftphoneUseCases
from agent_desktop.agent_desk.wrap_up.wrap_up_use_cases import WrapUpUseCases
from agent_desktop.domain.calls.softphone import NoSoftphone, Softphone
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import (
    Colleague,
    Contact,
    Expert,
    ExpertMessageEvent,
    NextState,
    Offer,
    PresenceEvent,
    Target,
)
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.vocabulary import AgentState, Channel, OfferState
from agent_desktop.outbox.store import Outbox
from agent_desktop.services import AgentPorts
from agent_desktop.writing_aids.summary import HANDOVER_LIMIT

if TYPE_CHECKING:
    from agent_desktop.agent_desk.callbacks.callback_use_case import CallbackUseCase
    from agent_desktop.agent_desk.conversations.waits_use_case import WaitsUseCase
    from agent_desktop.agent_desk.flags.flag_use_cases import FlagRaising
    from agent_desktop.agent_desk.follow_ups.follow_up_use_case import FollowUpUseCase
    from agent_desktop.agent_desk.my_day.my_day_use_case import EvaluationUseCase, MyDayUseCase
    from agent_desktop.agent_desk.suggestions.article_hints import ArticleHintsUseCase
    from agent_desktop.agent_desk.suggestions.ask_box import AskBox
    from agent_desktop.agent_desk.suggestions.knowledge_lookup import KnowledgeLookup
    from agent_desktop.agent_desk.suggestions.reply_suggestions import ReplySuggestions
    from agent_desktop.agent_desk.suggestions.running_summaries import RunningSummaries
    from agent_desktop.agent_desk.suggestions.translations import Translations
    from agent_desktop.agent_desk.voice.message_playback import MessagePlayback
    from agent_desktop.agent_desk.voice.placed_calls import PlacedCalls

T = TypeVar("T")
log = logging.getLogger(__name__)
# Quitting waits this long at most for the contact center to take the agent off routing.
LEAVE_TIMEOUT_S = 5.0


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
        disk_retry_s: float = DISK_RETRY_S,
        ports: AgentPorts | None = None,
        softphone: Softphone | None = None,
    ) -> None:
        """`disk_retry_s`: how often a write the disk refused (a draft, a wrap-up) is tried again; `ports`: the
        optional features as the runtime resolved them (a controller built bare, as tests build one, resolves them
        from its backends the same way)."""
        self.desk = desk
        self.ports = ports if ports is not None else AgentPorts.of(contact_center)
        self.contact_center = contact_center
        self.crm = crm
        self.presence = presence
        self.outbox = outbox
        self.now = now
        self._tasks: set[asyncio.Task[object]] = set()
        # `n` on a contact, until the contact center has it
        self._next_state_request: asyncio.Future[object] | None = None
        # The agent's own requests about their state and the offer reach the contact center in the order of their
        # keys: `r` then `n` in one burst asked for Not ready while the reject was on its way, which it refused.
        self._in_order = asyncio.Lock()
        self._ending: dict[str, asyncio.Event] = {}  # the contacts whose end the contact center has not answered
        # What is typed, on disk as typed; a disk that refuses it is said at once (`_disk_problem`).
        self.kept = DraftKeeper(
            desk, drafts, conversation_drafts, self.spawn, retry_s=disk_retry_s, on_problem=self._disk_problem
        )
        self._warned_on_disk: set[str] = set()  # the wrap-ups that say the disk refused their draft
        # What a turn's changes ask of the assistant (a wrap-up to draft) is started once, at the end of that turn.
        self._turn_settling = False
        desk.feed.subscribe(self._announced)
        # The use cases beyond the streams and the agent's actions, each with its own part of the desk.
        self.conversation = ConversationUseCases(self)
        self.wrap_up = WrapUpUseCases(self, self.conversation)
        self.caller = CallerUseCases(self)
        self.experts = ExpertUseCases(self)
        # The calls' sound (docs/voice.md): the stand-in, where no softphone is configured, serves nothing.
        softphone = softphone if softphone is not None else NoSoftphone()
        desk.softphone = SoftphoneCalls(desk.changed, sound=softphone.capabilities.sound)
        desk.softphone_capabilities = softphone.capabilities
        self.sound = SoftphoneUseCases(self, softphone)
        desk.follow_up_channels = self.ports.messaging.capabilities.channels
        desk.conversations.suggests_replies = desk.wrap_ups.drafts_by_model = self.ports.assist.suggests_replies
        desk.conversations.suggests_articles = (
            not self.ports.assist.suggests_replies and desk.crm_capabilities.knowledge
        )

    # Those only a key opens (My day, a callback, a flag, an evaluation, a follow-up) and the assistant's: built on
    # the first such key, their modules loaded then (the package's `ON_DEMAND`), not at the desk's start.
    @cached_property
    def knowledge(self) -> KnowledgeLookup:
        return agent_desk.KnowledgeLookup(self.desk, self.crm)

    @cached_property
    def suggestions(self) -> ReplySuggestions:  # suggested replies, where a model is configured
        return agent_desk.ReplySuggestions(self, self.knowledge)

    @cached_property
    def ask_box(self) -> AskBox:  # the agent's question to the assistant (f7), where a model is configured
        return agent_desk.AskBox(self, self.suggestions)

    @cached_property
    def running_summaries(self) -> RunningSummaries:  # under the card, where a model is configured
        port = self.ports.assist
        return agent_desk.RunningSummaries(
            self, self.suggestions, every=port.summary_every_lines, debounce_s=port.summary_pause_s
        )

    @cached_property
    def translations(self) -> Translations:  # translation both ways, where a model is configured
        return agent_desk.Translations(self, self.suggestions)

    @cached_property
    def article_hints(self) -> ArticleHintsUseCase:  # articles for the customer's message, where no model is
        return agent_desk.ArticleHintsUseCase(self, self.knowledge)

    @cached_property
    def my_day(self) -> MyDayUseCase:
        return agent_desk.MyDayUseCase(self)

    @cached_property
    def callbacks(self) -> CallbackUseCase:
        return agent_desk.CallbackUseCase(self)

    @cached_property
    def waits(self) -> WaitsUseCase:  # snooze and send later
        return agent_desk.WaitsUseCase(self)

    @cached_property
    def flags(self) -> FlagRaising:  # help from the supervisor
        return agent_desk.FlagRaising(self)

    @cached_property
    def evaluations(self) -> EvaluationUseCase:  # quality evaluations
        return agent_desk.EvaluationUseCase(self)

    @cached_property
    def dialling(self) -> PlacedCalls:  # calls the agent places
        return agent_desk.PlacedCalls(self, self.sound)

    @cached_property
    def playback(self) -> MessagePlayback:  # the voicemail in hand played through the softphone
        return agent_desk.MessagePlayback(self, self.sound)

    @cached_property
    def follow_ups(self) -> FollowUpUseCase:  # a follow-up SMS or email after wrap-up
        return agent_desk.FollowUpUseCase(self)

    # --- the streams ---------------------------------------------------------------

    async def follow_contact_center(self) -> None:
        """Apply the agent's contact-center stream for as long as it runs (reconnecting by itself); a transfer's
        record a stopped desk left held is settled meanwhile."""
        self.spawn(self.wrap_up.settle_held_records())
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
        if isinstance(item, LinkStatus):
            self.carry_out(desk.set_link(item, kind))
        elif isinstance(item, PresenceEvent):
            desk.apply_presence(item)
        elif isinstance(item, ExpertMessageEvent):
            desk.apply_expert_message(item)
        else:
            self.carry_out(desk.apply(item))

    def _announced(self) -> None:
        """The desk changed: what the turn's changes ask of the assistant is started at the end of this turn."""
        if self._turn_settling:
            return
        self._turn_settling = True
        try:
            asyncio.get_running_loop().call_soon(self.settle)
        except RuntimeError:  # no loop (a desk driven without one): at once
            self.settle()

    def settle(self) -> None:
        """Start now what the changes so far ask for: a written contact that entered wrap-up, drafted by the AI; the
        running summaries of the contacts in hand, where enough was said (never without a model)."""
        self._turn_settling = False
        for contact_id in self.desk.wrap_ups.take_to_draft():
            self.spawn(self.suggestions.draft_wrap_up(contact_id))
        if self.desk.held and self.ports.assist.suggests_replies:
            self.running_summaries.heard_all()

    def carry_out(self, effects: list[changes.Effect]) -> None:
        for effect in effects:
            match effect:
                case changes.LookUpCaller():
                    look_up = self.caller.look_up(effect.contact_id, effect.address, effect.account)
                    self.desk.feed.drawn_with(self.spawn(look_up))  # the offer is best drawn with its record
                case changes.LoadQueues():
                    self.spawn(self.load_queues())
                case changes.LoadStateCatalog():
                    self.spawn(self.load_state_catalog())
                case changes.TakeNextState():
                    self.spawn(self._act(self.contact_center.set_state(effect.state, effect.reason), "Next state"))
                case changes.SearchExperts():
                    self.spawn(self.experts.search_experts(effect.search, effect.skill))
                case changes.LoadConversation():
                    self.spawn(self.conversation.load_conversation(effect.contact_id))
                case changes.SaveTimedOut():
                    self.spawn(self.wrap_up.save_timed_out(effect.contact_id))
                case changes.SendHeld():
                    self.spawn(self.conversation.send_held_now(effect.contact_id))
                case changes.OptedOut():
                    self.spawn(self.caller.opted_out(effect.contact_id))
                case changes.GiveBack():
                    self.conversation.give_back(effect.contact_id, effect.text)
                case changes.CustomerWrote() if self.ports.assist.suggests_replies:
                    self.translations.after_customer_message(effect.contact_id)
                    self.suggestions.after_customer_message(effect.contact_id)
                case changes.CustomerWrote():
                    self.article_hints.after_customer_message(effect.contact_id)
                case changes.ForgetDraft():
                    self.conversation.stop_typing_timer(effect.contact_id)
                    self.kept.forget(effect.contact_id)
                    if "suggestions" in self.__dict__:  # (built: a suggestion was ever asked for)
                        self.suggestions.forget(effect.contact_id)
                    if "running_summaries" in self.__dict__:
                        self.running_summaries.forget(effect.contact_id)
                    if "article_hints" in self.__dict__:
                        self.article_hints.forget(effect.contact_id)
                    if "translations" in self.__dict__:
                        self.translations.forget(effect.contact_id)

    def spawn(self, work: Awaitable[object]) -> asyncio.Future[object]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._said_if_failed)
        return task

    def _said_if_failed(self, task: asyncio.Future[object]) -> None:
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

    async def aclose(self) -> None:
        """Stop what runs in the background; drafts typed in the last moments are written first."""
        self.conversation.cancel_typing_timers()
        await self.kept.flush()
        if "running_summaries" in self.__dict__:
            await self.running_summaries.aclose()
        if "suggestions" in self.__dict__:
            await self.suggestions.aclose()  # the model's streams stopped
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _disk_problem(self, why: str | None) -> None:
        """The disk refused a draft (`why`: "disk full"), or took every one again (None): said at once, on the
        wrap-ups open and as a notice; what was typed stays on the desk and the screen meanwhile."""
        desk = self.desk
        if why is None:
            desk.notice("The disk has room again: what you typed is on disk.", "Disk")
            for contact_id in self._warned_on_disk & set(desk.wrap_ups):
                if contact_id not in self.wrap_up.waiting_for_disk:
                    desk.wrap_ups.say(
                        contact_id, "The disk has room again: your notes are on disk. ctrl+s saves to the CRM."
                    )
            self._warned_on_disk.clear()
        else:
            desk.notice(f"{why}: your notes are kept on screen, not on disk", "Disk", "error", timeout=30)
            for contact_id in desk.wrap_ups:
                if contact_id not in self.wrap_up.waiting_for_disk:
                    desk.wrap_ups.say(contact_id, f"{why}: your notes are kept on screen, not on disk.", "warning")
                    self._warned_on_disk.add(contact_id)

    # --- what the contact center offers the agent -------------------------------------------

    async def load_queues(self) -> None:
        """Queues (and their dispositions), fetched each time the contact-center link comes up."""
        await self._load(self.contact_center.list_queues(), self.desk.set_queues, "Queues")

    async def load_state_catalog(self) -> None:
        """The states the agent may choose (the not-ready picker's reasons), each time the link comes up."""
        await self._load(self.contact_center.state_catalog(), self.desk.set_state_catalog, "Agent states")

    async def _load(self, call: Awaitable[T], keep: Callable[[T], object], title: str) -> None:
        try:
            keep(await call)
        except BackendError as error:
            self.desk.notice(logged_refusal(error, title), title, "error")

    # --- the agent's state ------------------------------------------------------------

    async def _act(self, call: Awaitable[T], title: str) -> T | None:
        """One call to a backend; a refusal becomes a notice, never an exception. A contact in the answer
        is applied at once (its event may come later)."""
        try:
            result = await call
        except BackendError as error:
            self.desk.notice(logged_refusal(error, title), title, "error")
            return None
        if isinstance(result, Contact):
            self.carry_out(self.desk.apply_answer(result))  # (its event may have come first: then nothing changes)
        return result

    async def in_order(self, request: Awaitable[T]) -> T:
        """`request` sent once the agent's previous request of this kind is answered (or refused). The lock is
        first come, first served, and each is asked for as its key's worker starts, in the keys' order."""
        async with self._in_order:
            return await request

    async def go_available(self) -> None:
        """Available; on a contact: forget the requested next state and be routable for more contacts within
        capacity (this also clears Missed after an offer was rejected or timed out)."""
        center = self.contact_center
        agent = self.desk.agent
        if self.desk.has_contacts_in_hand() and agent is not None and agent.next_state is not None:
            if not self.desk.capabilities.native_next_state:
                self.desk.keep_next_state(None)
            elif await self._act(center.set_next_state(None), "Available") is None:
                return
        await self.in_order(self._act(center.set_state(AgentState.AVAILABLE), "Available"))

    async def not_ready(self, reason: str) -> None:
        await self.in_order(self._act(self.contact_center.set_state(AgentState.NOT_READY, reason), "Not ready"))

    async def next_not_ready(self, reason: str) -> None:
        if self.desk.capabilities.native_next_state:
            await self._act(self.contact_center.set_next_state(AgentState.NOT_READY, reason), "Next state")
            return
        # Kept on the desk, set when the last contact is done (agent_desk/desk/next_state.py); the platform would
        # route no more than capacity allows meanwhile, as with a native next state.
        self.desk.keep_next_state(NextState(state=AgentState.NOT_READY, reason=reason))

    def ask_next_state_now(self, reason: str) -> None:
        """`n` on a contact: the next state asked for in the key's turn (the first reason, until the agent picks
        one). A wrap-up being saved completes its contact only once this request is answered: the other way
        round, the contact center makes the agent Available as the contact is done and offers the next one."""
        self._next_state_request = self.spawn(self.next_not_ready(reason))

    async def next_state_sent(self) -> None:
        """Until the next state `n` asked for on a contact is answered (its refusal is a notice already)."""
        request = self._next_state_request
        if request is not None and not request.done():
            await asyncio.wait([request])

    async def take_back_break(self) -> None:
        """The agent closed the reasons `n` opened on a contact without picking one: the break asked for at once
        is taken back; the next state dropped, or, the last contact done meanwhile, Available again."""
        if self.desk.has_contacts_in_hand():
            if not self.desk.capabilities.native_next_state:
                self.desk.keep_next_state(None)
            else:
                await self._act(self.contact_center.set_next_state(None), "Next state")
        elif self.desk.agent_state() is AgentState.NOT_READY:
            await self._act(self.contact_center.set_state(AgentState.AVAILABLE), "Available")

    # --- the offer and the contacts in hand -------------------------------------------

    async def accept(self) -> None:
        offer = self.desk.offer
        if offer is not None:  # its call answered on the softphone as the accept goes (hung up if it is refused)
            await self.sound.accept(
                offer.contact, self.in_order(self._act(self.contact_center.accept_offer(offer.id), "Accept"))
            )

    async def stop_auto_accept(self) -> None:
        """The offer's countdown to its auto-accept stopped: it waits for the agent's answer (auto_accept.py)."""
        self.desk.auto_accept.stop(self.desk.offer)

    def reject(self) -> Awaitable[None]:
        """Decided in the key's turn (the offer leaves the desk, so the key after `r` finds none); the contact
        center told after, in order."""
        offer = self.desk.reject_offer()
        if offer is None:
            return asyncio.sleep(0)
        return self.in_order(self._send_reject(offer))

    async def _send_reject(self, offer: Offer) -> None:
        await self._act(self.contact_center.reject_offer(offer.id), "Reject")
        if self.desk.held:
            self.desk.notice("No more offers until you press v (Available).", "Rejected")

    def _selected_id(self) -> str | None:
        return self.desk.selected_id

    async def _on_selected(self, call: Callable[[str], Awaitable[object]], title: str) -> None:
        """`call` on the selected contact, if any (end, hold, resume, a consult's two ends...)."""
        if (contact_id := self._selected_id()) is not None:
            await self._act(call(contact_id), title)

    def end(self) -> Awaitable[None]:
        """End the selected contact. Decided in the key's turn: its wrap-up is in front at once (the keys typed
        behind `e` fill it); the contact center is told after, an email or SMS the contact still holds leaving
        first (as a mail client sends it). A refusal says why and gives the contact back as it was."""
        contact_id = self._selected_id()
        if contact_id is None or not self.desk.begin_end(contact_id):
            return self._on_selected(self.contact_center.end_contact, "End contact")  # (the contact center says why)
        answered = self._ending[contact_id] = asyncio.Event()
        return self._send_end(contact_id, answered)

    async def _send_end(self, contact_id: str, answered: asyncio.Event) -> None:
        try:
            await self.conversation.send_held_now(contact_id)
            if await self._act(self.contact_center.end_contact(contact_id), "End contact") is None:
                self.desk.end_refused(contact_id)
            else:
                await self.sound.ended(contact_id)
        finally:
            answered.set()
            if self._ending.get(contact_id) is answered:
                del self._ending[contact_id]

    async def end_answered(self, contact_id: str) -> None:
        """Once the contact center has answered the agent's end of the contact (at once if none is asked)."""
        if (answered := self._ending.get(contact_id)) is not None:
            await answered.wait()

    async def extend_wrap_up(self) -> None:
        """More time for the wrap-up on screen, as its queue's rule allows."""
        held = self.desk.wrap_up()
        if held is not None:
            await self.wrap_up.extend(held.id)

    async def hold(self) -> None:
        """The selected contact held at the contact center, then its call on the softphone (a SIP hold)."""
        contact_id = self._selected_id()
        if contact_id is None or await self._act(self.contact_center.hold_contact(contact_id), "Hold") is None:
            return
        await self.sound.held(contact_id)

    async def call_back(self) -> None:
        """The caller of the voicemail in hand called back, as the dial pad places a call (voice/placed_calls.py)."""
        await self.dialling.call_back()

    async def play_message(self) -> None:
        """The voicemail in hand played through the softphone, or stopped (voice/message_playback.py)."""
        await self.playback.toggle()

    async def toggle_recording(self) -> None:
        """The selected call's recording paused at the contact center (card data read out: silence is recorded from
        now), or resumed if the agent had paused it."""
        contact_id = self._selected_id()
        if contact_id is None:
            return
        paused = contact_id not in self.desk.recording_paused
        try:
            await self.ports.recorder.pause_recording(contact_id, paused)
        except BackendError as error:
            self.desk.notice(error.message, "Recording", "error")
            return
        if paused:
            self.desk.recording_paused.setdefault(contact_id, self.now())
        else:
            self.desk.recording_paused.pop(contact_id, None)
            self.desk.recording_told_long.discard(contact_id)  # a next pause that lasts is said again
        self.desk.changed().contacts.add(contact_id)

    async def resume(self) -> None:
        """The selected contact taken off hold. A call resumed while another call talks puts that one on hold first,
        at the contact center and on the softphone, so one call talks at a time (docs/voice.md "Two calls in hand");
        if that hold is refused, the selected call stays on hold."""
        contact_id = self._selected_id()
        if contact_id is None:
            return
        talking = call_on_the_line(self.desk.held.values(), but=contact_id)
        if self._is_call(contact_id) and talking is not None:
            if await self._act(self.contact_center.hold_contact(talking), "Hold") is None:
                return
            await self.sound.held(talking)
        if await self._act(self.contact_center.resume_contact(contact_id), "Resume") is None:
            return
        await self.sound.resumed(contact_id)

    def _is_call(self, contact_id: str) -> bool:
        held = self.desk.held.get(contact_id)
        return held is not None and held.contact.channel is Channel.VOICE and held.contact.voicemail is None

    async def transfer(
        self, target: Target, mode: str = "blind", contact_id: str | None = None, *, note: str | None = None
    ) -> None:
        """Transfer the selected contact (or `contact_id`, if still selected) to `target`: at once ("blind"),
        or after speaking to the target on a second leg while the customer holds ("consult")."""
        selected = self._selected_id()
        if selected is None or (contact_id is not None and contact_id != selected):
            self.desk.notice("Select a contact to transfer first.", "Transfer", "warning")
            return
        center = self.contact_center
        note = mask_pci(note) if note else None  # it leaves the desk for the next agent's transcript
        if mode == "consult":
            await self._act(center.start_consult(selected, target, note), f"Consult {target.label}")
            return
        await self.conversation.send_held_now(selected)  # what the agent wrote leaves before the contact does
        # Gone from the agent's hands (to a queue, an agent, an expert): the transfer is its record, kept first.
        await self.wrap_up.transfer_away(selected, target, note)

    async def complete_consult(self) -> None:
        await self._on_selected(self.contact_center.complete_consult, "Complete transfer")

    async def model_handover_note(self, contact_id: str) -> tuple[str, str] | None:
        """The assistant model's summary of the contact so far, on one line and masked, and the model's name, for a
        transfer's note; None with no model, or where it gave none (the rules' note stays)."""
        if not self.ports.assist.suggests_replies:
            return None
        name = self.suggestions.assistant.model.capabilities.model or "the assistant"
        running = self.running_summaries.current(contact_id)  # covers every line said: no new request
        if running is not None:
            return one_line(mask_pci(running.text), HANDOVER_LIMIT), name
        drafted = await self.suggestions.handover_summary(contact_id)
        if drafted is None:
            return None
        return one_line(mask_pci(drafted.summary), HANDOVER_LIMIT), name

    async def suggest_again(self) -> None:
        """A new suggested reply for the selected conversation as it is now (f9)."""
        if (contact_id := self._selected_id()) is not None:
            await self.suggestions.suggest(contact_id)

    async def discard_suggestion(self) -> None:
        """The selected conversation's suggested reply, or its suggested articles, taken off (f8)."""
        if (contact_id := self._selected_id()) is None:
            return
        if self.ports.assist.suggests_replies:
            self.suggestions.discard(contact_id)
        else:
            self.article_hints.dismiss(contact_id)

    async def cancel_consult(self) -> None:
        await self._on_selected(self.contact_center.cancel_consult, "Cancel consult")

    async def transfer_options(self) -> tuple[list[Colleague], list[Expert]]:
        """Who the transfer dialog lists: the other agents (the contact center's directory) and the experts
        (the presence directory), read together; either may fail alone and says so."""
        colleagues, experts = await asyncio.gather(
            self.contact_center.list_colleagues(), self.presence.list_experts(), return_exceptions=True
        )
        for failed, what in ((colleagues, "Agents"), (experts, "Experts")):
            if isinstance(failed, BackendError):
                self.desk.notice(f"{what} unavailable: {failed.message}", "Transfer", "warning")
            elif isinstance(failed, BaseException):
                raise failed
        mine = self.contact_center.agent_id
        return (
            [c for c in colleagues if c.id != mine] if isinstance(colleagues, list) else [],
            experts if isinstance(experts, list) else [],
        )

    # --- wrap-up: outbox first, then complete in the contact center ----------------------

    # --- the outbox: what was written, and a refused write fixed and sent again -----------

    # --- leaving: off routing before the desktop stops --------------------------------------

    async def leave_routing(self, state: AgentState, reason: str | None = None) -> str | None:
        """Take the agent off routing: a pending offer is rejected (it goes back to the queue), then `state`
        now, or as the next state while contacts are in hand (the contact center refuses Offline with a
        contact in hand; a next state also stops new offers). What went wrong, in one line, or None."""
        center = self.contact_center
        try:
            async with asyncio.timeout(LEAVE_TIMEOUT_S):
                await self.conversation.send_all_held()  # an email or SMS still held leaves, as a mail client's
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
                with contextlib.suppress(BackendError):  # (gone with the desk, the softphone would fail the call)
                    await self.sound.sign_out()  # the agent's calls ring their softphone no more
        except BackendError as error:
            return error.message
        except TimeoutError:
            return f"no answer in {LEAVE_TIMEOUT_S:g} s"
        return None
