"""Keeps Python's cyclic garbage collector out of a screen pop: paused from an offer's parse until the frame that
shows the caller, so that a collection the pop's own objects would set off runs just after that frame instead."""

from __future__ import annotations

import asyncio
import gc

LONGEST_PAUSE_S = 1.0  # a pop that never reaches a frame (the app closing) gives the collector back by then


class CollectorPause:
    """A screen pop made ~2,500 objects between the CRM's answer and its frame: three or four young collections,
    now and then the middle generation's, and one pop in 25 a full one, all in the loop with the frame
    waiting (timeline_screen_pop's probes of bench_screen_pop). Nothing is left uncollected: the collector runs
    again from the frame on, and its thresholds count what the pop made. A collector switched off by someone
    else (start-up, agent_desktop/app/cli.py) is left as it is."""

    def __init__(self, longest_s: float = LONGEST_PAUSE_S) -> None:
        self.longest_s = longest_s
        self._deadline: asyncio.TimerHandle | None = None

    @property
    def paused(self) -> bool:
        return self._deadline is not None

    def pause(self) -> None:
        if self._deadline is not None or not gc.isenabled():
            return
        gc.disable()
        self._deadline = asyncio.get_running_loop().call_later(self.longest_s, self.resume)

    def resume(self) -> None:
        if self._deadline is None:
            return
        self._deadline.cancel()
        self._deadline = None
        gc.enable()
