"""A schedule edit for adherence tests: today's shift with a break that ends at a chosen instant, as a
supervisor's `PUT /v1/agents/{id}/schedule` body."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any


def break_ending_at(ends: datetime, agent_id: str = "agent-001") -> dict[str, Any]:
    """A shift of two hours around `ends`: work, a break from ten minutes before `ends` to `ends`, work."""
    ends = ends.replace(microsecond=0)
    start, end, began = ends - timedelta(hours=1), ends + timedelta(hours=1), ends - timedelta(minutes=10)
    iso = datetime.isoformat
    return {
        "agent_id": agent_id,
        "day": ends.date().isoformat(),
        "shift_start": iso(start),
        "shift_end": iso(end),
        "activities": [
            {"activity": "work", "start": iso(start), "end": iso(began)},
            {"activity": "break", "start": iso(began), "end": iso(ends)},
            {"activity": "work", "start": iso(ends), "end": iso(end)},
        ],
    }
