"""One queue's counts kept as things happen (`QueueCounts`): its waiting contacts and callbacks with a heap
each, its contacts' moments summed by the minute, and each window's running sum (queue_figures.py says how).
Times are integer µs since the epoch, so what is added and later taken away leaves nothing behind."""

from __future__ import annotations

import bisect
import heapq
import operator
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from agent_desktop_mocks.ccaas.core.wire.schemas import TERMINAL, WAITING, Contact, ContactState, StatsWindow
from agent_desktop_mocks.ccaas.figures.stats import WINDOW_MINUTES

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
MINUTE = 60_000_000
WINDOWS: tuple[StatsWindow, ...] = ("15m", "30m", "60m", "today")
SLIDING: tuple[StatsWindow, ...] = ("15m", "30m", "60m")
# a contact's sums: arrived, of those abandoned, answered, within the threshold, wait (µs), abandoned,
# handled, handle time (µs)
ARRIVED, COHORT, ANSWERED, WITHIN, WAIT, ABANDONED, HANDLED, HANDLE = range(8)
Moment = tuple[int, tuple[int, ...]]  # (when in µs, what it adds)
# What is held of a contact (µs; None: it did not happen): entered, answered, wait, gave up (0/1), abandoned,
# completed, handle time. One tuple: a 1,000-agent floor holds some 55,000 contacts.
Record = tuple[int, int | None, int, int, int | None, int | None, int]


def us(at: datetime) -> int:
    return (at - EPOCH) // US


def window_start_us(now: datetime, window: StatsWindow) -> int:
    if window == "today":
        return us(now.replace(hour=0, minute=0, second=0, microsecond=0))
    return us(now - timedelta(minutes=WINDOW_MINUTES[window]))


def first_whole_minute(start: int) -> int:
    """The minute a window's running sum starts after: the one `start` falls in, or the one before when
    `start` is a minute's first µs (today's midnight)."""
    return -(-start // MINUTE) - 1


def record(contact: Contact) -> Record:
    """What the figures count of a contact (stats.py's definitions)."""
    entered = us(contact.entered_queue_at)
    gave_up = contact.state == ContactState.ABANDONED
    answered = us(contact.answered_at) if contact.answered_at is not None else None
    abandoned = us(contact.ended_at) if gave_up and contact.ended_at is not None else None
    completed = None
    if contact.state == ContactState.COMPLETED and contact.completed_at is not None and answered is not None:
        completed = us(contact.completed_at)
    return (
        entered,
        answered,
        answered - entered if answered is not None else 0,
        int(gave_up),
        abandoned,
        completed,
        completed - answered if completed is not None and answered is not None else 0,
    )


_ARRIVED, _GAVE_UP, _ABANDONED = (1, 0, 0, 0, 0, 0, 0, 0), (1, 1, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 1, 0, 0)


def moments(held: Record, threshold_us: int) -> list[Moment]:
    """What a contact adds to its queue's counts, by when."""
    entered, answered, wait, gave_up, abandoned, completed, handle = held
    out: list[Moment] = [(entered, _GAVE_UP if gave_up else _ARRIVED)]
    if answered is not None:
        out.append((answered, (0, 0, 1, int(wait <= threshold_us), wait, 0, 0, 0)))
    if abandoned is not None:
        out.append((abandoned, _ABANDONED))
    if completed is not None:
        out.append((completed, (0, 0, 0, 0, 0, 0, 1, handle)))
    return out


def _push(heap: list[tuple[datetime, str]], at: datetime, cid: str, live: dict[str, datetime]) -> None:
    """Push onto a heap whose entries are dropped lazily (when `live` no longer says so); compacted when
    mostly stale."""
    heapq.heappush(heap, (at, cid))
    if len(heap) > 2 * len(live) + 64:
        heap[:] = [entry for entry in heap if live.get(entry[1]) == entry[0]]
        heapq.heapify(heap)


def _add(into: list[int], what: tuple[int, ...] | list[int], sign: int = 1) -> None:
    for i, n in enumerate(what):
        if n:
            into[i] += sign * n


class Edge:
    """A window's first minute, which it covers from `start` on: the minute's moments in order of time (the queue's
    list, kept as moments are counted), and the sum of those at or after `start`. The window's start only moves on
    (every pass, 2 s later), so the sum is kept by taking off the moments it passes: a minute's moments are each
    taken off once, rather than a sum kept from every moment. A moment counted or taken away later changes the sum
    in place (`changed`), so the edge is made once, when the minute becomes the window's first."""

    __slots__ = ("moments", "next", "sums", "start")

    def __init__(self, found: list[Moment], minute_sums: list[int] | None) -> None:
        self.moments = found
        self.next = 0  # the first moment not taken off
        # the minute's sums are those of the moments held in it: no contact with a moment in a window's first
        # minute (60 minutes ago at most) has been folded out of memory (that takes 65 minutes untouched)
        self.sums = list(minute_sums) if minute_sums is not None else [0] * 8
        self.start = 0

    def after(self, start: int) -> list[int]:
        """The sums of the moments at or after `start` (no earlier than the last asked)."""
        found, i, sums = self.moments, self.next, self.sums
        while i < len(found) and found[i][0] < start:
            _add(sums, found[i][1], -1)
            i += 1
        self.next, self.start = i, start
        return sums

    def changed(self, moment: Moment, sign: int) -> None:
        """`moment` was just put into `moments` (sign 1) or taken out (-1): one before `start` is among those taken
        off already (before `next`), one after it counts in the sum."""
        if moment[0] < self.start:
            self.next += sign
        else:
            _add(self.sums, moment[1], sign)


class QueueCounts:
    """One queue: its waiting contacts, its contacts' moments by the minute and each window's running sum."""

    def __init__(self, cuts: Mapping[StatsWindow, int]) -> None:
        self.waiting: dict[str, datetime] = {}
        self.waiting_heap: list[tuple[datetime, str]] = []
        self.callbacks: dict[str, datetime] = {}
        self.callback_heap: list[tuple[datetime, str]] = []
        self.held: dict[str, Record] = {}
        self.finished: dict[str, int] = {}  # finished contacts held → the last moment they count by (µs)
        self.minutes: dict[int, list[int]] = {}
        self.touching: dict[int, set[str]] = {}  # minute → the contacts held with a moment in it
        # minute → its moments in order of time, for the minutes a sliding window may yet start in (from the
        # longest's first minute on): kept as they are counted, so that a window's first minute is not looked for
        # among the contacts when the window reaches it (at each minute's turn, for every queue)
        self.moments: dict[int, list[Moment]] = {}
        # a window's first minute, which it covers only in part: the sum of its moments from where the window starts
        # (`Edge`: made when first read, changed in place as moments in the minute are counted or taken away)
        self.edges: dict[int, Edge] = {}
        self.cut = dict(cuts)
        self.keep_from = min(self.cut[w] for w in SLIDING)  # the first minute whose moments are kept in order
        self.totals = {w: [0] * 8 for w in WINDOWS}
        self.threshold_us = 0
        self.threshold_s: float | None = None  # as last set (`set_threshold`)
        self.slid_to: Mapping[StatsWindow, int] | None = None  # the cuts last slid to (`slide`)

    # --- contacts ---------------------------------------------------------------

    def put(self, contact: Contact) -> None:
        """The contact as it is now. Its counts are taken off and added again only when what they count of it
        changed: an offer, a hold or a wrap-up changes nothing counted."""
        cid = contact.id
        waiting, callbacks = self.waiting, self.callbacks
        if contact.state in WAITING:
            was_waiting = waiting.get(cid)
            waiting[cid] = contact.entered_queue_at
            if was_waiting != contact.entered_queue_at:
                _push(self.waiting_heap, contact.entered_queue_at, cid, waiting)
            if contact.callback is not None:
                was_callback = callbacks.get(cid)
                callbacks[cid] = contact.callback.requested_at
                if was_callback != contact.callback.requested_at:
                    _push(self.callback_heap, contact.callback.requested_at, cid, callbacks)
            else:
                callbacks.pop(cid, None)
        else:
            waiting.pop(cid, None)
            callbacks.pop(cid, None)
        held = record(contact)
        if contact.state in TERMINAL:
            entered, answered, _, _, abandoned, completed, _ = held
            self.finished[cid] = max(entered, answered or entered, abandoned or entered, completed or entered)
        else:
            self.finished.pop(cid, None)
        was = self.held.get(cid)
        if was != held:
            if was is not None:
                self._count(cid, was, -1)
            self.held[cid] = held
            self._count(cid, held, 1)

    def remove(self, contact_id: str) -> None:
        self.finished.pop(contact_id, None)
        self.waiting.pop(contact_id, None)
        self.callbacks.pop(contact_id, None)
        held = self.held.pop(contact_id, None)
        if held is not None:
            self._count(contact_id, held, -1)

    def forget(self, contact_id: str) -> None:
        """Folded out of memory: its counts stay in the minutes (and today's sum), the contact goes."""
        self.finished.pop(contact_id, None)
        held = self.held.pop(contact_id, None)
        for moment in moments(held, self.threshold_us) if held is not None else ():
            at = moment[0]
            self.edges.pop(at // MINUTE, None)
            if at // MINUTE >= self.keep_from:
                self._order(at // MINUTE, moment, -1)
            touching = self.touching.get(at // MINUTE)
            if touching is not None:
                touching.discard(contact_id)

    def set_threshold(self, threshold_s: float) -> None:
        if threshold_s == self.threshold_s:  # every pass asks, for every queue
            return
        self.threshold_s = threshold_s
        threshold_us = round(threshold_s * 1_000_000)
        if threshold_us != self.threshold_us:
            for cid, held in self.held.items():
                self._count(cid, held, -1)
            self.threshold_us = threshold_us
            for cid, held in self.held.items():
                self._count(cid, held, 1)

    def _count(self, cid: str, held: Record, sign: int) -> None:
        for moment in moments(held, self.threshold_us):
            at, what = moment
            minute = at // MINUTE
            if minute >= self.keep_from:
                self._order(minute, moment, sign)
            sums = self.minutes.get(minute)
            if sums is None:
                sums = self.minutes[minute] = [0] * 8
            _add(sums, what, sign)
            if sign > 0:
                self.touching.setdefault(minute, set()).add(cid)
            elif (touching := self.touching.get(minute)) is not None:
                touching.discard(cid)
            for window, cut in self.cut.items():
                if minute > cut:
                    _add(self.totals[window], what, sign)

    def _order(self, minute: int, moment: Moment, sign: int) -> None:
        """Put the moment into its minute's moments in order (sign 1) or take it out (-1); the minute's edge too."""
        found = self.moments.get(minute)
        if found is None:
            found = self.moments[minute] = []
        if sign > 0:
            found.insert(bisect.bisect_right(found, moment), moment)
        else:
            i = bisect.bisect_left(found, moment)
            assert found[i] == moment, "a moment taken away that was not counted"
            del found[i]
        if (edge := self.edges.get(minute)) is not None:
            edge.changed(moment, sign)

    # --- windows ----------------------------------------------------------------

    def slide(self, cuts: Mapping[StatsWindow, int]) -> None:
        """Take off the minutes that left each window (`cuts`: `window_cuts` now); a new day starts today's
        sum again. The cuts are a new mapping only when one of them moved (once a minute): the same one is
        slid to already."""
        if cuts is self.slid_to:
            return
        self.slid_to = cuts
        for window in WINDOWS:
            cut = cuts[window]
            old = self.cut[window]
            if cut <= old:
                continue
            self.cut[window] = cut
            if old not in self.cut.values():  # edges are made only at windows' first minutes: this one is left
                self.edges.pop(old, None)
            keep_from = min(self.cut[w] for w in SLIDING)
            if keep_from > self.keep_from:  # no minute before `keep_from` has its moments kept: drop those passed
                passed = range(self.keep_from, keep_from)
                self.keep_from = keep_from
                for minute in (
                    passed if len(passed) <= len(self.moments) else [m for m in self.moments if m < keep_from]
                ):
                    self.moments.pop(minute, None)
            total = self.totals[window]
            if window == "today":  # a new day: what is held from it (the older minutes may be gone)
                self.totals[window] = total = [0] * 8
                for minute, sums in self.minutes.items():
                    if minute > cut:
                        _add(total, sums)
            elif cut - old <= len(self.minutes):
                for minute in range(old + 1, cut + 1):
                    if (gone := self.minutes.get(minute)) is not None:
                        _add(total, gone, -1)
            else:
                for minute, sums in self.minutes.items():
                    if old < minute <= cut:
                        _add(total, sums, -1)

    def window(self, window: StatsWindow, start: int) -> list[int]:
        """The sums from `start` (µs) on; `slide` has been called for now."""
        total = self.totals[window]
        cut = self.cut[window]
        if start >= (cut + 1) * MINUTE:
            return total  # it starts on a whole minute (today); read, not changed, by the caller
        edge = self.edges.get(cut)
        if edge is None or start < edge.start:
            edge = self.edges[cut] = Edge(self.moments.setdefault(cut, []), self.minutes.get(cut))
        return list(map(operator.add, total, edge.after(start)))  # 8 sums (map: no bytecode per sum, every pass)

    def drop_minutes_before(self, line: int) -> None:
        """Minutes before every sliding window and with no contact held: nothing reads them again."""
        keep_from = min(self.cut[w] for w in WINDOWS if w != "today")
        for minute in [m for m in self.minutes if m < line // MINUTE and m <= keep_from]:
            if not self.touching.get(minute):
                del self.minutes[minute]
                self.touching.pop(minute, None)
                self.edges.pop(minute, None)
                self.moments.pop(minute, None)

    def oldest(self, heap: list[tuple[datetime, str]], live: dict[str, datetime]) -> datetime | None:
        while heap and live.get(heap[0][1]) != heap[0][0]:
            heapq.heappop(heap)
        return heap[0][0] if heap else None
