"""The supervisor screen attached to a live floor of 1,000 agents and 100 queues.

Not a synthetic feed: the mock servers run as the product runs them (`python -m agent_desktop_mocks
--agents 1000 --queues 100`, all three servers in one process, the simulator on, in real time), and
the supervisor screen connects to the CCaaS's supervisor stream over loopback with the real HTTP
console, headless at 120×40. After WARM_UP_S (the floor settles: the first contacts end, after-contact
work and breaks begin) the screen attaches, and for MEASURE_S the benchmark times each redraw and the
paint that shows it, presses keys at random moments, and reads the CPU both processes used.

Figures:
- `supervisor_live_update_render_cycle`: one redraw of the panels plus the paint that shows it;
  `_cpu`: the same in CPU time of the app's thread;
- `supervisor_live_key_to_screen`: cursor down in the agents table → the moved cursor painted;
- `supervisor_live_events_per_second`: what the stream brought (agent states, contacts, queue statistics);
- `mock_cpu_live_1000_agents_100_queues`: the mock process's CPU over the window, % of one core
  (from /proc/<pid>/stat: user + system);
- `supervisor_live_desktop_cpu`: the benchmark process's CPU (the desktop), % of one core;
- `supervisor_live_full_collections`: Python's full (generation 2) garbage collections in the window
  and the longest (start-up's objects are frozen out of them two seconds after start, app.py).

Every call on that floor is transcribed live (the mock's callers and agents speak their scripts; each caller's final
line is scored by VADER against the said-alert rules, and silences are watched), as the mocks run by default. The
supervisor's floor carries no call's lines: they go to the call's agent (simulated here) and to the supervisors
monitoring it. So the supervisor monitors `BENCH_LIVE_MONITORED_CALLS` calls in progress (3 by default; joined as `j`
does, another joined when one ends): their lines reach the supervisor's cards, the callers' final lines scored there by
VADER for the cards' mood. With BENCH_LIVE_SILENT_TOO=1 (the default) the same floor runs again with
`--no-call-transcripts` (the same calls monitored, silent), and the cycle, CPU and event figures are given again with
`_silent_calls` after their names; `supervisor_live_transcribed_over_silent` gives the ratios (mock CPU, desk CPU,
redraw p50 and p99, key p99): the cost of live sentiment on every call, in the same run.
- `supervisor_live_monitoring_events_per_second`: what the monitoring stream brought, by kind (the monitored calls'
  transcription lines among them), and how many calls were monitored.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_desktop.app.backend_factory import build_supervisor
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.monitoring.protocol import monitoring_console
from agent_desktop.domain.supervisor.protocol import SupervisorConsole
from agent_desktop.services import Backends
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.supervisor.agent_table import AgentTable
from benchmarks.figures import percentile, timing
from benchmarks.live_floor import live_floor
from benchmarks.supervisor_timing import SupervisorTimings
from tests.support.scenes.pilot_steps import supervisor_screen

if TYPE_CHECKING:
    from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen

AGENTS = 1000
QUEUES = 100
CUSTOMERS = 5000
WARM_UP_S = float(os.environ.get("BENCH_LIVE_WARM_UP_S", "45"))
MEASURE_S = float(os.environ.get("BENCH_LIVE_MEASURE_S", "60"))
SILENT_TOO = os.environ.get("BENCH_LIVE_SILENT_TOO", "1") == "1"
MONITORED_CALLS = int(os.environ.get("BENCH_LIVE_MONITORED_CALLS", "3"))
TICKS = os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (/proc/<pid>/status VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class CountingConsole:
    """The real console, counting what its stream brings by kind."""

    def __init__(self, console: SupervisorConsole) -> None:
        self._console = console
        self.counts: Counter[str] = Counter()
        self.monitoring_counts: Counter[str] = Counter()
        self.counting = False

    def __getattr__(self, name: str) -> object:
        return getattr(self._console, name)

    async def events(self) -> AsyncIterator[object]:
        async for item in self._console.events():
            if self.counting:
                self.counts[type(item).__name__] += 1
            yield item

    async def monitoring_events(self) -> AsyncIterator[object]:
        async for item in monitoring_console(self._console).monitoring_events():
            if self.counting:
                self.monitoring_counts[type(item).__name__] += 1
            yield item


async def measure(ccaas_url: str, mock_pid: int) -> dict[str, Any]:
    from tests.support.desk_app import desk_app

    settings = demo_settings(ccaas_url, ccaas_url, ccaas_url)
    console = CountingConsole(build_supervisor(settings))
    backends = Backends(contact_center=None, crm=None, presence=None, supervisor=console)  # type: ignore[arg-type]
    app = desk_app(backends, desks=("supervisor",))
    full_collections: list[float] = []
    collection_started = [0.0]

    def on_collection(phase: str, info: dict[str, Any]) -> None:
        if info["generation"] == 2 and console.counting:
            if phase == "start":
                collection_started[0] = time.perf_counter()
            else:
                full_collections.append(time.perf_counter() - collection_started[0])

    gc.callbacks.append(on_collection)
    try:
        with SupervisorTimings() as timings:
            result = await _attached(app, console, timings, mock_pid)
    finally:
        gc.callbacks.remove(on_collection)
    result["full_collections"] = full_collections
    return result


async def _attached(
    app: AgentDesktopApp, console: CountingConsole, timings: SupervisorTimings, mock_pid: int
) -> dict[str, Any]:
    """The screen on the live floor for MEASURE_S, keys pressed at random moments."""
    async with app.run_test(size=(120, 40)) as pilot:
        screen = supervisor_screen(pilot)
        while len(screen.desk.floor.agents) < AGENTS:
            await pilot.pause(0.05)
        await pilot.pause(5.0)  # the first redraws build the tables; start-up's gc.freeze is at 2 s
        await pilot.press("tab", "tab")  # queues → staffing → agents
        began, mock_cpu, own_cpu = time.perf_counter(), cpu_seconds(mock_pid), time.process_time()
        console.counting = True
        ends = began + MEASURE_S
        monitoring = asyncio.create_task(_keep_monitoring_calls(screen, ends))
        keys = await timings.press_keys(
            pilot, screen.query_one("#agents", AgentTable), lambda: time.perf_counter() >= ends
        )
        monitored = await asyncio.wait_for(monitoring, 15)
        console.counting = False
        wall = time.perf_counter() - began
        mock_share = (cpu_seconds(mock_pid) - mock_cpu) / wall * 100
        mock_rss = rss_mb(mock_pid)
        own_share = (time.process_time() - own_cpu) / wall * 100
        shown = screen.desk.floor
        waiting = sum(shown.waiting_now(q)[0] for q in shown.queue_ids())
        states = Counter(agent.state.value for agent in shown.agents.values())
    cycles, cycles_cpu = timings.cycles(after=began)
    return {
        "cycles": cycles,
        "cycles_cpu": cycles_cpu,
        "keys": keys,
        "wall": wall,
        "counts": dict(console.counts),
        "monitoring_counts": dict(console.monitoring_counts),
        "monitored": monitored,
        "mock_cpu_pct": mock_share,
        "mock_rss_mb": mock_rss,
        "desktop_cpu_pct": own_share,
        "waiting_at_end": waiting,
        "agents_at_end": dict(states.most_common()),
    }


async def _keep_monitoring_calls(screen: SupervisorScreen, ends: float) -> int:
    """MONITORED_CALLS calls in progress monitored until `ends` (joined as `j` does; when one ends, another); how many
    calls were monitored in all."""
    joined: set[str] = set()
    while time.perf_counter() < ends:
        monitored = screen.desk.monitored.contacts
        if len(monitored) < MONITORED_CALLS:
            calls = sorted(  # the calls answered last first: their scripts are still being said
                (
                    contact
                    for hand in list(screen.desk.floor.in_hand.values())
                    for contact in list(hand.values())
                    if contact.channel.value == "voice"
                    and contact.state.value == "connected"
                    and contact.answered_at is not None
                    and contact.id not in monitored
                ),
                key=lambda contact: contact.answered_at or datetime.min,
                reverse=True,
            )
            for contact in calls[: MONITORED_CALLS - len(monitored)]:
                try:  # one join at a time: several in flight would join more than asked
                    joining = screen.run_use_case(screen.controller.monitoring.join(contact.id))
                    await asyncio.wait_for(joining.wait(), 10)
                    joined.add(contact.id)
                except Exception:  # noqa: BLE001 — ended meanwhile (the screen says so): the next one
                    continue
        await asyncio.sleep(min(1.0, max(0.0, ends - time.perf_counter())))
    return len(joined)


def run() -> Iterator[dict[str, Any]]:
    transcribed = _floor()
    yield from _figures(transcribed)
    if SILENT_TOO:
        silent = _floor(("--no-call-transcripts",))
        yield from _figures(silent, "_silent_calls")
        yield _ratios(transcribed, silent)


def _floor(options: tuple[str, ...] = ()) -> dict[str, Any]:
    floor = live_floor(
        "supervisor-live", agents=AGENTS, queues=QUEUES, customers=CUSTOMERS, warm_up_s=WARM_UP_S, options=options
    )
    with floor as (url, pid):
        figures = asyncio.run(asyncio.wait_for(measure(url, pid), MEASURE_S + 300))
    figures["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def _ratios(transcribed: dict[str, Any], silent: dict[str, Any]) -> dict[str, Any]:
    """The transcribed floor's figures over the silent one's, same run."""

    def ratio(ours: float, theirs: float) -> float | None:
        return round(ours / theirs, 2) if theirs else None

    def cycles(figures: dict[str, Any], q: float) -> float:
        return percentile(figures["cycles"], q)

    return {
        "name": "supervisor_live_transcribed_over_silent",
        "unit": "ratio",
        "mock_cpu": ratio(transcribed["mock_cpu_pct"], silent["mock_cpu_pct"]),
        "desktop_cpu": ratio(transcribed["desktop_cpu_pct"], silent["desktop_cpu_pct"]),
        "render_cycle_p50": ratio(cycles(transcribed, 0.5), cycles(silent, 0.5)),
        "render_cycle_p99": ratio(cycles(transcribed, 0.99), cycles(silent, 0.99)),
        "key_to_screen_p99": ratio(percentile(transcribed["keys"], 0.99), percentile(silent["keys"], 0.99)),
        "target": "none (reported: what live sentiment on every call costs)",
    }


def _figures(figures: dict[str, Any], suffix: str = "") -> Iterator[dict[str, Any]]:
    counts, wall = figures["counts"], figures["wall"]
    cycles, cycles_cpu = [s * 1000 for s in figures["cycles"]], [s * 1000 for s in figures["cycles_cpu"]]
    yield timing(f"supervisor_live_update_render_cycle{suffix}", cycles, 50.0, "ms", 1)
    yield timing(f"supervisor_live_update_render_cycle_cpu{suffix}", cycles_cpu, 50.0, "ms", 1)
    yield timing(f"supervisor_live_key_to_screen{suffix}", [s * 1000 for s in figures["keys"]], 100.0, "ms", 1)
    yield {
        "name": f"supervisor_live_events_per_second{suffix}",
        "unit": "events/s",
        "value": round(sum(counts.values()) / wall, 1),
        "by_kind": {kind: round(n / wall, 1) for kind, n in sorted(counts.items())},
        "waiting_at_end": figures["waiting_at_end"],
        "agents_at_end": figures["agents_at_end"],
        "target": None,
    }
    monitoring = figures["monitoring_counts"]
    yield {
        "name": f"supervisor_live_monitoring_events_per_second{suffix}",
        "unit": "events/s",
        "value": round(sum(monitoring.values()) / wall, 1),
        "by_kind": {kind: round(n / wall, 2) for kind, n in sorted(monitoring.items())},
        "calls_monitored": figures["monitored"],
        "monitored_at_once": MONITORED_CALLS,
        "target": None,
    }
    yield {
        "name": f"mock_cpu_live_{AGENTS}_agents_{QUEUES}_queues{suffix}",
        "unit": "% of a core",
        "value": round(figures["mock_cpu_pct"], 1),
        "rss_mb_at_end": round(figures["mock_rss_mb"]),
        "target": None,
    }
    yield {
        "name": f"supervisor_live_desktop_cpu{suffix}",
        "unit": "% of a core",
        "value": round(figures["desktop_cpu_pct"], 1),
        "load_avg": figures["load_avg"],
        "target": None,
    }
    collections = figures["full_collections"]
    yield {
        "name": f"supervisor_live_full_collections{suffix}",
        "unit": "count",
        "value": len(collections),
        "longest_ms": round(max(collections, default=0.0) * 1000, 1),
        "target": None,
    }


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure))
