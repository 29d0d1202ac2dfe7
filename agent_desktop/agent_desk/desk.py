"""The agent's desk: their state, the offer, the contacts in hand, the selection, and `apply`. No terminal code
and no I/O. Its parts, each in its own file, mark the same `DeskChanges`: `lookups` (what the CRM said about each
caller, lookups.py), `conversations` (the chats, SMS and emails in hand, conversations_in_hand.py), `wrap_ups`
(each contact's wrap-up typed so far and what its form says, wrap_ups.py) and `directory` (the experts).

Events are applied as they arrive (`apply` returns what must happen next, such as a CRM lookup) and only
mark what changed; the screen reads `take_changes()` when it redraws, so a burst of events costs one
redraw (the supervisor's `Floor` works the same way). The rules that keep the desk consistent, whatever
order events, snapshots and action results come in:

- an event whose id is not above the last one applied is a replay, and is dropped;
- an action's answer is applied as the stream's events that carry it (the ids the backend names with it), so
  the stream's copy is dropped by id, and an answer that comes after a later event is too;
- a contact's phase only moves forward (talking → wrap-up → timed out): an event that would take it
  back is stale, and is dropped;
- a completed contact never comes back (the last few hundred are remembered), and one completed by the
  contact center before the agent saved its wrap-up stays until the agent saves it;
- the offered contact is never also in hand, and the selection is a contact in hand or nothing.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable

from agent_desktop.agent_desk.auto_accept import AutoAccept
from agent_desktop.agent_desk.callers.lookups import CallerLookup, CallerLookups
from agent_desktop.agent_desk.changes import (
    DeskChanges,
    Effect,
    ForgetDraft,
    LoadConversation,
    LoadQueues,
    LoadStateCatalog,
    LookUpCaller,
    Notice,
    OptedOut,
    SaveTimedOut,
    SearchExperts,
    SendHeld,
    Severity,
    TakeNextState,
)
from agent_desktop.agent_desk.contacts import FINISHED_STATES, RANK, HeldContact, Phase, phase_of
from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
from agent_desktop.agent_desk.conversations.held_sends import HeldSends
from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.agent_desk.experts.experts import contact_skills
from agent_desktop.agent_desk.flags.supervisor_help import SupervisorHelp
from agent_desktop.agent_desk.focus_rules import card_follows_selection, experts_follow_offer
from agent_desktop.agent_desk.follow_ups.follow_up import WrappedUp
from agent_desktop.agent_desk.my_day.my_day import MyEvaluations
from agent_desktop.agent_desk.offer_deadline import OfferDeadline
from agent_desktop.agent_desk.wrap_up import wrap_up_rules
from agent_desktop.agent_desk.wrap_up.wrap_up_deadline import WrapUpDeadlines
from agent_desktop.agent_desk.wrap_up.wrap_ups import WrapUps
from agent_desktop.domain.assist_protocol import AssistantFigures
from agent_desktop.domain.caller_id import is_withheld
from agent_desktop.domain.capabilities import ContactCenterCapabilities, CrmCapabilities, StateOption
from agent_desktop.domain.link_status import LinkStatus
from agent_desktop.domain.models import (
    Agent,
    AgentStateEvent,
    AutoAcceptRule,
    BroadcastEvent,
    Contact,
    ContactEvent,
    ConversationEvent,
    EvaluationEvent,
    Expert,
    ExpertMessageEvent,
    FlagEvent,
    MessageEvent,
    MonitorEvent,
    NextState,
    Offer,
    OfferClosedEvent,
    OfferEvent,
    PresenceEvent,
    Queue,
    ResponseTarget,
    WrapUpRule,
)
from agent_desktop.domain.opt_out import is_opt_out
from agent_desktop.domain.phone_format import shown_phone
from agent_desktop.domain.transcription import TranscriptionEvent, TranscriptionLine
from agent_desktop.domain.vocabulary import (
    IN_HAND,
    TALKING,
    AgentState,
    Channel,
    ContactState,
    OfferState,
    ParticipantRole,
)
from agent_desktop.transcripts.call_transcript import CallTranscript, CallTranscripts
from agent_desktop.transcripts.conversation import DIGITAL, ConversationState, PrivateNote

log = logging.getLogger(__name__)

FINISHED_MEMORY = 500  # completed contacts remembered, so a late event cannot bring one back
SHOWN_MEMORY = 200  # offers remembered as shown, so one that expired unseen can be told from one seen
UNSEEN_MISS = (
    "while the contact center was unreachable: it was never shown here. No more offers until you press v (Available)."
)


class Desk:
    def __init__(
        self,
        agent_id: str,
        stored_drafts: dict[str, Draft] | None = None,
        stored_composer: dict[str, str] | None = None,
        stored_notes: dict[str, list[PrivateNote]] | None = None,
        *,
        capabilities: ContactCenterCapabilities | None = None,
        crm_capabilities: CrmCapabilities | None = None,
    ) -> None:
        self.agent_id = agent_id
        # What the backends can do: the commands that apply read them (agent_desktop/agent_desk/commands.py).
        self.capabilities = capabilities or ContactCenterCapabilities()
        self.crm_capabilities = crm_capabilities or CrmCapabilities()
        # The channels the contact center sends follow-ups on, and the contact last wrapped up with its
        # customer's record (what a follow-up confirms).
        self.follow_up_channels: frozenset[Channel] = frozenset()
        self.last_wrapped: WrappedUp | None = None
        self.state_catalog: list[StateOption] = []  # the states the agent may choose, from the contact center
        # A next state the desk keeps for a contact center that has none of its own (applied at the last contact).
        self.kept_next_state: NextState | None = None
        self.agent: Agent | None = None
        self.offer: Offer | None = None
        self.offer_deadline = OfferDeadline()  # when it runs out on this desk's clock (its countdown)
        self.wrap_up_deadlines = WrapUpDeadlines()  # when each wrap-up's time box ends on this desk's clock
        self.missed_offer: Offer | None = None  # the last offer that timed out, until the next or Available
        # The offer that this one replaced without being answered (its caller hung up, or another agent took it):
        # the card says so, or the agent would not know the caller changed.
        self.replaced_offer: Offer | None = None
        self._last_offer_id: str | None = None
        # Offers drawn on this desk (the latest SHOWN_MEMORY): one that expires unseen is said as such.
        self._shown_offers: OrderedDict[str, None] = OrderedDict()
        self._said_unseen_miss = False  # the agent was told of an offer missed unseen, until the state moves on
        self._rejected_here = False  # `r` on the last offer: the Missed state that follows is the agent's doing
        self.held: dict[str, HeldContact] = {}  # in the order they came into the agent's hands
        self.selected_id: str | None = None
        self.lookups = CallerLookups(self._lookup_changed)  # contact id → its caller's lookup (and the CRM's answers)
        self.queues: dict[str, Queue] = {}
        self.auto_accept = AutoAccept(
            self.auto_accept_rule, self._changed
        )  # the offer accepted after a countdown, where allowed
        self.links: dict[str, LinkStatus] = {}  # backend name → its link
        self.assistant: AssistantFigures | None = None  # the assistant's tokens and health, once it was asked
        self._paused_links: set[str] = set()  # lost because the desk was paused, not back yet
        # Each contact's wrap-up typed so far, what a previous run left, and what the form says (wrap_ups.py).
        self.wrap_ups = WrapUps(self._changed, stored_drafts)
        # Chats, SMS and emails in hand: their conversations, composers and notes (conversations_in_hand.py).
        self.conversations = ConversationsInHand(self._changed, stored_composer, stored_notes)
        # Emails and SMS waiting a few seconds before they leave, with an undo (held_sends.py; 0 s: none wait).
        self.held_sends = HeldSends(self._changed)
        self.calls = CallTranscripts()  # the live transcript of each call in hand (transcripts/call_transcript.py)
        self.directory = ExpertDirectory()
        self.help = SupervisorHelp(self._changed)  # flags raised and their threads, broadcasts
        self.evaluations = MyEvaluations(self._changed)  # quality evaluations released to the agent
        self.last_event_id: int | None = None
        self.version = 0  # goes up with every change (what the keys that apply are cached on)
        self._finished: OrderedDict[str, None] = OrderedDict()
        self._changes = DeskChanges()
        # Told at each change (the controller paces it to one redraw a turn): the desk announces its own changes,
        # nobody has to ask the screen to draw them.
        self.announce: Callable[[], None] = lambda: None

    # --- applying what the contact center says ---------------------------------------

    def apply(self, event: object) -> list[Effect]:
        """Apply one event of the agent's stream; the effects are for the caller to carry out now."""
        if isinstance(event, ConversationEvent):
            effects = self.conversations.apply(event)
            if self._opted_out(event):
                effects.append(OptedOut(event.contact_id))
            conversation = self.conversations.get(event.contact_id)
            if conversation is not None and conversation.ended and self.held_sends.of(event.contact_id):
                effects.append(SendHeld(event.contact_id))
            return effects
        if isinstance(event, MonitorEvent):
            return self.conversations.apply_monitor(event)
        if isinstance(event, TranscriptionEvent):
            self._heard(event.line)
            return []
        if isinstance(event, FlagEvent | BroadcastEvent):
            self.help.apply(event)  # A flag's thread, a broadcast
            return []
        if isinstance(event, EvaluationEvent):
            self.evaluations.apply(event)  # Released, or acknowledged (from another desk of theirs)
            return []
        if not isinstance(event, AgentStateEvent | OfferEvent | OfferClosedEvent | ContactEvent):
            return []
        event_id = event.event_id
        if event_id is not None:
            if self.last_event_id is not None and event_id <= self.last_event_id:
                return []  # a replay of an event already applied
            self.last_event_id = event_id
        if isinstance(event, AgentStateEvent):
            agent = self._with_kept_next_state(event.agent)
            if agent == self.agent:
                return []  # the state as the desk has it already (a snapshot after a reconnect)
            missed_unseen = (
                agent.state is AgentState.MISSED
                and self.agent is not None
                and self.agent.state is not AgentState.MISSED
                and self.offer is None
                and self.missed_offer is None
                and not self._said_unseen_miss
                and not self._rejected_here
            )
            if agent.state is not AgentState.OFFERED:
                self._rejected_here = False  # the state after the rejected offer has come
            if self.agent is None or (agent.state, agent.reason) != (self.agent.state, self.agent.reason):
                log.info("agent %s: %s%s", agent.id, agent.state.value, f" ({agent.reason})" if agent.reason else "")
            self.agent = agent
            changes = self._changed()
            changes.agent = True
            if agent.state is not AgentState.MISSED:
                self._said_unseen_miss = False
            elif missed_unseen:
                # An offer came and went while its events could not be read (a 429 storm, a link down): the state
                # alone would say Missed with nothing to say why.
                self._said_unseen_miss = True
                self.notice(f"You missed an offer {UNSEEN_MISS}", "Offer missed", "warning", timeout=30)
            if event.agent.state is AgentState.AVAILABLE and self.missed_offer is not None:
                self.missed_offer = None  # the agent said so: routable again
                changes.offer = True
            return []
        if isinstance(event, OfferEvent):
            return self._apply_offer(event.offer)
        if isinstance(event, OfferClosedEvent):
            self._apply_offer_closed(event.offer)
            return []
        return self.apply_contact(event.contact, event_id)

    def _heard(self, line: TranscriptionLine) -> None:
        """A line heard on a call in hand: its transcript redrawn; its row too when the customer's mood changed."""
        if line.contact_id not in self.held:
            return
        changed, mood = self.calls.apply(line)
        if changed:
            changes = self._changed()
            changes.conversations.add(line.contact_id)
            if mood:
                changes.contacts.add(line.contact_id)

    def _opted_out(self, event: object) -> bool:
        """A customer's STOP (domain/opt_out.py) in an SMS conversation in the agent's hands."""
        if not isinstance(event, MessageEvent) or event.item.role is not ParticipantRole.CUSTOMER:
            return False
        held = self.held.get(event.contact_id)
        return held is not None and held.contact.channel is Channel.SMS and is_opt_out(event.item.text)

    def _apply_offer(self, offer: Offer) -> list[Effect]:
        contact_id = offer.contact.id
        if offer.state is not OfferState.PENDING or (self.offer is not None and self.offer.id == offer.id):
            return []
        if contact_id in self.held or contact_id in self._finished:
            return []  # stale: that contact is already past its offer
        replaced = self.offer if self.offer is not None and self.offer.contact.id != contact_id else None
        if self.offer is not None:
            self._drop_offer()
        self.replaced_offer = replaced
        if replaced is not None:
            self.notice(
                f"The offer from {shown_phone(replaced.contact.from_address)} was withdrawn (the caller hung up, or it went to "
                f"someone else). Now offered: {shown_phone(offer.contact.from_address)}.",
                "Offer changed",
                "warning",
            )
        log.info(
            "offer %s: %s contact %s from queue %s, until %s",
            offer.id,
            offer.contact.channel.value,
            contact_id,
            offer.contact.queue_id,
            offer.expires_at.isoformat(timespec="seconds"),
        )
        self.offer = offer
        self.missed_offer = None
        self._last_offer_id = offer.id
        self._shown_offers[offer.id] = None
        while len(self._shown_offers) > SHOWN_MEMORY:
            self._shown_offers.popitem(last=False)
        changes = self._changed()
        changes.offer = changes.card = changes.ring = True
        self._suggest_experts()
        # The last contact's expert search does not stay for this one: the whole directory, suggestions first.
        fresh = [SearchExperts("", None)] if self.directory.reset_search() else []
        return [*self._look_up(offer.contact), *fresh]

    def _look_up(self, contact: Contact) -> list[Effect]:
        """The CRM lookup of a contact's caller: by the account the IVR verified, else by their address."""
        address = contact.from_address
        attached = contact.attached
        account = attached.account_number if attached is not None and attached.verified else None
        # A withheld number is not looked up (the CRM would refuse it): the agent asks and searches,
        # unless the IVR verified who is calling.
        withheld = is_withheld(address) and account is None
        self.lookups[contact.id] = CallerLookup(address, withheld=withheld, done=withheld)
        return [] if withheld else [LookUpCaller(contact.id, address, account)]

    def _apply_offer_closed(self, offer: Offer) -> None:
        log.info("offer %s: %s", offer.id, offer.state.value)
        unseen = offer.id not in self._shown_offers and offer.contact.id not in self.held
        if offer.state is OfferState.EXPIRED and unseen and not self._said_unseen_miss:
            self._said_unseen_miss = True
            self.notice(
                f"You missed an offer from {shown_phone(offer.contact.from_address)} {UNSEEN_MISS}",
                "Offer missed",
                "warning",
                timeout=30,
            )
            return
        # (Its contact's "queued" event may have taken the offer off the desk already.)
        if offer.state is OfferState.EXPIRED and offer.id == self._last_offer_id and offer.contact.id not in self.held:
            self.missed_offer = offer  # said where the agent is looking: the offer card, or over a dialog
            self._changed().offer = True
        if self.offer is None or self.offer.id != offer.id:
            return
        self._drop_offer()
        # A missed offer makes the agent not routable; on a contact, the state line still says Busy.
        missed = offer.state in (OfferState.EXPIRED, OfferState.REJECTED) and self.has_contacts_in_hand()
        hint = " No more offers until you press v (Available)." if missed else ""
        self.notice(
            f"The offer from {shown_phone(offer.contact.from_address)} was {offer.state.value}.{hint}",
            "Offer closed",
            "warning",
        )

    def apply_answer(self, contact: Contact) -> list[Effect]:
        """An action's answer. Applied as the last of the stream's events that carry it (`event_ids`, when the
        backend names them), so each of those, arriving before or after, is dropped by its id whatever it holds;
        without ids, a copy equal to what the desk holds changes nothing."""
        ids = contact.event_ids
        return self.apply_contact(contact.without_event_ids(), max(ids) if ids else None)

    def apply_contact(self, contact: Contact, event_id: int | None = None) -> list[Effect]:
        """A contact as the contact center reports it (an event, a snapshot, or an action's answer)."""
        replaced = contact.transferred_from
        if replaced is not None and replaced != contact.id and replaced in self.held:
            # A transfer that made a new contact (Twilio's Invite: a new task): the one it continues left the agent.
            self._release(replaced)
            return self._next_state_due() + self._apply_contact(contact, event_id)
        return self._apply_contact(contact, event_id)

    def _apply_contact(self, contact: Contact, event_id: int | None) -> list[Effect]:
        contact_id = contact.id
        if contact_id in self._finished:
            return []  # a completed contact never comes back
        held = self.held.get(contact_id)
        if held is not None and held.phase is Phase.TIMED_OUT:
            return []  # completed there already: only the agent's save takes it off the desk
        if (
            held is not None
            and event_id is not None
            and held.last_event_id is not None
            and event_id <= held.last_event_id
        ):
            return []  # a replay, the stream's copy of an action's answer applied already, or an answer that came late
        from_offer = self.offer is not None and self.offer.contact.id == contact_id
        if from_offer and contact.state != ContactState.OFFERED:
            self.offer = None
            self._changed().offer = True
            self._changed().card = True
        if (
            contact.agent_id == self.agent_id
            and contact.state is not ContactState.OFFERED
            and (held is None or held.contact.state != contact.state)
        ):
            log.info("contact %s (%s): %s", contact_id, contact.channel.value, contact.state.value)
        phase = phase_of(contact.state) if contact.agent_id == self.agent_id else None
        if contact.state in FINISHED_STATES:
            if held is None:
                self.lookups.pop(contact_id, None)
                self._remember_finished(contact_id)
                return []
            if held.phase is Phase.SAVING:
                return self.finish(contact_id)
            # Completed before the agent saved (the queue's ACW timeout): kept, so the notes still reach the CRM;
            # a wrap-up whose time-boxed rule ran out is saved at once with the chosen or the default code (not a
            # contact closed while talking: a callback nobody answered waits for the agent's notes).
            ran_out = held.phase is Phase.WRAP_UP and held.contact.acw_deadline is not None
            self._update(held, contact, Phase.TIMED_OUT, event_id)
            rule = wrap_up_rules.rule_for(self.queues.get(contact.queue_id), contact, self.capabilities)
            saved = [SaveTimedOut(contact_id)] if ran_out and wrap_up_rules.saves_on_timeout(rule) else []
            return self._next_state_due() + saved
        if phase is None:  # out of the agent's hands (transferred away), or not theirs yet
            if held is not None and contact.agent_id == self.agent_id:
                return []  # stale: still the agent's, in a state from before it was in hand
            if held is not None:
                self._release(contact_id)
                callback = contact.callback
                if callback is not None and callback.state == "no_answer":
                    retry = f" at {callback.retry_at:%H:%M:%S}" if callback.retry_at else ""
                    self.notice(
                        f"{callback.number} did not answer. The contact center dials again{retry}"
                        f" (attempt {callback.attempts} of {callback.max_attempts or '?'} made).",
                        "Callback",
                        "warning",
                    )
                return self._next_state_due()
            elif from_offer:
                self.lookups.pop(contact_id, None)
            return []
        if held is not None:
            if RANK[phase] < RANK[held.phase]:
                return []  # stale: it would take the contact back a phase
            if contact == held.contact:
                # Applied already, as a backend that names no event ids shows it: the stream's copy of an action's
                # answer (or the answer after its event).
                if event_id is not None:
                    held.last_event_id = event_id
                return []
            keep_saving = held.phase is Phase.SAVING and phase is Phase.WRAP_UP
            self._update(held, contact, held.phase if keep_saving else phase, event_id)
            return []
        self.held[contact_id] = HeldContact(contact, phase, event_id)
        self.wrap_ups.take_stored(contact_id)  # typed before the desktop was stopped
        effects: list[Effect] = []
        if contact.channel in DIGITAL:
            effects.append(self.conversations.open(contact))
        changes = self._changed()
        changes.contacts.add(contact_id)
        changes.wrap_up = True
        if self.selected_id is None or from_offer:  # the contact just accepted is the one to work on
            self._select(contact_id)
        if contact_id not in self.lookups:  # picked up after a restart: its offer was not seen here
            effects += self._look_up(contact)
        self._suggest_experts()
        return effects

    def _update(self, held: HeldContact, contact: Contact, phase: Phase, event_id: int | None) -> None:
        if phase != held.phase:
            self._changed().wrap_up = True
            if phase is Phase.WRAP_UP and held.phase is Phase.TALKING:
                self.wrap_ups.draft_from(contact.id, self.conversations.get(contact.id))
        held.contact, held.phase = contact, phase
        if event_id is not None:
            held.last_event_id = event_id
        changes = self._changed()
        changes.contacts.add(contact.id)
        if contact.id == self.selected_id:
            changes.selection = True  # the selected contact's detail and keys

    def _release(self, contact_id: str) -> None:
        """The contact left the agent's hands without being completed here (transferred away)."""
        self.held.pop(contact_id)
        self.conversations.release(contact_id)
        self.calls.pop(contact_id, None)
        self.help.release(contact_id)
        self.lookups.pop(contact_id, None)
        self.wrap_ups.status.pop(contact_id, None)
        changes = self._changed()
        changes.contacts.add(contact_id)
        changes.wrap_up = changes.card = True
        if self.selected_id == contact_id:
            self._select(next(iter(self.held), None))
        self._suggest_experts()

    def finish(self, contact_id: str) -> list[Effect]:
        """The contact is done (its wrap-up is in the outbox): nothing of it stays on the desk."""
        if contact_id not in self.held:
            return []
        self._release(contact_id)
        self._remember_finished(contact_id)
        self.wrap_ups.pop(contact_id, None)
        return [ForgetDraft(contact_id), *self._next_state_due()]

    def _remember_finished(self, contact_id: str) -> None:
        self._finished[contact_id] = None
        while len(self._finished) > FINISHED_MEMORY:
            self._finished.popitem(last=False)

    def _drop_offer(self) -> None:
        assert self.offer is not None
        contact_id = self.offer.contact.id
        if contact_id not in self.held:
            self.lookups.pop(contact_id, None)
        self.offer = None
        changes = self._changed()
        changes.offer = changes.card = True
        self._suggest_experts()

    def finished(self, contact_id: str) -> bool:
        return contact_id in self._finished

    # --- the next state, kept here for a contact center without one ------------------------

    def keep_next_state(self, next_state: NextState | None) -> None:
        """The agent asked for a state after their contacts (None: they no longer do); the contact center
        keeps no such request (`capabilities.native_next_state` is false), so the desk does."""
        self.kept_next_state = next_state
        if self.agent is not None:
            self.agent = self.agent.model_copy(update={"next_state": next_state})
            self._changed().agent = True

    def _with_kept_next_state(self, agent: Agent) -> Agent:
        if self.capabilities.native_next_state:
            return agent
        return agent.model_copy(update={"next_state": self.kept_next_state})

    def _next_state_due(self) -> list[Effect]:
        """The kept next state, once no contact is left in hand: the desk sets it (once)."""
        kept = self.kept_next_state
        if kept is None or self.has_contacts_in_hand():
            return []
        self.keep_next_state(None)
        return [TakeNextState(kept.state, kept.reason)]

    def set_state_catalog(self, options: list[StateOption]) -> None:
        self.state_catalog = list(options)
        self._changed()  # the state picker reads it when it opens

    def not_ready_options(self) -> list[StateOption]:
        """The not-ready states the agent may choose, as the contact center lists them."""
        return [option for option in self.state_catalog if option.kind is AgentState.NOT_READY]

    # --- what the agent does here --------------------------------------------------

    def reject_offer(self) -> Offer | None:
        """The agent rejected the offer: it leaves the screen at once."""
        offer = self.offer
        if offer is not None:
            self._drop_offer()
            self._rejected_here = True
        return offer

    def select(self, contact_id: str) -> None:
        if contact_id in self.held and contact_id != self.selected_id:
            self._select(contact_id)

    def step_selection(self, step: int) -> None:
        ids = list(self.held)
        if len(ids) < 2:
            return
        index = ids.index(self.selected_id) if self.selected_id in ids else 0
        self._select(ids[(index + step) % len(ids)])

    def _select(self, contact_id: str | None) -> None:
        previous = self.selected_id
        self.selected_id = contact_id
        changes = self._changed()
        changes.selection = changes.card = changes.wrap_up = True
        changes.contacts.update(c for c in (previous, contact_id) if c is not None and c in self.held)
        self._suggest_experts()

    def begin_end(self, contact_id: str) -> bool:
        """The agent ended the contact (`e`): its wrap-up is in front at once, so the keys typed behind `e` fill it;
        the contact center is told after, and its answer or event finds the contact in the phase it brings. False:
        the contact is not one being talked to (ended already, or gone)."""
        held = self.held.get(contact_id)
        if held is None or held.phase is not Phase.TALKING:
            return False
        self._update(held, held.contact, Phase.WRAP_UP, None)
        return True

    def end_refused(self, contact_id: str) -> None:
        """The contact center refused the end: the contact is talked to again, as it still reports it (what was
        typed in its wrap-up is kept for the next `e`)."""
        held = self.held.get(contact_id)
        if held is not None and held.phase is Phase.WRAP_UP and held.contact.state in TALKING:
            self._update(held, held.contact, Phase.TALKING, None)

    def begin_save(self, contact_id: str) -> bool:
        """The wrap-up is in the outbox; the contact center is asked to complete it. False: it timed out
        meanwhile (already completed there), so there is nothing to ask."""
        held = self.held[contact_id]
        if held.phase is Phase.TIMED_OUT:
            return False
        held.phase = Phase.SAVING
        return True

    def save_failed(self, contact_id: str) -> None:
        held = self.held.get(contact_id)
        if held is not None and held.phase is Phase.SAVING:
            held.phase = Phase.WRAP_UP

    def _lookup_changed(self, contact_id: str) -> None:
        """A caller's lookup changed (lookups.py): the card redraws if it shows that caller, or the offer's line."""
        offered = self.offer is not None and self.offer.contact.id == contact_id
        if offered or contact_id == self.popped_contact_id():  # the card, or the offer's caller line
            self._changed().card = True
        else:
            self._changed()

    def wrap_up_rule(self, contact: Contact) -> WrapUpRule | None:
        """The contact center's rule for the contact's wrap-up (None: it gives none, or declares them off)."""
        return wrap_up_rules.rule_for(self.queues.get(contact.queue_id), contact, self.capabilities)

    def auto_accept_rule(self, offer: Offer) -> AutoAcceptRule | None:
        """The queue's auto-accept of the offer's channel (None: it waits for the agent, or the backend cannot)."""
        queue = self.queues.get(offer.contact.queue_id)
        if queue is None or not (self.capabilities.auto_accept and self.capabilities.offer_decision):
            return None
        return queue.auto_accept.get(offer.contact.channel)

    def sla_target(self, contact: Contact) -> ResponseTarget | None:
        """The response target a contact's SLA clock runs against (None: the contact center declares none)."""
        queue = self.queues.get(contact.queue_id)
        if queue is None or not self.capabilities.sla_clocks:
            return None
        return queue.response_targets.get(contact.channel)

    def selected_conversation(self) -> ConversationState | None:
        return self.conversations.get(self.selected_id) if self.selected_id else None

    def selected_call(self) -> CallTranscript | None:
        """The selected contact's live transcript if it is a call in hand and something was heard on it (a call with
        none, on a contact center that transcribes nothing, keeps the experts in their place)."""
        call = self.calls.get(self.selected_id) if self.selected_id else None
        return call if call is not None and call.lines else None

    # --- links, queues, the expert directory -----------------------------------------

    def set_link(self, status: LinkStatus, kind: str) -> list[Effect]:
        before = self.links.get(status.backend)
        self.links = {**self.links, status.backend: status}
        self._changed().links = True
        if not status.connected:
            if before is None or before.connected:
                log.warning("%s: link lost: %s", status.backend, status.detail)
            if status.paused:
                self._paused_links.add(status.backend)  # said when it is back, whatever failed on the way
            return []
        if before is not None and not before.connected:
            log.warning("%s: link back", status.backend)
        elif before is None:
            log.info("%s: connected", status.backend)
        if before is not None and before.connected and status.unreadable > before.unreadable:
            # Still up, but an event could not be read (logged, counted on the status line): if it was one
            # of a conversation's, re-reading the transcripts brings it back.
            return [LoadConversation(cid) for cid in self.conversations] if kind == "contact_center" else []
        if status.backend in self._paused_links and kind == "contact_center":
            # The desk itself was stopped or asleep: said for a while (the gap itself may be too short to be drawn),
            # once (the other links resume quietly), since what is on screen may have changed meanwhile.
            self.notice(
                f"The desk was paused; what it shows was read again from {status.backend}.", "Resumed", timeout=10
            )
        self._paused_links.discard(status.backend)
        # Back after a gap: what was fetched before may be stale (a transcript re-read merges by id).
        if kind == "contact_center":
            return [LoadQueues(), LoadStateCatalog(), *(LoadConversation(cid) for cid in self.conversations)]
        return [SearchExperts(self.directory.search, self.directory.skill)]

    def set_assistant(self, figures: AssistantFigures) -> None:
        """The assistant answered, failed or spent tokens: the status line shows it (with the links)."""
        if figures != self.assistant:
            self.assistant = figures
            self._changed().links = True

    def set_queues(self, queues: list[Queue]) -> None:
        self.queues = {queue.id: queue for queue in queues}
        changes = self._changed()
        changes.queues = changes.wrap_up = True
        self._suggest_experts()

    def apply_presence(self, event: PresenceEvent) -> None:
        if self.directory.update_presence(event.person_id, event.presence):
            self._changed()  # the panel redraws the rows the directory marked

    def apply_expert_message(self, event: ExpertMessageEvent) -> None:
        sent = event.message
        if sent.direction != "inbound":
            return
        self.directory.note_reply(sent)
        expert = self.directory.expert(sent.person_id)
        who = sent.sender or (expert.name if expert else sent.person_id)
        self.notice(sent.text, f"Reply from {who}", timeout=10)

    def show_experts(self, experts: list[Expert]) -> None:
        self.directory.show(experts)
        self._suggest_experts()
        self._changed()  # the panel redraws what the directory marked

    def _suggest_experts(self) -> None:
        contact = self.escalation_contact()
        queue = self.queues.get(contact.queue_id) if contact else None
        self.directory.suggest(tuple(contact_skills(contact, queue, self.directory.known_skills)))

    # --- notices and changes -------------------------------------------------------

    def notice(self, text: str, title: str, severity: Severity = "information", timeout: float | None = None) -> None:
        self._changed().notices.append(Notice(text, title, severity, timeout))

    def _changed(self) -> DeskChanges:
        self.version += 1
        self.announce()
        return self._changes

    def take_changes(self) -> DeskChanges:
        """What changed since the last call (the screen redraws that, and only that)."""
        changes, self._changes = self._changes, DeskChanges()
        return changes

    # --- what the screen and the commands read ---------------------------------------

    def selected(self) -> HeldContact | None:
        return self.held.get(self.selected_id) if self.selected_id else None

    def selected_contact(self) -> Contact | None:
        held = self.selected()
        return held.contact if held else None

    def contacts_in_hand(self) -> int:
        """How many contacts the agent holds at the contact center (the app asks before quitting with any)."""
        return sum(1 for held in self.held.values() if held.contact.state in IN_HAND)

    def has_contacts_in_hand(self) -> bool:
        """Talking or in after-contact work (a timed-out contact is no longer in the contact center's hands)."""
        return any(held.contact.state in IN_HAND for held in self.held.values())

    def wrap_up(self) -> HeldContact | None:
        """The contact the wrap-up form shows: the selected one if it is being wrapped up, else the first."""
        selected = self.selected()
        if selected is not None and selected.phase.wrapping_up:
            return selected
        return next((held for held in self.held.values() if held.phase.wrapping_up), None)

    def popped_contact_id(self) -> str | None:
        """The contact whose caller the card shows: the selected one in hand, else the offer's."""
        return card_follows_selection(self.selected_id, self.held, self.offer.contact.id if self.offer else None)

    def popped_lookup(self) -> CallerLookup | None:
        contact_id = self.popped_contact_id()
        return self.lookups.get(contact_id) if contact_id else None

    def escalation_contact(self) -> Contact | None:
        """The contact an escalation is about: the one offered, else the selected one."""
        return experts_follow_offer(self.offer.contact if self.offer is not None else None, self.selected_contact())

    def agent_state(self) -> AgentState | None:
        return self.agent.state if self.agent else None

    def holds_nothing(self) -> bool:
        """Between contacts: no offer, no contact, no lookup, no draft (the screen-pop benchmark asserts it)."""
        return (
            self.offer is None and not self.held and not self.lookups and not self.wrap_ups and not self.wrap_ups.status
        )
