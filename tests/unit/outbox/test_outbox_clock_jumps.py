"""The outbox's retries through a wall clock that jumps: due times are wall-clock times (they outlive
the process), so a clock set back an hour held a failed wrap-up for an hour, and a rate limit's end with it. A
jump back is followed by the due times; a due time beyond any wait the sender sets (a jump while the desk was not
running) is brought back to that bound. A jump forward only makes things due sooner."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from agent_desktop.domain.errors import BackendError
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, EntryState, Outbox
from tests.support.narrowing import present


class FlakyCrm:
    """A CRM whose first note is refused as a rate limit (`retry_after_s`) or a 503, then taken."""

    def __init__(self, retry_after_s: float | None) -> None:
        self.retry_after_s, self.calls = retry_after_s, 0

    async def add_note(self, customer_id, text, contact_id, key):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == 1:
            status = 429 if self.retry_after_s is not None else 503
            raise BackendError("CRM", f"{status} try later", status, retry_after_s=self.retry_after_s)

        class Note:
            id = "note-1"

        return Note()


@pytest.mark.parametrize("retry_after_s", [None, 2.0], ids=["backoff", "rate-limit"])
async def test_a_retry_waits_its_own_length_when_the_clock_goes_back_an_hour(
    tmp_path: Path, retry_after_s: float | None
) -> None:
    jump = {"s": 0.0}
    outbox = Outbox(tmp_path / "outbox.db")
    crm = FlakyCrm(retry_after_s)
    sender = OutboxSender(outbox, crm, retry=Backoff(1.0, 1.0), clock=lambda: time.time() + jump["s"])  # type: ignore[arg-type]
    entry = outbox.add(EntryKind.NOTE, {"customer_id": "cus-000001", "text": "Call back Friday", "contact_id": None})
    running = asyncio.create_task(sender.run())
    try:
        for _ in range(100):
            if crm.calls:
                break
            await asyncio.sleep(0.02)
        jump["s"] = -3600.0  # an hour back, while the entry waits for its retry
        sender.wake()
        deadline = time.monotonic() + 6
        while present(outbox.get(entry.key)).state is not EntryState.SENT:
            assert time.monotonic() < deadline, f"still waiting after the clock went back: {outbox.get(entry.key)}"
            await asyncio.sleep(0.05)
        assert crm.calls == 2
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        outbox.close()


async def test_a_due_time_beyond_any_wait_is_brought_back(tmp_path: Path) -> None:
    """A clock that went back while the desk was not running: found at start, beyond the longest wait."""
    outbox = Outbox(tmp_path / "outbox.db")
    entry = outbox.add(EntryKind.NOTE, {"customer_id": "cus-000001", "text": "Call back Friday", "contact_id": None})
    outbox.mark_retry(entry.key, "503 try later", time.time() + 86_400)
    sender = OutboxSender(outbox, FlakyCrm(None), retry=Backoff(1.0, 1.0), disk_retry_s=1.0)  # type: ignore[arg-type]
    try:
        await sender.send_due()
        assert present(outbox.get(entry.key)).next_attempt_at <= time.time() + 301
    finally:
        outbox.close()
