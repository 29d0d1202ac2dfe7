"""A write that lands while the sender is looking at the outbox is sent at once: the sender cleared its wake-up
after the look, so a wrap-up saved during a send (or on a busy machine, during the look) waited for the next due
time — forever when nothing else was pending."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, Outbox


class Crm:
    def __init__(self) -> None:
        self.notes: list[str] = []

    async def add_note(self, customer_id, text, contact_id, key):  # type: ignore[no-untyped-def]
        self.notes.append(text)

        class Note:
            id = f"note-{len(self.notes)}"

        return Note()


class OutboxWrittenDuringTheLook(Outbox):
    """The desk saves a wrap-up (and wakes the sender) while the sender asks when the next write is due."""

    sender: OutboxSender
    loop: asyncio.AbstractEventLoop
    written = False

    def save(self, done: threading.Event) -> None:  # on the event loop, as the desk saves
        self.add(EntryKind.NOTE, {"customer_id": "cus-000001", "text": "Saved mid-look", "contact_id": None})
        self.sender.wake()
        done.set()

    def next_due_at(self) -> float | None:  # on the outbox's thread
        due = super().next_due_at()
        if not self.written:
            self.written = done = threading.Event()  # type: ignore[assignment]
            # Saved on the event loop before the sender hears the look's answer (this thread owns the file: the
            # save could not be waited for here, it waits for this look to end).
            self.loop.call_soon_threadsafe(self.save, done)
        return due


async def test_a_write_saved_while_the_sender_looks_is_sent_without_waiting_for_another(tmp_path: Path) -> None:
    outbox = OutboxWrittenDuringTheLook(tmp_path / "outbox.db")
    outbox.loop = asyncio.get_running_loop()
    crm = Crm()
    outbox.sender = sender = OutboxSender(outbox, crm, retry=Backoff(1.0, 1.0))  # type: ignore[arg-type]
    running = asyncio.create_task(sender.run())
    try:
        async with asyncio.timeout(5):
            while not crm.notes:
                await asyncio.sleep(0.02)
        assert crm.notes == ["Saved mid-look"]
    except TimeoutError:
        raise AssertionError("the note saved while the sender looked was never sent") from None
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        outbox.close()
