"""How every benchmark reports a figure: one JSON-able dict per measurement."""

from __future__ import annotations

import resource
import statistics
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..1) of `values`."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timing(name: str, samples: list[float], target: float | str, unit: str = "s", digits: int = 3) -> dict[str, Any]:
    """p50 and p99 of `samples` (already in `unit`) against `target` (a p99 bound unless said)."""
    return {
        "name": name,
        "unit": unit,
        "p50": round(statistics.median(samples), digits),
        "p99": round(percentile(samples, 0.99), digits),
        "runs": len(samples),
        "target": target,
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory: the kernel's high-water mark of its own address space (`VmHWM`).
    Not `ru_maxrss`, which Linux carries over a fork and an `execve`: a benchmark's child would report its
    parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
