"""Presence at scale: directory search over HTTP, and the desktop under a storm of presence changes.

- `presence_search_10k`: a directory of 10,000 people; searches by text, skill, department and
  availability (and combinations) over HTTP on loopback, the full answer read. Target p99 <= 50 ms.
- `experts_keypress_{handled,to_frame}_100_changes_per_s` (and `..._idle` for comparison): the
  real desktop (headless) with the experts list focused while another process pushes 100
  presence changes a second to the people on that list; time from a key (down/up) reaching the
  app until the highlighted expert changed (`handled`), and until the first frame the app drew
  after that (`to_frame`). Target p99 <= 100 ms (our choice: about the limit of "instant").
- `presence_catch_up_after_load_s`: when the storm stops, how long until every person on the
  panel shows the presence the server holds (the desktop kept up, not fell behind).

The servers run in a child process, so the figures are the desktop's and the server's, not a
shared interpreter's.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from rich.console import RenderableType
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings, free_port
from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel
from benchmarks.figures import timing
from tests.support.desk_app import desk_app
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import wait_until

PEOPLE = 10_000
AUTH = {"Authorization": "Bearer demo-presence-token"}
CHANGES_PER_S = 100
_AVAILABILITIES = ["Available", "Busy", "Away", "BeRightBack", "DoNotDisturb", "Offline", "AvailableIdle"]


def _serve(ports: list[int], data_dir: str, experts: int) -> None:
    """Child process: the three mock servers, no simulator (the benchmark makes the traffic)."""
    from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
    from agent_desktop_mocks.ccaas.settings import MockSettings
    from agent_desktop_mocks.common.runner import run_servers
    from agent_desktop_mocks.crm.app import create_app as create_crm
    from agent_desktop_mocks.presence.app import create_app as create_presence

    settings = MockSettings(data_dir=Path(data_dir), experts=experts, customers=50, simulator=False, fresh=True)
    apps = [create_ccaas(settings), create_crm(settings), create_presence(settings)]
    run_servers(list(zip(apps, ports, strict=True)))


@contextmanager
def servers(experts: int = PEOPLE) -> Iterator[list[str]]:
    ports = [free_port() for _ in range(3)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    with tempfile.TemporaryDirectory(prefix="bench-presence-") as data_dir:
        process = multiprocessing.get_context("spawn").Process(target=_serve, args=(ports, data_dir, experts))
        process.start()
        try:
            deadline = time.monotonic() + 120
            for url in urls:
                while True:
                    try:
                        if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline or not process.is_alive():
                        raise RuntimeError("the mock servers did not start")
                    time.sleep(0.1)
            yield urls
        finally:
            process.terminate()
            process.join(10)


def _searches(rng: random.Random) -> list[dict[str, str]]:
    texts = ["ann", "son", "mar", "billing", "fraud", "tech", "lead", "engineer", "retention", "nobody-like-this"]
    skills = ["billing", "refunds", "fraud", "sales", "tech_support", "networking", "spanish", "sim_swap"]
    departments = ["Billing", "Technical Support", "Sales", "Retention", "Fraud", "Network Operations"]
    options: list[Callable[[], dict[str, str]]] = [
        lambda: {"q": rng.choice(texts)},
        lambda: {"skill": rng.choice(skills)},
        lambda: {"department": rng.choice(departments)},
        lambda: {"availability": rng.choice(["Available", "Busy", "Offline"])},
        lambda: {"q": rng.choice(texts), "skill": rng.choice(skills), "availability": "Available"},
        dict,
    ]
    return [rng.choice(options)() for _ in range(400)]


def bench_search(presence_url: str) -> dict[str, Any]:
    rng = random.Random(7)
    samples = []
    with httpx.Client(base_url=presence_url, headers=AUTH, timeout=10) as client:
        for params in _searches(rng)[:20]:  # warm up caches and the connection
            client.get("/v1/people", params=params).raise_for_status()
        for params in _searches(rng):
            started = time.perf_counter()
            response = client.get("/v1/people", params=params)
            response.raise_for_status()
            response.json()
            samples.append((time.perf_counter() - started) * 1000)
    figure = timing("presence_search_10k", samples, target=50, unit="ms", digits=1)
    figure["people"] = PEOPLE
    return figure


def churn_presence(presence_url: str, ids: list[str], rate: float, stop_at: float) -> None:
    """Child process: `rate` presence changes a second, round-robin over `ids`, until `stop_at`."""
    rng = random.Random(11)
    interval = 1 / rate
    next_at = time.time()
    with httpx.Client(base_url=presence_url, headers=AUTH, timeout=10) as client:
        while time.time() < stop_at:
            person = rng.choice(ids)
            client.put(f"/v1/people/{person}/presence", json={"availability": rng.choice(_AVAILABILITIES)})
            next_at += interval
            time.sleep(max(0.0, next_at - time.time()))


def _record_frames(app: App[Any], shown: Callable[[], object] = lambda: None) -> list[tuple[float, object]]:
    """When the app hands a frame to its terminal driver (also headless, where it writes nothing), and what
    `shown()` was as it drew it: a frame is matched to a key by what it showed, not by when a poll noticed."""
    frames: list[tuple[float, object]] = []
    display = app._display

    def recording(screen: Screen[Any], renderable: RenderableType | None) -> None:
        if renderable is not None:
            frames.append((time.perf_counter(), shown()))
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]  # each frame noted, then drawn
    return frames


async def _keypress_latencies(
    pilot: Pilot[None], frames: list[tuple[float, object]], presses: int
) -> tuple[list[float], list[float]]:
    """Milliseconds from a key reaching the app (as the terminal driver delivers it) until the highlighted
    expert changed (`handled`, seen by a poll every 0.5 ms), and until the first frame that no longer showed
    the expert highlighted before it (`to_frame`).

    Keys go straight to the driver: Pilot's `press` also waits for the process to be idle,
    which under a stream of events it never is. The row index is no measure either: redraws
    keep the cursor on the same person as the list reorders; only the key changes who it is.
    A frame is matched by what it showed: the frame that shows the move is often drawn before the poll
    wakes, and counting only frames after the poll waited for the next one (the clock's, up to 0.5 s later).
    """
    panel = pilot.app.screen.query_one("#experts", ExpertsPanel)
    table = pilot.app.screen.query_one("#expert-table", DataTable)
    driver = present(pilot.app._driver)
    handled: list[float] = []
    drawn_after: list[float] = []
    for i in range(presses):
        key = "down" if i % 2 == 0 else "up"
        # Under churn the list reorders and the cursor keeps its person, who may now be first or last: a key
        # toward the edge would not move it (the bench stopped with "up did not move the experts cursor").
        if table.cursor_row <= 0:
            key = "down"
        elif table.cursor_row >= table.row_count - 1:
            key = "up"
        before = panel.highlighted()
        started = time.perf_counter()
        event = events.Key(key, None)
        event.set_sender(pilot.app)
        driver.send_message(event)
        deadline = time.monotonic() + 10
        while panel.highlighted() == before or panel.highlighted() is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{key} did not move the experts cursor (focused: {pilot.app.focused!r})")
            await asyncio.sleep(0.0005)
        changed = time.perf_counter()

        def drawn_at(started: float = started, before: object = before) -> float | None:
            return next((t for t, shown in frames if t >= started and shown not in (before, None)), None)

        while drawn_at() is None:
            if time.monotonic() > deadline:
                raise RuntimeError("no frame showed the key's move")
            await asyncio.sleep(0.0005)
        drawn = present(drawn_at())
        handled.append((changed - started) * 1000)
        drawn_after.append((drawn - started) * 1000)
        await asyncio.sleep(random.uniform(0.02, 0.06))
    return handled, drawn_after


async def bench_desktop_under_load(urls: list[str]) -> list[dict[str, Any]]:
    ccaas_url, crm_url, presence_url = urls
    app = desk_app(build_backends(demo_settings(ccaas_url, crm_url, presence_url)))
    figures = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        table = screen.query_one("#expert-table", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0, "the experts", timeout_s=30)
        screen.set_focus(table)
        await wait_until(pilot, lambda: pilot.app.focused is table, "the experts list focused")
        panel = screen.query_one("#experts", ExpertsPanel)
        ids = [e.id for e in panel.experts()]
        frames = _record_frames(pilot.app, panel.highlighted)
        for label, samples in zip(("handled", "to_frame"), await _keypress_latencies(pilot, frames, 100), strict=True):
            figures.append(timing(f"experts_keypress_{label}_idle", samples, 100, "ms", 1))

        seconds = 20.0
        churn = multiprocessing.get_context("spawn").Process(
            target=churn_presence, args=(presence_url, ids, CHANGES_PER_S, time.time() + seconds + 2)
        )
        churn.start()
        await asyncio.sleep(2.0)  # the storm is under way
        results = await _keypress_latencies(pilot, frames, 300)
        for label, samples in zip(("handled", "to_frame"), results, strict=True):
            figure = timing(f"experts_keypress_{label}_{CHANGES_PER_S}_changes_per_s", samples, 100, "ms", 1)
            figure["panel_people"] = len(ids)
            figures.append(figure)
        await asyncio.to_thread(churn.join, seconds + 30)

        stopped = time.perf_counter()
        with httpx.Client(base_url=presence_url, headers=AUTH, timeout=10) as client:
            truth = {p["id"]: p["presence"]["availability"] for p in client.get("/v1/people").json()}

        def caught_up() -> bool:
            shown = {e.id: e.presence.availability.value for e in panel.experts()}
            return all(shown.get(i) == a for i, a in truth.items() if i in shown)

        await wait_until(pilot, caught_up, "the panel to catch up", timeout_s=60)
        figures.append(
            {
                "name": "presence_catch_up_after_load_s",
                "unit": "s",
                "value": round(time.perf_counter() - stopped, 3),
                "target": 1.0,
            }
        )
    return figures


def run(people: int = PEOPLE) -> Iterator[dict[str, Any]]:
    with servers(people) as urls:
        yield bench_search(urls[2])
        yield from asyncio.run(bench_desktop_under_load(urls))
