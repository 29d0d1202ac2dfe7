"""The relay's event buffer wakes its reader for an event kept while the reader was busy sending the last ones:
the lost wake-up made one offer in sixty take 15-17 s to reach the desk in `make bench BENCH=twilio` (the reader
waited for the heartbeat)."""

from __future__ import annotations

import asyncio
import time

from twilio_relay.buffer import EventBuffer

WORKER = "WK" + "1" * 32


async def test_an_event_kept_before_the_reader_waits_ends_its_wait_at_once():
    buffer = EventBuffer()
    first = buffer.add({"WorkerSid": WORKER, "EventType": "reservation.created"})
    assert first is not None
    sent = buffer.after(WORKER, None)[-1].id  # the reader sent this one; meanwhile another arrives:
    buffer.add({"WorkerSid": WORKER, "EventType": "reservation.accepted"})
    started = time.monotonic()
    await buffer.wait(WORKER, timeout_s=5.0, after=sent)
    assert time.monotonic() - started < 1.0
    assert [k.event_type for k in buffer.after(WORKER, sent)] == ["reservation.accepted"]


async def test_a_reader_with_nothing_new_waits_until_an_event_or_the_heartbeat():
    buffer = EventBuffer()
    kept = buffer.add({"WorkerSid": WORKER, "EventType": "worker.activity.update"})
    waiting = asyncio.create_task(buffer.wait(WORKER, timeout_s=5.0, after=kept.id))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    buffer.add({"WorkerSid": WORKER, "EventType": "reservation.created"})
    await asyncio.wait_for(waiting, 1.0)
    started = time.monotonic()
    await buffer.wait(WORKER, timeout_s=0.2, after=buffer.after(WORKER, None)[-1].id)  # nothing new: the heartbeat
    assert 0.15 < time.monotonic() - started < 1.0


def test_a_conversations_webhook_goes_to_the_worker_last_reserved_for_the_task_naming_its_conversation():
    """Conversations' webhooks name no worker and no task: the relay hands them to the worker whose reservation
    last carried a task with that `conversationSid` in its attributes (a transfer moves them to the next one)."""
    import json

    other, conversation = "WK" + "2" * 32, "CH" + "3" * 32
    buffer = EventBuffer()
    message = {"EventType": "onMessageAdded", "ConversationSid": conversation, "MessageSid": "IM" + "4" * 32}
    assert buffer.add(message) is None, "nobody's yet"
    attributes = json.dumps({"conversationSid": conversation, "channelType": "chat"})
    buffer.add({"WorkerSid": WORKER, "TaskSid": "WT" + "5" * 32, "EventType": "reservation.created", "TaskAttributes": attributes})
    assert buffer.add(message) is not None and buffer.after(WORKER, None)[-1].event_type == "onMessageAdded"
    buffer.add({"WorkerSid": other, "TaskSid": "WT" + "5" * 32, "EventType": "reservation.created", "TaskAttributes": attributes})
    buffer.add(message)
    assert [k.event_type for k in buffer.after(other, None)] == ["reservation.created", "onMessageAdded"]
    assert buffer.add({"EventType": "onMessageAdded", "ConversationSid": "CH" + "6" * 32}) is None, "another's conversation"


def test_a_conversations_close_and_a_read_horizon_go_where_its_messages_go():
    """onConversationStateUpdated and onParticipantUpdated name only the conversation, as onMessageAdded does:
    the relay hands them to the same worker (the one last reserved for the task naming the conversation)."""
    import json

    conversation = "CH" + "7" * 32
    buffer = EventBuffer()
    attributes = json.dumps({"conversationSid": conversation, "channelType": "chat"})
    buffer.add({"WorkerSid": WORKER, "TaskSid": "WT" + "8" * 32, "EventType": "reservation.accepted", "TaskAttributes": attributes})
    closed = {"EventType": "onConversationStateUpdated", "ConversationSid": conversation, "StateFrom": "active",
              "StateTo": "closed", "Reason": "TIMER"}  # fmt: skip
    horizon = {"EventType": "onParticipantUpdated", "ConversationSid": conversation, "ParticipantSid": "MB" + "9" * 32,
               "Identity": "customer@example.com", "LastReadMessageIndex": "4"}  # fmt: skip
    assert buffer.add(horizon) is not None and buffer.add(closed) is not None
    assert [k.event_type for k in buffer.after(WORKER, None)][-2:] == ["onParticipantUpdated", "onConversationStateUpdated"]
