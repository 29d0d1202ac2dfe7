"""Which queues' figures the supervisor stream pushes: those that changed since the last push.

A `queue_stats` event carries, for each queue whose figures (today's or the last 30 minutes') differ
from what the last push said, both windows; a queue whose figures did not change is left out. A
client starts from `GET /v1/queues/stats` (the desktop's floor snapshot) and merges pushes by queue id.
When nobody was listening, the next push is whole again (`forget`).
"""

from __future__ import annotations

from mock_backends.ccaas.schemas import QueueStats


class PushedFigures:
    def __init__(self) -> None:
        self._pushed: dict[str, tuple[QueueStats, QueueStats | None]] = {}  # queue id → (today, 30m) last pushed

    def changed(
        self, today: list[QueueStats], last_30m: list[QueueStats]
    ) -> tuple[list[QueueStats], list[QueueStats]]:
        """The figures of the queues that changed since the last call (both windows of each), remembered as pushed."""
        by_queue = {s.queue_id: s for s in last_30m}
        out_today, out_30m = [], []
        for figures in today:
            recent = by_queue.get(figures.queue_id)
            now = (figures, recent)
            if self._pushed.get(figures.queue_id) != now:
                self._pushed[figures.queue_id] = now
                out_today.append(figures)
                if recent is not None:
                    out_30m.append(recent)
        return out_today, out_30m

    def forget(self) -> None:
        """Nobody is listening: the next push carries every queue."""
        self._pushed.clear()
