"""The one duration formatter: each style as the agent and the supervisor read it."""

from __future__ import annotations

import pytest

from agent_desktop.domain.formats.durations import format_duration


@pytest.mark.parametrize(
    ("seconds", "timer", "short", "compact"),
    [
        (-3, "00:00", "0:00", "0s"),  # a clock a little ahead of the server's: never a negative time
        (0, "00:00", "0:00", "0s"),
        (45.4, "00:45", "0:45", "45s"),
        (59.6, "00:59", "0:59", "1:00"),  # the floor's cells round, the timers count whole seconds
        (185, "03:05", "3:05", "3:05"),
        (3599, "59:59", "59:59", "59:59"),
        (3600, "1:00:00", "1:00:00", "1h00"),
        (7500, "2:05:00", "2:05:00", "2h05"),
        (7559.7, "2:05:59", "2:05:59", "2h06"),  # compact shows hours and minutes only: 2 h 6 min once rounded
    ],
)
def test_each_style(seconds: float, timer: str, short: str, compact: str) -> None:
    assert [format_duration(seconds, style) for style in ("timer", "short", "compact")] == [timer, short, compact]
    assert format_duration(seconds) == timer  # the default: a timer in a line of text
