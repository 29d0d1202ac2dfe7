"""A write queued to the outbox is sent at once by the sender running on it, with nobody passing the news on: the
desk writes from a worker thread (a wrap-up, a transfer's record, a supervisor's record) and tells no one, and a
refused write the agent sends again (`o`) goes the same way. Nothing else is pending, so a sender that was not woken
would wait for ever."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent_desktop.domain.errors import BackendError
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, EntryState, Outbox, OutboxEntry

NOTE = {"customer_id": "cus-000001", "text": "Call back Friday", "contact_id": None}


class WatchedOutbox(Outbox):
    """The real outbox, saying when the sender has looked for its next due time (then it waits)."""

    def __init__(self, path, loop: asyncio.AbstractEventLoop) -> None:  # type: ignore[no-untyped-def]
        super().__init__(path)
        self.loop, self.looked = loop, asyncio.Event()

    def next_due_at(self) -> float | None:  # in the sender's worker thread
        due = super().next_due_at()
        self.loop.call_soon_threadsafe(self.looked.set)
        return due

    async def sender_waiting(self) -> None:
        async with asyncio.timeout(5):
            await self.looked.wait()


class Note:
    def __init__(self, number: int) -> None:
        self.id = f"note-{number}"


class Crm:
    """Takes notes; refuses the first one it is sent when `refuse_first` (a 4xx: the entry fails for good)."""

    def __init__(self, refuse_first: bool = False) -> None:
        self.notes: list[str] = []
        self.refuse_first = refuse_first

    async def add_note(self, customer_id, text, contact_id, key):  # type: ignore[no-untyped-def]
        if self.refuse_first:
            self.refuse_first = False
            raise BackendError("CRM", "422 refused", 422)
        self.notes.append(text)
        return Note(len(self.notes))


class Sending:
    """A sender running on `outbox`, and each change it made to an entry (sent, retried, refused) as it makes it."""

    def __init__(self, outbox: WatchedOutbox, crm: Crm) -> None:
        self.outbox, self.changed = outbox, asyncio.Event()
        self.refused: list[str] = []
        sender = OutboxSender(
            outbox,
            crm,  # type: ignore[arg-type]  # a stand-in that takes notes only: all the sender sends here
            retry=Backoff(60.0, 60.0),
            on_change=self.changed.set,
            on_refused=self.on_refused,
        )
        self.running = asyncio.create_task(sender.run())

    def on_refused(self, entry: OutboxEntry) -> None:  # on the loop, before the sender looks again
        self.refused.append(entry.key)
        self.outbox.looked.clear()

    async def until(self, key: str, state: EntryState, what: str) -> None:
        try:
            async with asyncio.timeout(5):
                while (entry := self.outbox.get(key)) is None or entry.state is not state:
                    self.changed.clear()
                    await self.changed.wait()
        except TimeoutError:
            raise AssertionError(f"{what}: never {state.value}") from None

    async def stop(self) -> None:
        self.running.cancel()
        await asyncio.gather(self.running, return_exceptions=True)
        self.outbox.close()


async def test_a_write_added_from_a_worker_thread_is_sent_without_a_wake(tmp_path: Path) -> None:
    outbox = WatchedOutbox(tmp_path / "outbox.db", asyncio.get_running_loop())
    crm = Crm()
    sending = Sending(outbox, crm)
    try:
        await outbox.sender_waiting()  # nothing pending: it waits with no due time
        entry = await asyncio.to_thread(outbox.add, EntryKind.NOTE, NOTE, label="Note")
        await sending.until(entry.key, EntryState.SENT, "the note written from a thread")
        assert crm.notes == ["Call back Friday"]
    finally:
        await sending.stop()


async def test_a_refused_write_sent_again_is_sent_without_a_wake(tmp_path: Path) -> None:
    outbox = WatchedOutbox(tmp_path / "outbox.db", asyncio.get_running_loop())
    crm = Crm(refuse_first=True)
    sending = Sending(outbox, crm)
    try:
        entry = await asyncio.to_thread(outbox.add, EntryKind.NOTE, NOTE, label="Note")
        await sending.until(entry.key, EntryState.FAILED, "the note the CRM refuses")
        await outbox.sender_waiting()  # nothing pending any more: it waits with no due time
        await asyncio.to_thread(outbox.retry, entry.key)  # the agent's `o`: sent again, as it was
        await sending.until(entry.key, EntryState.SENT, "the note sent again")
        assert crm.notes == ["Call back Friday"]
    finally:
        await sending.stop()


async def test_a_held_record_released_is_sent_without_a_wake(tmp_path: Path) -> None:
    """A blind transfer's record is held on disk until the transfer is made, then released: sent at once."""
    outbox = WatchedOutbox(tmp_path / "outbox.db", asyncio.get_running_loop())
    crm = Crm()
    sending = Sending(outbox, crm)
    try:
        entry = await asyncio.to_thread(outbox.add, EntryKind.NOTE, NOTE, label="Note", held=True)
        await outbox.sender_waiting()  # nothing to send: it waits with no due time
        await asyncio.to_thread(outbox.release, entry.key)
        await sending.until(entry.key, EntryState.SENT, "the record released")
        assert crm.notes == ["Call back Friday"]
    finally:
        await sending.stop()
