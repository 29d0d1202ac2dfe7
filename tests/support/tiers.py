"""Tier markers from the folder a test is in, resource markers and xdist groups from what it uses, applied at
collection (tests/conftest.py).

A test's tier is its folder: `tests/unit/` (no server, no Pilot, no socket), `tests/ui/` (Pilot and snapshots on
in-process or recorded backends), `tests/contract/` (clients and mocks against API descriptions, the protocol
suites on every backend), `tests/e2e/` (real servers, processes, terminals, Prosody, faults and signals); each
gets the marker of its name. What a test uses is read from its module's source and the fixtures it asks for
(directly or through other fixtures): a test in `unit/` or `ui/` that starts servers is misfiled, and
collection says so.

- `e2e`: starts real servers, processes, ptys, tmux or Prosody (a conftest server fixture, `serve_in_thread`,
  `scene_servers`, a rig, the `agent-desktop` command...).
- `contract`: checks a client or server against an API description (schemathesis, openapi-core) or is named
  a contract test.
- `tmux`, `pty`, `prosody`: the exclusive resources; `timing`: asserts how long something took.

xdist groups (`--dist loadgroup` runs each group on one worker, one test at a time): `terminal` (tmux and
ptys: real terminals and the `agent-desktop demo` processes, which load the machine the most), `prosody`
(one XMPP server at a time) and `timing` (a timing must not share its worker with a terminal).

A group keeps its tests off each other, not off the other workers' load: on a 2-core machine a demo in
tmux next to a busy worker missed its 20-30 s waits (4 tmux tests failed in a parallel run, all passing
alone). So every test of a group, and any marked `heavy` (a flow whose own timers a loaded machine
outruns), is also marked `exclusive`, and `make test` runs those after the parallel run in two lanes: the
`terminal` group one test at a time in one, the others beside it (they mostly wait: a countdown, a browser).
`make test-fast` leaves out `e2e` and `contract`.
"""

from __future__ import annotations

import functools
import inspect
from types import ModuleType

import pytest

# What in a module's source means its tests start servers, processes or terminals.
E2E_TOKENS = (
    "serve_in_thread(",
    "scene_servers(",
    "serving(",
    "write_back_rig(",
    "staffing_rig(",
    "start_server(",
    "demo_servers(",
    "running_prosody(",
    "TmuxTerminal(",
    "PtyProgram(",
    "run_agent_desktop(",
    "subprocess.",
    "conversation_flow_until(",
    "from tests.support.conversation_rig import",
    "twilio_floor(",
    "running_redis(",
    "running_redis_cluster(",
    "running_baresip(",
    "running_rt(",
    "fresh_rt(",
)
# What in a fixture's source means it starts a server (conftest's `_start` serves the mock apps).
FIXTURE_TOKENS = (
    "serve_in_thread(",
    "_start(",
    "serving(",
    "scene_servers(",
    "running_prosody(",
    "write_back_rig(",
    "running_redis(",
    "running_redis_cluster(",
    "running_baresip(",
    "running_rt(",
    "fresh_rt(",
)
CONTRACT_TOKENS = ("import schemathesis", "from openapi_core", "import openapi_core")
GROUPS = (("tmux", "terminal"), ("pty", "terminal"), ("prosody", "prosody"), ("timing", "timing"))
# What a module's source holds if one of its tests can end up `exclusive` (the markers and uses above): the
# exclusive run of `make test` (`-m exclusive`) collects only such modules (tests/conftest.py), not all 180
# (~3.5 s of CPU a worker, after the parallel run). `mark_by_use` refuses an exclusive test elsewhere.
EXCLUSIVE_TOKENS = ("tmux", "prosody", "timing", "heavy", "exclusive", "PtyProgram(", "pty.openpty(", "mark.pty")


@functools.cache
def _source(module: ModuleType) -> str:
    try:
        return inspect.getsource(module)
    except (OSError, TypeError):
        return ""


@functools.cache
def _fixture_starts_servers(func: object) -> bool:
    try:
        source = inspect.getsource(func)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False
    return any(token in source for token in FIXTURE_TOKENS)


def _uses(item: pytest.Item) -> set[str]:
    module = getattr(item, "module", None)
    source = _source(module) if module is not None else ""
    uses: set[str] = set()
    if any(token in source for token in E2E_TOKENS):
        uses.add("e2e")
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(item, "fixturenames", ()):
        definitions = info.name2fixturedefs.get(name, ()) if info else ()
        if name == "prosody" or any(_fixture_starts_servers(d.func) for d in definitions):
            uses.add("e2e")
    if "TmuxTerminal(" in source or item.get_closest_marker("tmux"):
        uses |= {"e2e", "tmux"}
    if "PtyProgram(" in source or "pty.openpty(" in source:
        uses |= {"e2e", "pty"}
    if "running_prosody(" in source or "prosody" in getattr(item, "fixturenames", ()):
        uses |= {"e2e", "prosody"}
    path = str(getattr(item, "path", ""))
    if any(token in source for token in CONTRACT_TOKENS) or "contract" in path.rsplit("/", 1)[-1]:
        uses.add("contract")
    return uses


TIERS = ("unit", "ui", "contract", "e2e")


def tier_of(item: pytest.Item) -> str | None:
    """The tier folder under tests/ the item's file is in (None for a file outside them)."""
    path = getattr(item, "path", None)
    parts = path.parts if path is not None else ()
    for first, second in zip(parts, parts[1:], strict=False):
        if first == "tests" and second in TIERS:
            tier: str = second
            return tier
    return None


def could_be_exclusive(source: str) -> bool:
    """Whether a test module of this source can hold a test `mark_by_use` marks `exclusive`."""
    return any(token in source for token in EXCLUSIVE_TOKENS)


def mark_by_use(item: pytest.Item) -> None:
    """Add the tier's marker, the markers of what `item` uses, the xdist group of the first exclusive resource
    among them, and `exclusive` to what must have the machine to itself."""
    tier = tier_of(item)
    uses = _uses(item)
    if tier in ("unit", "ui") and "e2e" in uses:
        raise pytest.UsageError(f"{item.nodeid} starts real servers or processes: it belongs in tests/e2e/")
    if tier is not None:
        uses = (uses - {"e2e", "contract"}) | {tier}
    for name in sorted(uses):
        if not item.get_closest_marker(name):
            item.add_marker(getattr(pytest.mark, name))
    grouped = next((group for marker, group in GROUPS if item.get_closest_marker(marker)), None)
    if grouped is not None:
        item.add_marker(pytest.mark.xdist_group(grouped))
    if (grouped is not None or item.get_closest_marker("heavy")) and not item.get_closest_marker("exclusive"):
        item.add_marker(pytest.mark.exclusive)
    module = getattr(item, "module", None)
    if item.get_closest_marker("exclusive") and module is not None and not could_be_exclusive(_source(module)):
        raise pytest.UsageError(
            f"{item.nodeid} is exclusive but its module names none of {EXCLUSIVE_TOKENS}: the exclusive run "
            "would not collect it; mark it in the module (pytest.mark.exclusive)"
        )
