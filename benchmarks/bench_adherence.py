"""The adherence board on the 1,000-agent floor: every agent's adherence changing once a second.

As bench_supervisor.py: a synthetic floor through the real parsing path (the supervisor console's SSE parser gets
1,000 `adherence` events a second as JSON, in network-sized chunks), the screen headless at 120×40 with the real
widgets and the board shown (`r`).

Figures:
- `adherence_board_redraw`: one draw of the board (the rows an event burst changed, or every row's clock columns
  each second) plus the paint that puts it on screen; `_cpu` the same in CPU time of the app's thread.
- `adherence_bare_reference_redraw`: the same run's reference, a bare Textual app at 120×40 with a 1,000-row
  `DataTable` of the same six columns, refilled each second and painted (what the plainest board would cost);
  `adherence_ratio_to_bare`: the two p99s' ratio.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

from httpx_sse import ServerSentEvent
from textual.screen import Screen

from agent_desktop.adapters.http.supervisor import _parse_event
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.supervisor.models import AgentActivity, FloorSnapshot
from agent_desktop.domain.workforce.models import AdherenceSnapshot, AgentAdherence
from agent_desktop.services import Backends
from benchmarks.bench_supervisor import AGENTS, CHUNK, LoadConsole
from benchmarks.figures import percentile, timing

SECONDS = 15
SIZE = (120, 40)
KINDS = [
    ("work", "available", None),
    ("work", "busy", None),
    ("break", "not_ready", "Break"),
    ("work", "not_ready", "Break"),
    ("lunch", "available", None),
    ("work", "offline", None),
]


class AdherenceConsole(LoadConsole):
    """bench_supervisor's floor, its stream the agents' adherence instead of their states."""

    def _adherence(self, i: int) -> AgentAdherence:
        scheduled, state, reason = self.rng.choice(KINDS)
        inside = (scheduled, state) in (("work", "available"), ("work", "busy"), ("break", "not_ready"))
        since = self.now - timedelta(seconds=self.rng.randint(0, 900))
        return AgentAdherence(
            agent_id=f"agent-{i:04d}",
            name=f"Agent {i:04d}",
            team=f"Queue {i % 10:03d}",
            scheduled=scheduled,
            state=state,
            reason=reason,
            in_adherence=inside,
            out_of_adherence=not inside and self.rng.random() < 0.7,
            out_since=None if inside else since,
            adherence_pct=None,
            in_s=self.rng.uniform(0, 20000),
            out_s=self.rng.uniform(0, 3000),
            at=self.now,
        )

    async def events(self) -> AsyncIterator[object]:
        yield LinkStatus("contact center", True)
        rows = tuple(self._adherence(i) for i in range(AGENTS))
        yield FloorSnapshot(
            at=self.now,
            queues=self.queues[:10],
            agents=[AgentActivity(agent=self._agent(i)) for i in range(AGENTS)],
            adherence=AdherenceSnapshot(as_of=self.now, tolerance_s=60, agents=rows),
        )
        for _ in range(self.seconds):
            await asyncio.sleep(1.0)
            self.now += timedelta(seconds=1)
            payloads = [self._adherence(i).model_dump_json() for i in range(AGENTS)]
            for index, data in enumerate(payloads):
                item = _parse_event(ServerSentEvent(event="adherence", data=data))
                if item is not None:
                    yield item
                if index % CHUNK == CHUNK - 1:
                    await asyncio.sleep(0)  # the next network read
        self.done.set()
        await asyncio.Event().wait()


async def measure_board() -> tuple[list[float], list[float]]:
    """Each board draw plus the paint after it: (wall, CPU) seconds, the first seconds left out (caches warm)."""
    from agent_desktop.ui.supervisor.staffing.adherence_board import AdherenceBoardView
    from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen
    from tests.support.desk_app import desk_app
    from tests.support.scenes.pilot_steps import supervisor_screen

    console = AdherenceConsole(SECONDS)
    backends = Backends(contact_center=None, crm=None, presence=None, supervisor=console)  # type: ignore[arg-type]
    app = desk_app(backends, clock=lambda: console.now, desks=("supervisor",))
    draws: list[tuple[float, float, float]] = []  # (start, end, cpu)
    paints: list[tuple[float, float, float]] = []
    draw, paint = AdherenceBoardView.draw, SupervisorScreen._compositor_refresh

    def timed_draw(self: AdherenceBoardView, changed: set[str] | None = None) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        draw(self, changed)
        if self.display:
            draws.append((start, time.perf_counter(), time.thread_time() - cpu))

    def timed_paint(self: Screen[Any]) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        paint(self)
        paints.append((start, time.perf_counter(), time.thread_time() - cpu))

    AdherenceBoardView.draw = timed_draw  # type: ignore[method-assign]
    SupervisorScreen._compositor_refresh = timed_paint  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            deadline = time.monotonic() + 60
            while not supervisor_screen(pilot).desk.adherence.rows:
                if time.monotonic() > deadline:
                    raise RuntimeError("the floor's adherence never came")
                await pilot.pause(0.05)
            await pilot.press("r")
            deadline = time.monotonic() + SECONDS + 60
            while not console.done.is_set():
                if time.monotonic() > deadline:
                    raise RuntimeError("the load never finished")
                await pilot.pause(0.1)
            await pilot.pause(0.3)
    finally:
        AdherenceBoardView.draw = draw  # type: ignore[method-assign]
        SupervisorScreen._compositor_refresh = paint  # type: ignore[method-assign]
    return _cycles(draws, paints, warm_s=2.0)


def _cycles(
    draws: list[tuple[float, float, float]], paints: list[tuple[float, float, float]], warm_s: float
) -> tuple[list[float], list[float]]:
    first = draws[0][0] if draws else 0.0
    wall: list[float] = []
    cpu: list[float] = []
    for begin, end, draw_cpu in draws:
        if begin < first + warm_s:
            continue
        after = next((p for p in paints if p[0] >= end), None)
        if after is not None:
            wall.append((end - begin) + (after[1] - after[0]))
            cpu.append(draw_cpu + after[2])
    return wall, cpu


async def measure_bare() -> list[float]:
    """A bare Textual app: a 1,000-row DataTable of six columns refilled each second, and its paint."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    rng = random.Random(3)
    refills: list[tuple[float, float, float]] = []
    paints: list[tuple[float, float, float]] = []

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            self.query_one(DataTable).add_columns("Agent", "Team", "Scheduled", "Actual", "Out for", "Today")
            self.refill()
            self.set_interval(1.0, self.refill)

        def refill(self) -> None:
            start, cpu = time.perf_counter(), time.thread_time()
            table = self.query_one(DataTable)
            table.clear()
            for i in range(AGENTS):
                kind = rng.choice(KINDS)
                table.add_row(
                    f"Agent {i:04d}",
                    f"Queue {i % 10:03d}",
                    kind[0],
                    kind[1],
                    f"{rng.randint(0, 15)}:00",
                    f"{rng.uniform(50, 100):.1f} %",
                )
            refills.append((start, time.perf_counter(), time.thread_time() - cpu))

    screen_paint = None
    from textual.screen import Screen

    screen_paint = Screen._compositor_refresh

    def timed_paint(self: Screen[Any]) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        screen_paint(self)
        paints.append((start, time.perf_counter(), time.thread_time() - cpu))

    Screen._compositor_refresh = timed_paint  # type: ignore[method-assign]
    try:
        async with Bare().run_test(size=SIZE) as pilot:
            await pilot.pause(SECONDS)
    finally:
        Screen._compositor_refresh = screen_paint  # type: ignore[method-assign]
    return _cycles(refills, paints, warm_s=2.0)[0]


def _ms(values: list[float]) -> list[float]:
    return [v * 1000 for v in values]


def run() -> Iterator[dict[str, Any]]:
    wall, cpu = asyncio.run(measure_board())
    bare = asyncio.run(measure_bare())
    yield timing("adherence_board_redraw", _ms(wall), target=50.0, unit="ms", digits=1)
    yield timing("adherence_board_redraw_cpu", _ms(cpu), target=50.0, unit="ms", digits=1)
    yield timing("adherence_bare_reference_redraw", _ms(bare), target="reference", unit="ms", digits=1)
    ratio = percentile(wall, 0.99) / max(percentile(bare, 0.99), 1e-9)
    yield {"name": "adherence_ratio_to_bare", "unit": "ratio", "value": round(ratio, 2), "target": "p99 ÷ p99"}


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure))
