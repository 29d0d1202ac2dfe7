"""`make bench`: every benchmark, one JSON object per line on stdout.

Each `benchmarks/bench_*.py` module has a `run()` yielding dicts with `name`,
`unit`, `p50` and `p99` (or `value`) and `target`. `python -m benchmarks NAME ...`
runs only the modules named (`desktop` for bench_desktop.py). The machine the
figures came from is printed to stderr.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def module_names() -> list[str]:
    return sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    available = module_names()
    chosen = argv or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose from: {', '.join(available)}", file=sys.stderr)
        return 2
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}",
        file=sys.stderr,
    )
    for name in chosen:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        for figure in module.run():
            print(json.dumps(figure), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
