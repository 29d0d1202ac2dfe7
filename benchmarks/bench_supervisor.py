"""Supervisor screen under a big floor: 1,000 agents and 100 queues, every one updating once a second.

The load comes through the real parsing path: each second the load generator
hands the supervisor console's SSE parser 1,000 `agent_state` events and one
`queue_stats` event (100 queues × two windows) as JSON, in network-sized chunks,
and the screen runs headless at 120×40 with the real widgets.

Figures (headless: the terminal write itself is not included):
- `supervisor_update_render_cycle`: one redraw of the panels (applying whatever
  arrived since the last one) plus the paint that puts it on screen; `_cpu` is the
  same in CPU time of the app's thread, which other processes on a shared machine
  cannot inflate.
- `supervisor_second_of_updates_to_screen`: from the first event of a second's
  burst until the paint after the redraw that applied its last event (includes
  parsing the 1,001 events).
- `supervisor_ui_time_per_second_of_updates`: wall time spent redrawing and painting
  per second of updates.
- `supervisor_key_to_screen_under_load`: a key press (cursor down in the agents
  table) until the moved cursor is painted, pressed at random moments under load.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from httpx_sse import ServerSentEvent

from agent_desktop.adapters.http.supervisor import _parse_event
from agent_desktop.domain.models import Agent, AgentState, Contact
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.supervisor.models import AgentActivity, FloorSnapshot, SupervisedQueue, WindowStats
from agent_desktop.services import Backends
from agent_desktop.ui.supervisor.agent_table import AgentTable
from benchmarks.figures import timing
from benchmarks.supervisor_timing import SupervisorTimings
from tests.support.scenes.pilot_steps import supervisor_screen

AGENTS = 1000
QUEUES = 100
SECONDS = 20
CHUNK = 50  # events per network read, roughly a 16 KiB chunk
STATES = [
    AgentState.AVAILABLE,
    AgentState.BUSY,
    AgentState.AFTER_CONTACT_WORK,
    AgentState.NOT_READY,
    AgentState.OFFERED,
]
START = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


class LoadConsole:
    """A SupervisorConsole whose stream is a synthetic floor of AGENTS agents and QUEUES queues."""

    def __init__(self, seconds: int = SECONDS, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.seconds = seconds
        self.queues = [SupervisedQueue(id=f"q{i:03d}", name=f"Queue {i:03d}", skills=[f"s{i}"]) for i in range(QUEUES)]
        self.burst_started: list[float] = []
        self.burst_ended: list[float] = []  # the last event of the second handed to the screen
        self.done = asyncio.Event()
        self.now = START
        self.levels: dict[str, float] = {}

    def _agent(self, i: int) -> Agent:
        state = self.rng.choice(STATES)
        return Agent(
            id=f"agent-{i:04d}",
            name=f"Agent {i:04d}",
            state=state,
            reason="Break" if state == AgentState.NOT_READY else None,
            state_since=self.now - timedelta(seconds=self.rng.randint(0, 600)),
            not_ready_reasons=["Break", "Lunch"],
        )

    def _stats(self, window: str) -> list[dict[str, Any]]:
        """Figures that drift a little each second, as a floor's do (alerts cross now and then)."""
        rng = self.rng
        for q in self.queues:
            self.levels[q.id] = min(100.0, max(40.0, self.levels.get(q.id, 85.0) + rng.uniform(-1.5, 1.5)))
        return [
            WindowStats(
                queue_id=q.id,
                queue_name=q.name,
                window=window,
                waiting=rng.randint(0, 12),
                longest_wait_s=rng.uniform(0, 120),
                service_level_pct=round(self.levels[q.id], 1),
                asa_s=rng.uniform(2, 40),
                aht_s=rng.uniform(120, 400),
                abandonment_rate_pct=rng.uniform(0, 15),
                arrival_rate_per_min=rng.uniform(0.5, 6),
                service_level_target_pct=80,
                service_level_threshold_s=20,
                staffed=rng.randint(5, 15),
                agents_by_state={"available": rng.randint(0, 5), "busy": rng.randint(0, 8)},
            ).model_dump(mode="json")
            for q in self.queues
        ]

    async def events(self) -> AsyncIterator[object]:
        yield LinkStatus("contact center", True)
        yield FloorSnapshot(
            at=self.now,
            queues=self.queues,
            agents=[AgentActivity(agent=self._agent(i)) for i in range(AGENTS)],
            today=[WindowStats.model_validate(s) for s in self._stats("today")],
            last_30m=[WindowStats.model_validate(s) for s in self._stats("30m")],
        )
        for _ in range(self.seconds):
            await asyncio.sleep(1.0)
            self.now += timedelta(seconds=1)
            payloads = [
                json.dumps({"type": "agent_state", "agent": self._agent(i).model_dump(mode="json")})
                for i in range(AGENTS)
            ]
            payloads.append(
                json.dumps(
                    {
                        "type": "queue_stats",
                        "at": self.now.isoformat(),
                        "today": self._stats("today"),
                        "last_30m": self._stats("30m"),
                    }
                )
            )
            self.burst_started.append(time.perf_counter())
            for index, data in enumerate(payloads):
                item = _parse_event(ServerSentEvent(event="x", data=data))
                if item is not None:
                    yield item
                if index % CHUNK == CHUNK - 1:
                    await asyncio.sleep(0)  # the next network read
            self.burst_ended.append(time.perf_counter())
            yield _BURST_END
        self.done.set()
        await asyncio.Event().wait()

    async def check_access(self) -> None:
        return None

    async def aclose(self) -> None:
        return None

    async def list_queues(self) -> list[SupervisedQueue]:
        return self.queues

    async def waiting_contacts(self, queue_id: str) -> list[Contact]:
        return []

    async def agent_contacts_today(self, agent_id: str) -> list[Contact]:
        return []


_BURST_END = object()  # not an event (the screen skips it): marks the end of a second's burst


def _ms(values: list[float]) -> list[float]:
    return [v * 1000 for v in values]


@dataclass
class Measurements:
    busy: list[float] = field(default_factory=list)  # per second: redraw + paint time spent on the burst
    cycles: list[float] = field(default_factory=list)  # each redraw plus the paint that shows it
    cycles_cpu: list[float] = field(default_factory=list)  # the same in CPU time (what other processes cannot add)
    to_screen: list[float] = field(default_factory=list)  # per second: first event → painted
    keys: list[float] = field(default_factory=list)  # key press → cursor moved and painted


async def measure(seconds: int = SECONDS) -> Measurements:
    from tests.support.desk_app import desk_app

    console = LoadConsole(seconds)
    backends = Backends(contact_center=None, crm=None, presence=None, supervisor=console)  # type: ignore[arg-type]
    app = desk_app(backends, clock=lambda: console.now, desks=("supervisor",))
    result = Measurements()
    with SupervisorTimings() as timings:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = supervisor_screen(pilot)
            while not screen.desk.floor.agents:
                await pilot.pause(0.05)
            await pilot.press("tab", "tab")  # queues → staffing → agents
            result.keys = await timings.press_keys(pilot, screen.query_one("#agents", AgentTable), console.done.is_set)
            await pilot.pause(0.3)
    redraws, paints = timings.redraws, timings.paints
    result.cycles, result.cycles_cpu = timings.cycles(after=redraws[5][0] if len(redraws) > 5 else 0.0)
    starts = console.burst_started
    for started, ended in zip(starts[1:], console.burst_ended[1:], strict=True):  # the first burst warms caches
        following = [s for s in starts if s > started]
        window_end = following[0] if following else float("inf")
        in_window = [(a, b) for a, b in redraws + paints if started <= a < window_end]
        result.busy.append(sum(b - a for a, b in in_window))
        last_redraw = max((b for a, b in redraws if ended <= a < window_end), default=None)
        if last_redraw is not None:
            painted_at = min((b for a, b in paints if a >= last_redraw), default=None)
            if painted_at is not None:
                result.to_screen.append(painted_at - started)
    return result


def run() -> Iterator[dict[str, Any]]:
    figures = asyncio.run(measure())
    yield timing("supervisor_update_render_cycle", _ms(figures.cycles), target=50.0, unit="ms", digits=1)
    yield timing("supervisor_update_render_cycle_cpu", _ms(figures.cycles_cpu), target=50.0, unit="ms", digits=1)
    yield timing("supervisor_second_of_updates_to_screen", _ms(figures.to_screen), target=50.0, unit="ms", digits=1)
    yield timing("supervisor_ui_time_per_second_of_updates", _ms(figures.busy), target=50.0, unit="ms", digits=1)
    yield timing("supervisor_key_to_screen_under_load", _ms(figures.keys), target=100.0, unit="ms", digits=1)


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure))
