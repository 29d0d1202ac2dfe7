"""The `ContactCenter` protocol suite: every scenario runs on every implementation and must see the same.

The implementations: the HTTP client against a real mock CCaaS on loopback, and the in-process backend
over the mock's own engine on a clock the test steps (tests/support/in_process). A scenario that waits
for a protocol timer (an offer's timeout, the ACW timeout, a consult leg ringing, a customer answering)
waits for it in real time over HTTP, with the timer shortened, and steps the clock in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.domain.models import (
    AgentState,
    AgentStateEvent,
    ConsultState,
    ContactEvent,
    ContactState,
    ConversationEndedEvent,
    DeliveredEvent,
    MessageEvent,
    OfferClosedEvent,
    OfferEvent,
    OfferState,
    ParticipantRole,
    ReadEvent,
    Target,
    TargetKind,
)
from agent_desktop.domain.streams.link_status import LinkStatus
from tests.support.narrowing import present
from tests.support.protocol_rigs.contact_center import (
    KINDS,
    OTHER_AGENT_ID,
    ROUTING_KINDS,
    ContactCenterRig,
    contact_center_rig,
)
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.refusals import refused

# Every scenario runs on the mock HTTP client and the in-process backend; those a Twilio desk serves (voice:
# states, offers, accept, reject, timeout, wrap-up) on the Twilio backend too, through the Twilio-shaped
# mock and the event relay, every TaskRouter exchange checked against Twilio's pinned spec.
every_kind = pytest.mark.parametrize("kind", KINDS)
routing_kinds = pytest.mark.parametrize("kind", ROUTING_KINDS)

CALLER = "(512) 555-0100"  # a seeded customer's number, written as a person would
CHAT_FROM = "billy.smith3@example.com"


async def next_event(
    rig: ContactCenterRig,
    events: EventTap,
    kind: type,
    where: Callable[[Any], bool] = lambda e: True,
    within_s: float = 5.0,
) -> Any:
    return await events.next(lambda e: isinstance(e, kind) and where(e), rig.pass_time, within_s, kind.__name__)


async def offered(rig: ContactCenterRig, events: EventTap, **call: Any) -> OfferEvent:
    await rig.place_call(call.pop("from_address", CALLER), **call)
    found: OfferEvent = await next_event(rig, events, OfferEvent)
    return found


@routing_kinds
async def test_the_stream_starts_with_the_agent_then_pushes_each_change(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        up = await next_event(rig, events, LinkStatus)
        assert up.connected
        assert up.backend == "contact center"
        snapshot = await next_event(rig, events, AgentStateEvent)
        assert (snapshot.agent.state, snapshot.event_id) == (AgentState.OFFLINE, None)

        agent = await rig.backend.set_state(AgentState.AVAILABLE)
        assert agent.state == AgentState.AVAILABLE
        pushed = await next_event(rig, events, AgentStateEvent)
        assert pushed.agent.state == AgentState.AVAILABLE
        assert pushed.event_id is not None
        assert (await rig.backend.set_state(AgentState.NOT_READY, "Lunch")).reason == "Lunch"
        assert (await refused(rig.backend.set_state(AgentState.BUSY))).status == 422, "a system state"


@every_kind
async def test_the_transfer_directory_lists_every_agent_with_their_state_and_queues(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        await rig.backend.set_state(AgentState.AVAILABLE)
        colleagues = {c.id: c for c in await rig.backend.list_colleagues()}
        assert colleagues["agent-001"].state is AgentState.AVAILABLE
        assert "billing" in colleagues["agent-001"].queues
        assert colleagues["agent-002"].name
        assert colleagues["agent-002"].state is AgentState.OFFLINE
        assert "billing" in colleagues["agent-002"].queues


@every_kind
async def test_an_offer_arrives_then_accept_hold_resume_end_and_complete(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events, subject="Charged twice")).offer
        assert (offer.state, offer.agent_id, offer.contact.from_address) == (
            OfferState.PENDING,
            "agent-001",
            CALLER,
        )
        assert (offer.contact.subject, offer.contact.queue_id) == ("Charged twice", "billing")
        assert (offer.expires_at - offer.offered_at).total_seconds() == 20
        assert [o.id for o in await rig.backend.list_offers()] == [offer.id]
        assert (await rig.backend.get_agent()).state == AgentState.OFFERED

        contact = await rig.backend.accept_offer(offer.id)
        assert (contact.state, contact.agent_id) == (ContactState.CONNECTED, "agent-001")
        assert (
            await next_event(rig, events, ContactEvent, lambda e: e.contact.state == "connected")
        ).contact.id == contact.id
        again = await refused(rig.backend.accept_offer(offer.id))
        assert (again.status, again.state) == (409, "accepted"), "one offer is accepted once"

        held = await rig.backend.hold_contact(contact.id)
        assert held.state == ContactState.ON_HOLD
        assert held.held_at is not None
        assert (await refused(rig.backend.hold_contact(contact.id))).status == 409
        resumed = await rig.backend.resume_contact(contact.id)
        assert resumed.state == ContactState.CONNECTED
        assert resumed.held_at is None

        ended = await rig.backend.end_contact(contact.id)
        assert ended.state == ContactState.AFTER_CONTACT_WORK
        assert ended.acw_deadline is not None
        assert [c.id for c in await rig.backend.list_contacts()] == [contact.id]
        wrong = await refused(rig.backend.complete_contact(contact.id, "Not a disposition"))
        assert wrong.status == 422
        assert "disposition" in wrong.message
        done = await rig.backend.complete_contact(contact.id, "Refund issued")
        assert (done.state, done.disposition) == (ContactState.COMPLETED, "Refund issued")
        twice = await refused(rig.backend.complete_contact(contact.id, "Refund issued"))
        assert (twice.status, twice.state) == (409, "completed")
        assert await rig.backend.list_contacts() == []
        assert (await rig.backend.get_agent()).state == AgentState.AVAILABLE
        assert (
            await next_event(rig, events, ContactEvent, lambda e: e.contact.state == "completed")
        ).contact.id == contact.id


@routing_kinds
async def test_a_call_is_held_and_resumed_and_a_resync_sees_the_hold(kind: str, tmp_path: Path) -> None:
    """On Twilio, hold is the customer's leg of the call's Voice conference (REST API 2010-04-01, checked
    against its spec too): TaskRouter's task stays assigned, so the hold is read from the conference."""
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        contact = await rig.backend.accept_offer((await offered(rig, events)).offer.id)
        assert rig.backend.capabilities.channel(contact.channel).hold
        held = await rig.backend.hold_contact(contact.id)
        assert (held.id, held.state) == (contact.id, ContactState.ON_HOLD)
        assert held.held_at is not None
        assert (await refused(rig.backend.hold_contact(contact.id))).status == 409
        assert [(c.id, c.state) for c in await rig.backend.list_contacts()] == [(contact.id, ContactState.ON_HOLD)]
        resumed = await rig.backend.resume_contact(contact.id)
        assert resumed.state == ContactState.CONNECTED
        assert resumed.held_at is None
        assert (await refused(rig.backend.resume_contact(contact.id))).status == 409
        assert [c.state for c in await rig.backend.list_contacts()] == [ContactState.CONNECTED]
        ended = await rig.backend.end_contact(contact.id)
        assert ended.state == ContactState.AFTER_CONTACT_WORK
        assert (await refused(rig.backend.hold_contact(contact.id))).status == 409, "no conference after the call"


@routing_kinds
async def test_voice_accepted_and_held(kind: str, tmp_path: Path) -> None:
    """A call accepted from the desk reaches the agent, so it can be held at once and hung up on hold. On Twilio
    the desk accepts with the conference instruction, which bridges the caller into a conference named by the
    task (a bare accept would bridge nothing: no conference, the hold refused); hold is the customer's leg of
    it, and hanging up ends it (nothing left to hold)."""
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events)).offer
        assert offer.contact.channel == "voice"
        contact = await rig.backend.accept_offer(offer.id)
        assert (contact.id, contact.state) == (offer.contact.id, ContactState.CONNECTED)
        held = await rig.backend.hold_contact(contact.id)
        assert held.state == ContactState.ON_HOLD
        assert held.held_at is not None
        assert [(c.id, c.state) for c in await rig.backend.list_contacts()] == [(contact.id, ContactState.ON_HOLD)]
        ended = await rig.backend.end_contact(contact.id)  # hung up with the customer on hold
        assert ended.state == ContactState.AFTER_CONTACT_WORK
        assert [c.state for c in await rig.backend.list_contacts()] == [ContactState.AFTER_CONTACT_WORK]
        assert (await refused(rig.backend.resume_contact(contact.id))).status == 409, "no call left to resume"
        done = await rig.backend.complete_contact(contact.id, "Resolved")
        assert done.state == ContactState.COMPLETED


@routing_kinds
async def test_an_offer_is_accepted_ended_and_wrapped_up_once(kind: str, tmp_path: Path) -> None:
    """The voice flow every routing backend serves (no hold or transfer): the disposition is written once."""
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events, subject="Charged twice")).offer
        assert (offer.state, offer.agent_id, offer.contact.from_address) == (
            OfferState.PENDING,
            rig.backend.agent_id,
            CALLER,
        )
        assert (offer.contact.subject, offer.contact.queue_name) == ("Charged twice", "Billing")
        assert (offer.expires_at - offer.offered_at).total_seconds() == 20
        assert [o.id for o in await rig.backend.list_offers()] == [offer.id]
        assert (await rig.backend.get_agent()).state == AgentState.OFFERED

        contact = await rig.backend.accept_offer(offer.id)
        assert (contact.state, contact.agent_id, contact.id) == (
            ContactState.CONNECTED,
            rig.backend.agent_id,
            offer.contact.id,
        )
        connected = await next_event(rig, events, ContactEvent, lambda e: e.contact.state == "connected")
        assert connected.contact.id == contact.id
        assert (await rig.backend.get_agent()).state == AgentState.BUSY
        again = await refused(rig.backend.accept_offer(offer.id))
        assert (again.status, again.state) == (409, "accepted"), "one offer is accepted once"

        ended = await rig.backend.end_contact(contact.id)
        assert ended.state == ContactState.AFTER_CONTACT_WORK
        assert (
            await next_event(rig, events, ContactEvent, lambda e: e.contact.state == "after_contact_work")
        ).contact.id == contact.id
        assert (await rig.backend.get_agent()).state == AgentState.AFTER_CONTACT_WORK
        assert [c.id for c in await rig.backend.list_contacts()] == [contact.id]
        wrong = await refused(rig.backend.complete_contact(contact.id, "Not a disposition"))
        assert wrong.status == 422
        assert "disposition" in wrong.message
        done = await rig.backend.complete_contact(contact.id, "Refund issued")
        assert (done.state, done.disposition) == (ContactState.COMPLETED, "Refund issued")
        twice = await refused(rig.backend.complete_contact(contact.id, "Resolved"))
        assert (twice.status, twice.state) == (409, "completed"), "the wrap-up is written once"
        assert await rig.backend.list_contacts() == []
        assert (await rig.backend.get_agent()).state == AgentState.AVAILABLE
        completed = await next_event(rig, events, ContactEvent, lambda e: e.contact.state == "completed")
        assert (completed.contact.id, completed.contact.disposition) == (contact.id, "Refund issued")


@every_kind
async def test_the_next_state_asked_for_on_a_contact_is_taken_when_it_is_completed(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        contact = await rig.backend.accept_offer((await offered(rig, events)).offer.id)
        agent = await rig.backend.set_next_state(AgentState.NOT_READY, "Break")
        assert agent.next_state is not None
        assert (agent.next_state.state, agent.next_state.reason) == (
            "not_ready",
            "Break",
        )
        await rig.backend.end_contact(contact.id)
        await rig.backend.complete_contact(contact.id, "Resolved")
        after = await rig.backend.get_agent()
        assert (after.state, after.reason, after.next_state) == (AgentState.NOT_READY, "Break", None)


@routing_kinds
async def test_rejecting_sends_the_contact_back_and_the_agent_is_not_routable(kind: str, tmp_path: Path) -> None:
    # A declined contact goes to other agents first, for one offer timeout (kept short here), then may come back.
    async with (
        contact_center_rig(kind, tmp_path, offer_timeout_s=2.0) as rig,
        tapped(rig.backend.events()) as events,
    ):
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events)).offer
        await rig.backend.reject_offer(offer.id)
        closed = await next_event(rig, events, OfferClosedEvent)
        assert (closed.offer.id, closed.offer.state) == (offer.id, OfferState.REJECTED)
        assert (await rig.backend.get_agent()).state == AgentState.MISSED
        assert (await refused(rig.backend.accept_offer(offer.id))).state == "rejected"

        await rig.pass_time(1.0)
        assert await rig.backend.list_offers() == [], "a missed agent gets no offer"
        await rig.pass_time(1.5)  # past the offer timeout: no other agent took it, it may come back
        await rig.backend.set_state(AgentState.AVAILABLE)
        again = await next_event(rig, events, OfferEvent)
        assert again.offer.contact.id == offer.contact.id, "it kept its place"
        assert again.offer.id != offer.id, "it kept its place"


@routing_kinds
async def test_an_offer_left_unanswered_expires_and_cannot_be_accepted(kind: str, tmp_path: Path) -> None:
    async with (
        contact_center_rig(kind, tmp_path, offer_timeout_s=1.0) as rig,
        tapped(rig.backend.events()) as events,
    ):
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events)).offer
        closed = await next_event(rig, events, OfferClosedEvent, within_s=5)
        assert (closed.offer.id, closed.offer.state) == (offer.id, OfferState.EXPIRED)
        assert (await rig.backend.get_agent()).state == AgentState.MISSED
        late = await refused(rig.backend.accept_offer(offer.id))
        assert (late.message, late.state) == ("409 offer is expired", "expired")


@every_kind
async def test_the_queue_acw_timeout_completes_the_contact(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.set_acw_timeout("billing", 1)
        await rig.backend.set_state(AgentState.AVAILABLE)
        contact = await rig.backend.accept_offer((await offered(rig, events)).offer.id)
        ended = await rig.backend.end_contact(contact.id)
        assert ended.acw_deadline is not None
        assert (ended.acw_deadline - present(ended.ended_at)).total_seconds() == 1
        timed_out = await next_event(rig, events, ContactEvent, lambda e: e.contact.state == "completed", within_s=5)
        assert timed_out.contact.disposition == "ACW timeout"
        assert timed_out.contact.completed_at >= ended.acw_deadline
        late = await refused(rig.backend.complete_contact(contact.id, "Resolved"))
        assert (late.status, late.state) == (409, "completed")
        assert (await rig.backend.get_agent()).state == AgentState.AVAILABLE


@every_kind
async def test_a_consult_leg_rings_then_connects_and_cancelling_it_returns_to_the_customer(
    kind: str, tmp_path: Path
) -> None:
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        contact = await rig.backend.accept_offer((await offered(rig, events)).offer.id)
        expert = Target(kind=TargetKind.ADDRESS, id="sip:expert@example.com", name="An expert")
        ringing = await rig.backend.start_consult(contact.id, expert)
        assert ringing.state == ContactState.ON_HOLD
        assert ringing.consult is not None
        assert (ringing.consult.state, ringing.consult.target.id) == (ConsultState.RINGING, expert.id)
        answered = await next_event(
            rig,
            events,
            ContactEvent,
            lambda e: e.contact.consult is not None and e.contact.consult.state == "connected",
            within_s=6,
        )
        assert answered.contact.id == contact.id
        back = await rig.backend.cancel_consult(contact.id)
        assert (back.state, back.consult) == (ContactState.CONNECTED, None)


@every_kind
async def test_a_chat_message_its_answer_the_read_marker_and_a_transfer_to_a_queue(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events, from_address=CHAT_FROM, channel="chat", subject="Late fee")).offer
        contact = await rig.backend.accept_offer(offer.id)
        conversation = await rig.backend.get_conversation(contact.id)
        assert (conversation.state, conversation.channel, conversation.limits.max_chars) == ("active", "chat", 4096)

        sent = await rig.backend.send_message(contact.id, "Hello, I can help with that.", idempotency_key="k-1")
        assert (sent.role, sent.text, sent.contact_id) == (
            ParticipantRole.AGENT,
            "Hello, I can help with that.",
            contact.id,
        )
        retried = await rig.backend.send_message(contact.id, "Hello, I can help with that.", idempotency_key="k-1")
        assert retried.id == sent.id, "a retry with the same key is sent once"
        assert (await next_event(rig, events, MessageEvent, lambda e: e.item.role == "agent")).item.id == sent.id
        await rig.backend.set_typing(contact.id, True)

        answer = await next_event(
            rig, events, MessageEvent, lambda e: e.item.role == "customer" and e.item.id > sent.id, within_s=30
        )
        assert answer.contact_id == contact.id
        assert answer.item.text
        assert (await rig.backend.get_conversation(contact.id)).unread >= 1
        read = await rig.backend.mark_read(contact.id, answer.item.id)
        assert (read.unread, read.agent_last_read_item_id) == (0, answer.item.id)
        page = await rig.backend.list_messages(contact.id, limit=50)
        assert {sent.id, answer.item.id} <= {item.id for item in page.items}
        assert not page.has_more

        moved = await rig.backend.transfer_contact(
            contact.id, Target(kind=TargetKind.QUEUE, id="tech_support"), "Needs a tech"
        )
        assert (moved.state, moved.queue_id, moved.agent_id) == (ContactState.QUEUED, "tech_support", None)
        assert await rig.backend.list_contacts() == []
        gone = await refused(rig.backend.send_message(contact.id, "Still there?"))
        assert gone.status == 403, "the contact is no longer the agent's"


@every_kind
async def test_the_customer_writes_and_the_agent_sees_it(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        contact = await rig.backend.accept_offer(
            (await offered(rig, events, from_address=CHAT_FROM, channel="chat")).offer.id
        )
        said = await rig.customer_says(contact.id, "Are you still there?")
        seen = await next_event(rig, events, MessageEvent, lambda e: e.item.id == said.id)
        assert (seen.item.role, seen.item.text) == (ParticipantRole.CUSTOMER, "Are you still there?")
        too_long = await refused(rig.backend.send_message(contact.id, "x" * 4097))
        assert too_long.message == "422 text: a chat message is at most 4,096 characters (this one has 4,097)"


@routing_kinds
async def test_a_chat_awaits_our_reply_until_the_agent_answers_not_when_it_is_read(kind: str, tmp_path: Path) -> None:
    """Awaiting our reply as each contact center holds it: the mock's conversation keeps it; Twilio Conversations has
    no such state, and the adapter reads it from the messages Twilio keeps. Read again, as a desk that restarted does."""
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        contact = await rig.backend.accept_offer(
            (await offered(rig, events, from_address=CHAT_FROM, channel="chat")).offer.id
        )
        page = await rig.backend.list_messages(contact.id)
        said = [i for i in page.items if i.role is ParticipantRole.CUSTOMER and i.kind == "message"]
        assert said, page.items  # the customer's opening message
        opening = (await rig.backend.get_conversation(contact.id)).awaiting_reply_since
        assert opening == said[0].created_at
        await rig.backend.mark_read(contact.id, page.items[-1].id)
        assert (await rig.backend.get_conversation(contact.id)).awaiting_reply_since == opening, "read is not answered"
        await rig.backend.send_message(contact.id, "Yes, still here.")
        assert (await rig.backend.get_conversation(contact.id)).awaiting_reply_since is None


@every_kind
async def test_an_agent_acts_on_its_own_offers_and_contacts_only(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        await rig.other.set_state(AgentState.AVAILABLE)
        await rig.place_call(CHAT_FROM, channel="chat")
        for _ in range(20):
            if offers := await rig.other.list_offers():
                break
            await rig.pass_time(0.1)
        (offer,) = offers
        # Refused in the API's own words, whichever implementation answers.
        assert (await refused(rig.backend.accept_offer(offer.id))).message == "403 not your offer"
        assert (await refused(rig.backend.reject_offer(offer.id))).message == "403 not your offer"
        contact = await rig.other.accept_offer(offer.id)
        for action in (rig.backend.hold_contact, rig.backend.end_contact, rig.backend.get_conversation):
            assert (await refused(action(contact.id))).message == "403 not your contact", action.__name__
        assert (await refused(rig.backend.send_message(contact.id, "hi"))).message == "403 not your contact"
        assert (await refused(rig.backend.complete_contact(contact.id, "Resolved"))).status == 403
        assert (await refused(rig.backend.accept_offer("offer-999999"))).message == "404 offer offer-999999 not found"
        assert await rig.backend.list_contacts() == []
        assert len(await rig.other.list_contacts()) == 1


@routing_kinds
async def test_a_call_is_transferred_blind_to_a_queue_and_leaves_the_agent(kind: str, tmp_path: Path) -> None:
    """On Twilio: a Flex Interactions channel Invite to the TaskQueue, then the agent's participant closed."""
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        contact = await rig.backend.accept_offer((await offered(rig, events)).offer.id)
        assert TargetKind.QUEUE in rig.backend.capabilities.channel(contact.channel).transfer_to
        queue = rig.queue_ref("tech_support")
        moved = await rig.backend.transfer_contact(
            contact.id, Target(kind=TargetKind.QUEUE, id=queue, name="Tech support")
        )
        assert moved.id == contact.id or moved.transferred_from == contact.id, "the contact, or the one it goes on as"
        assert (moved.state, moved.queue_id, moved.agent_id) == (ContactState.QUEUED, queue, None)
        left = await next_event(
            rig, events, ContactEvent, lambda e: e.contact.id == moved.id and e.contact.agent_id is None
        )
        assert left.contact.queue_id == queue
        assert await rig.backend.list_contacts() == []
        assert (await rig.backend.get_agent()).state == AgentState.AVAILABLE
        again = await refused(rig.backend.transfer_contact(contact.id, Target(kind=TargetKind.QUEUE, id=queue)))
        assert again.status in (403, 409), again.message


@routing_kinds
async def test_a_chat_is_answered_read_and_transferred_to_another_agent(kind: str, tmp_path: Path) -> None:
    """On Twilio: the chat is a Conversations conversation (messages, the agent's read horizon, the desk's
    idempotency key in the message's attributes), its events Conversations' onMessageAdded webhooks through the
    relay; the transfer a Flex Interactions Invite to the Worker."""
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events, from_address=CHAT_FROM, channel="chat", subject="Late fee")).offer
        assert (offer.contact.channel, offer.contact.subject) == ("chat", "Late fee")
        contact = await rig.backend.accept_offer(offer.id)
        conversation = await rig.backend.get_conversation(contact.id)
        assert (conversation.state, conversation.channel, conversation.contact_id) == ("active", "chat", contact.id)
        assert conversation.customer_address == CHAT_FROM
        assert conversation.limits.max_chars == 4096

        said = await rig.customer_says(
            offer.contact.id if kind != "twilio" else _engine_id(rig, contact.id), "Why a late fee?"
        )
        seen = await next_event(rig, events, MessageEvent, lambda e: e.item.id == said.id)
        assert (seen.contact_id, seen.item.role, seen.item.text) == (
            contact.id,
            ParticipantRole.CUSTOMER,
            "Why a late fee?",
        )
        assert (await rig.backend.get_conversation(contact.id)).unread >= 1
        read = await rig.backend.mark_read(contact.id, said.id)
        assert read.agent_last_read_item_id == said.id

        sent = await rig.backend.send_message(contact.id, "I can waive it today.", idempotency_key="answer-1")
        assert (sent.role, sent.text, sent.contact_id) == (
            ParticipantRole.AGENT,
            "I can waive it today.",
            contact.id,
        )
        retried = await rig.backend.send_message(contact.id, "I can waive it today.", idempotency_key="answer-1")
        assert retried.id == sent.id, "a retry with the same key is sent once"
        assert (await next_event(rig, events, MessageEvent, lambda e: e.item.id == sent.id)).item.role == "agent"
        page = await rig.backend.list_messages(contact.id)
        texts = [item.text for item in page.items if not item.is_system]
        assert texts.count("I can waive it today.") == 1
        assert "Why a late fee?" in texts

        await rig.other.set_state(AgentState.AVAILABLE)
        other = rig.agent_ref(OTHER_AGENT_ID)
        assert TargetKind.AGENT in rig.backend.capabilities.channel(contact.channel).transfer_to
        moved = await rig.backend.transfer_contact(
            contact.id, Target(kind=TargetKind.AGENT, id=other), "Wants a refund"
        )
        assert moved.id == contact.id or moved.transferred_from == contact.id
        assert moved.agent_id != rig.backend.agent_id
        assert await rig.backend.list_contacts() == []
        offers = await offers_of(rig, rig.other)
        assert [o.contact.id for o in offers] == [moved.id], "offered to the agent it was transferred to"


async def offers_of(rig: ContactCenterRig, backend: Any) -> list[Any]:
    for _ in range(50):
        if offers := await backend.list_offers():
            found: list[Any] = offers
            return found
        await rig.pass_time(0.1)
    return []


@routing_kinds
async def test_a_transfer_is_followed_to_the_contact_the_next_agent_takes(kind: str, tmp_path: Path) -> None:
    """Transfer followed to the new task: on Twilio a Flex Interactions Invite makes a new task for the interaction and
    closing the agent's participant completes the old one (Invites doc, Park an Interaction). The answer is the
    contact as it goes on (`transferred_from` the old one where it is new), the one the next agent is offered and
    takes, with the chat's transcript from before the transfer; the old one is no longer this agent's to act on."""
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events, from_address=CHAT_FROM, channel="chat", subject="Refund")).offer
        contact = await rig.backend.accept_offer(offer.id)
        said = await rig.backend.send_message(contact.id, "Let me pass you to a colleague.")
        await rig.other.set_state(AgentState.AVAILABLE)
        target = Target(kind=TargetKind.AGENT, id=rig.agent_ref(OTHER_AGENT_ID))
        moved = await rig.backend.transfer_contact(contact.id, target, "Wants a refund")
        if moved.id != contact.id:
            assert moved.transferred_from == contact.id, "a new contact says which one it continues"
        assert moved.agent_id != rig.backend.agent_id
        assert moved.state in (ContactState.QUEUED, ContactState.OFFERED)
        assert await rig.backend.list_contacts() == []

        offers = await offers_of(rig, rig.other)
        assert [o.contact.id for o in offers] == [moved.id], "the next agent is offered the contact as it goes on"
        taken = await rig.other.accept_offer(offers[0].id)
        assert (taken.id, taken.state, taken.agent_id) == (moved.id, ContactState.CONNECTED, rig.other.agent_id)
        assert [c.id for c in await rig.other.list_contacts()] == [moved.id]
        page = await rig.other.list_messages(moved.id)
        assert said.text in [item.text for item in page.items], "the transcript goes with it"
        assert (await rig.other.get_conversation(moved.id)).state == "active"

        for action in (rig.backend.end_contact, rig.backend.hold_contact):
            assert (await refused(action(contact.id))).status in (403, 409), action.__name__
        assert (await refused(rig.backend.transfer_contact(contact.id, target))).status in (403, 409)


def _engine_id(rig: Any, task_sid: str) -> str:
    """The engine's id of a Twilio task (the rig's customer speaks through the mock CCaaS)."""
    found: str = rig.floor.twilio_app.state.twilio.tasks.resolve(task_sid)[0]
    return found


@routing_kinds
async def test_a_chat_ended_by_the_agent_is_closed_and_the_customer_reads_the_answer(kind: str, tmp_path: Path) -> None:
    """On Twilio: a web chat has no delivery receipts; the customer's read receipt is their participant's read
    horizon (Conversations' onParticipantUpdated), and the end is the conversation's state, closed
    (onConversationStateUpdated), with no message written for it."""
    async with contact_center_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await rig.backend.set_state(AgentState.AVAILABLE)
        offer = (await offered(rig, events, from_address=CHAT_FROM, channel="chat", subject="Late fee")).offer
        contact = await rig.backend.accept_offer(offer.id)
        sent = await rig.backend.send_message(contact.id, "The fee is waived.")
        if kind != "twilio":  # Twilio sends no delivery receipt for a chat participant
            delivered = await next_event(rig, events, DeliveredEvent, lambda e: e.item_id == sent.id, within_s=30)
            assert delivered.contact_id == contact.id
        read = await next_event(rig, events, ReadEvent, lambda e: e.role == "customer", within_s=30)
        assert (read.contact_id, read.up_to_item_id) == (contact.id, sent.id)
        assert (await rig.backend.get_conversation(contact.id)).customer_last_read_item_id == sent.id
        await rig.backend.end_contact(contact.id)
        ended = await next_event(rig, events, ConversationEndedEvent, lambda e: e.contact_id == contact.id)
        assert ended.reason == "agent_ended"
        assert ended.item is None if kind == "twilio" else ended.item.kind == "conversation_ended"
        assert (await rig.backend.get_conversation(contact.id)).state == "closed"
        late = await refused(rig.backend.send_message(contact.id, "One more thing"))
        assert late.status in (400, 409), late.message


@routing_kinds
async def test_a_chat_closed_by_the_inactivity_timer_ends_on_the_desk(kind: str, tmp_path: Path) -> None:
    """The customer goes quiet and the queue's inactivity timeout ends the chat. On Twilio: the conversation's
    closed timer (`timers.closed`) closes it and Twilio says so only in onConversationStateUpdated (StateTo
    closed, Reason TIMER): no message is written, and the desk still shows the chat ended by inactivity."""
    async with contact_center_rig(kind, tmp_path) as rig:
        # 4 s: at 2 s a loaded run's accept could outlast it, and the open chat's deadline was never seen
        await rig.set_inactivity_timeout("billing", "chat", 4)
        async with tapped(rig.backend.events()) as events:
            await rig.backend.set_state(AgentState.AVAILABLE)
            contact = await rig.backend.accept_offer(
                (await offered(rig, events, from_address=CHAT_FROM, channel="chat")).offer.id
            )
            assert (await rig.backend.get_conversation(contact.id)).inactivity_deadline is not None
            ended = await next_event(
                rig, events, ConversationEndedEvent, lambda e: e.contact_id == contact.id, within_s=15
            )
            assert ended.reason == "customer_inactive"
            assert (await rig.backend.get_conversation(contact.id)).state == "closed"
            kinds = [item.kind for item in (await rig.backend.list_messages(contact.id)).items]
            assert ("conversation_ended" not in kinds) if kind == "twilio" else kinds[-1] == "conversation_ended"
            late = await refused(rig.backend.send_message(contact.id, "Are you still there?"))
            assert late.status in (400, 403, 409), late.message


@routing_kinds
async def test_a_callback_five_minutes_after_completion_leaves_the_contact_completed(kind: str, tmp_path: Path) -> None:
    """TaskRouter deletes a task and its reservations five minutes after it is completed; a callback about it
    delivered after that (late, or replayed) finds it gone. The desk says it completed (never abandoned), its
    link stays up, a resync finds nothing in hand, the next call is offered, and the supervisor's drill-down
    still lists it (the Events resource keeps what the task no longer does)."""
    async with contact_center_rig(kind, tmp_path) as rig:
        async with tapped(rig.backend.events()) as events:
            await rig.backend.set_state(AgentState.AVAILABLE)
            contact = await rig.backend.accept_offer((await offered(rig, events)).offer.id)
            await rig.backend.end_contact(contact.id)
            await rig.backend.complete_contact(contact.id, "Refund issued")
            await next_event(
                rig, events, ContactEvent, lambda e: e.contact.id == contact.id and e.contact.state == "completed"
            )
            await rig.forget_finished()  # five minutes later
            await rig.pass_time(0.5)  # whatever the completion still had to say has been said
            earlier = {id(e) for e in events.seen}
            await rig.redeliver(contact.id)  # its callbacks, again: the task they name is gone
            if kind == "twilio":  # read from the late callback itself
                late = await next_event(
                    rig, events, ContactEvent, lambda e: e.contact.id == contact.id and id(e) not in earlier
                )
                assert (late.contact.state, late.contact.disposition) == (ContactState.COMPLETED, "Refund issued")
            assert await rig.backend.list_contacts() == []
            assert await rig.backend.list_offers() == []
            assert (await rig.backend.get_agent()).state == AgentState.AVAILABLE
            following = await offered(rig, events, from_address="(512) 555-0101")
            assert following.offer.contact.id != contact.id
            about = [e.contact.state for e in events.seen if isinstance(e, ContactEvent) and e.contact.id == contact.id]
            assert ContactState.ABANDONED not in about, about
            assert not [e for e in events.seen if isinstance(e, LinkStatus) and not e.connected]
        today = await rig.supervisor_console.agent_contacts_today(rig.agent_ref("agent-001"))
        done = [c for c in today if c.id == contact.id]
        assert [(c.state, c.disposition) for c in done] == [(ContactState.COMPLETED, "Refund issued")], today
