"""The outbox's sender stops when cancelled, also when an entry was written (a wake) in the same turn: the app
cancels it on quit right after a wrap-up or a transfer's record was added, and waits for it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, Outbox


async def test_a_wake_and_a_cancel_in_the_same_turn_stop_the_sender(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    entry = outbox.add(EntryKind.NOTE, {"customer_id": "cus-000001", "text": "Call back Friday", "contact_id": None})
    outbox.mark_retry(entry.key, "503 try later", time.time() + 60)  # waiting for its retry: a finite wait
    sender = OutboxSender(outbox, crm=None)  # type: ignore[arg-type]  # nothing is due: the CRM is never called
    running = asyncio.create_task(sender.run())
    try:
        await asyncio.sleep(0.1)  # waiting for the entry's due time
        sender.wake()
        running.cancel()
        done, _ = await asyncio.wait({running}, timeout=5)
        assert running in done, "the sender went on after it was cancelled"
        assert running.cancelled(), "the sender went on after it was cancelled"
    finally:
        running.cancel()
        outbox.close()
