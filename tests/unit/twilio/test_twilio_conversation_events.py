"""Conversations' webhooks read into the desk's events (agent_desktop/adapters/twilio/chat/conversation_events.py): the
end from the conversation's state, read horizons from participants, and whatever a hostile or broken webhook
says never raising."""

from __future__ import annotations

from typing import Any

import pytest

from agent_desktop.adapters.twilio.chat.conversation_events import conversation_event
from agent_desktop.adapters.twilio.chat.conversations import TwilioConversations
from agent_desktop.domain.models import ConversationEndedEvent, ParticipantRole, ReadEvent
from tests.support.narrowing import of_kind

CONVERSATION, TASK, AGENT = "CH" + "1" * 32, "WT" + "2" * 32, "agent-001"


def _conversations(newest: list[dict[str, Any]] | None = None) -> tuple[TwilioConversations, list[str]]:
    asked: list[str] = []

    async def get(url: str, **params: Any) -> dict[str, Any]:
        asked.append(url)
        return {"messages": newest or [], "meta": {"next_page_url": None}}

    async def post(url: str, **params: Any) -> dict[str, Any]:
        raise AssertionError("no writes")

    conversations = TwilioConversations("https://conversations.example", get, post, "contact center")
    conversations.learn({"sid": TASK, "attributes": f'{{"conversationSid": "{CONVERSATION}"}}'})
    return conversations, asked


def _state(state_to: str, reason: str) -> dict[str, str]:
    return {
        "EventType": "onConversationStateUpdated",
        "ConversationSid": CONVERSATION,
        "StateFrom": "active",
        "StateTo": state_to,
        "Reason": reason,
    }


async def test_the_end_is_the_conversations_state_closed_and_its_reason_says_who() -> None:
    conversations, _ = _conversations()
    assert await conversation_event(conversations, _state("inactive", "TIMER"), AGENT, "WK1") is None, "still open"
    timer = await conversation_event(conversations, _state("closed", "TIMER"), AGENT, "WK1")
    assert isinstance(timer, ConversationEndedEvent)
    assert (timer.contact_id, timer.reason, timer.item) == (
        TASK,
        "customer_inactive",
        None,
    )
    closed = await conversation_event(conversations, _state("closed", "API"), AGENT, "WK1")
    assert of_kind(closed, ConversationEndedEvent).reason == "closed"
    conversations.ended_here.add(TASK)
    ended = await conversation_event(conversations, _state("closed", "API"), AGENT, "WK1")
    assert of_kind(ended, ConversationEndedEvent).reason == "agent_ended"
    other = _state("closed", "TIMER") | {"ConversationSid": "CH" + "9" * 32}
    assert await conversation_event(conversations, other, AGENT, "WK1") is None, "no task of this desk"


def _horizon(index: str, identity: str = "customer@example.com") -> dict[str, str]:
    return {
        "EventType": "onParticipantUpdated",
        "ConversationSid": CONVERSATION,
        "ParticipantSid": "MB" + "3" * 32,
        "Identity": identity,
        "LastReadMessageIndex": index,
        "LastReadTimestamp": "2026-01-05T10:00:00Z",
    }


async def test_a_read_horizon_is_the_customers_read_receipt_from_what_was_read_or_the_newest_page() -> None:
    message = {"sid": "IM" + "4" * 32, "index": 4, "conversation_sid": CONVERSATION}
    conversations, asked = _conversations([message])
    read = await conversation_event(conversations, _horizon("4"), AGENT, "WK1")
    assert isinstance(read, ReadEvent)
    assert (read.role, read.up_to_item_id) == (ParticipantRole.CUSTOMER, message["sid"])
    assert len(asked) == 1, "the newest page, once"
    mine = await conversation_event(conversations, _horizon("4", identity=AGENT), AGENT, "WK1")
    assert of_kind(mine, ReadEvent).role == ParticipantRole.AGENT, "remembered: no second read"
    assert len(asked) == 1, "remembered: no second read"


@pytest.mark.parametrize("index", ["", "-1", "four", "9" * 40, "7"])
async def test_a_broken_or_unknown_read_horizon_is_no_event(index: str) -> None:
    conversations, _ = _conversations([{"sid": "IM" + "4" * 32, "index": "x"}, {"sid": None, "index": 7}])
    assert await conversation_event(conversations, _horizon(index), AGENT, "WK1") is None
