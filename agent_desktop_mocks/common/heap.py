"""The mock servers' one garbage-collector policy, all of it here: a freeze once start-up is over, a settle every
minute (with a full sweep every hour), and the young generation collected before a pass over the queue figures.
The runner applies the first two (runner.serve); the engine calls `collect_young`. Python's own thresholds stay.

Each part is kept for a tail that a benchmark beside a plain collector shows (docs/benchmarks.md, "Collector
policies"): without the freeze and the settles, a full collection of the seeded or long-running floor lands inside
a request; without `collect_young`, a collection the floor made due lands inside a figures pass.
"""

from __future__ import annotations

import asyncio
import gc

SETTLE_EVERY_S = 60.0
SWEEP_EVERY = 60  # settles between two full collections of everything (hourly)


def settle_heap(*, start_up: bool = True) -> None:
    """Start-up is over (the apps are built, their floors seeded or restored): collect, and freeze what is left,
    so that no full collection walks it again in the middle of a request.

    `start_up=False`: the same for what a running floor made since (`keep_heap_settled`, once a minute): the young
    generations collected, then frozen. Frozen objects are still freed when nothing refers to them; only cyclic
    garbage among them waits for the hourly sweep."""
    if start_up:
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()


async def keep_heap_settled(every_s: float = SETTLE_EVERY_S, sweep_every: int = SWEEP_EVERY) -> None:
    """Settle what the running servers made, every `every_s` (`settle_heap(start_up=False)`); every `sweep_every`-th
    time, unfreeze and collect everything first, so that cycles frozen with the rest (a served app's closed
    connections and streams) are freed instead of kept for as long as the server runs."""
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
    """Collect the young generation at the start of a pass over the queue figures (a push, a read): what the floor
    made since the last collection is walked here, before the pass, instead of by a collection the pass's own
    objects would set off in its middle (now and then the middle generation's too)."""
    if gc.isenabled():
        gc.collect(0)
