"""Scheduled callbacks an agent owns, as Genesys Cloud's agent-owned callbacks work: an agent schedules
one from a contact they had, for a time in the customer's zone; when it falls due the contact center makes a voice
callback contact (dialled when accepted, like a queue callback: core/parts/callbacks.py) and offers it to its owner alone
while they can take a voice contact, until `owned_callback_expiry_s` (mock seconds) after the time; then, or when
the owner lets the offer go, it waits in its queue for anyone.

A scheduled part of the server's scheduler: due at the next callback's time or the next expiry; any engine event
while one is due and waiting makes it look again (the owner may have become free), never a poll.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils
from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.core.domain_events import DomainEvent
from agent_desktop_mocks.ccaas.core.errors import Invalid
from agent_desktop_mocks.ccaas.core.wire.dial_numbers import dial_number_problem
from agent_desktop_mocks.ccaas.core.wire.schemas import ContactState
from agent_desktop_mocks.ccaas.scheduled.schemas import CallbackSchedule, CallbackState, ScheduledCallback
from agent_desktop_mocks.ccaas.scheduled.store import CallbackStore
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.common.clock import Clock

MOST_AHEAD = timedelta(days=366)  # a callback is for the coming days, not a date the clock cannot add to


def known_zone(name: str) -> ZoneInfo:
    """The IANA zone, or 422 naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        raise Invalid("time_zone", f"unknown time zone {name!r}: an IANA name such as Europe/Paris", name) from None


class ScheduledCallbacks:
    def __init__(
        self, db: sqlite_utils.Database, engine: Engine, clock: Clock, *, expiry_s: float, wake: Callable[[], None]
    ) -> None:
        self._store = CallbackStore(db)
        self._engine = engine
        self._clock = clock
        self._expiry = timedelta(seconds=expiry_s / engine.time_scale)  # mock seconds, as every timer
        self._wake = wake
        self._rows = {row.id: row for row in self._store.all()}
        self._look_at: float | None = None
        self._waiting: set[str] = set()  # due, tried, their owner not free: looked at again on the floor's events
        engine.listen(self._heard)

    # --- requests ---------------------------------------------------------------------------------

    def schedule(self, agent_id: str, request: CallbackSchedule) -> ScheduledCallback:
        """422 for a naive or past time, an unknown zone, no number; 404 an unknown contact; 403 one never the
        agent's."""
        due = request.due_at
        if due.tzinfo is None or due.utcoffset() is None:
            raise Invalid(
                "due_at", "a time with its UTC offset, e.g. 2026-11-26T15:30:00+01:00 (naive given)", str(due)
            )
        known_zone(request.time_zone)
        now = self._clock.now()
        if due <= now:
            raise Invalid("due_at", f"in the past: the contact center's time is {now.isoformat()}", due.isoformat())
        if due - now > MOST_AHEAD:
            raise Invalid("due_at", f"at most {MOST_AHEAD.days} days ahead", due.isoformat())
        contact = self._engine.read.contact(request.contact_id)  # 404 when unknown
        if agent_id not in contact.handled_by:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"contact {contact.id} was not yours")
        number = request.number or contact.from_address
        problem = dial_number_problem(number)
        if problem is not None:
            said = "" if request.number else "this contact came from no number to dial: give one; "
            raise Invalid("number", f"{said}{problem}", number)
        row = ScheduledCallback(
            id=f"cb-{len(self._rows) + 1:06d}",
            agent_id=agent_id,
            contact_id=contact.id,
            queue_id=contact.queue_id,
            number=number,
            note=request.note,
            due_at=due.astimezone(now.tzinfo),
            time_zone=request.time_zone,
            created_at=now,
            expires_at=due.astimezone(now.tzinfo) + self._expiry,
        )
        self._rows[row.id] = row
        self._store.save(row)
        self._wake()
        return row.model_copy(update={"state": self.state_of(row)})

    def of_agent(self, agent_id: str, keep: Callable[[str], bool] = lambda _: True) -> list[ScheduledCallback]:
        """The agent's callbacks, soonest first, with their state now; `keep` a queue (a supervisor's scope)."""
        rows = sorted((r for r in self._rows.values() if r.agent_id == agent_id and keep(r.queue_id)), key=_due)
        return [row.model_copy(update={"state": self.state_of(row)}) for row in rows]

    def state_of(self, row: ScheduledCallback) -> CallbackState:
        if row.callback_contact_id is None:
            return "scheduled"
        contact = self._engine.read.contact(row.callback_contact_id)
        if row.agent_id in contact.handled_by:
            return "done"
        if row.to_queue or contact.state != ContactState.OFFERED or contact.agent_id != row.agent_id:
            return "queued"
        return "offered"

    # --- the scheduler's part ---------------------------------------------------------------------

    def _pending(self) -> Iterable[ScheduledCallback]:
        return (row for row in self._rows.values() if row.callback_contact_id is None)

    def _heard(self, events: list[DomainEvent]) -> None:
        """Something happened on the floor: a due callback's owner may be free now (look, never run a command here)."""
        now = self._clock.now()
        if events and any(row.due_at <= now for row in self._pending()):
            self._look_at = self._clock.monotonic()
            self._wake()

    def next_due(self) -> float | None:
        """The next callback's time, or (once tried and its owner was not free) its expiry; sooner when told to look."""
        now, mono = self._clock.now(), self._clock.monotonic()
        waiting = self._waiting
        dues = [
            mono + ((row.expires_at if row.id in waiting else row.due_at) - now).total_seconds()
            for row in self._pending()
        ]
        if self._look_at is not None:
            dues.append(self._look_at)
        return min(dues, default=None)

    def fire_due(self) -> None:
        self._look_at = None
        now = self._clock.now()
        for row in sorted(self._pending(), key=_due):
            if row.due_at > now:
                break
            to_queue = now >= row.expires_at
            contact = self._engine.callbacks.owned_due(
                row.queue_id, row.number, row.note or None, row.agent_id, row.created_at, to_queue=to_queue
            )
            if contact is None:
                self._waiting.add(row.id)
                continue
            self._waiting.discard(row.id)
            row.callback_contact_id, row.to_queue = contact.id, to_queue
            self._store.save(row)


def _due(row: ScheduledCallback) -> datetime:
    return row.due_at
