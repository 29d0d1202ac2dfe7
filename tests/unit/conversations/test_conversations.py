"""The desk's conversations: merged by id whatever order pages and events come in, unread counted from
the agent's read marker, receipts kept, card numbers masked, drafts and notes kept across a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.agent_desk.changes import LoadConversation
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore
from agent_desktop.domain.models import (
    Channel,
    Contact,
    ContactState,
    ConversationEndedEvent,
    DeliveredEvent,
    MessageEvent,
    ParticipantRole,
    ReadEvent,
    TranscriptItem,
    TranscriptPage,
    TypingEvent,
)
from agent_desktop.transcripts.conversation import ConversationState
from tests.support.desk_events import AGENT_ID, T0, contact
from tests.support.hypothesis_profiles import examples

CID = "c-000001"


def item(
    index: int, role: ParticipantRole = ParticipantRole.CUSTOMER, text: str | None = None, kind: str = "message"
) -> TranscriptItem:
    return TranscriptItem(
        id=f"m-{index:06d}",
        contact_id=CID,
        index=index,
        kind=kind,
        role=role,
        display_name="Dana Lee" if role is ParticipantRole.CUSTOMER else "Alex Morgan",
        text=text if text is not None else f"message {index}",
        created_at=T0 + timedelta(seconds=index),
    )


def page(indexes: list[int], has_more: bool) -> TranscriptPage:
    return TranscriptPage(items=[item(i) for i in indexes], has_more=has_more)


def chat_contact(contact_id: str = CID) -> Contact:
    return contact(contact_id, ContactState.CONNECTED).model_copy(update={"id": contact_id, "channel": Channel.CHAT})


def test_a_chat_coming_into_hand_asks_for_its_conversation_and_a_voice_call_does_not() -> None:
    desk = Desk(AGENT_ID)
    effects = desk.apply_contact(chat_contact())
    assert LoadConversation(CID) in effects
    assert desk.apply_contact(contact("c-000002", ContactState.CONNECTED)).count(LoadConversation("c-000002")) == 0
    assert set(desk.conversations) == {CID}


def test_a_replayed_message_does_not_double_and_the_newest_page_read_again_merges() -> None:
    desk = Desk(AGENT_ID)
    desk.apply_contact(chat_contact())
    desk.conversations.loaded(CID, None, page([0, 1, 2], has_more=False))
    desk.apply(MessageEvent(contact_id=CID, item=item(3)))
    desk.apply(MessageEvent(contact_id=CID, item=item(3)))  # replayed after a reconnect
    desk.conversations.loaded(CID, None, page([1, 2, 3], has_more=True))  # the re-read
    conversation = desk.conversations[CID]
    assert [i.index for i in conversation.items] == [0, 1, 2, 3]
    assert conversation.has_more is False  # index 0 is known: nothing older
    assert conversation.unread == 4


def test_older_pages_are_prepended_and_has_more_follows_the_oldest() -> None:
    conversation = ConversationState(CID, Channel.CHAT)
    conversation.merge_page(page([5, 6, 7], has_more=True), newest=True)
    assert conversation.has_more
    assert conversation.oldest_id == "m-000005"
    conversation.merge_page(page([2, 3, 4], has_more=True), newest=False)
    conversation.merge_page(page([0, 1], has_more=False), newest=False)
    assert [i.index for i in conversation.items] == list(range(8))
    assert conversation.has_more is False


def test_receipts_mark_agent_messages_and_the_read_marker_clears_unread() -> None:
    conversation = ConversationState(CID, Channel.CHAT)
    for i, role in enumerate(
        [ParticipantRole.CUSTOMER, ParticipantRole.AGENT, ParticipantRole.AGENT, ParticipantRole.CUSTOMER]
    ):
        conversation.add(item(i, role))
    conversation.apply(DeliveredEvent(contact_id=CID, item_id="m-000001", at=T0))
    conversation.apply(ReadEvent(contact_id=CID, role=ParticipantRole.CUSTOMER, up_to_item_id="m-000002", at=T0))
    assert conversation.items[1].delivered_at == T0
    assert conversation.items[1].read_at == T0
    assert conversation.items[2].read_at == T0
    assert conversation.unread == 2
    assert conversation.mark_read_locally() == "m-000003"
    assert conversation.unread == 0
    assert conversation.mark_read_locally() is None
    # A copy read from the server without the receipts does not lose them.
    conversation.add(item(1, ParticipantRole.AGENT).model_copy(update={"delivered_at": T0}))
    assert conversation.items[1].read_at == T0


def test_typing_stops_with_the_message_and_the_end_stops_the_countdown() -> None:
    conversation = ConversationState(CID, Channel.CHAT)
    conversation.apply(TypingEvent(contact_id=CID, role=ParticipantRole.CUSTOMER, display_name="Dana Lee", typing=True))
    assert conversation.customer_typing == "Dana Lee"
    deadline = T0 + timedelta(minutes=5)
    conversation.apply(MessageEvent(contact_id=CID, item=item(0), inactivity_deadline=deadline))
    assert conversation.customer_typing is None
    assert conversation.seconds_left(T0 + timedelta(minutes=4)) == 60
    assert conversation.idle_seconds(T0 + timedelta(seconds=30)) == 30
    ended = item(
        1, ParticipantRole.SYSTEM, "The conversation ended: no message for 5 minutes", kind="conversation_ended"
    )
    conversation.apply(ConversationEndedEvent(contact_id=CID, reason="customer_inactive", item=ended))
    assert conversation.ended
    assert conversation.seconds_left(T0) is None


def test_an_end_without_an_item_ends_the_conversation_and_writes_nothing() -> None:
    """Twilio writes no message when a conversation closes (onConversationStateUpdated): the end alone."""
    conversation = ConversationState(CID, Channel.CHAT)
    conversation.apply(MessageEvent(contact_id=CID, item=item(0), inactivity_deadline=T0 + timedelta(minutes=5)))
    assert conversation.apply(ConversationEndedEvent(contact_id=CID, reason="customer_inactive"))
    assert conversation.ended
    assert conversation.ended_reason == "customer_inactive"
    assert len(conversation.items) == 1
    assert conversation.seconds_left(T0) is None


def test_a_card_number_from_the_customer_is_never_held_unmasked() -> None:
    conversation = ConversationState(CID, Channel.CHAT)
    conversation.add(item(0, text="my card is 4111 1111 1111 1111 thanks"))
    assert "4111 1111 1111 1111" not in conversation.items[0].text
    assert "1111" in conversation.items[0].text


def test_composer_drafts_and_notes_survive_a_restart(tmp_path: Path) -> None:
    store = ConversationDraftStore(tmp_path / "outbox-conversations.db")
    desk = Desk(AGENT_ID)
    desk.apply_contact(chat_contact())
    note = desk.conversations.add_note(CID, "Customer is upset, card 4111 1111 1111 1111", T0)
    assert note is not None
    store.add_note(CID, note)
    store.save_draft(CID, "Let me check that for")
    store.close()
    drafts, notes = ConversationDraftStore(tmp_path / "outbox-conversations.db").load()
    again = Desk(AGENT_ID, stored_composer=drafts, stored_notes=notes)
    again.apply_contact(chat_contact())
    assert again.conversations.composer[CID] == "Let me check that for"
    assert [n.text for n in again.conversations.private_notes(CID)] == ["Customer is upset, card •••• 1111"]


# --- invariants, whatever order pages and events come in -----------------------------

ROLES = st.sampled_from([ParticipantRole.CUSTOMER, ParticipantRole.AGENT, ParticipantRole.SYSTEM])
STEP = st.one_of(
    st.tuples(st.just("message"), st.integers(0, 40), ROLES),
    st.tuples(st.just("page"), st.integers(0, 40), st.integers(1, 10)),
    st.tuples(st.just("read"), st.integers(0, 40), st.sampled_from([ParticipantRole.CUSTOMER, ParticipantRole.AGENT])),
    st.tuples(st.just("seen"), st.just(0), st.just(None)),
)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(STEP, max_size=60))
def test_invariants_hold_whatever_comes_in_any_order(
    steps: list[tuple[str, int, Any]],  # the third: a role, a count or nothing, by the step's kind
) -> None:
    conversation = ConversationState(CID, Channel.CHAT)
    roles: dict[int, ParticipantRole] = {}
    for kind, index, extra in steps:
        if kind == "message":
            role = roles.setdefault(index, extra)
            conversation.apply(MessageEvent(contact_id=CID, item=item(index, role)))
        elif kind == "page":
            indexes = list(range(index, min(index + extra, 41)))
            items = [item(i, roles.setdefault(i, ParticipantRole.CUSTOMER)) for i in indexes]
            conversation.merge_page(TranscriptPage(items=items, has_more=index > 0), newest=index + extra > 40)
        elif kind == "read":
            conversation.apply(ReadEvent(contact_id=CID, role=extra, up_to_item_id=f"m-{index:06d}", at=T0))
        else:
            conversation.mark_read_locally()
        ids = [i.id for i in conversation.items]
        indexes = [i.index for i in conversation.items]
        assert len(ids) == len(set(ids)), "an item twice"
        assert indexes == sorted(set(indexes)), "out of order"
        assert 0 <= conversation.unread <= len(ids)
        customer_read = conversation.customer_read_index
        for shown in conversation.items:
            if shown.role is ParticipantRole.AGENT and customer_read is not None and shown.index <= customer_read:
                assert shown.read_at is not None, "an agent message before the customer's marker not read"


def test_a_hole_left_by_an_outage_is_found_and_filled_without_touching_has_more() -> None:
    conversation = ConversationState(CID, Channel.CHAT)
    conversation.merge_page(page([0, 1, 2], has_more=False), newest=True)
    conversation.merge_page(page([8, 9, 10], has_more=True), newest=True)  # re-read after a long outage
    assert conversation.gap() == "m-000008"
    assert conversation.has_more is False
    conversation.merge_page(page([5, 6, 7], has_more=True), newest=False, filling_gap=True)
    assert conversation.gap() == "m-000005"
    assert conversation.has_more is False
    conversation.merge_page(page([3, 4], has_more=True), newest=False, filling_gap=True)
    assert conversation.gap() is None
    assert [i.index for i in conversation.items] == list(range(11))


def test_the_stream_copy_of_a_sent_message_is_dropped_by_id_and_its_id_forgotten_once_passed() -> None:
    conversation = ConversationState(CID, Channel.CHAT)
    conversation.apply(MessageEvent(contact_id=CID, item=item(0), event_id=10))
    sent = item(1, ParticipantRole.AGENT, "On it.")
    assert conversation.sent(sent.model_copy(update={"event_ids": (12,)}))
    assert conversation.items[-1] == sent  # held without the ids
    # The customer's message published before the agent's (id 11) is not the agent's echo: applied.
    assert conversation.apply(MessageEvent(contact_id=CID, item=item(2), event_id=11))
    copy = sent.model_copy(update={"delivered_at": T0})  # the copy as the platform sends it, with more in it
    assert not conversation.apply(MessageEvent(contact_id=CID, item=copy, event_id=12))
    assert conversation.items[1].delivered_at is None
    # The stream has passed 12: an answer naming it is not remembered. One it skipped (14: the stream went on to
    # 15) is forgotten: what is remembered stays within what the stream has yet to bring.
    assert conversation.sent(item(3, ParticipantRole.AGENT).model_copy(update={"event_ids": (12,)}))
    assert conversation.sent(item(4, ParticipantRole.AGENT).model_copy(update={"event_ids": (14,)}))
    assert conversation.apply(DeliveredEvent(contact_id=CID, item_id="m-000003", at=T0, event_id=15))
    assert conversation._answered_events == set()


def test_the_agents_reply_moves_the_inactivity_countdown_though_its_stream_copy_is_dropped() -> None:
    """The answer to a send carries the item, not the new deadline: only the stream's copy says the agent's reply
    restarted the customer's inactivity clock, so the copy dropped by id still moves the countdown (no redraw)."""
    conversation = ConversationState(CID, Channel.CHAT)
    first = T0 + timedelta(minutes=5)
    conversation.apply(MessageEvent(contact_id=CID, item=item(0), event_id=10, inactivity_deadline=first))
    sent = item(1, ParticipantRole.AGENT, "On it.")
    conversation.sent(sent.model_copy(update={"event_ids": (11,)}))
    later = T0 + timedelta(minutes=9)
    assert not conversation.apply(MessageEvent(contact_id=CID, item=sent, event_id=11, inactivity_deadline=later))
    assert conversation.seconds_left(T0) == 9 * 60
