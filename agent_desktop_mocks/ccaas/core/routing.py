"""The routing indexes: who waits and who is free, per (queue, channel), without scanning anyone.

- Waiting contacts: a min-heap per (queue, channel) keyed (-contact priority, entered_queue_at,
  arrival number). Queue priority is not in the key: it is compared between heads, so changing a
  queue's priority needs no re-indexing.
- Routable agents: a min-heap per (queue, channel) the agent may take, keyed (idle_since, the order
  they became idle).

Deletion is lazy: every entry carries a token, and an entry is valid only while it matches the
current token of its contact or agent. Removing or re-keying is a new token (O(1)); stale entries
are dropped when they reach the top, and a heap is rebuilt when they outnumber the valid ones.
Looking up a head is O(log n) amortised, whatever the number of contacts waiting.

A routable agent's entries are put in their lanes' heaps only when an agent's head is next asked for: most often
routing offers the agent a waiting contact first (a freed agent is served before new contacts), and an agent no
longer routable by then is never pushed, nor left behind as stale entries to drop (an offer request pushed its
agent into up to 12 heaps and took them out again with a new token).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, TypeVar

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

Lane = tuple[str, Channel]  # (queue id, channel)
ContactKey = tuple[int, float, int]  # (-priority, entered_queue_at, arrival number)
Entry = TypeVar("Entry", bound="SupportsRichComparison")  # a heap's: a waiting contact's or an idle agent's tuple


class RoutingIndex:
    def __init__(self) -> None:
        self._tokens = itertools.count(1)
        self._waiting: dict[Lane, list[tuple[int, float, int, str, int]]] = {}
        self._wait_token: dict[str, int] = {}
        self._wait_lane: dict[str, Lane] = {}
        self._waiting_count: dict[Lane, int] = {}
        self._idle: dict[Lane, list[tuple[float, int, str, int]]] = {}
        self._idle_token: dict[str, int] = {}
        self._idle_lanes: dict[str, tuple[Lane, ...]] = {}
        self._idle_count: dict[Lane, int] = {}
        self._unpushed: dict[str, tuple[float, int, str, int]] = {}  # agent id → its entry, not yet in its heaps

    # --- waiting contacts -------------------------------------------------------------

    def add_contact(self, lane: Lane, contact_id: str, key: ContactKey) -> None:
        self.remove_contact(contact_id)
        token = next(self._tokens)
        self._wait_token[contact_id] = token
        self._wait_lane[contact_id] = lane
        self._waiting_count[lane] = self._waiting_count.get(lane, 0) + 1
        heap = self._waiting.setdefault(lane, [])
        heapq.heappush(heap, (*key, contact_id, token))
        if len(heap) > 2 * self._waiting_count[lane] + 64:
            self._waiting[lane] = _rebuilt(heap, self._waiting_valid)

    def remove_contact(self, contact_id: str) -> None:
        if self._wait_token.pop(contact_id, None) is not None:
            self._waiting_count[self._wait_lane.pop(contact_id)] -= 1

    def head_contact(self, lane: Lane, skip: Callable[[str], bool]) -> tuple[ContactKey, str] | None:
        """The first waiting contact of the lane that `skip` does not refuse.

        Routing asks for a dozen heads a request: the usual case (a valid head that is not skipped, after dropping
        stale ones) is walked here without `_head`'s callables; a skipped head takes `_head`'s way."""
        heap = self._waiting.get(lane)
        tokens = self._wait_token
        while heap:
            entry = heap[0]
            if tokens.get(entry[3]) != entry[4]:
                heapq.heappop(heap)
            elif skip(entry[3]):
                found = _head(heap, self._waiting_valid, lambda e: skip(e[3]))
                return ((found[0], found[1], found[2]), found[3]) if found is not None else None
            else:
                return (entry[0], entry[1], entry[2]), entry[3]
        return None

    def _waiting_valid(self, entry: tuple[int, float, int, str, int]) -> bool:
        return self._wait_token.get(entry[3]) == entry[4]

    # --- routable agents --------------------------------------------------------------

    def set_agent(self, agent_id: str, lanes: Iterable[Lane], idle_since: float, order: int) -> None:
        """The agent is routable in these lanes (none: not routable), idle since then (pushed when a head is next
        asked for: `_push_unpushed`)."""
        counts = self._idle_count
        for lane in self._idle_lanes.pop(agent_id, ()):
            counts[lane] -= 1
        token = self._idle_token[agent_id] = next(self._tokens)
        self._unpushed.pop(agent_id, None)
        lanes = tuple(lanes)
        if not lanes:
            return
        self._idle_lanes[agent_id] = lanes
        for lane in lanes:
            counts[lane] = counts.get(lane, 0) + 1
        self._unpushed[agent_id] = (idle_since, order, agent_id, token)

    def head_agent(self, lane: Lane, excluded: Collection[str | None]) -> str | None:
        """The longest-idle agent routable in the lane, other than those `excluded`."""
        if self._unpushed:
            self._push_unpushed()
        entry = _head(self._idle.get(lane), self._idle_valid, lambda e: e[2] in excluded)
        return entry[2] if entry is not None else None

    def _push_unpushed(self) -> None:
        """Put the entries of the agents made routable since the last head asked for into their lanes' heaps (one
        tuple in each; the order they are pushed in does not matter: every entry's key is distinct)."""
        counts, idle, lanes_of = self._idle_count, self._idle, self._idle_lanes
        for agent_id, entry in self._unpushed.items():
            for lane in lanes_of[agent_id]:
                heap = idle.get(lane)
                if heap is None:
                    heap = idle[lane] = []
                heapq.heappush(heap, entry)
                if len(heap) > 4 * counts[lane] + 64:
                    idle[lane] = _rebuilt(heap, self._idle_valid)
        self._unpushed.clear()

    def _idle_valid(self, entry: tuple[float, int, str, int]) -> bool:
        return self._idle_token.get(entry[2]) == entry[3]


def _head(heap: list[Entry] | None, valid: Callable[[Entry], bool], skip: Callable[[Entry], bool]) -> Entry | None:
    """The first valid entry of a lazily pruned heap that `skip` does not refuse: stale entries on top are dropped,
    skipped ones are put back."""
    if heap is None:
        return None
    skipped: list[Entry] = []
    found = None
    while heap:
        entry = heap[0]
        if not valid(entry):
            heapq.heappop(heap)
        elif skip(entry):
            skipped.append(heapq.heappop(heap))
        else:
            found = entry
            break
    for entry in skipped:
        heapq.heappush(heap, entry)
    return found


def _rebuilt(heap: list[Entry], valid: Callable[[Entry], bool]) -> list[Entry]:
    kept = [entry for entry in heap if valid(entry)]
    heapq.heapify(kept)
    return kept
