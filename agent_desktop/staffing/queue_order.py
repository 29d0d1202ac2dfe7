"""The order the supervisor reads the queues in: by name, or the worst first by one figure.

Kept apart from the tables' columns: a narrower table shows the same order. Ties keep the order the
rows are shown in (the configured order when the sort is chosen), so a row moves only when its figure
passes another's: a queue whose last caller was answered drops below those still waiting, not to its
configured place among the dozens with none (where the cursor, which stays on its queue, would follow).
- name: alphabetical (what a supervisor scans a hundred queues for; the contact center's own order is by
  routing priority, which reads as no order at all);
- service level: lowest first, numerically (a level from a few contacts is dimmed and marked "few" in
  its cell, not moved down: a supervisor who asked for the lowest first reads 0 % first), queues no contact
  has left yet last;
- waiting: most contacts waiting first; longest wait: the oldest waiting contact first.
"""

from __future__ import annotations

import math

from agent_desktop.staffing.floor import Floor

QUEUE_SORTS = ("queue", "service level", "waiting", "longest wait")
SORT_WORDS = {
    "queue": "name",
    "service level": "service level, lowest first",
    "waiting": "contacts waiting, most first",
    "longest wait": "longest wait, longest first",
}


def next_sort(current: str) -> str:
    return QUEUE_SORTS[(QUEUE_SORTS.index(current) + 1) % len(QUEUE_SORTS)]


def ordered_queues(floor: Floor, sort_by: str, shown: list[str] | None = None) -> list[str]:
    """The queues in `sort_by` order; ties in the order `shown` (new queues after), else by name."""
    ids = sorted(floor.queue_ids(), key=lambda q: (floor.queue_name(q).casefold(), q))
    if sort_by == "queue":
        return ids
    if shown:
        known, listed = set(ids), set(shown)
        ids = [q for q in shown if q in known] + [q for q in ids if q not in listed]
    if sort_by == "service level":
        return sorted(ids, key=lambda q: _level(floor, q))
    if sort_by == "waiting":
        return sorted(ids, key=lambda q: -floor.waiting_now(q)[0])
    if sort_by == "longest wait":
        return sorted(ids, key=lambda q: -_longest(floor, q))
    return ids


def _level(floor: Floor, queue_id: str) -> float:
    level = floor.service_level_of(queue_id)
    return math.inf if level is None else level


def _longest(floor: Floor, queue_id: str) -> float:
    waiting, longest = floor.waiting_now(queue_id)
    return longest if waiting else 0.0
