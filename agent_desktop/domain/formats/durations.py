"""How long something has lasted or has left, as the agent and the supervisor read it: the one duration formatter,
for the desk's timers, the contacts' cells, the floor's tables and the staffing advice (no terminal code)."""

from __future__ import annotations

from typing import Literal

DurationStyle = Literal["timer", "short", "compact"]


def format_duration(seconds: float, style: DurationStyle = "timer") -> str:
    """A duration in one of three styles, never negative (a clock a little ahead of the server's shows 0):

    - `timer`: `03:05`, `1:00:00` from an hour; a timer in a line of text (the state line, a hold, a countdown);
    - `short`: `3:05`, then as `timer`; a timer in a table cell, a handle time in the advice;
    - `compact`: `45s`, `3:05`, `2h05`; the floor's cells, a few characters wide. It rounds to the second where
      the others cut (a timer must not show a second that has not passed yet).
    """
    whole = max(0, round(seconds) if style == "compact" else int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if style == "compact":
        return f"{hours}h{minutes:02d}" if hours else f"{minutes}:{secs:02d}" if minutes else f"{secs}s"
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}" if style == "timer" else f"{minutes}:{secs:02d}"
