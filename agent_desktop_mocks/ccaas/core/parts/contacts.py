"""A contact's life with its agent: accepted, held and resumed, ended into wrap-up (ACW), completed."""

from __future__ import annotations

from agent_desktop_mocks.ccaas.core.contact_policy import WrapUpRule
from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid
from agent_desktop_mocks.ccaas.core.parts.part import Part
from agent_desktop_mocks.ccaas.core.rules import not_dialling, one_call_talks
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    AgentState,
    Channel,
    Contact,
    ContactState,
    EndedBy,
    OfferState,
    Queue,
    TakenOver,
)

ACW_TIMEOUT_DISPOSITION = "ACW timeout"


class ContactLifecycle(Part):
    def accept(self, offer_id: str) -> Contact:
        state = self._state
        offer = self._read.pending_offer(offer_id, "accept")
        contact = state.contacts[offer.contact_id]
        now = state.clock.now()
        self._offers.close(offer, OfferState.ACCEPTED)
        self._offers.forget_declines(contact.id)
        contact.state = ContactState.CONNECTED
        callback = contact.callback
        if callback is not None and callback.state in ("waiting", "no_answer"):
            callback.state, callback.retry_at = "dialling", None  # answered when the customer picks up
            callback.attempts += 1
            contact.direction = "outbound"
            self._floor.ring_dial(contact)
        elif contact.answered_at is None:
            contact.answered_at = now
        contact.handled_by.append(offer.agent_id)
        state.hand[offer.agent_id][contact.id] = contact
        state.contact_changed(contact, "connected")
        self._floor.refresh(offer.agent_id)
        return contact

    def place_call(self, agent_id: str, queue_id: str, number: str, caller_id: str | None = None) -> Contact:
        """A call the agent places (`number` already E.164): a voice contact in their hands at once, outbound, for
        `queue_id` (its wrap-up, its dispositions), showing `caller_id`, one of the queue's list (default its first).
        Refused while the agent is offline, has an offer waiting, or talks on another call (a second call is placed
        only while every other call of theirs is on hold)."""
        queue = self._read.queue(queue_id)
        agent = self._read.agent(agent_id)
        if not queue.caller_ids:
            raise Conflict(f"queue {queue.id} places no calls: it has no caller ID", agent.state)
        shown = queue.caller_ids[0] if caller_id is None else caller_id
        if shown not in queue.caller_ids:
            raise Invalid("caller_id", f"the caller ID must be one of queue {queue.id}'s: {queue.caller_ids}", shown)
        self._may_place(agent_id)
        return self._placed(agent_id, queue, number, "Outbound call", caller_id=shown)

    def place_internal_call(self, agent_id: str, queue_id: str, address: str, name: str) -> Contact:
        """A direct call the agent places to a colleague of the directory (`address`, their `sip:` address): a voice
        contact in their hands at once, as a placed call (`queue_id`'s wrap-up), named `colleague`, showing no caller
        ID. Refused as a placed call is (offline, an offer waiting, on another call), and while the colleague is
        already on an internal call through this contact center (their line is busy)."""
        queue = self._read.queue(queue_id)
        agent = self._read.agent(agent_id)
        self._may_place(agent_id)
        on_line = (c for c in self._state.contacts.values() if c.colleague is not None and c.from_address == address)
        if any(c.state in (ContactState.CONNECTED, ContactState.ON_HOLD) for c in on_line):
            raise Conflict(f"{name} is on another call through the contact center: try again later", agent.state)
        return self._placed(agent_id, queue, address, f"Internal call with {name}", colleague=name)

    def _may_place(self, agent_id: str) -> None:
        """The agent may place a call now: signed in, no offer waiting, no other call of theirs talking (409 otherwise,
        naming the call that talks)."""
        state = self._state
        agent = self._read.agent(agent_id)
        if state.chosen[agent_id][0] == AgentState.OFFLINE:
            raise Conflict("an agent who is offline places no calls: sign in first", agent.state)
        if agent_id in state.offer_of:
            raise Conflict("a contact is offered to you: accept or reject it first", agent.state)
        one_call_talks(state.hand.get(agent_id, {}).values(), "place another")

    def _placed(self, agent_id: str, queue: Queue, to: str, subject: str, **shown: str) -> Contact:
        """A call the agent placed to `to`: a voice contact in their hands at once, outbound, connected, for `queue`
        (`shown`: its caller ID, or the colleague called)."""
        state = self._state
        now = state.clock.now()
        contact = Contact(
            id=f"c-{next(state.contact_numbers):06d}",
            channel=Channel.VOICE,
            queue_id=queue.id,
            queue_name=queue.name,
            from_address=to,
            subject=subject,
            state=ContactState.CONNECTED,
            agent_id=agent_id,
            entered_queue_at=now,
            offered_at=now,
            answered_at=now,
            direction="outbound",
            handled_by=[agent_id],
            **shown,
        )
        state.contacts[contact.id] = contact
        state.hand[agent_id][contact.id] = contact
        state.contact_changed(contact, "connected")
        self._floor.refresh(agent_id)
        return contact

    def hold(self, contact_id: str) -> Contact:
        contact = self._read.open_contact(contact_id, "hold")
        not_dialling(contact)
        contact.state = ContactState.ON_HOLD
        contact.held_at = self._state.clock.now()
        self._state.contact_changed(contact, "held")
        return contact

    def resume(self, contact_id: str) -> Contact:
        contact = self._read.open_contact(contact_id, "resume")
        if contact.consult is not None:
            raise Conflict("a consult is in progress: complete or cancel it", contact.state)
        if contact.channel == Channel.VOICE and contact.voicemail is None and contact.agent_id is not None:
            one_call_talks(self._state.hand.get(contact.agent_id, {}).values(), "resume this one", but=contact.id)
        self._floor.unhold(contact)
        contact.state = ContactState.CONNECTED
        self._state.contact_changed(contact, "resumed")
        return contact

    def end(self, contact_id: str, by: EndedBy = "agent") -> Contact:
        """The conversation ends (after-contact work begins); `by` says who ended it, kept on the contact: the agent,
        the customer (a chat's customer leaving, a voice caller hanging up: voice/voice_leg.py) or the system (a
        conversation's inactivity timeout)."""
        contact = self._read.open_contact(contact_id, "end")
        not_dialling(contact)
        self._floor.drop_consult(contact)
        self._floor.to_acw(contact)
        contact.ended_by = by
        self._state.contact_changed(contact, "ended")
        assert contact.agent_id is not None
        self._floor.refresh(contact.agent_id)
        return contact

    def take_over(self, contact_id: str, supervisor_id: str, name: str) -> Contact:
        """A supervisor takes the call over: the agent's part ends as `takeover` (after-contact work begins for
        them) and the call goes on with the supervisor, outside any agent's hands (voice/voice_leg.py moves its
        audio). A call only: a written conversation is barged into, not taken."""
        contact = self._read.open_contact(contact_id, "take_over")
        if contact.channel != Channel.VOICE:
            raise Invalid(
                "contact_id",
                f"contact {contact_id} is a {contact.channel.value}: only a call is taken over",
                contact_id,
            )
        not_dialling(contact)
        self._floor.drop_consult(contact)
        self._floor.to_acw(contact)
        contact.ended_by = "takeover"
        contact.taken_over_by = TakenOver(supervisor_id=supervisor_id, name=name, at=self._state.clock.now())
        self._state.contact_changed(contact, "ended")
        assert contact.agent_id is not None
        self._floor.refresh(contact.agent_id)
        return contact

    def complete(
        self,
        contact_id: str,
        disposition: str,
        *,
        then: tuple[AgentState, str | None] | None = None,
        timed_out: bool = False,
    ) -> Contact:
        """Wrap a contact up; once nothing is in hand the agent takes their next state (or `then`, e.g. a break)."""
        state = self._state
        contact = self._read.open_contact(contact_id, "complete")
        queue = state.queues[contact.queue_id]
        dispositions = queue.dispositions
        rule = queue.wrap_up.get(contact.channel)
        timeout_disposition = timeout_disposition_of(rule)
        if disposition not in dispositions and disposition not in (ACW_TIMEOUT_DISPOSITION, timeout_disposition):
            raise Invalid("disposition", f"disposition must be one of {dispositions}", disposition)
        if (
            not timed_out
            and rule is not None
            and rule.mode == "time_boxed_no_early_exit"
            and contact.acw_deadline is not None
            and state.clock.now() < contact.acw_deadline
        ):
            raise Conflict("wrap-up is time-boxed with no early exit: it ends at its deadline", contact.state)
        contact.state = ContactState.COMPLETED
        contact.completed_at = state.clock.now()
        contact.disposition = disposition
        state.timers.cancel("acw", contact.id)
        assert contact.agent_id is not None
        agent_id = contact.agent_id
        state.hand[agent_id].pop(contact.id, None)
        state.contact_changed(contact, "completed")
        if then is not None and not state.hand[agent_id] and agent_id not in state.offer_of:
            state.chosen[agent_id] = then
            state.agents[agent_id].next_state = None
        self._floor.hand_freed(agent_id)
        return contact

    def acw_over(self, contact_id: str) -> None:
        """The ACW timer fired: a contact still in wrap-up is completed with the timeout's disposition."""
        contact = self._state.contacts.get(contact_id)
        if contact and contact.state == ContactState.AFTER_CONTACT_WORK:
            rule = self._state.queues[contact.queue_id].wrap_up.get(contact.channel)
            self.complete(contact.id, timeout_disposition_of(rule), timed_out=True)
            self._offers.dispatch()  # as a command does: what it freed is offered before the next timer fires

    def extend_wrap_up(self, contact_id: str) -> Contact:
        """More time for a time-boxed wrap-up, as far as its queue's rule for the channel allows."""
        state = self._state
        contact = self._read.open_contact(contact_id, "extend_wrap_up")
        rule = state.queues[contact.queue_id].wrap_up.get(contact.channel)
        if rule is None or contact.acw_deadline is None or not rule.extension_s:
            raise Conflict("this wrap-up cannot be extended", contact.state)
        if contact.acw_extensions >= rule.max_extensions:
            raise Conflict(f"no more extensions: {rule.max_extensions} granted already", contact.state)
        contact.acw_extensions += 1
        contact.acw_deadline += state.real(float(rule.extension_s))
        left = max(0.0, (contact.acw_deadline - state.clock.now()).total_seconds())
        state.timers.start("acw", contact.id, state.monotonic() + left)
        state.contact_changed(contact, "wrap_up_extended")
        return contact


def timeout_disposition_of(rule: WrapUpRule | None) -> str:
    """What a wrap-up that ran out is completed with: the rule's default, else `ACW timeout`."""
    return (rule.default_disposition if rule is not None else None) or ACW_TIMEOUT_DISPOSITION
