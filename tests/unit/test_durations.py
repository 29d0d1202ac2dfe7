"""The one module that formats durations: each form as the agent and the supervisor read it."""

from __future__ import annotations

import pytest

from desktop.durations import format_compact, format_duration, format_short


@pytest.mark.parametrize(
    ("seconds", "timer", "cell", "compact"),
    [
        (-3, "00:00", "0:00", "0s"),  # a clock a little ahead of the server's: never a negative time
        (0, "00:00", "0:00", "0s"),
        (45.4, "00:45", "0:45", "45s"),
        (59.6, "00:59", "0:59", "1:00"),  # the floor's cells round, the timers count whole seconds
        (185, "03:05", "3:05", "3:05"),
        (3599, "59:59", "59:59", "59:59"),
        (3600, "1:00:00", "1:00:00", "1h00"),
        (7500, "2:05:00", "2:05:00", "2h05"),
    ],
)
def test_each_form(seconds, timer, cell, compact):
    assert (format_duration(seconds), format_short(seconds), format_compact(seconds)) == (timer, cell, compact)
