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
