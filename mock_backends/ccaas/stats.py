"""Queue statistics since midnight (UTC): the figures a wallboard shows.

Over the contacts that entered a queue since midnight:
- waiting: contacts queued or being offered (not yet answered); longest wait: the oldest of them.
- service level: answered within the queue's threshold ÷ (answered + abandoned), in %.
  Short abandons are not excluded.
- ASA (average speed of answer): mean time from entering the queue to being answered.
- AHT (average handle time): mean talk + hold + after-contact work, i.e. answered → completed,
  of completed contacts.
- abandonment rate: abandoned ÷ contacts that left the queue (answered + abandoned), in %.
A figure is None while there is nothing to compute it from.
"""

from __future__ import annotations

from datetime import datetime

from mock_backends.ccaas.schemas import Agent, AgentState, Contact, ContactState, Queue, QueueStats


def queue_stats(queues: list[Queue], agents: list[Agent], contacts: list[Contact], now: datetime) -> list[QueueStats]:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    stats = []
    for queue in queues:
        mine = [c for c in contacts if c.queue_id == queue.id]
        waiting = [c for c in mine if c.state in (ContactState.QUEUED, ContactState.OFFERED)]
        today = [c for c in mine if c.entered_queue_at >= midnight]
        waits = [(c.answered_at - c.entered_queue_at).total_seconds() for c in today if c.answered_at]
        abandoned = sum(1 for c in today if c.state == ContactState.ABANDONED)
        handled = [
            (c.completed_at - c.answered_at).total_seconds()
            for c in today
            if c.state == ContactState.COMPLETED and c.completed_at and c.answered_at
        ]
        left_queue = len(waits) + abandoned
        within = sum(1 for wait in waits if wait <= queue.service_level_threshold_s)
        skills = set(queue.skills)
        by_state = {state.value: 0 for state in AgentState}
        for agent in agents:
            if skills <= set(agent.skills):
                by_state[agent.state.value] += 1
        stats.append(
            QueueStats(
                queue_id=queue.id,
                queue_name=queue.name,
                waiting=len(waiting),
                longest_wait_s=round(max((now - c.entered_queue_at).total_seconds() for c in waiting), 1)
                if waiting
                else 0.0,
                service_level_pct=_pct(within, left_queue),
                asa_s=_mean(waits),
                aht_s=_mean(handled),
                abandonment_rate_pct=_pct(abandoned, left_queue),
                agents_by_state=by_state,
            )
        )
    return stats


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
