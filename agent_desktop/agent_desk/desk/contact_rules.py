"""The desk's rules for a contact as the contact center reports it (an event, a snapshot, an action's answer): a
replay or a stale phase is dropped, a contact comes into the agent's hands or leaves them, one completed before its
wrap-up was saved stays until it is, and a completed one never comes back (the last FINISHED_MEMORY are kept here)."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.changes import DeskChanges, Effect, ForgetDraft, SaveTimedOut
from agent_desktop.agent_desk.contacts import FINISHED_STATES, RANK, HeldContact, Phase, phase_of
from agent_desktop.agent_desk.desk.next_state import NextStateKeeper
from agent_desktop.agent_desk.wrap_up import wrap_up_rules
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Contact, Offer, Queue
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop.transcripts.call_transcript import message_transcript
from agent_desktop.transcripts.conversation import DIGITAL

if TYPE_CHECKING:
    from agent_desktop.agent_desk.callers.lookups import CallerLookups
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
    from agent_desktop.agent_desk.flags.supervisor_help import SupervisorHelp
    from agent_desktop.agent_desk.wrap_up.wrap_ups import WrapUps
    from agent_desktop.assist.running_summary import RunningSummary
    from agent_desktop.domain.capabilities import ContactCenterCapabilities
    from agent_desktop.domain.changes import Severity
    from agent_desktop.transcripts.call_transcript import CallTranscripts

log = logging.getLogger(__package__)  # the desk's log, as when its rules were one module

FINISHED_MEMORY = 500  # completed contacts remembered, so a late event cannot bring one back


class ContactDesk(Protocol):
    """The desk as its contact rules see it (model.py's Desk, which builds them): the offer they take off, the
    contacts in hand and the selection, and each part that keeps something of a contact (its caller's lookup, its
    conversation, its call's transcript, its flags, its wrap-up, its running summary), the next state kept, and its
    notices. The desk builds its rules; they never import it."""

    offer: Offer | None

    @property
    def agent_id(self) -> str: ...

    @property
    def capabilities(self) -> ContactCenterCapabilities: ...

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def selected_id(self) -> str | None: ...

    @property
    def queues(self) -> dict[str, Queue]: ...

    @property
    def lookups(self) -> CallerLookups: ...

    @property
    def conversations(self) -> ConversationsInHand: ...

    @property
    def calls(self) -> CallTranscripts: ...

    @property
    def help(self) -> SupervisorHelp: ...

    @property
    def wrap_ups(self) -> WrapUps: ...

    @property
    def summaries(self) -> dict[str, RunningSummary]: ...

    @property
    def next_state(self) -> NextStateKeeper: ...

    def move_selection(self, contact_id: str | None) -> None: ...

    def suggest_experts(self) -> None: ...

    def changed(self) -> DeskChanges: ...

    def notice(
        self, text: str, title: str, severity: Severity = "information", timeout: float | None = None
    ) -> None: ...


class ContactRules:
    def __init__(self, desk: ContactDesk) -> None:
        self.desk = desk
        self._finished: OrderedDict[str, None] = OrderedDict()

    def apply_answer(self, contact: Contact) -> list[Effect]:
        """An action's answer. Applied as the last of the stream's events that carry it (`event_ids`, when the
        backend names them), so each of those, arriving before or after, is dropped by its id whatever it holds;
        without ids, a copy equal to what the desk holds changes nothing."""
        ids = contact.event_ids
        return self.apply_contact(contact.without_event_ids(), max(ids) if ids else None)

    def apply_contact(self, contact: Contact, event_id: int | None = None) -> list[Effect]:
        """A contact as the contact center reports it (an event, a snapshot, or an action's answer)."""
        replaced = contact.transferred_from
        if replaced is not None and replaced != contact.id and replaced in self.desk.held:
            # A transfer that made a new contact (Twilio's Invite: a new task): the one it continues left the agent.
            self.release(replaced)
            return self.desk.next_state.due() + self._apply_contact(contact, event_id)
        return self._apply_contact(contact, event_id)

    def _apply_contact(self, contact: Contact, event_id: int | None) -> list[Effect]:
        desk = self.desk
        contact_id = contact.id
        if contact_id in self._finished:
            return []  # a completed contact never comes back
        held = desk.held.get(contact_id)
        if held is not None and held.phase is Phase.TIMED_OUT:
            return []  # completed there already: only the agent's save takes it off the desk
        if (
            held is not None
            and event_id is not None
            and held.last_event_id is not None
            and event_id <= held.last_event_id
        ):
            return []  # a replay, the stream's copy of an action's answer applied already, or an answer that came late
        from_offer = desk.offer is not None and desk.offer.contact.id == contact_id
        if from_offer and contact.state != ContactState.OFFERED:
            desk.offer = None
            desk.changed().offer = True
            desk.changed().card = True
        if (
            contact.agent_id == desk.agent_id
            and contact.state is not ContactState.OFFERED
            and (held is None or held.contact.state != contact.state)
        ):
            log.info("contact %s (%s): %s", contact_id, contact.channel.value, contact.state.value)
        phase = phase_of(contact.state) if contact.agent_id == desk.agent_id else None
        if contact.state in FINISHED_STATES:
            if held is None:
                desk.lookups.pop(contact_id, None)
                self.remember_finished(contact_id)
                return []
            if held.phase is Phase.SAVING:
                return self.finish(contact_id)
            # Completed before the agent saved (the queue's ACW timeout): kept, so the notes still reach the CRM;
            # a wrap-up whose time-boxed rule ran out is saved at once with the chosen or the default code (not a
            # contact closed while talking: a callback nobody answered waits for the agent's notes).
            ran_out = held.phase is Phase.WRAP_UP and held.contact.acw_deadline is not None
            self.update(held, contact, Phase.TIMED_OUT, event_id)
            rule = wrap_up_rules.rule_for(desk.queues.get(contact.queue_id), contact, desk.capabilities)
            saved = [SaveTimedOut(contact_id)] if ran_out and wrap_up_rules.saves_on_timeout(rule) else []
            return desk.next_state.due() + saved
        if phase is None:  # out of the agent's hands (transferred away), or not theirs yet
            if held is not None and contact.agent_id == desk.agent_id:
                return []  # stale: still the agent's, in a state from before it was in hand
            if held is not None:
                self.release(contact_id)
                callback = contact.callback
                if callback is not None and callback.state == "no_answer":
                    retry = f" at {callback.retry_at:%H:%M:%S}" if callback.retry_at else ""
                    desk.notice(
                        f"{shown_phone(callback.number)} did not answer. The contact center dials again{retry}"
                        f" (attempt {callback.attempts} of {callback.max_attempts or '?'} made).",
                        "Callback",
                        "warning",
                    )
                return desk.next_state.due()
            elif from_offer:
                desk.lookups.pop(contact_id, None)
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
            self.update(held, contact, held.phase if keep_saving else phase, event_id)
            return []
        desk.held[contact_id] = HeldContact(contact, phase, event_id)
        desk.wrap_ups.take_stored(contact_id)  # typed before the desktop was stopped
        effects: list[Effect] = []
        if contact.channel in DIGITAL:
            effects.append(desk.conversations.open(contact))
        changes = desk.changed()
        changes.contacts.add(contact_id)
        changes.wrap_up = True
        if contact.voicemail is not None and contact_id not in desk.calls:  # the message's words, on its call area
            desk.calls[contact_id] = message_transcript(contact_id, contact.voicemail, contact.entered_queue_at)
            changes.calls.add(contact_id)
        if desk.selected_id is None or from_offer:  # the contact just accepted is the one to work on
            desk.move_selection(contact_id)
        if contact_id not in desk.lookups:  # picked up after a restart: its offer was not seen here
            effects += desk.lookups.begin(contact)
        desk.suggest_experts()
        return effects

    def update(self, held: HeldContact, contact: Contact, phase: Phase, event_id: int | None) -> None:
        desk = self.desk
        if phase != held.phase:
            desk.changed().wrap_up = True
            if phase is Phase.WRAP_UP and held.phase is Phase.TALKING:
                running = desk.summaries.get(contact.id)
                desk.wrap_ups.draft_from(
                    contact.id, desk.conversations.get(contact.id), running.text if running is not None else ""
                )
            taken = contact.taken_over_by
            if phase.wrapping_up and not held.phase.wrapping_up and contact.ended_by == "takeover" and taken:
                # Said once, as it happens: the call left the agent mid-sentence (the name drawn literally).
                desk.notice(f"Supervisor {taken.name} took this call. Wrap it up.", "Call taken over", "warning")
            call = desk.calls.get(contact.id)
            if call is not None and phase.wrapping_up and call.end():
                desk.changed().calls.add(contact.id)  # a line still "hearing…" is cut off, not heard any more
        held.contact, held.phase = contact, phase
        if event_id is not None:
            held.last_event_id = event_id
        changes = desk.changed()
        changes.contacts.add(contact.id)
        if contact.id == desk.selected_id:
            changes.selection = True  # the selected contact's detail and keys

    def release(self, contact_id: str) -> None:
        """The contact left the agent's hands without being completed here (transferred away)."""
        desk = self.desk
        desk.held.pop(contact_id)
        desk.conversations.release(contact_id)
        desk.calls.pop(contact_id, None)
        desk.help.release(contact_id)
        desk.lookups.pop(contact_id, None)
        desk.wrap_ups.status.pop(contact_id, None)
        desk.summaries.pop(contact_id, None)
        changes = desk.changed()
        changes.contacts.add(contact_id)
        changes.wrap_up = changes.card = True
        if desk.selected_id == contact_id:
            desk.move_selection(next(iter(desk.held), None))
        desk.suggest_experts()

    def finish(self, contact_id: str) -> list[Effect]:
        """The contact is done (its wrap-up is in the outbox): nothing of it stays on the desk."""
        desk = self.desk
        if contact_id not in desk.held:
            return []
        self.release(contact_id)
        self.remember_finished(contact_id)
        desk.wrap_ups.pop(contact_id, None)
        return [ForgetDraft(contact_id), *desk.next_state.due()]

    def remember_finished(self, contact_id: str) -> None:
        self._finished[contact_id] = None
        while len(self._finished) > FINISHED_MEMORY:
            self._finished.popitem(last=False)

    def finished(self, contact_id: str) -> bool:
        return contact_id in self._finished
