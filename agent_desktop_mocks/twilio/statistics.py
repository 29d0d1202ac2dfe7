"""TaskRouter's statistics from the engine's floor: a TaskQueue's RealTimeStatistics (tasks by status, the
longest wait, its eligible workers by Activity) and CumulativeStatistics (tasks entered, accepted, canceled
and completed in a window, waits until accepted, and the split by wait time a service level is read from);
the Workers' RealTimeStatistics (the workspace's workers by Activity).

Workers are counted by their Activity, as TaskRouter does: a worker on a call is still in the Available
Activity (TaskRouter has no "busy" Activity; tasks by status say what is in hand). Reservations are counted
from the offers this mock has seen made (it keeps no reservation history across a restart)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from agent_desktop_mocks.ccaas.core.errors import NotFound
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, ContactState, Offer, OfferState
from agent_desktop_mocks.twilio.resources import stamp
from agent_desktop_mocks.twilio.state import TwilioState

IN_QUEUE = {
    ContactState.QUEUED: "pending",
    ContactState.OFFERED: "reserved",
    ContactState.CONNECTED: "assigned",
    ContactState.ON_HOLD: "assigned",
    ContactState.AFTER_CONTACT_WORK: "wrapping",
}
DEFAULT_MINUTES = 15  # TaskRouter's window when neither StartDate nor Minutes is given


class Statistics:
    def __init__(self, twilio: TwilioState, base: str) -> None:
        self.t = twilio
        self.root = f"{base}/v1/Workspaces/{twilio.settings.workspace_sid}"

    def _ids(self) -> dict[str, Any]:
        return {"account_sid": self.t.settings.account_sid, "workspace_sid": self.t.settings.workspace_sid}

    def _by_activity(self, agent_ids: list[str]) -> list[dict[str, Any]]:
        counts = Counter(self.t.activity_of(agent_id).sid for agent_id in agent_ids)
        return [{"sid": a.sid, "friendly_name": a.name, "workers": counts.get(a.sid, 0)} for a in self.t.activities]

    def queue_real_time(self, queue_id: str) -> dict[str, Any]:
        engine, sid = self.t.engine, self.t.sids.of("WQ", queue_id)
        now = engine.read.now()
        mine = [c for c in engine.read.contacts() if c.queue_id == queue_id and c.state in IN_QUEUE]
        by_status = Counter(IN_QUEUE[c.state] for c in mine)
        waiting = engine.read.waiting(queue_id)  # longest waiting first
        oldest = waiting[0] if waiting else None
        age = int((now - oldest.entered_queue_at).total_seconds()) if oldest else 0
        oldest_sid = self.t.task_sid(oldest.id) if oldest else None
        eligible = engine.read.eligible_agents(queue_id)
        activities = self._by_activity(eligible)
        available = {a.sid for a in self.t.activities if a.available}
        return {
            **self._ids(),
            "task_queue_sid": sid,
            "activity_statistics": activities,
            "longest_task_waiting_age": age,
            "longest_task_waiting_sid": oldest_sid,
            "longest_relative_task_age_in_queue": age,
            "longest_relative_task_sid_in_queue": oldest_sid,
            "tasks_by_status": {
                status: by_status.get(status, 0) for status in ("pending", "reserved", "assigned", "wrapping")
            },
            "tasks_by_priority": {str(p): n for p, n in sorted(Counter(c.priority for c in waiting).items())},
            "total_available_workers": sum(a["workers"] for a in activities if a["sid"] in available),
            "total_eligible_workers": len(eligible),
            "total_tasks": len(mine),
            "url": f"{self.root}/TaskQueues/{sid}/RealTimeStatistics",
        }

    def queue_cumulative(self, queue_id: str, start: datetime, end: datetime, thresholds: list[int]) -> dict[str, Any]:
        engine, sid = self.t.engine, self.t.sids.of("WQ", queue_id)
        contacts = [c for c in engine.contacts_since(start) if c.queue_id == queue_id]

        def within(at: datetime | None) -> bool:
            return at is not None and start <= at <= end

        accepted = [_wait(c, c.answered_at) for c in contacts if within(c.answered_at)]
        canceled = [_wait(c, c.ended_at) for c in contacts if c.state == ContactState.ABANDONED and within(c.ended_at)]
        offers = Counter(
            offer.state for offer in self._offers() if offer.contact.queue_id == queue_id and within(offer.offered_at)
        )
        split = {
            str(t): {
                "below": {
                    "reservations_accepted": sum(w <= t for w in accepted),
                    "tasks_canceled": sum(w <= t for w in canceled),
                },
                "above": {
                    "reservations_accepted": sum(w > t for w in accepted),
                    "tasks_canceled": sum(w > t for w in canceled),
                },
            }
            for t in thresholds
        }
        return {
            **self._ids(),
            "task_queue_sid": sid,
            "start_time": stamp(start),
            "end_time": stamp(end),
            "tasks_entered": sum(within(c.entered_queue_at) for c in contacts),
            "tasks_canceled": len(canceled),
            "tasks_completed": sum(within(c.completed_at) for c in contacts if c.state == ContactState.COMPLETED),
            "tasks_moved": 0,
            "tasks_deleted": 0,
            "reservations_created": sum(offers.values()),
            "reservations_accepted": len(accepted),
            "reservations_rejected": offers.get(OfferState.REJECTED, 0),
            "reservations_timed_out": offers.get(OfferState.EXPIRED, 0),
            "reservations_canceled": offers.get(OfferState.CANCELLED, 0),
            "reservations_rescinded": 0,
            "avg_task_acceptance_time": round(sum(accepted) / len(accepted)) if accepted else 0,
            "wait_duration_until_accepted": _durations(accepted),
            "wait_duration_in_queue_until_accepted": _durations(accepted),
            "wait_duration_until_canceled": _durations(canceled),
            "split_by_wait_time": split or None,
            "url": f"{self.root}/TaskQueues/{sid}/CumulativeStatistics",
        }

    def workers_real_time(self) -> dict[str, Any]:
        agents = [a.id for a in self.t.engine.read.agents()]
        return {
            **self._ids(),
            "activity_statistics": self._by_activity(agents),
            "total_workers": len(agents),
            "task_queue_sid": None,
            "url": f"{self.root}/Workers/RealTimeStatistics",
        }

    def _offers(self) -> list[Offer]:
        found = []
        for offers in self.t.offers_of.values():
            for offer_id in offers:
                try:
                    found.append(self.t.engine.read.offer(offer_id))
                except NotFound:  # no longer held
                    continue
        return found


def window(
    now: datetime, start: datetime | None, end: datetime | None, minutes: int | None
) -> tuple[datetime, datetime]:
    """TaskRouter's window: `StartDate` (to `EndDate` or now), else the last `Minutes` (15 by default)."""
    until = min(end, now) if end is not None else now
    if start is not None:
        return start, until
    return until - timedelta(minutes=minutes if minutes is not None else DEFAULT_MINUTES), until


def _wait(contact: Contact, until: datetime | None) -> int:
    return max(0, round(((until or contact.entered_queue_at) - contact.entered_queue_at).total_seconds()))


def _durations(waits: list[int]) -> dict[str, int] | None:
    if not waits:
        return {"avg": 0, "min": 0, "max": 0, "total": 0}
    return {"avg": round(sum(waits) / len(waits)), "min": min(waits), "max": max(waits), "total": sum(waits)}
