"""The longest tests first: xdist hands tests out in collection order, so a 40 s sweep collected last is the
tail of the run, three workers idle while one finishes it. Collection puts the modules that hold a long test
first (longest first, by the times in tests/durations.json), each module's tests together and in their own
order (module fixtures are set up once per worker, as before); modules with no recorded long test follow in
their usual order.

Refresh the times from a run of the parallel part that wrote JUnit XML (only tests of 5 s or more are kept;
not through `make test`, whose two runs would write the one file at once):

    .venv/bin/python -m pytest -n 6 --dist loadgroup -m "not exclusive" --junitxml=/tmp/parallel.xml
    .venv/bin/python -m tests.support.long_first /tmp/parallel.xml
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

DURATIONS = Path(__file__).resolve().parents[1] / "durations.json"
KEPT_FROM_S = 5.0


def recorded() -> dict[str, float]:
    try:
        durations: dict[str, float] = json.loads(DURATIONS.read_text())
        return durations
    except FileNotFoundError:
        return {}


def order_long_first(items: list[pytest.Item], durations: dict[str, float]) -> None:
    """Reorder `items` in place: modules by their longest recorded test, longest first; stable otherwise."""
    longest: dict[str, float] = {}  # module → its longest test; in the order first collected
    for item in items:
        module = _module(item.nodeid)
        longest[module] = max(longest.get(module, 0.0), durations.get(item.nodeid, 0.0))
    rank = {module: at for at, module in enumerate(sorted(longest, key=lambda m: -longest[m]))}  # stable sort
    items.sort(key=lambda item: rank[_module(item.nodeid)])


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def durations_from_junit(path: Path) -> dict[str, float]:
    """{node id: seconds} of the tests in a JUnit XML report that took `KEPT_FROM_S` or more."""
    kept: dict[str, float] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        seconds = float(case.get("time", 0))
        if seconds < KEPT_FROM_S:
            continue
        parts = case.get("classname", "").split(".")
        test_at = next((i for i, part in enumerate(parts) if part.startswith("test_")), len(parts) - 1)
        file = "/".join(parts[: test_at + 1]) + ".py"
        inner = parts[test_at + 1 :]
        kept["::".join([file, *inner, case.get("name", "")])] = round(seconds, 1)
    return dict(sorted(kept.items()))


if __name__ == "__main__":
    DURATIONS.write_text(json.dumps(durations_from_junit(Path(sys.argv[1])), indent=0) + "\n")
