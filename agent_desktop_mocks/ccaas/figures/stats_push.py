"""Which queues' figures the supervisor stream pushes: those that changed since the last push.

A `queue_stats` event carries, for each queue whose figures (today's or the last 30 minutes') differ
from what the last push said, both windows; a queue whose figures did not change is left out. A
client starts from `GET /v1/queues/stats` (the desktop's floor snapshot) and merges pushes by queue id.
When nobody was listening, the next push is whole again (`forget`).
The figures come as rows (queue_figures.py) that are the event's JSON objects already (`QueueStats`' fields, as
`QueueStatsEvent.model_dump(mode="json")` writes them): compared as they are, and a changed queue's sent as they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from pydantic import TypeAdapter

from agent_desktop_mocks.ccaas.figures.queue_figures import Row

_AT = TypeAdapter(datetime)


class PushedFigures:
    def __init__(self) -> None:
        self._pushed: dict[str, tuple[Row, Row]] = {}  # queue id → (today, 30m) last pushed

    def changed(self, today: list[Row], last_30m: list[Row]) -> tuple[list[Row], list[Row]]:
        """The figures of the queues that changed since the last call (both windows of each), remembered as pushed.
        `today` and `last_30m` are the same queues in the same order; the rows are not changed after (they are
        the event's and are kept here to compare with)."""
        out_today, out_30m = [], []
        pushed = self._pushed
        for now in zip(today, last_30m, strict=True):
            queue_id = now[0]["queue_id"]
            if pushed.get(queue_id) != now:
                pushed[queue_id] = now
                out_today.append(now[0])
                out_30m.append(now[1])
        return out_today, out_30m

    def forget(self) -> None:
        """Nobody is listening: the next push carries every queue."""
        self._pushed.clear()


def queue_stats_event(at: datetime, today: list[dict[str, Any]], last_30m: list[dict[str, Any]]) -> str:
    """The `queue_stats` event's data (sse_events.QueueStatsEvent's JSON shape), as compact JSON, the same bytes as
    pydantic-core's `to_json` (the other events'): orjson's, the quickest of the three (`json.dumps` the
    slowest) inside a push whose caches went cold since the last (`mock_queue_stats_*_cpu`, bench_mock_day)."""
    data = {"type": "queue_stats", "at": _AT.dump_python(at, mode="json"), "today": today, "last_30m": last_30m}
    return orjson.dumps(data).decode()
