"""Estimated wait (EWT), per queue and channel, for a contact entering now, from the core and the statistics.

For a contact entering now behind the `ahead` contacts it would wait behind (same queue and channel, same or
higher priority): 0 when an agent is free for it and nobody is ahead; otherwise (ahead + 1) × AHT ÷ slots, where
AHT is the queue's mean handle time (answer → completion) over the last 30 minutes (else since midnight, else
180 s) and slots the channel capacity of the queue's agents who are available or on contacts (not offline, not
ready or missed). It is the expected wait of an M/M/N queue when every slot is busy (each slot frees after AHT ÷
slots on average); it ignores abandonment ahead (an overestimate when callers give up) and agents shared with
higher-priority queues (an underestimate). None when nobody serves the queue.
The slots are kept by the core as agents change (core/floor.py), so an estimate reads a few counters; the figures
of a 100-queue floor ask for one per queue every 2 s.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from agent_desktop_mocks.ccaas.core.queries import Queries
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, StatsWindow
from agent_desktop_mocks.ccaas.figures.stats_projection import StatsProjection

DEFAULT_AHT_S = 180.0
AHT_WINDOW: StatsWindow = "30m"
AHT_CACHE = timedelta(seconds=10)  # the recent AHT is recomputed at most this often per queue (steady estimates)


class WaitEstimates:
    def __init__(self, stats: StatsProjection) -> None:
        self._stats = stats
        self._aht_cache: dict[str, tuple[datetime, float]] = {}

    def estimated_wait(
        self, read: Queries, queue_id: str, channel: Channel, priority: int, *, from_scratch: bool = False
    ) -> float | None:
        """Seconds a contact entering the queue now would wait (the method is in the module docstring); the slots
        as the core keeps them, or (`from_scratch`, the tests' oracle) counted again over the queue's agents."""
        read.queue(queue_id)
        return self._estimate(read, queue_id, channel, priority, from_scratch)

    def for_queues(self, read: Queries, queue_ids: list[str], *, from_scratch: bool = False) -> dict[str, float | None]:
        """Each queue's estimate for a voice contact of no priority (the queue figures' `ewt_s`), as of one moment."""
        now = read.now()
        return {queue_id: self._estimate(read, queue_id, Channel.VOICE, 0, from_scratch, now) for queue_id in queue_ids}

    def _estimate(
        self,
        read: Queries,
        queue_id: str,
        channel: Channel,
        priority: int,
        from_scratch: bool,
        now: datetime | None = None,
    ) -> float | None:
        slots = read.serving_slots(queue_id, channel, from_scratch=from_scratch)
        if slots == 0:
            return None
        ahead = read.queued_ahead(queue_id, channel, priority)
        if ahead == 0 and read.agent_free(queue_id, channel):
            return 0.0
        return round((ahead + 1) * self.recent_aht(read, queue_id, now) / slots, 1)

    def recent_aht(self, read: Queries, queue_id: str, now: datetime | None = None) -> float:
        """The queue's AHT over the last 30 minutes, else since midnight, else 180 s."""
        now = now or read.now()
        cached = self._aht_cache.get(queue_id)
        if cached and now < cached[0] + AHT_CACHE:
            return cached[1]
        aht = self._stats.kept_handle_s(queue_id, AHT_WINDOW, now)
        if aht is None:
            aht = self._stats.kept_handle_s(queue_id, "today", now)
        aht = aht or DEFAULT_AHT_S
        self._aht_cache[queue_id] = (now, aht)
        return aht
