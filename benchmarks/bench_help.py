"""What opening the help screen (? on the agent desk, on a call) costs, against a bare-Textual reference in the
same run.

`help_open`: the key posted → the help screen painted (its first refresh done and the app idle), wall time and
CPU time of this process, over N opens (each closed with escape before the next). The desk is the snapshot
tests' agent on a call, replayed from tests/recordings/agent-connected.jsonl (no server). The reference: a bare
Textual app whose `?` pushes a modal screen with one `Static` holding the same text, measured the same way;
nothing the desk does to open its help can be cheaper than that. Runs: `BENCH_HELP_OPENS` (default 30), or
`python -m benchmarks.bench_help --opens N`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from agent_desktop.ui.shared.help_screen import HelpScreen
from agent_desktop.ui.shared.help_view import HelpView
from benchmarks.figures import timing
from tests.support.scenes.scene_recordings import SCENES, replayed
from tests.support.scenes.scenes import SIZE

SCENE = "agent-connected"


async def _until(condition: Callable[[], object], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.0005)


async def _painted(screen: Screen[Any]) -> None:
    """Once `screen` has been refreshed with nothing left to lay out or paint (Screen runs its after-refresh
    callbacks only then)."""
    done = asyncio.Event()
    screen.call_after_refresh(done.set)
    await asyncio.wait_for(done.wait(), 10)


async def open_costs(app: App[Any], help_type: type[Screen[Any]], opens: int) -> tuple[list[float], list[float], str]:
    """Wall and CPU milliseconds of each open; the help's text (for the reference) from the last."""
    walls: list[float] = []
    cpus: list[float] = []
    text = ""
    for _ in range(opens):
        base = app.screen
        await _painted(base)
        wall, cpu = time.perf_counter(), time.process_time()
        app.post_message(events.Key("question_mark", "?"))
        await _until(lambda: isinstance(app.screen, help_type))
        await _painted(app.screen)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        text = screen_text(app.screen)
        app.post_message(events.Key("escape", None))

        def back(base: Screen[Any] = base) -> bool:
            return app.screen is base

        await _until(back)
    return walls, cpus, text


def screen_text(screen: Screen[Any]) -> str:
    views = screen.query(HelpView)
    if views:
        return "\n".join(views.first().plain_lines())
    return "\n".join(str(getattr(s.render(), "plain", s.render())) for s in screen.query(Static))  # the old help


class _ReferenceHelp(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, markup=False)


class ReferenceFloor(App[None]):
    """A bare app of the same size: `?` pushes one modal screen with one Static of the help's text."""

    BINDINGS = [Binding("question_mark", "help", "Help")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static("the desk")

    def action_help(self) -> None:
        self.push_screen(_ReferenceHelp(self.text))


async def measure_desk(opens: int) -> tuple[list[float], list[float], str]:
    scene = SCENES[SCENE]
    with tempfile.TemporaryDirectory(prefix="bench-help-") as folder:
        world = replayed(scene, Path(folder))
        app = scene.app(world)
        async with app.run_test(size=SIZE) as pilot:
            await scene.play(pilot, world)
            result = await open_costs(app, HelpScreen, opens)
        world.replay.check()
    return result


async def measure_reference(text: str, opens: int) -> tuple[list[float], list[float]]:
    app = ReferenceFloor(text or "help\n" * 80)
    async with app.run_test(size=SIZE):
        walls, cpus, _ = await open_costs(app, _ReferenceHelp, opens)
    return walls, cpus


def measure(opens: int) -> Iterator[dict[str, Any]]:
    walls, cpus, text = asyncio.run(measure_desk(opens))
    ref_walls, ref_cpus = asyncio.run(measure_reference(text, opens))
    load = os.getloadavg()[0]
    yield {**timing("help_open", walls, target=100.0, unit="ms", digits=1), "scene": SCENE, "load_1m": load}
    yield {**timing("help_open_cpu", cpus, target=100.0, unit="ms", digits=1), "scene": SCENE, "load_1m": load}
    yield {**timing("help_open_reference_floor", ref_walls, target=0, unit="ms", digits=1), "load_1m": load}
    yield {**timing("help_open_reference_floor_cpu", ref_cpus, target=0, unit="ms", digits=1), "load_1m": load}


def run() -> Iterator[dict[str, Any]]:
    yield from measure(int(os.environ.get("BENCH_HELP_OPENS", 30)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=30)
    for figure in measure(parser.parse_args().opens):
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
