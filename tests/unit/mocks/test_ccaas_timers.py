"""The core's timers: a cancelled timer never fires, and the heap does not keep what was cancelled."""

from __future__ import annotations

from agent_desktop_mocks.ccaas.core.timers import Timers


def test_cancelled_timers_leave_the_heap_and_running_ones_still_fire() -> None:
    # Most offers end (accepted, rejected) long before their timeout: 5,000 of them cancelled, 10 left running.
    timers = Timers()
    for n in range(5_000):
        timers.start("offer", f"o-{n}", due=3_600.0 + n)
        if n % 500:
            timers.cancel("offer", f"o-{n}")
    assert len(timers._heap) <= 2 * 10 + 64 + 1  # not one entry per offer ever made
    fired = []
    while (timer := timers.pop_due(1e9)) is not None:
        fired.append(timer.ref)
    assert fired == [f"o-{n}" for n in range(0, 5_000, 500)]
