"""Sending the outbox to the CRM in the background, with jittered, capped exponential backoff.

Each entry is sent with its outbox key as `Idempotency-Key`, so resending after a
timeout, a 5xx or a crash stores it once. Transport errors, 5xx and 429 are retried
(full jitter: a random wait in [0, min(cap, base · 2^attempts)]); any other refusal
marks the entry failed, for the agent to see and retry. A 429's `Retry-After` (Zendesk's
is often tens of seconds) is honoured: that entry and every other one wait it out, as
anything sent sooner is refused again, and the entry says so ("Zendesk rate limit:
retrying in 40 s").

Due times are the wall clock's (they outlive the process), so a clock set back would hold every pending write for
as long as it went back: a jump back seen while running (the wall clock against the monotonic one) moves the due
times and a rate limit's end back with it, and a due time further away than the longest wait the sender sets
(`_horizon_s`: a jump while the desk was not running) is brought back to that.

The outbox's own file refusing a write (a full disk) does not stop the sender: the entry stays as it was
(pending) and is tried again after `DISK_RETRY_S`, under the same key, so the CRM stores it once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from agent_desktop.domain.errors import RETRY_AFTER_MAX_S, BackendError
from agent_desktop.domain.messages.protocol import NO_MESSAGING, Messaging
from agent_desktop.domain.models import Model
from agent_desktop.domain.protocols import Crm
from agent_desktop.domain.quality.protocol import EvaluationRecords, evaluation_records
from agent_desktop.local.disk_writes import LOCAL_WRITE_ERRORS, why_not_written
from agent_desktop.outbox.backoff import Backoff, LookAgain
from agent_desktop.outbox.kinds import KINDS
from agent_desktop.outbox.kinds.kind import OutboxKind
from agent_desktop.outbox.store import Outbox, OutboxEntry

log = logging.getLogger(__name__)
# How long the sender waits after the outbox's file refused a write (a full disk) before it tries again.
DISK_RETRY_S = 5.0


def write_key(entry: OutboxEntry) -> str:
    """The `Idempotency-Key` `entry` is sent with: its own, or the one a fix gave the reduced write that
    replaced a refused one (agent_desktop/outbox/fixes.py; another body, so another key)."""
    return KINDS[entry.kind].send_key(entry.payload, entry.key)


class OutboxSender:
    """Runs forever (`run`); while it runs, an entry written to its outbox (from any thread) is sent at once. Each
    entry is delivered by its kind (agent_desktop/outbox/kinds/), which the sender serves as its `Delivery`."""

    def __init__(
        self,
        outbox: Outbox,
        crm: Crm,
        *,
        retry: Backoff = Backoff(),
        on_change: Callable[[], object] | None = None,
        on_refused: Callable[[OutboxEntry], None] | None = None,
        clock: Callable[[], float] = time.time,
        disk_retry_s: float = DISK_RETRY_S,
        messaging: Messaging = NO_MESSAGING,
    ) -> None:
        """`on_refused(entry)` is told of each write the CRM refuses (the entry as stored, failed). `clock`: the
        epoch seconds entries fall due on (a test steps it rather than wait out a rate limit); `disk_retry_s`: the
        wait after the outbox's file refused a write."""
        self.outbox = outbox
        self._crm = crm
        self._messaging = messaging
        self.retry = retry
        self.on_change = on_change or (lambda: None)
        self.on_refused = on_refused or (lambda entry: None)
        self._clock = clock
        self._disk_retry_s = disk_retry_s
        self._paused_until = 0.0  # a rate limit's end: nothing is sent before it
        self._wall_ahead: float | None = None  # the wall clock less the monotonic one, last seen: a jump moves it
        self._wake = asyncio.Event()
        # The CRM's evaluation records, resolved once: a stand-in that refuses in words where the CRM keeps none.
        self._evaluation_records = evaluation_records(crm)
        # Who delivers each kind of write: the registry's kinds.
        self.writers: Mapping[str, OutboxKind[Any]] = KINDS

    @property
    def crm(self) -> Crm:
        return self._crm

    @property
    def messaging(self) -> Messaging:
        return self._messaging

    @property
    def evaluation_records(self) -> EvaluationRecords:
        return self._evaluation_records

    async def keep(self, entry_key: str, payload: Model) -> None:
        """What a delivery learnt on the way (a customer found, a message taken) kept in its entry."""
        await self.outbox.aio.update_payload(entry_key, payload)

    def wake(self) -> None:
        """Look at the outbox now (on the event loop; the outbox wakes a running sender by itself)."""
        self._wake.set()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()

        def written() -> None:  # in the thread that wrote the entry
            with contextlib.suppress(RuntimeError):  # the loop closed under a late write: nothing left to wake
                loop.call_soon_threadsafe(self._wake.set)

        stop_listening = self.outbox.when_written(written)
        try:
            await self._send_until_cancelled()
        finally:
            stop_listening()

    async def _send_until_cancelled(self) -> None:
        while True:
            # Cleared before the look, not after it: an entry written while a send or the look is under way
            # wakes the next wait instead of being forgotten until the next due time.
            self._wake.clear()
            try:
                await self.send_due()
                next_at = await self.outbox.aio.next_due_at()
            except LOCAL_WRITE_ERRORS as error:
                log.warning("the outbox could not be updated: %s", why_not_written(error))
                next_at = self._clock() + self._disk_retry_s
            if next_at is not None:
                next_at = max(next_at, self._paused_until)
            timeout = None if next_at is None else max(0.0, next_at - self._clock())
            if timeout == 0.0:
                continue
            # asyncio.timeout, not wait_for: Python 3.11's wait_for returns the event's result when a wake and a
            # cancel arrive in the same turn, dropping the cancel, and the app's quit waited for the sender forever.
            try:
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
            except TimeoutError:
                pass

    def _went_back_s(self) -> float:
        """How far the wall clock went back since the last look (0: it did not, beyond a second's noise)."""
        ahead = self._clock() - time.monotonic()
        back = 0.0 if self._wall_ahead is None else self._wall_ahead - ahead
        self._wall_ahead = ahead
        return back if back > 1.0 else 0.0

    @property
    def _horizon_s(self) -> float:
        """The longest wait the sender sets: a backoff's cap, a rate limit's longest, a full disk's retry."""
        return max(self.retry.cap_s, RETRY_AFTER_MAX_S, self._disk_retry_s)

    async def send_due(self) -> int:
        """Send every entry that is due; returns how many were tried. While a rate limit lasts, none is."""
        if (back := self._went_back_s()) > 0:
            self._paused_until -= back
            await self.outbox.aio.shift_due(-back)
        latest = self._clock() + self._horizon_s
        self._paused_until = min(self._paused_until, latest)
        await self.outbox.aio.bring_forward(latest)
        if self._clock() < self._paused_until:
            return 0
        entries = await self.outbox.aio.due(self._clock())
        tried = 0
        for entry in entries:
            if self._clock() < self._paused_until:
                break  # rate limited on the way: the rest wait too, untried (no attempt counted)
            await self._send(entry)
            tried += 1
        return tried

    async def _send(self, entry: OutboxEntry) -> None:
        try:
            result_id = await self._write(entry)
        except LookAgain as on_its_way:
            wait = self.retry.wait_s(entry.attempts)
            await self.outbox.aio.mark_retry(entry.key, on_its_way.why, self._clock() + wait)
        except BackendError as error:
            if error.retryable:
                wait, message = self.retry.wait_s(entry.attempts), error.message
                if error.retry_after_s is not None:
                    wait = max(wait, error.retry_after_s)
                    self._paused_until = self._clock() + error.retry_after_s
                    message = f"{error.backend} rate limit: retrying in {error.retry_after_s:.0f} s"
                await self.outbox.aio.mark_retry(entry.key, message, self._clock() + wait)
                log.info(
                    "outbox: %s of contact %s not written yet (%s, status %s): again in %.0f s",
                    entry.kind.value,
                    entry.contact_id,
                    error.backend,
                    error.status,
                    wait,
                )
            else:
                log.warning(
                    "outbox: %s of contact %s refused by %s (status %s): kept to fix",
                    entry.kind.value,
                    entry.contact_id,
                    error.backend,
                    error.status,
                )
                await self.outbox.aio.mark_failed(entry.key, error.message)
                latest = await self.outbox.aio.get(entry.key)
                self.on_refused(latest or entry)
        else:
            await self.outbox.aio.mark_sent(entry.key, result_id)
            log.info(
                "outbox: %s of contact %s written (attempt %d)", entry.kind.value, entry.contact_id, entry.attempts + 1
            )
        self.on_change()

    async def _write(self, entry: OutboxEntry) -> str:
        """Send `entry` by its kind; the id the backend gave the write."""
        kind = KINDS[entry.kind]
        return await kind.deliver(entry.payload, entry.key, kind.send_key(entry.payload, entry.key), self)
