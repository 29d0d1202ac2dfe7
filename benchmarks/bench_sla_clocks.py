"""SLA clocks of 50 chats redrawn each second (issue 45): the CPU the agent's desk spends per second of wall time.

The desk (headless, 120×40) holds 50 chats of the billing queue, taken on the in-process mocks a couple of
seconds apart so their clocks sit at every level (counting, near, breached). The desk's clock runs on from the
mocks' own (the mocks stay still: no timer fires, no customer writes), so each second every chat's clock moves
and its cell is redrawn: this is that redraw and the desk's once-a-second tick, nothing else. CPU is the process's
(`time.process_time`) over `MEASURE_S` of wall time, as a share of one core.

Reference, the same run: a bare Textual app of the same size with a 50-row `DataTable` whose State cell of every
row is set to a new countdown each second (the least any app does to show 50 moving clocks). Figures: the
desk's share of a core (target ≤ 2 %), the reference's, and their ratio.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text

if TYPE_CHECKING:
    from tests.support.in_process.mocks import InProcessMocks
from textual.app import App, ComposeResult
from textual.widgets import DataTable

CHATS = 50
MEASURE_S = float(os.environ.get("BENCH_SLA_MEASURE_S", "20"))
WARM_UP_S = 3.0
APART_S = 2  # between two chats entering the queue: clocks from 0:58 left to 40 s past their target


async def in_hand(mocks: InProcessMocks, count: int) -> None:
    """`count` chats in the demo agent's hands, entering the queue `APART_S` apart."""
    from agent_desktop.domain.vocabulary import AgentState  # the desk's, as its contact center takes it

    engine = mocks.engine
    engine.supervisor.update_agent("agent-001", capacity={"chat": count})
    backend = mocks.contact_center()
    await backend.set_state(AgentState.AVAILABLE)
    for number in range(count):
        await mocks.place_call(f"bench{number}@example.com", channel="chat", subject="SLA bench")
        for _ in range(50):
            offers = await backend.list_offers()
            if offers:
                await backend.accept_offer(offers[0].id)
                break
            mocks.time.advance(0.1)
        mocks.time.advance(APART_S)


def cpu_share(seconds: float, started_cpu: float, started_wall: float) -> float:
    return (time.process_time() - started_cpu) / max(1e-9, time.perf_counter() - started_wall)


async def measure_desk() -> tuple[float, int]:
    from agent_desktop.ui.agent.contacts.contact_list import ContactList
    from tests.support.desk_app import desk_app
    from tests.support.in_process.scenes import scene_mocks

    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            await in_hand(mocks, CHATS)
            start_at, t0 = mocks.clock.now(), time.monotonic()
            app = desk_app(mocks.backends(), clock=lambda: start_at + timedelta(seconds=time.monotonic() - t0))
            async with app.run_test(size=(120, 40)) as pilot:
                contacts = app.screen.query_one("#contacts", ContactList)
                deadline = time.monotonic() + 60
                while contacts.row_count < CHATS and time.monotonic() < deadline:
                    await pilot.pause(0.1)
                if contacts.row_count < CHATS:
                    raise RuntimeError(f"only {contacts.row_count} of {CHATS} chats reached the list")
                await asyncio.sleep(WARM_UP_S)
                clocks = sum(1 for key in contacts.rows if contacts.get_cell(key, "state").plain.startswith("Reply"))
                cpu, wall = time.process_time(), time.perf_counter()
                await asyncio.sleep(MEASURE_S)
                return cpu_share(MEASURE_S, cpu, wall), clocks
        finally:
            await mocks.aclose()


class BareClocks(App[None]):
    """50 rows, each State cell set to a new countdown every second."""

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Contact", 20), ("Queue", 7), ("State", 12), ("Time", 5)):
            table.add_column(label, width=width, key=label.lower())
        for number in range(CHATS):
            table.add_row(f"bench{number}@example.com", "Billing", "", "", key=str(number))
        self.began = datetime.now()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        table = self.query_one(DataTable)
        elapsed = int((datetime.now() - self.began).total_seconds())
        for number in range(CHATS):
            left = 60 - APART_S * (CHATS - number) - elapsed
            text = f"Reply {left // 60}:{left % 60:02d}" if left > 0 else "Reply now"
            table.update_cell(str(number), "state", Text(text, style="bold red" if left <= 0 else "yellow"))


async def measure_bare() -> float:
    app = BareClocks()
    async with app.run_test(size=(120, 40)):
        await asyncio.sleep(WARM_UP_S)
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.sleep(MEASURE_S)
        return cpu_share(MEASURE_S, cpu, wall)


def run() -> Iterator[dict[str, Any]]:
    load = os.getloadavg()
    desk, clocks = asyncio.run(measure_desk())
    bare = asyncio.run(measure_bare())
    yield {
        "name": "sla_clocks_50_chats_cpu_per_s",
        "unit": "% of a core",
        "value": round(desk * 100, 2),
        "clocks_running": clocks,
        "measured_s": MEASURE_S,
        "load": [round(x, 2) for x in load],
        "target": "≤ 2",
    }
    yield {"name": "sla_clocks_bare_reference_cpu_per_s", "unit": "% of a core", "value": round(bare * 100, 2)}
    yield {"name": "sla_clocks_ratio_to_bare", "unit": "ratio", "value": round(desk / max(bare, 1e-9), 2)}
