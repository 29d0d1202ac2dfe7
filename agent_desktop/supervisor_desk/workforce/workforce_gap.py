"""The supervisor's gap chart: a queue's scheduled − needed agents per half-hour of today, which
half-hour is now, the worst gap, and what to say of them in words (readable without colour). Textual-free; the
chart is drawn by agent_desktop/ui/supervisor/staffing/workforce_chart.py."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from agent_desktop.domain.workforce.models import Coverage

INTERVAL = timedelta(minutes=30)
_EPSILON = 1e-9  # a break's share of a half-hour is a float: 3.9999999 agents short is 4


@dataclass(frozen=True)
class GapChart:
    gaps: tuple[float, ...]  # scheduled − needed per half-hour, in order (below zero: short)
    starts: tuple[datetime, ...]
    now: int | None  # the half-hour under way, None outside the opening hours
    worst: int | None  # the half-hour shortest of agents (the earliest of equals), None when none is short
    words: str  # the worst gap and now, in words


def current_interval(starts: tuple[datetime, ...], now: datetime) -> int | None:
    """The half-hour `now` falls in (start ≤ now < start + 30 min), or None."""
    return next((i for i, start in enumerate(starts) if start <= now < start + INTERVAL), None)


def worst_gap(gaps: tuple[float, ...]) -> int | None:
    """The half-hour with the most agents short (the earliest of equals); None when every one is covered."""
    short = [(gap, i) for i, gap in enumerate(gaps) if gap < -_EPSILON]
    return min(short)[1] if short else None


def agents_words(gap: float) -> str:
    """'short 4 agents', 'spare 1 agent', 'covered': whole agents (a shortfall of 3.5 needs 4)."""
    if gap < -_EPSILON:
        n = math.ceil(-gap - _EPSILON)
        return f"short {n} agent{'s' if n != 1 else ''}"
    n = math.floor(gap + _EPSILON)
    return f"spare {n} agent{'s' if n != 1 else ''}" if n else "covered"


def gap_chart(coverage: Coverage, now: datetime) -> GapChart:
    """The chart of a queue's coverage at `now` (aware; times said in its zone)."""
    gaps = tuple(i.gap for i in coverage.intervals)
    starts = tuple(i.start for i in coverage.intervals)
    current, worst = current_interval(starts, now), worst_gap(gaps)

    def at(i: int) -> str:
        return starts[i].astimezone(now.tzinfo).strftime("%H:%M")

    if not gaps:
        words = "No schedule or forecast for today."
    elif worst is None:
        words = "Covered all day: no half-hour short."
    else:
        words = f"Worst: {agents_words(gaps[worst])} at {at(worst)}."
    if current is not None:
        words += f" Now ({at(current)}): {agents_words(gaps[current])}."
    elif gaps:
        words += " Now: closed."
    return GapChart(gaps, starts, current, worst, words)


def axis_lines(chart: GapChart, per_interval: int, zone: tzinfo | None) -> tuple[str, str]:
    """Under the bars (`per_interval` columns each): a ▲ under the half-hour now, and the hour every two hours."""
    width = len(chart.starts) * per_interval
    marker = [" "] * width
    if chart.now is not None:
        column = chart.now * per_interval
        marker[column : column + 5] = list("▲ now")[: width - column]
    hours = [" "] * width
    for i, start in enumerate(chart.starts):
        local = start.astimezone(zone)
        if local.minute == 0 and local.hour % 2 == 0 and i * per_interval + 2 <= width:
            hours[i * per_interval : i * per_interval + 2] = list(local.strftime("%H"))
    return "".join(marker).rstrip(), "".join(hours).rstrip()


def gap_bars(gaps: tuple[float, ...], per_interval: int, rows: int = 2) -> tuple[list[str], list[str]]:
    """The gaps as bars either side of a zero line, `per_interval` columns each: (the `rows` lines above the
    line, spare agents growing up; the `rows` lines below it, short agents hanging down), each line as wide as
    the day. Half a row is a half block; the tallest bar is the day's largest gap either way, and any gap of a
    whole agent shows at least half a row."""
    scale = max((abs(g) for g in gaps), default=0.0)
    above = [[" "] * (len(gaps) * per_interval) for _ in range(rows)]
    below = [[" "] * (len(gaps) * per_interval) for _ in range(rows)]
    for i, gap in enumerate(gaps):
        if scale <= 0 or abs(gap) < 1 - _EPSILON:
            continue
        halves = max(1, round(abs(gap) / scale * rows * 2))
        lines, half = (above, "▄") if gap > 0 else (below, "▀")
        for k in range(rows):  # k = 0: the row next to the zero line
            row = lines[rows - 1 - k] if gap > 0 else lines[k]
            mark = "█" if halves >= 2 * (k + 1) else half if halves == 2 * k + 1 else " "
            row[i * per_interval : (i + 1) * per_interval] = [mark] * per_interval
    return ["".join(r) for r in above], ["".join(r) for r in below]


def scale_words(chart: GapChart) -> str:
    """What the bars stand for (the tallest is the day's largest gap, spare or short)."""
    if not chart.gaps:
        return ""
    return "Above the line: agents spare; below it: agents short."
