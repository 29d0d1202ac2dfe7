"""How long something has lasted or has left, as the agent and the supervisor read it: the one module that
formats durations, for the desk's timers, the contacts' cells, the floor's tables and the staffing advice (no
terminal code)."""

from __future__ import annotations


def format_duration(seconds: float) -> str:
    """`mm:ss`, or `h:mm:ss` from an hour (timers in a line of text: the state line, a hold, a countdown)."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def format_short(seconds: float) -> str:
    """`m:ss` under an hour (timers inside table cells, handle times in advice), else as format_duration."""
    seconds = max(0, int(seconds))
    return format_duration(seconds) if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


def format_compact(seconds: float) -> str:
    """`45s`, `3:05`, `2h05`: the floor's table cells, where a column is a few characters wide."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{secs:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}"
