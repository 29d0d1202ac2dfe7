"""The agent's desk: their state, the offer, the contacts in hand, the selection, and `apply`. No terminal code
and no I/O. Its parts, each in its own file, mark the same `DeskChanges`: `lookups` (what the CRM said about each
caller, lookups.py), `conversations` (the chats, SMS and emails in hand, conversations_in_hand.py), `wrap_ups`
(each contact's wrap-up typed so far and what its form says, wrap_ups.py) and `directory` (the experts). Its rules
are collaborators beside it, each keeping what it remembers to decide and setting what the screen reads on the desk:
`offer_rules` (the agent's state and the offers), `contact_rules`, `next_state` and `link_watch` (the links).

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

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from agent_desktop.agent_desk.auto_accept import AutoAccept
from agent_desktop.agent_desk.callers.lookups import CallerLookup, CallerLookups
from agent_desktop.agent_desk.changes import DeskChanges, Effect, GiveBack, OptedOut, SendHeld
from agent_desktop.agent_desk.contacts import HeldContact, Phase
from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
from agent_desktop.agent_desk.conversations.held_sends import HeldSends
from agent_desktop.agent_desk.desk.contact_rules import ContactRules
from agent_desktop.agent_desk.desk.link_watch import LinkWatch
from agent_desktop.agent_desk.desk.next_state import NextStateKeeper
from agent_desktop.agent_desk.desk.offer_rules import OfferRules
from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.agent_desk.experts.experts import contact_skills
from agent_desktop.agent_desk.flags.supervisor_help import SupervisorHelp
from agent_desktop.agent_desk.focus_rules import card_follows_selection, experts_follow_offer
from agent_desktop.agent_desk.follow_ups.follow_up import WrappedUp
from agent_desktop.agent_desk.my_day.my_day import MyEvaluations
from agent_desktop.agent_desk.offer_deadline import OfferDeadline
from agent_desktop.agent_desk.voice.call_media import SoftphoneCalls
from agent_desktop.agent_desk.voice.recording_pauses import tell_recording_stopped
from agent_desktop.agent_desk.wrap_up import wrap_up_rules
from agent_desktop.agent_desk.wrap_up.wrap_up_deadline import WrapUpDeadlines
from agent_desktop.agent_desk.wrap_up.wrap_ups import WrapUps
from agent_desktop.domain.assist.protocol import AssistantFigures
from agent_desktop.domain.calls.softphone import NoSoftphone
from agent_desktop.domain.capabilities import ContactCenterCapabilities, CrmCapabilities, StateOption
from agent_desktop.domain.changes import ChangeFeed, Notice, Severity
from agent_desktop.domain.messages.opt_out import is_opt_in, is_opt_out
from agent_desktop.domain.models import (
    Agent,
    AgentStateEvent,
    AutoAcceptRule,
    BroadcastEvent,
    CallCoachingEvent,
    CallLevelEvent,
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
    RecordingEvent,
    ResponseTarget,
    ScheduledReplyEvent,
    SnoozeEvent,
    WrapUpRule,
)
from agent_desktop.domain.models.transcription import TranscriptionEvent, TranscriptionLine
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.vocabulary import (
    IN_HAND,
    TALKING,
    AgentState,
    Channel,
    ParticipantRole,
)
from agent_desktop.transcripts.call_transcript import CallTranscript, CallTranscripts
from agent_desktop.transcripts.conversation import ConversationState, PrivateNote

if TYPE_CHECKING:  # (the assistant's modules load with its first request, not with the desk)
    from agent_desktop.assist.running_summary import RunningSummary

# A customer's START: the carrier sends again, the CRM's consent is not restored by a keyword (domain/messages/opt_out.py).
OPTED_IN = (
    "The customer texted START: SMS reach them again, but their SMS consent in the CRM stays withdrawn. "
    "The desk does not restore consent from a keyword: restore it on their record if they agree to SMS."
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
        self.agent: Agent | None = None
        self.offer: Offer | None = None
        self.offer_deadline = OfferDeadline()  # when it runs out on this desk's clock (its countdown)
        self.wrap_up_deadlines = WrapUpDeadlines()  # when each wrap-up's time box ends on this desk's clock
        self.missed_offer: Offer | None = None  # the last offer that timed out, until the next or Available
        # The offer that this one replaced without being answered (its caller hung up, or another agent took it):
        # the card says so, or the agent would not know the caller changed.
        self.replaced_offer: Offer | None = None
        self.held: dict[str, HeldContact] = {}  # in the order they came into the agent's hands
        self.selected_id: str | None = None
        # The contacts list shows only the conversations awaiting our reply, and the selected contact.
        self.awaiting_only = False
        # ...or only the conversations snoozed or with a reply scheduled, and the selected contact.
        self.later_only = False
        self.lookups = CallerLookups(self._lookup_changed)  # contact id → its caller's lookup (and the CRM's answers)
        self.queues: dict[str, Queue] = {}
        self.auto_accept = AutoAccept(
            self.auto_accept_rule, self.changed
        )  # the offer accepted after a countdown, where allowed
        self.links: dict[str, LinkStatus] = {}  # backend name → its link
        self.assistant: AssistantFigures | None = None  # the assistant's tokens and health, once it was asked
        # The assistant's running summary of each contact in hand, where a model is configured (under the card).
        self.summaries: dict[str, RunningSummary] = {}
        # Each contact's wrap-up typed so far, what a previous run left, and what the form says (wrap_ups.py).
        self.wrap_ups = WrapUps(self.changed, stored_drafts)
        # Chats, SMS and emails in hand: their conversations, composers and notes (conversations_in_hand.py).
        self.conversations = ConversationsInHand(self.changed, stored_composer, stored_notes)
        # Emails and SMS waiting a few seconds before they leave, with an undo (held_sends.py; 0 s: none wait).
        self.held_sends = HeldSends(self.changed)
        self.calls = CallTranscripts()  # the live transcript of each call in hand (transcripts/call_transcript.py)
        self.softphone = SoftphoneCalls(self.changed)  # the calls' sound: media state, matched to contacts (voice/)
        self.softphone_capabilities = NoSoftphone.capabilities  # what the softphone serves (the controller's)
        self.recording_paused: dict[str, datetime] = {}  # calls whose recording the agent paused: since when
        self.recording_told_long: set[str] = set()  # of those, the ones whose pause was said to be long (voice/)
        self.recording_told_stopped: set[str] = set()  # calls the contact center stopped recording, said (voice/)
        self.message_playing: dict[str, bool] = {}  # voicemails played to the agent: playing now, or stopped (voice/)
        self.directory = ExpertDirectory()
        self.help = SupervisorHelp(self.changed)  # flags raised and their threads, broadcasts
        self.evaluations = MyEvaluations(self.changed)  # quality evaluations released to the agent
        self.last_event_id: int | None = None
        self.version = 0  # goes up with every change (what the keys that apply are cached on)
        self._changes = DeskChanges()
        # The rules the desk applies what the contact center says by, each with what it remembers to decide.
        self.offer_rules = OfferRules(self)
        self.contact_rules = ContactRules(self)
        self.next_state = NextStateKeeper(self)
        self.link_watch = LinkWatch(self)
        # Told at each change (the screen's pacer makes it one redraw a turn): the desk announces its own changes,
        # nobody has to ask the screen to draw them.
        self.feed = ChangeFeed()

    # --- applying what the contact center says ---------------------------------------

    def apply(self, event: object) -> list[Effect]:
        """Apply one event of the agent's stream; the effects are for the caller to carry out now."""
        if isinstance(event, ConversationEvent):
            effects = self.conversations.apply(event)
            if self._customer_sms(event, is_opt_out):
                effects.append(OptedOut(event.contact_id))
            elif self._customer_sms(event, is_opt_in):
                self.notice(OPTED_IN, "SMS", "warning")
            conversation = self.conversations.get(event.contact_id)
            if conversation is not None and conversation.ended and self.held_sends.of(event.contact_id):
                effects.append(SendHeld(event.contact_id))
            if conversation is not None and isinstance(event, SnoozeEvent | ScheduledReplyEvent):
                effects += self._waits_told(event, conversation.customer_name)
            return effects
        if isinstance(event, MonitorEvent):
            return self.conversations.apply_monitor(event)
        if isinstance(event, TranscriptionEvent):
            self._heard(event.line)
            return []
        if isinstance(event, CallLevelEvent):
            self.softphone.levels(event.contact_id, event.customer, event.agent)
            return []
        if isinstance(event, CallCoachingEvent):
            self._coached(event)
            return []
        if isinstance(event, RecordingEvent):
            tell_recording_stopped(self, event)  # a pause and a resume: the agent's own key said them
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
            return self.offer_rules.apply_agent_state(event)
        if isinstance(event, OfferEvent):
            return self.offer_rules.apply_offer(event.offer)
        if isinstance(event, OfferClosedEvent):
            self.offer_rules.apply_offer_closed(event.offer)
            return []
        return self.contact_rules.apply_contact(event.contact, event_id)

    def _customer_sms(self, event: object, keyword: Callable[[str], bool]) -> bool:
        """A customer's STOP or START (domain/messages/opt_out.py) in an SMS conversation in the agent's hands."""
        if not isinstance(event, MessageEvent) or event.item.role is not ParticipantRole.CUSTOMER:
            return False
        held = self.held.get(event.contact_id)
        return held is not None and held.contact.channel is Channel.SMS and keyword(event.item.text)

    def apply_answer(self, contact: Contact) -> list[Effect]:
        """An action's answer, applied as the stream's events that carry it (contact_rules.py)."""
        return self.contact_rules.apply_answer(contact)

    def apply_contact(self, contact: Contact, event_id: int | None = None) -> list[Effect]:
        """A contact as the contact center reports it (an event, a snapshot, or an action's answer)."""
        return self.contact_rules.apply_contact(contact, event_id)

    def finish(self, contact_id: str) -> list[Effect]:
        """The contact is done (its wrap-up is in the outbox): nothing of it stays on the desk."""
        return self.contact_rules.finish(contact_id)

    def finished(self, contact_id: str) -> bool:
        return self.contact_rules.finished(contact_id)

    # --- the next state, kept here for a contact center without one ------------------------

    def keep_next_state(self, next_state: NextState | None) -> None:
        """The agent asked for a state after their contacts (None: they no longer do); the contact center
        keeps no such request (`capabilities.native_next_state` is false), so the desk does."""
        self.next_state.keep(next_state)

    def set_state_catalog(self, options: list[StateOption]) -> None:
        self.next_state.set_catalog(options)

    def not_ready_options(self) -> list[StateOption]:
        """The not-ready states the agent may choose, as the contact center lists them."""
        return self.next_state.not_ready_options()

    # --- what the agent does here --------------------------------------------------

    def reject_offer(self) -> Offer | None:
        """The agent rejected the offer: it leaves the screen at once."""
        return self.offer_rules.reject()

    def select(self, contact_id: str) -> None:
        if contact_id in self.held and contact_id != self.selected_id:
            self.move_selection(contact_id)

    def listed(self) -> list[HeldContact]:
        """The contacts in hand the list shows: all of them, or with the awaiting-reply filter on those whose customer
        wrote last, and the selected one (the conversation being worked on never leaves the list under the agent)."""
        if not self.awaiting_only and not self.later_only:
            return list(self.held.values())
        shown = set(self.conversations.awaiting_reply() if self.awaiting_only else self.conversations.waiting_on_us())
        return [held for cid, held in self.held.items() if cid in shown or cid == self.selected_id]

    def toggle_awaiting_only(self) -> None:
        """The awaiting-reply filter on or off; turned on, the first conversation awaiting our reply is selected unless
        the selected one is such."""
        self.awaiting_only, self.later_only = not self.awaiting_only, False
        changes = self.changed()
        changes.contacts.update(self.held)
        changes.selection = True
        awaiting = self.conversations.awaiting_reply()
        if self.awaiting_only and awaiting and self.selected_id not in awaiting:
            self.move_selection(awaiting[0])

    def toggle_later_only(self) -> None:
        """The snoozed-and-scheduled filter on or off (the awaiting-reply one off); turned on, the first such
        conversation is selected unless the selected one is such."""
        self.later_only, self.awaiting_only = not self.later_only, False
        changes = self.changed()
        changes.contacts.update(self.held)
        changes.selection = True
        later = self.conversations.waiting_on_us()
        if self.later_only and later and self.selected_id not in later:
            self.move_selection(later[0])

    def step_selection(self, step: int) -> None:
        ids = [held.contact.id for held in self.listed()]
        if len(ids) < 2:
            return
        index = ids.index(self.selected_id) if self.selected_id in ids else 0
        self.move_selection(ids[(index + step) % len(ids)])

    def move_selection(self, contact_id: str | None) -> None:
        previous = self.selected_id
        self.selected_id = contact_id
        changes = self.changed()
        changes.selection = changes.card = changes.wrap_up = True
        changes.contacts.update(c for c in (previous, contact_id) if c is not None and c in self.held)
        self.suggest_experts()

    def begin_end(self, contact_id: str) -> bool:
        """The agent ended the contact (`e`): its wrap-up is in front at once, so the keys typed behind `e` fill it;
        the contact center is told after, and its answer or event finds the contact in the phase it brings. False:
        the contact is not one being talked to (ended already, or gone)."""
        held = self.held.get(contact_id)
        if held is None or held.phase is not Phase.TALKING:
            return False
        self.contact_rules.update(held, held.contact, Phase.WRAP_UP, None)
        return True

    def end_refused(self, contact_id: str) -> None:
        """The contact center refused the end: the contact is talked to again, as it still reports it (what was
        typed in its wrap-up is kept for the next `e`)."""
        held = self.held.get(contact_id)
        if held is not None and held.phase is Phase.WRAP_UP and held.contact.state in TALKING:
            self.contact_rules.update(held, held.contact, Phase.TALKING, None)

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
            self.changed().card = True
        else:
            self.changed()

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

    def call_area_wanted(self) -> bool:
        """The selected call has an area of its own in the experts' place: something was heard on it, or the
        contact center's virtual agent answered it first (what the caller and the bot said, before any line)."""
        if self.selected_call() is not None:
            return True
        contact = self.selected_contact()
        return contact is not None and contact.channel is Channel.VOICE and contact.handoff is not None

    def _coached(self, event: CallCoachingEvent) -> None:
        """How a call in hand is being spoken: kept with its transcript (the CRM gets the final figures at wrap-up),
        its call area drawn again."""
        if event.contact_id not in self.held:
            return
        call = self.calls.get(event.contact_id)
        if call is None:
            call = self.calls[event.contact_id] = CallTranscript(event.contact_id)
        if call.coaching != event:
            call.coaching = event
            self.changed().calls.add(event.contact_id)

    def _heard(self, line: TranscriptionLine) -> None:
        """A line heard on a call in hand: its transcript redrawn; its row too when the customer's mood changed."""
        if line.contact_id not in self.held:
            return
        changed, mood = self.calls.apply(line)
        if changed:
            changes = self.changed()
            changes.calls.add(line.contact_id)
            if mood:
                changes.contacts.add(line.contact_id)

    # --- links, queues, the expert directory -----------------------------------------

    def set_link(self, status: LinkStatus, kind: str) -> list[Effect]:
        return self.link_watch.set_link(status, kind)

    def set_assistant(self, figures: AssistantFigures) -> None:
        """The assistant answered, failed or spent tokens: the status line shows it (with the links)."""
        self.link_watch.set_assistant(figures)

    def show_summary(self, summary: RunningSummary) -> None:
        """A running summary began, was remade or failed: shown under the card while its contact is in hand."""
        if summary.contact_id in self.held:
            self.summaries[summary.contact_id] = summary
            self.changed().card = True

    def drop_summary(self, contact_id: str) -> None:
        if self.summaries.pop(contact_id, None) is not None:
            self.changed().card = True

    def set_queues(self, queues: list[Queue]) -> None:
        self.queues = {queue.id: queue for queue in queues}
        changes = self.changed()
        changes.queues = changes.wrap_up = True
        self.suggest_experts()

    def apply_presence(self, event: PresenceEvent) -> None:
        if self.directory.update_presence(event.person_id, event.presence):
            self.changed()  # the panel redraws the rows the directory marked

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
        self.suggest_experts()
        self.changed()  # the panel redraws what the directory marked

    def suggest_experts(self) -> None:
        contact = self.escalation_contact()
        queue = self.queues.get(contact.queue_id) if contact else None
        self.directory.suggest(tuple(contact_skills(contact, queue, self.directory.known_skills)))

    # --- notices and changes -------------------------------------------------------

    def _waits_told(self, event: SnoozeEvent | ScheduledReplyEvent, customer: str) -> list[Effect]:
        """What the agent is told of a snooze or a scheduled reply that ended by itself: the customer woke
        a snoozed conversation (it is back among those to work on), or wrote before a scheduled reply went (its text
        back in the composer); a reply not sent because the contact was on hold comes back the same way."""
        who = customer or "The customer"
        if isinstance(event, SnoozeEvent):
            if event.woken_by == "customer":
                self.notice(f"{who} wrote: the snoozed conversation is awake again.", "Snooze", "warning")
            elif event.woken_by == "time":
                self.notice(f"The conversation with {who} is awake again: its snooze ended.", "Snooze")
            return []
        if event.outcome == "cancelled_by_customer":
            self.notice(
                f"{who} wrote first: the scheduled reply was not sent; it is back in the composer.",
                "Send later",
                "warning",
            )
            return [GiveBack(event.contact_id, event.text)]
        if event.outcome == "not_sent":
            self.notice(
                "The scheduled reply was not sent (the contact was not connected); it is back in the composer.",
                "Send later",
                "warning",
            )
            return [GiveBack(event.contact_id, event.text)]
        return []

    def notice(self, text: str, title: str, severity: Severity = "information", timeout: float | None = None) -> None:
        self.changed().notices.append(Notice(text, title, severity, timeout))

    def changed(self) -> DeskChanges:
        """A change to the desk, announced: what is marked on the changes returned is what the screen redraws."""
        self.version += 1
        self.feed.announce()
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
