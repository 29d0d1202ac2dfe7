"""The order the supervisor reads the queues in: as configured, or the worst first by one figure.

Kept apart from the tables' columns: a narrower table shows the same order. Ties keep the order the
rows are shown in (the configured order when the sort is chosen), so a row moves only when its figure
passes another's: a queue whose last caller was answered drops below those still waiting, not to its
configured place among the dozens with none (where the cursor, which stays on its queue, would follow).
- service level: lowest first; levels from too few contacts to raise an alert come after those that
  count (a first caller who hung up is 0 %, and would sit on top), queues with no level last;
- waiting: most contacts waiting first; longest wait: the oldest waiting contact first.
"""

from __future__ import annotations

import math

from agent_desktop.staffing.floor import Floor

QUEUE_SORTS = ("queue", "service level", "waiting", "longest wait")
SORT_WORDS = {
    "queue": "as configured",
    "service level": "service level, lowest first",
    "waiting": "contacts waiting, most first",
    "longest wait": "longest wait, longest first",
}


def next_sort(current: str) -> str:
    return QUEUE_SORTS[(QUEUE_SORTS.index(current) + 1) % len(QUEUE_SORTS)]


def ordered_queues(floor: Floor, sort_by: str, shown: list[str] | None = None) -> list[str]:
    """The queues in `sort_by` order; ties in the order `shown` (new queues after), else as configured."""
    ids = floor.queue_ids()
    if shown:
        known, listed = set(ids), set(shown)
        ids = [q for q in shown if q in known] + [q for q in ids if q not in listed]
    if sort_by == "service level":
        return sorted(ids, key=lambda q: _level_key(floor, q))
    if sort_by == "waiting":
        return sorted(ids, key=lambda q: -floor.waiting_now(q)[0])
    if sort_by == "longest wait":
        return sorted(ids, key=lambda q: -_longest(floor, q))
    return ids


def _level_key(floor: Floor, queue_id: str) -> tuple[int, float]:
    level = floor.service_level_of(queue_id)
    if level is None:
        return (2, math.inf)
    return (0 if floor.service_level_settled(queue_id) else 1, level)


def _longest(floor: Floor, queue_id: str) -> float:
    waiting, longest = floor.waiting_now(queue_id)
    return longest if waiting else 0.0
