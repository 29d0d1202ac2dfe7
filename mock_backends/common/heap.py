"""The servers' garbage collector: what start-up made taken out of its generations, what a running floor makes
settled every minute, and the young generation collected before a pass that must not be cut into.

Pure Python's cyclic collector walks every object of the generations it collects, in whatever code allocates
when a threshold is crossed: on a floor of 1,000 agents two hours in, a full collection is 325 ms and a young one
0.3–3 ms, in the event loop (bench mock_day). Nothing here is the engine's logic; the engine calls
`collect_young` and the runner the rest.
"""

from __future__ import annotations

import asyncio
import gc

SETTLE_EVERY_S = 60.0
SWEEP_EVERY = 60  # settles between two full collections of everything (hourly)
# The collector's thresholds once start-up is over: the middle generation collected every 2nd young collection,
# not every 10th. What a running floor makes between two settles survives the young collections into it, and at
# 10 each of its collections walked ten young collections' survivors: 4.0 ms median, up to 6.7 ms, in the loop,
# one inside a read of the queue figures now and then (their p99, bench mock_day). At 2: 1.9 / 3.6 ms, as much
# collecting in all (simulated floor at 1,000 agents, 5 minutes: 105 ms against 113 ms).
GC_THRESHOLDS = (700, 2, 10)


def settle_heap(*, start_up: bool = True) -> None:
    """Start-up is over (the apps are built, their floors seeded or restored): take what it made out of the
    garbage collector's generations, so that a full collection no longer walks it in the middle of a request
    (CONVENTIONS: gc.freeze() after start-up; the desktop does the same). On the routing benchmark's engine
    (10,000 contacts waiting, 1,000 agents) the collections were its offers' p99: 4.7 ms, 0.84 ms without.

    `start_up=False`: the same for what a running floor made since (`keep_heap_settled`, once a minute): the young
    generations collected (1.6 ms), then frozen. What a floor holds grows after start-up (1,000 agents two hours
    in: 330,000 objects, 55,000 contacts), and with the collector's own schedule a full collection walked it all
    every three minutes or so: 325 ms median, up to 1.1 s, in the loop (bench mock_day, 2026-11-24). Frozen
    objects are still freed when no longer referred to; only cyclic garbage among them would stay: the engine
    and the simulator made none in two hours (unfrozen and collected at the end: 0 unreachable). Start-up also
    sets the collector's thresholds (`GC_THRESHOLDS`)."""
    if start_up:
        gc.set_threshold(*GC_THRESHOLDS)
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()


async def keep_heap_settled(every_s: float = SETTLE_EVERY_S, sweep_every: int = SWEEP_EVERY) -> None:
    """Settle what the running servers made, every `every_s` (`settle_heap(start_up=False)`); every `sweep_every`-th
    time, unfreeze and collect everything first: cycles frozen with the rest (a served app's connections and
    streams opened and closed: 1,456 objects stranded in 31 settles in a probe) are then freed, one full collection
    an hour instead of a heap that grows by them for as long as the server runs."""
    settles = 0
    while True:
        await asyncio.sleep(every_s)
        settles += 1
        if settles % sweep_every == 0:
            gc.unfreeze()
            settle_heap(start_up=True)
        else:
            settle_heap(start_up=False)


def collect_young() -> None:
    """Collect the young generation now, at the start of a pass over the queue figures (a push every 2 s, a read of
    them): what the floor made since the last collection is walked here, 0.3–0.5 ms, instead of by a collection
    that the pass's own ~300 objects set off in its middle, which was now and then the middle generation's too
    (2.7–4.5 ms: the figures' p99, bench mock_day). The pass then makes too few objects to set one off; the
    middle generation is collected when the floor's own work next sets one off, as it is with nobody watching."""
    if gc.isenabled():
        gc.collect(0)
