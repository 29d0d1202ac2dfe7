"""How the floor's figures look in table cells: words beside colours, arrows, sparklines."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text

from agent_desktop.domain.formats.durations import format_duration

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(
    values: Sequence[float | None], width: int, *, low: float | None = None, high: float | None = None
) -> Text:
    """The last `width` values as block characters (a gap for a missing value), scaled to low..high."""
    shown = list(values)[-width:]
    known = [v for v in shown if v is not None]
    if not known:
        return Text("·" * width, style="dim")
    lo = min(known) if low is None else low
    hi = max(known) if high is None else high
    span = hi - lo
    chars = []
    for value in shown:
        if value is None:
            chars.append(" ")
        else:
            level = 0 if span <= 0 else round((min(max(value, lo), hi) - lo) / span * (len(SPARK) - 1))
            chars.append(SPARK[level])
    return Text("".join(chars).rjust(width), style="cyan")


def service_level_cell(
    level: float | None, target: float, trend: float | None, deadband: float = 1.0, *, few: bool = False
) -> Text:
    """`72% ▼ Below 80%`: the figure, the trend arrow and a word (with the target it is under), coloured by the
    target; dim and `few` while too few contacts left the queue for the level to mean anything (it raises no
    alert then); `— no contacts` while none has left the queue (answered or given up)."""
    if level is None:
        return Text("— no contacts", style="dim")
    arrow = "▶" if trend is None or abs(trend) < deadband else "▲" if trend > 0 else "▼"
    if few:
        return Text(f"{level:3.0f}% {arrow} few", style="dim")
    met = level >= target
    word, style = ("OK", "bold green") if met else (f"Below {target:.0f}%", "bold red")
    return Text.assemble((f"{level:3.0f}%", style), " ", (arrow, "bold"), " ", (word, style))


def seconds_cell(seconds: float | None, *, alert_over: float | None = None) -> Text:
    if seconds is None:
        return Text("—", style="dim", justify="right")
    if math.isinf(seconds):
        return Text("∞", style="bold red", justify="right")
    text = format_duration(seconds, "compact")
    style = "bold red" if alert_over is not None and seconds > alert_over else ""
    return Text(text, style=style, justify="right")


def percent_cell(value: float | None) -> Text:
    return Text("—" if value is None else f"{value:.0f}%", style="dim" if value is None else "", justify="right")


def number_cell(value: float | int | None, style: str = "") -> Text:
    if value is None:
        return Text("—", style="dim", justify="right")
    return Text(str(value), style=style, justify="right")
