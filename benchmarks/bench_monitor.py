"""A customer's message → the monitoring supervisor's screen, on the live 1,000-agent floor.

The mock servers run as the product runs them (`python -m agent_desktop_mocks --agents 1000 --queues 100`, the
simulator on, real time). The supervisor screen (real HTTP console, headless 120×40) shows the floor and
monitors three chats in progress of simulated agents (joined as `j` does; when one ends, another is joined).
From another thread, as a web chat widget would, a customer's message is posted to one of the three every
~0.25 s; the figure runs from just before the POST until the end of the paint after the monitor card that
shows the message was drawn (the server's work, the SSE push, parsing, the model, the card and the paint).

Figures: `monitor_customer_message_to_supervisor_screen` (target p99 ≤ 100 ms), and the load it ran under
(`os.getloadavg()` at the start and end: this machine is shared). In the same run, on the same servers and
the same supervisor's monitoring stream, the reference floor `monitor_reference_floor`: a bare Textual app
of the same size with one `Static`, painting the customer's message when its event arrives (nothing of the
desk: no floor, no model, no cards) — what any app on this machine achieves; and the ratio of the p99s. Beside
it, the fair reference the target is read against, `monitor_reference_live_floor`: a bare Textual app of the same
size that paints a floor too — a stock `DataTable` of every agent, fed by the same supervisor's floor stream and
redrawn at most every 50 ms as the supervisor screen is, under a `Static` painting the customer's message — so
that the frames a live floor costs, which the desk cannot avoid and the one-`Static` app never pays, are in both
(`monitor_p99_over_live_floor_p99`).
Then all three again with every core kept busy by a spinning process at this priority (tests/support/cpu_load.py), the
`_loaded` figures (target: the desk's p99 ≤ 2× the reference's under the same load); `BENCH_MONITOR_LOADED=0`
leaves them out.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx
from textual import work
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_desktop.app.backend_factory import build_supervisor
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.models import AgentStateEvent, MessageEvent
from agent_desktop.domain.monitoring.participants import MonitoredEvent
from agent_desktop.domain.monitoring.protocol import MonitoringConsole, monitoring_console, serves_monitoring
from agent_desktop.domain.supervisor.models import FloorSnapshot
from agent_desktop.domain.supervisor.protocol import SupervisorConsole
from agent_desktop.services import Backends
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from benchmarks.figures import percentile, timing
from benchmarks.live_floor import live_floor
from benchmarks.supervisor_timing import SupervisorTimings
from tests.support.cpu_load import cores, cpu_load
from tests.support.scenes.pilot_steps import supervisor_screen

if TYPE_CHECKING:
    from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContact
    from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen

AGENTS, QUEUES, CUSTOMERS = 1000, 100, 5000
MONITORED = 3
WARM_UP_S = float(os.environ.get("BENCH_MONITOR_WARM_UP_S", "30"))
MEASURE_S = float(os.environ.get("BENCH_MONITOR_MEASURE_S", "60"))
REFERENCE_S = float(os.environ.get("BENCH_MONITOR_REFERENCE_S", str(MEASURE_S / 2)))
EVERY_S = 0.25
# Then both again with every core kept busy (tests/support/cpu_load.py), `_loaded` figures; 0 leaves that out.
UNDER_LOAD = os.environ.get("BENCH_MONITOR_LOADED", "1") != "0"


class Customer(threading.Thread):
    """Posts a customer's message to a monitored chat when asked (`send`), timing it from just before the POST."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=5
        )
        self.asked: list[tuple[str, str]] = []
        self.sent: dict[str, float] = {}  # text → perf_counter just before its POST
        self.wake = threading.Event()
        self.stop = False

    def send(self, contact_id: str, text: str) -> None:
        self.asked.append((contact_id, text))
        self.wake.set()

    def run(self) -> None:
        while not self.stop:
            self.wake.wait(0.5)
            self.wake.clear()
            while self.asked:
                contact_id, text = self.asked.pop(0)
                start = time.perf_counter()
                response = self.client.post(f"/v1/contacts/{contact_id}/customer-messages", json={"text": text})
                if response.status_code == 201:
                    self.sent[text] = start
        self.client.close()


async def measure(ccaas_url: str) -> dict[str, Any]:
    from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorCard
    from tests.support.desk_app import desk_app

    settings = demo_settings(ccaas_url, ccaas_url, ccaas_url)
    console = build_supervisor(settings)
    backends = Backends(contact_center=None, crm=None, presence=None, supervisor=console)  # type: ignore[arg-type]
    app = desk_app(backends, desks=("supervisor",))
    shown: dict[str, float] = {}  # text → when a card showing it was drawn
    original_show = MonitorCard.show

    def timed_show(
        self: MonitorCard,
        monitored: MonitoredContact,
        agent_name: Callable[[str | None], str],
        selected: bool,
        call: list[str] | None = None,
    ) -> None:
        original_show(self, monitored, agent_name, selected, call)
        conversation = monitored.conversation
        if conversation is not None:
            for item in conversation.items[-3:]:
                if item.text.startswith("bench ") and item.text not in shown:
                    shown[item.text] = time.perf_counter()

    from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContacts

    applied: dict[str, float] = {}  # text → when the stream's event of it reached the model
    original_apply = MonitoredContacts.apply

    def timed_apply(self: MonitoredContacts, event: MonitoredEvent) -> bool:
        item = getattr(event, "item", None)
        if item is not None and item.text.startswith("bench "):
            applied.setdefault(item.text, time.perf_counter())
        return original_apply(self, event)

    MonitorCard.show = timed_show  # type: ignore[method-assign]
    MonitoredContacts.apply = timed_apply  # type: ignore[method-assign]
    customer = Customer(ccaas_url)
    customer.start()
    samples: list[float] = []
    parts: dict[str, list[float]] = {
        "post_to_model": [],
        "model_to_card": [],
        "card_to_painted": [],
        "paint_itself": [],
        "paint_cpu": [],
    }
    load_start = os.getloadavg()
    try:
        with SupervisorTimings() as timings:
            async with app.run_test(size=(120, 40)) as pilot:
                screen = supervisor_screen(pilot)
                while len(screen.desk.floor.agents) < AGENTS:
                    await pilot.pause(0.05)
                await pilot.pause(3.0)
                began = time.perf_counter()
                number = 0
                while time.perf_counter() - began < MEASURE_S:
                    await _keep_monitoring(screen, console)
                    # The cards drawn (a fourth contact joined would be kept, not drawn: not what is timed here).
                    targets = [c for c in screen.desk.monitored.shown() if c.conversation and not c.conversation.ended]
                    if targets:
                        number += 1
                        target = targets[number % len(targets)]
                        customer.send(target.contact_id, f"bench {number} still there?")
                    await asyncio.sleep(EVERY_S)
                await pilot.pause(1.0)
                monitored_at_end = len(screen.desk.monitored.contacts)
                agents_on_screen = len(screen.desk.floor.agents)
        for text, start in customer.sent.items():
            drawn = shown.get(text)
            if drawn is None:
                continue
            painted = next(((begin, end) for begin, end in timings.paints if begin >= drawn), None)
            if painted is not None:
                paint = painted[1]
                parts["paint_itself"].append(painted[1] - painted[0])
                parts["paint_cpu"].append(timings.cpu.get(("paint", painted[0]), 0.0))
                samples.append(paint - start)
                if text in applied:
                    parts["post_to_model"].append(applied[text] - start)
                    parts["model_to_card"].append(drawn - applied[text])
                    parts["card_to_painted"].append(paint - drawn)
    finally:
        MonitorCard.show = original_show  # type: ignore[method-assign]
        MonitoredContacts.apply = original_apply  # type: ignore[method-assign]
        customer.stop = True
        customer.wake.set()
    return {
        "samples": samples,
        "posted": len(customer.sent),
        "load_start": load_start,
        "load_end": os.getloadavg(),
        "monitored_at_end": monitored_at_end,
        "agents_on_screen": agents_on_screen,
        "parts": parts,
    }


async def _keep_monitoring(screen: SupervisorScreen, console: SupervisorConsole) -> None:
    """Three chats in progress monitored: when one ended, another simulated agent's chat is joined."""
    if len(screen.desk.monitored.contacts) >= MONITORED:
        return
    chats = [c for hand in list(screen.desk.floor.in_hand.values()) for c in list(hand.values())]
    for contact in chats:
        if len(screen.desk.monitored.contacts) >= MONITORED:
            return
        if (
            contact.channel.value == "chat"
            and contact.state.value == "connected"
            and contact.id not in screen.desk.monitored.contacts
        ):
            try:  # one join at a time: several in flight would join more than three
                joining = screen.run_use_case(screen.controller.monitoring.join(contact.id))  # as `j` does
                await asyncio.wait_for(joining.wait(), 10)
            except Exception:  # noqa: BLE001 — ended meanwhile (the screen says so): the next one
                continue


class ReferenceMonitor(App[None]):
    """The floor: a bare app of the same size with one widget, on the same monitoring stream, painting the
    customer's message. Nothing the supervisor screen does can be faster than this."""

    def __init__(self, console: MonitoringConsole) -> None:
        super().__init__()
        self.monitoring = console  # (not `console`: an App's is its Rich console)
        self.shown: dict[str, float] = {}  # text → when the paint showing it ended

    def compose(self) -> ComposeResult:
        yield Static(id="line")

    def on_mount(self) -> None:
        self.listen()

    @work(exclusive=True)
    async def listen(self) -> None:
        async for item in self.monitoring.monitoring_events():
            if isinstance(item, MessageEvent) and item.item.text.startswith("bench "):
                text = item.item.text
                self.query_one("#line", Static).update(Content(text))
                self.call_after_refresh(lambda text=text: self.shown.setdefault(text, time.perf_counter()))


class ReferenceLiveFloor(ReferenceMonitor):
    """The fair reference: the same, over a floor of the same size painted live. Every agent is a row of a stock
    `DataTable` (name, state, since) filled from the supervisor's floor stream and changed in place
    (`update_cell`, in one batch at most every 50 ms, as the supervisor screen paces its floor); the customer's
    message in a `Static` docked under it. What bare Textual does to show the same floor and the same message."""

    FLOOR_EVERY_S = 0.05

    def __init__(self, console: MonitoringConsole, floor_console: SupervisorConsole) -> None:
        super().__init__(console)
        self.floor_console = floor_console
        self.pending: dict[str, tuple[str, str]] = {}  # agent id → (state, since) not drawn yet

    def compose(self) -> ComposeResult:
        yield DataTable(id="floor", cursor_type="row")
        yield Static(id="line")

    def on_mount(self) -> None:
        self.query_one("#line", Static).styles.dock = "bottom"
        table = self.query_one("#floor", DataTable)
        table.add_column("Agent", key="agent")
        table.add_column("State", key="state")
        table.add_column("Since", key="since")
        self.set_interval(self.FLOOR_EVERY_S, self.draw_floor)
        self.listen()
        self.follow_floor()

    @work(group="floor")
    async def follow_floor(self) -> None:
        table = self.query_one("#floor", DataTable)
        async for item in self.floor_console.events():
            if isinstance(item, FloorSnapshot):
                table.clear()
                for activity in item.agents:
                    agent = activity.agent
                    table.add_row(agent.name, str(agent.state), f"{agent.state_since:%H:%M:%S}", key=agent.id)
            elif isinstance(item, AgentStateEvent):
                agent = item.agent
                self.pending[agent.id] = (str(agent.state), f"{agent.state_since:%H:%M:%S}")

    def draw_floor(self) -> None:
        if not self.pending:
            return
        table = self.query_one("#floor", DataTable)
        pending, self.pending = self.pending, {}
        with self.batch_update():
            for agent_id, (state, since) in pending.items():
                if agent_id in table.rows:
                    table.update_cell(agent_id, "state", state)
                    table.update_cell(agent_id, "since", since)


async def measure_reference(ccaas_url: str, live_floor: bool = False) -> dict[str, Any]:
    """The reference floor on the servers the desk was measured on: the same supervisor, three chats monitored
    (those the desk left joined, topped up as they end), a customer's message every `EVERY_S`."""
    settings = demo_settings(ccaas_url, ccaas_url, ccaas_url)
    console = build_supervisor(settings)
    assert serves_monitoring(console), "the mock's supervisor console monitors"
    monitoring = monitoring_console(console)
    floor_console = build_supervisor(settings) if live_floor else None
    app = ReferenceMonitor(monitoring) if floor_console is None else ReferenceLiveFloor(monitoring, floor_console)
    customer = Customer(ccaas_url)
    customer.start()
    load_start = os.getloadavg()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(1.0)
            began = time.perf_counter()
            number, targets, checked = 0, [], float("-inf")
            while time.perf_counter() - began < REFERENCE_S:
                if time.perf_counter() - checked > 2.0:  # what is monitored, topped up to three
                    checked = time.perf_counter()
                    targets = [s.contact_id for s in await monitoring.monitored() if s.channel.value == "chat"]
                    if len(targets) < MONITORED:
                        for activity in await console.list_agents():
                            for contact in activity.contacts:
                                if (
                                    len(targets) < MONITORED
                                    and contact.channel.value == "chat"
                                    and contact.state.value == "connected"
                                    and contact.id not in targets
                                ):
                                    try:
                                        await monitoring.monitor(contact.id)
                                        targets.append(contact.id)
                                    except Exception:  # noqa: BLE001 — ended meanwhile: the next one
                                        continue
                if targets:
                    number += 1
                    customer.send(targets[number % len(targets)], f"bench ref {number} still there?")
                await asyncio.sleep(EVERY_S)
            await pilot.pause(1.0)
        samples = [app.shown[text] - start for text, start in customer.sent.items() if text in app.shown]
    finally:
        customer.stop = True
        customer.wake.set()
        await console.aclose()
        if floor_console is not None:
            await floor_console.aclose()
    return {"samples": samples, "posted": len(customer.sent), "load_start": load_start, "load_end": os.getloadavg()}


def run() -> Iterator[dict[str, Any]]:
    with live_floor("monitor", agents=AGENTS, queues=QUEUES, customers=CUSTOMERS, warm_up_s=WARM_UP_S) as (url, _):
        figures = asyncio.run(asyncio.wait_for(measure(url), MEASURE_S + 120))
        reference = asyncio.run(asyncio.wait_for(measure_reference(url), REFERENCE_S + 60))
        floor = asyncio.run(asyncio.wait_for(measure_reference(url, live_floor=True), REFERENCE_S + 90))
        loaded = loaded_reference = loaded_floor = None
        if UNDER_LOAD:  # the same again, every core kept busy at this priority (the servers compete too)
            with cpu_load(seconds=MEASURE_S + 2 * REFERENCE_S + 600):
                loaded = asyncio.run(asyncio.wait_for(measure(url), MEASURE_S + 120))
                loaded_reference = asyncio.run(asyncio.wait_for(measure_reference(url), REFERENCE_S + 60))
                loaded_floor = asyncio.run(asyncio.wait_for(measure_reference(url, live_floor=True), REFERENCE_S + 90))
    yield from _figures(figures, reference, floor, "")
    if loaded is not None and loaded_reference is not None and loaded_floor is not None:
        yield from _figures(loaded, loaded_reference, loaded_floor, "_loaded")


def _figures(
    figures: dict[str, Any], reference: dict[str, Any], live: dict[str, Any], suffix: str
) -> Iterator[dict[str, Any]]:
    if not figures["samples"]:
        raise RuntimeError(f"no message reached the monitor panel ({figures['posted']} posted)")
    figure = timing(
        f"monitor_customer_message_to_supervisor_screen{suffix}",
        [s * 1000 for s in figures["samples"]],
        100.0,
        "ms",
        1,
    )
    load = {"load_procs": cores() if suffix else 0, "cores": os.cpu_count()}
    figure.update(
        posted=figures["posted"],
        monitored=MONITORED,
        monitored_at_end=figures["monitored_at_end"],
        floor_agents=figures["agents_on_screen"],
        load_avg_start=[round(x, 2) for x in figures["load_start"]],
        load_avg_end=[round(x, 2) for x in figures["load_end"]],
        **load,
        parts_p50_ms={k: round(statistics.median(v) * 1000, 1) for k, v in figures["parts"].items() if v},
        parts_p99_ms={k: round(percentile(v, 0.99) * 1000, 1) for k, v in figures["parts"].items() if v},
    )
    yield figure
    yield from _against(
        figure,
        reference,
        f"monitor_reference_floor{suffix}",
        f"monitor_p99_over_reference_p99{suffix}",
        load,
        "the reference floor",
        "none (what a bare app on the same stream achieves)",
        ratio_target=None,
    )
    yield from _against(
        figure,
        live,
        f"monitor_reference_live_floor{suffix}",
        f"monitor_p99_over_live_floor_p99{suffix}",
        load,
        "the live-floor reference",
        "none (a bare app painting a floor of the same size, on the same streams)",
        ratio_target=2.0,
    )


def _against(
    figure: dict[str, Any],
    reference: dict[str, Any],
    name: str,
    ratio_name: str,
    load: dict[str, Any],
    what: str,
    target: str,
    ratio_target: float | None,
) -> Iterator[dict[str, Any]]:
    """A bare reference's row, then the desk's p99 over it (with a target met or not only where one is set)."""
    if not reference["samples"]:
        raise RuntimeError(f"no message reached {what} ({reference['posted']} posted)")
    row = timing(name, [s * 1000 for s in reference["samples"]], 0, "ms", 1)
    row.update(
        target=target,
        posted=reference["posted"],
        load_avg_start=[round(x, 2) for x in reference["load_start"]],
        load_avg_end=[round(x, 2) for x in reference["load_end"]],
        **load,
    )
    yield row
    ratio = {
        "name": ratio_name,
        "unit": "ratio",
        "value": round(figure["p99"] / row["p99"], 2) if row["p99"] else None,
        "p50_ratio": round(figure["p50"] / row["p50"], 2) if row["p50"] else None,
        "target": "none (how much of the p99 is the desk's, not the machine's)",
    }
    if ratio_target is not None:
        ratio["target"] = f"≤ {ratio_target:g}"
        ratio["met"] = bool(row["p99"]) and figure["p99"] / row["p99"] <= ratio_target
    yield ratio


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure))
