"""The supervisor's agents table on the line kit (`LiveTable`) against Textual's `DataTable`, on the same
1,000-agent floor, in the same run. (textual-fastdatatable 0.19.5 is not measured: its Arrow backend refuses a
cell update, `update_cell_at` raises "No updates allowed", so a live floor would rebuild it each second.)

`table_second_of_changes_1000_rows`: every one of 1,000 rows changes two cells (state and time in state, as a
second of a busy floor does), then the frame is painted: wall time from the first change to the painted frame,
headless at 120×40, over `BENCH_TABLE_SECONDS` seconds of changes (default 30). The LiveTable is fed as the
agents' table feeds it (`set_row_later` per changed row); the DataTable as dolphie feeds one (`update_cell`
per changed cell, inside `batch_update`). `table_key_to_frame_1000_rows`: cursor down → its frame painted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable

from agent_desktop.ui.supervisor.agent_table import COLUMNS  # the agents' table's own columns
from agent_desktop.ui.supervisor.live_table import LiveTable
from benchmarks.figures import timing

ROWS = 1000
SIZE = (120, 40)
STATES = ["Available", "Busy", "After contact work", "Not ready", "Offered"]


def row(n: int, second: int) -> list[Text]:
    return [
        Text(f"agent-{n:04d}", style="dim"),
        Text(f"Agent {n:04d}", style="bold"),
        Text(STATES[(n + second) % len(STATES)], style="green"),
        Text("", style="italic"),
        Text(f"{(n + second) % 60}s"),
        Text(f"c-{n:06d}"),
        Text("☎"),
    ]


class TableApp(App[None]):
    def __init__(self, table: Widget) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.set_focus(self.table)


async def _until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.0005)


async def _painted(screen: Screen[Any]) -> None:
    done = asyncio.Event()
    screen.call_after_refresh(done.set)
    await asyncio.wait_for(done.wait(), 10)


def _live() -> tuple[Widget, Callable[[int], None]]:
    table = LiveTable(COLUMNS)

    def fill() -> None:
        for n in range(ROWS):
            table.set_row(f"a{n}", row(n, 0))

    def second(s: int) -> None:
        for n in range(ROWS):
            table.set_row_later(f"a{n}", partial(row, n, s))

    table.call_later(fill)
    return table, second


def _data_table(kind: type[DataTable[Any]]) -> tuple[Widget, Callable[[int], None]]:
    table = kind(cursor_type="row")

    def fill() -> None:
        for column in COLUMNS:
            table.add_column(column.label, key=column.key, width=column.width)
        for n in range(ROWS):
            table.add_row(*row(n, 0), key=f"a{n}")

    def second(s: int) -> None:
        with table.app.batch_update():
            for n in range(ROWS):
                cells = row(n, s)
                table.update_cell(f"a{n}", "state", cells[2])
                table.update_cell(f"a{n}", "time", cells[4])

    table.call_later(fill)
    return table, second


async def measure_one(
    make: Callable[[], tuple[Widget, Callable[[int], None]]], seconds: int
) -> tuple[list[Any], list[Any]]:
    table, second = make()
    app = TableApp(table)
    changes: list[float] = []
    keys: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _painted(app.screen)
        for s in range(1, seconds + 1):
            started = time.perf_counter()
            second(s)
            await _painted(app.screen)
            changes.append((time.perf_counter() - started) * 1000)
            before: int = getattr(table, "cursor_row")  # noqa: B009 (LiveTable's and DataTable's)
            started = time.perf_counter()
            app.post_message(events.Key("down", None))
            await _until(lambda: getattr(table, "cursor_row") != before)  # noqa: B009, B023
            await _painted(app.screen)
            keys.append((time.perf_counter() - started) * 1000)
    return changes, keys


def _kinds() -> dict[str, Callable[[], tuple[Widget, Callable[[int], None]]]]:
    return {"live_table": _live, "data_table": partial(_data_table, DataTable)}


def measure(seconds: int) -> Iterator[dict[str, Any]]:
    load = os.getloadavg()[0]
    for kind, make in _kinds().items():
        changes, keys = asyncio.run(measure_one(make, seconds))
        target = 50.0 if kind == "live_table" else 0
        yield {
            **timing("table_second_of_changes_1000_rows", changes, target=target, unit="ms", digits=1),
            "table": kind,
            "load_1m": load,
        }
        yield {
            **timing("table_key_to_frame_1000_rows", keys, target=100.0 if target else 0, unit="ms", digits=1),
            "table": kind,
            "load_1m": load,
        }


def run() -> Iterator[dict[str, Any]]:
    yield from measure(int(os.environ.get("BENCH_TABLE_SECONDS", 30)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    for figure in measure(parser.parse_args().seconds):
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
