"""A customer's message → the monitoring supervisor's screen (issue 22), on the live 1,000-agent floor.

The mock servers run as the product runs them (`python -m mock_backends --agents 1000 --queues 100`, the
simulator on, real time). The supervisor screen (real HTTP console, headless 120×40) shows the floor and
monitors three chats in progress of simulated agents (joined as `j` does; when one ends, another is joined).
From another thread, as a web chat widget would, a customer's message is posted to one of the three every
~0.25 s; the figure runs from just before the POST until the end of the paint after the monitor card that
shows the message was drawn (the server's work, the SSE push, parsing, the model, the card and the paint).

Figures: `monitor_customer_message_to_supervisor_screen` (target p99 ≤ 100 ms), and the load it ran under
(`os.getloadavg()` at the start and end: this machine is shared).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from benchmarks.figures import timing
from benchmarks.supervisor_timing import SupervisorTimings
from desktop.backend_factory import Backends, build_supervisor
from desktop.demo import demo_settings, free_port, wait_healthy
from mock_backends.common.settings import DEMO_SUPERVISOR_TOKEN

ROOT = Path(__file__).resolve().parent.parent
AGENTS, QUEUES, CUSTOMERS = 1000, 100, 5000
MONITORED = 3
WARM_UP_S = float(os.environ.get("BENCH_MONITOR_WARM_UP_S", "30"))
MEASURE_S = float(os.environ.get("BENCH_MONITOR_MEASURE_S", "60"))
EVERY_S = 0.25


class Customer(threading.Thread):
    """Posts a customer's message to a monitored chat when asked (`send`), timing it from just before the POST."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=5)
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


async def measure(ccaas_url: str) -> dict:
    from desktop.ui.app import AgentDesktopApp
    from desktop.ui.widgets.supervisor.monitor_panel import MonitorCard

    settings = demo_settings(ccaas_url, ccaas_url, ccaas_url)
    console = build_supervisor(settings)
    backends = Backends(contact_center=None, crm=None, presence=None, supervisor=console)  # type: ignore[arg-type]
    app = AgentDesktopApp(backends, desks=("supervisor",))
    shown: dict[str, float] = {}  # text → when a card showing it was drawn
    original_show = MonitorCard.show

    def timed_show(card, monitored, agent_name, selected):  # noqa: ANN001
        original_show(card, monitored, agent_name, selected)
        conversation = monitored.conversation
        if conversation is not None:
            for item in conversation.items[-3:]:
                if item.text.startswith("bench ") and item.text not in shown:
                    shown[item.text] = time.perf_counter()

    MonitorCard.show = timed_show  # type: ignore[method-assign]
    customer = Customer(ccaas_url)
    customer.start()
    samples: list[float] = []
    load_start = os.getloadavg()
    try:
        with SupervisorTimings() as timings:
            async with app.run_test(size=(120, 40)) as pilot:
                screen = app.screen
                while len(screen.floor.agents) < AGENTS:
                    await pilot.pause(0.05)
                await pilot.pause(3.0)
                began = time.perf_counter()
                number = 0
                while time.perf_counter() - began < MEASURE_S:
                    await _keep_monitoring(screen, console)
                    targets = [c for c in screen.monitored.contacts.values() if c.conversation and not c.conversation.ended]
                    if targets:
                        number += 1
                        target = targets[number % len(targets)]
                        customer.send(target.contact_id, f"bench {number} still there?")
                    await asyncio.sleep(EVERY_S)
                await pilot.pause(1.0)
                monitored_at_end = len(screen.monitored.contacts)
                agents_on_screen = len(screen.floor.agents)
        for text, start in customer.sent.items():
            drawn = shown.get(text)
            if drawn is None:
                continue
            paint = next((end for begin, end in timings.paints if begin >= drawn), None)
            if paint is not None:
                samples.append(paint - start)
    finally:
        MonitorCard.show = original_show  # type: ignore[method-assign]
        customer.stop = True
        customer.wake.set()
    return {
        "samples": samples, "posted": len(customer.sent), "load_start": load_start, "load_end": os.getloadavg(),
        "monitored_at_end": monitored_at_end, "agents_on_screen": agents_on_screen,
    }  # fmt: skip


async def _keep_monitoring(screen, console) -> None:  # noqa: ANN001
    """Three chats in progress monitored: when one ended, another simulated agent's chat is joined."""
    if len(screen.monitored.contacts) >= MONITORED:
        return
    chats = [c for hand in list(screen.floor.in_hand.values()) for c in list(hand.values())]
    for contact in chats:
        if len(screen.monitored.contacts) >= MONITORED:
            return
        if contact.channel.value == "chat" and contact.state.value == "connected" and contact.id not in screen.monitored.contacts:
            screen.join_contact(contact.id)
            await asyncio.sleep(0.2)


def run() -> Iterator[dict]:
    ports = [free_port() for _ in range(3)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    with tempfile.TemporaryDirectory(prefix="bench-monitor-") as data_dir:
        command = [
            sys.executable, "-m", "mock_backends", "--fresh", "--data-dir", data_dir,
            "--agents", str(AGENTS), "--queues", str(QUEUES), "--customers", str(CUSTOMERS),
            "--ccaas-port", str(ports[0]), "--crm-port", str(ports[1]), "--presence-port", str(ports[2]),
        ]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_healthy(urls, process, timeout_s=120)
            time.sleep(WARM_UP_S)
            figures = asyncio.run(asyncio.wait_for(measure(urls[0]), MEASURE_S + 120))
        finally:
            process.terminate()
            process.wait(timeout=30)
    if not figures["samples"]:
        raise RuntimeError(f"no message reached the monitor panel ({figures['posted']} posted)")
    figure = timing("monitor_customer_message_to_supervisor_screen", [s * 1000 for s in figures["samples"]], 100.0, "ms", 1)
    figure.update(
        posted=figures["posted"], monitored=MONITORED, monitored_at_end=figures["monitored_at_end"],
        floor_agents=figures["agents_on_screen"], load_avg_start=[round(x, 2) for x in figures["load_start"]],
        load_avg_end=[round(x, 2) for x in figures["load_end"]], cores=os.cpu_count(),
    )  # fmt: skip
    yield figure


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure))
