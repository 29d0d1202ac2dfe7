"""Awaiting our reply as the desk holds a conversation: what the contact center says when it is read, then moved by
the stream's newest messages as the contact center moves it. Whatever order the newest page, older pages and the
stream's events come in, the desk ends where the contact center's rule over the whole transcript does: an older
page's agent message never clears it, a private note never does, a whisper never does."""

from __future__ import annotations

from datetime import datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from agent_desktop.domain.models import (
    ChannelLimits,
    Conversation,
    MessageEvent,
    ParticipantRole,
    TranscriptItem,
    TranscriptPage,
)
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.transcripts.conversation import ConversationState
from tests.support.hypothesis_profiles import examples
from tests.unit.conversations.test_conversations import CID, item

ROLES = st.sampled_from([ParticipantRole.CUSTOMER, ParticipantRole.AGENT, ParticipantRole.SUPERVISOR])


def rule(items: list[TranscriptItem]) -> datetime | None:
    """The contact center's rule over the whole transcript (agent_desktop_mocks/ccaas/conversations/core)."""
    since = None
    for it in items:
        if it.kind != "message":
            continue
        if it.role is ParticipantRole.AGENT:
            since = None
        elif it.role is ParticipantRole.CUSTOMER and since is None:
            since = it.created_at
    return since


def info(items: list[TranscriptItem]) -> Conversation:
    return Conversation(
        contact_id=CID,
        channel=Channel.CHAT,
        state="active",
        customer_name="Dana Lee",
        customer_address="dana@example.com",
        item_count=len(items),
        unread=0,
        awaiting_reply_since=rule(items),
        limits=ChannelLimits(max_chars=4096),
    )


@given(
    st.lists(st.tuples(ROLES, st.booleans()), min_size=1, max_size=20),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=1, max_value=5),
)
# The agent's answer applied before the customer's message the stream still had for it: not awaiting.
@example([(ParticipantRole.CUSTOMER, False), (ParticipantRole.CUSTOMER, False), (ParticipantRole.AGENT, True)], 1, 1)
@settings(max_examples=examples(400))  # cheap: no I/O, a few dozen items
def test_the_desk_ends_where_the_contact_centers_rule_does(
    said: list[tuple[ParticipantRole, bool]], read_at: int, page_size: int
) -> None:
    """`said`: who wrote each item, and for a supervisor whether it was a whisper, for the agent whether the answer to
    their send came before the stream's earlier events (the desk applies it at once; its echo comes in its turn)."""
    items = [
        item(i, role, kind="whisper" if role is ParticipantRole.SUPERVISOR and flag else "message")
        for i, (role, flag) in enumerate(said)
    ]
    read_at = min(read_at, len(items))
    known, later = items[:read_at], items[read_at:]
    conversation = ConversationState(CID, Channel.CHAT)
    newest = known[-page_size:]
    conversation.set_info(info(known))
    conversation.merge_page(TranscriptPage(items=newest, has_more=len(newest) < len(known)), newest=True)
    early = [it for it in later if it.role is ParticipantRole.AGENT and said[it.index][1]]
    for event_item in later:  # the stream goes on; an answer to the agent's send is applied before the events before it
        if early and event_item.index < early[0].index and event_item.role is ParticipantRole.CUSTOMER:
            conversation.sent(early.pop(0))
        conversation.apply(MessageEvent(contact_id=CID, item=event_item))
    older = known[: len(known) - len(newest)]
    for start in range(len(older), 0, -page_size):  # older pages, scrolled to after
        chunk = older[max(0, start - page_size) : start]
        conversation.merge_page(TranscriptPage(items=chunk, has_more=start - page_size > 0), newest=False)
    assert conversation.awaiting_reply_since == rule(items)
