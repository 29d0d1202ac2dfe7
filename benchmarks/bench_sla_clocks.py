"""SLA clocks of 50 chats redrawn each second: the CPU the agent's desk spends per second of wall time.

The desk (headless, 120×40) holds 50 chats of the billing queue, taken on the in-process mocks a couple of
seconds apart so their clocks sit at every level (counting, near, breached). The desk's clock runs on from the
mocks' own (the mocks stay still: no timer fires, no customer writes), so each second every chat's clock moves
and its cell is redrawn: this is that redraw and the desk's once-a-second tick, nothing else. CPU is the process's
(`time.process_time`) over `MEASURE_S` of wall time, as a share of one core.

Reference, the same run: a bare Textual app of the same size with a 50-row `DataTable` whose State cell of every
row is set to a new countdown each second (the least any app does to show 50 moving clocks). Figures: the
desk's share of a core (target ≤ 2 %), the reference's, and their ratio.

Then the list at 200 chats, in the same run: the desk holding 200 chats as above, beside the same desk
whose 200 chats are every one snoozed (half of them) or holding a reply scheduled to send later (the other half),
each taken on the contact center before the desk starts and read from it (z and » on each row, the subtitle's
count); and the bare `DataTable` of 200 rows. The target: the waits cost the list's redraw nothing it can see, the
snoozed and scheduled list within the plain one's figure.
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
MANY = 200  # the list with snoozed and scheduled conversations
MEASURE_S = float(os.environ.get("BENCH_SLA_MEASURE_S", "20"))
WARM_UP_S = 3.0
APART_S = 2  # between two chats entering the queue: clocks from 0:58 left to 40 s past their target


async def in_hand(mocks: InProcessMocks, count: int, apart_s: float = APART_S) -> list[str]:
    """`count` chats in the demo agent's hands, entering the queue `APART_S` apart; their contact ids."""
    from agent_desktop.domain.vocabulary import AgentState  # the desk's, as its contact center takes it

    engine = mocks.engine
    engine.supervisor.update_agent("agent-001", capacity={"chat": count})
    backend = mocks.contact_center()
    await backend.set_state(AgentState.AVAILABLE)
    taken: list[str] = []
    for number in range(count):
        await mocks.place_call(f"bench{number}@example.com", channel="chat", subject="SLA bench")
        for _ in range(50):
            offers = await backend.list_offers()
            if offers:
                taken.append((await backend.accept_offer(offers[0].id)).id)
                break
            mocks.time.advance(0.1)
        mocks.time.advance(apart_s)
    return taken


async def waiting(mocks: InProcessMocks, contact_ids: list[str]) -> None:
    """Every other chat snoozed for an hour, the rest holding a reply scheduled in an hour, on the contact center."""
    backend = mocks.contact_center()
    later = mocks.clock.now() + timedelta(hours=1)
    for number, contact_id in enumerate(contact_ids):
        if number % 2:
            await backend.schedule_reply(contact_id, "Your refund is on its way.", later)
        else:
            await backend.snooze(contact_id, later)


def cpu_share(seconds: float, started_cpu: float, started_wall: float) -> float:
    return (time.process_time() - started_cpu) / max(1e-9, time.perf_counter() - started_wall)


async def measure_desk(count: int = CHATS, waits: bool = False) -> tuple[float, int]:
    from agent_desktop.ui.agent.contacts.contact_list import ContactList
    from tests.support.desk_app import desk_app
    from tests.support.in_process.scenes import scene_mocks
    from tests.support.scenes.pilot_steps import agent_screen

    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            # 200 chats 2 s apart would span 400 s, past the chat's inactivity timeout: the first would close
            taken = await in_hand(mocks, count, APART_S * CHATS / count)
            if len(taken) < count:
                raise RuntimeError(f"only {len(taken)} of {count} chats were taken")
            if waits:
                await waiting(mocks, taken)
            start_at, t0 = mocks.clock.now(), time.monotonic()
            app = desk_app(mocks.backends(), clock=lambda: start_at + timedelta(seconds=time.monotonic() - t0))
            async with app.run_test(size=(120, 40)) as pilot:
                contacts = app.screen.query_one("#contacts", ContactList)
                deadline = time.monotonic() + 120
                while contacts.row_count < count and time.monotonic() < deadline:
                    await pilot.pause(0.1)
                if contacts.row_count < count:
                    raise RuntimeError(f"only {contacts.row_count} of {count} chats reached the list")
                await asyncio.sleep(WARM_UP_S)
                desk = agent_screen(pilot).desk
                held = [desk.conversations.get(contact_id) for contact_id in taken]
                waited = sum(1 for c in held if c is not None and (c.snoozed or c.reply_scheduled))
                if waits and waited < count:
                    raise RuntimeError(f"only {waited} of {count} chats show snoozed or scheduled")
                clocks = sum(1 for key in contacts.rows if contacts.get_cell(key, "state").plain.startswith("Reply"))
                cpu, wall = time.process_time(), time.perf_counter()
                await asyncio.sleep(MEASURE_S)
                return cpu_share(MEASURE_S, cpu, wall), clocks
        finally:
            await mocks.aclose()


class BareClocks(App[None]):
    """`rows` rows (50), each State cell set to a new countdown every second."""

    def __init__(self, rows: int = CHATS) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Contact", 20), ("Queue", 7), ("State", 12), ("Time", 5)):
            table.add_column(label, width=width, key=label.lower())
        for number in range(self.rows):
            table.add_row(f"bench{number}@example.com", "Billing", "", "", key=str(number))
        self.began = datetime.now()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        table = self.query_one(DataTable)
        elapsed = int((datetime.now() - self.began).total_seconds())
        for number in range(self.rows):
            left = 60 - APART_S * (self.rows - number) - elapsed
            text = f"Reply {left // 60}:{left % 60:02d}" if left > 0 else "Reply now"
            table.update_cell(str(number), "state", Text(text, style="bold red" if left <= 0 else "yellow"))


async def measure_bare(rows: int = CHATS) -> float:
    app = BareClocks(rows)
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
    plain, plain_clocks = asyncio.run(measure_desk(MANY))
    waits, waits_clocks = asyncio.run(measure_desk(MANY, waits=True))
    bare_many = asyncio.run(measure_bare(MANY))
    yield {
        "name": "contact_list_200_snoozed_and_scheduled_cpu_per_s",
        "unit": "% of a core",
        "value": round(waits * 100, 2),
        "clocks_running": waits_clocks,
        "measured_s": MEASURE_S,
        "load": [round(x, 2) for x in os.getloadavg()],
        "target": "within contact_list_200_chats_cpu_per_s",
    }
    yield {
        "name": "contact_list_200_chats_cpu_per_s",
        "unit": "% of a core",
        "value": round(plain * 100, 2),
        "clocks_running": plain_clocks,
    }
    yield {
        "name": "contact_list_200_bare_reference_cpu_per_s",
        "unit": "% of a core",
        "value": round(bare_many * 100, 2),
    }
    yield {"name": "contact_list_200_waits_over_plain", "unit": "ratio", "value": round(waits / max(plain, 1e-9), 2)}
