"""One line at the start of `make test` saying how fast this machine runs plain Python now, so that a suite's time
can be read against the machine it ran on: the same tests took about 5½ minutes on 2026-11-26 and 16 on 2026-11-27
with each test's own CPU unchanged (docs/testing.md). The figure is the CPU time of a fixed loop, the best of three
(another process's load lengthens the wall time, not this); compare it between runs before comparing suites.

`python -m tests.support.machine_speed` prints it."""

from __future__ import annotations

import time

STEPS = 5_000_000


def loop_cpu_s(steps: int = STEPS) -> float:
    """The CPU seconds a fixed pure-Python loop takes here, the best of three."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        total = 0
        for i in range(steps):
            total += i * i
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    print(f"machine speed: a fixed loop of {STEPS:,} steps took {loop_cpu_s() * 1000:.0f} ms of CPU (best of three)")


if __name__ == "__main__":
    main()
