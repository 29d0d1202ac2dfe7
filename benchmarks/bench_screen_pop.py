"""Screen-pop latency at a million customers.

`screen_pop_latency`: from the CCaaS publishing an offer (its `offered_at`) to the customer card
rendered on the desktop (the first refresh after the record is set on it), over N offers from
random known callers, their number in a random written form. Measured in the same run, the
floor: one loopback CRM lookup, one event delivery (offer published → the desktop starts its
lookup) and one screen refresh, so the latency reads as a ratio to it. CRM throughput alone is
`bench_crm.py`.

The CRM (a cached seeded database, `benchmarks/crm_cache.py`) and the CCaaS + presence run in two
child processes; the desktop runs headless in this one. Sizes: `BENCH_CUSTOMERS` (default
1,000,000) and `BENCH_OFFERS` (default 1,000), or `python -m benchmarks.bench_screen_pop
--customers N --offers N`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.bench_crm import written
from benchmarks.crm_cache import cached_crm_dir
from benchmarks.figures import timing
from desktop.backends.crm_http import HttpCrm
from desktop.backends.factory import build_backends
from desktop.demo import demo_settings, free_port, wait_healthy
from desktop.ui.app import AgentDesktopApp
from desktop.ui.widgets.customer_card import CustomerCard
from mock_backends.demo_people import callers

ROOT = Path(__file__).resolve().parent.parent
SEED = 42
AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}


@dataclass(frozen=True)
class Servers:
    ccaas_url: str
    crm_url: str
    presence_url: str


@contextmanager
def servers(customers: int) -> Iterator[Servers]:
    crm_dir = cached_crm_dir(SEED, customers)
    crm_port, ccaas_port, presence_port = free_port(), free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="bench-screen-pop-") as others_dir:
        commands = [
            ["crm", str(crm_dir), str(crm_port)],
            ["ccaas", others_dir, f"{ccaas_port},{presence_port}"],
        ]
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "benchmarks.mock_process", *command, str(SEED), str(customers)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            for command in commands
        ]
        try:
            urls = Servers(
                f"http://127.0.0.1:{ccaas_port}", f"http://127.0.0.1:{crm_port}", f"http://127.0.0.1:{presence_port}"
            )
            for process, url_list in zip(processes, ([urls.crm_url], [urls.ccaas_url, urls.presence_url]), strict=True):
                wait_healthy(url_list, process, timeout_s=120)
            yield urls
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


async def wait_for(condition, timeout_s: float = 30.0, step_s: float = 0.002) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(step_s)


async def refresh_time(card: CustomerCard) -> float:
    """One screen refresh: a widget changed, until the compositor has drawn it."""
    done = asyncio.Event()
    started = time.time()
    card.query_one("#customer-summary").refresh()
    card.call_after_refresh(done.set)
    await done.wait()
    return time.time() - started


async def screen_pop(urls: Servers, customers: int, offers: int) -> dict[str, list[float]]:
    rng = random.Random(7)
    people = callers(SEED, customers)
    settings = demo_settings(urls.ccaas_url, urls.crm_url, urls.presence_url)
    with tempfile.TemporaryDirectory() as outbox_dir:
        settings = settings.model_copy(update={"outbox_path": Path(outbox_dir) / "outbox.db"})
        app = AgentDesktopApp(build_backends(settings))
        samples: dict[str, list[float]] = {"total": [], "event": [], "lookup": [], "refresh": []}
        probe = HttpCrm(urls.crm_url, "demo-crm-token")
        async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10) as ccaas, app.run_test(size=(120, 40)) as pilot:
            screen = pilot.app.screen
            card = screen.query_one(CustomerCard)
            await wait_for(lambda: screen.agent_state is not None)
            (await ccaas.put("/v1/agents/agent-001/state", json={"state": "available"}, headers=AGENT)).raise_for_status()
            for _ in range(offers):
                caller = people[rng.randrange(customers)]
                customer_id = f"cus-{caller.index + 1:06d}"
                address = written(rng, caller.phone_e164)
                await wait_for(lambda: screen.agent_state is not None and screen.agent_state.value == "available")
                (await ccaas.post("/v1/contacts", json={"queue_id": "billing", "channel": "voice", "from_address": address}, headers=SUPERVISOR)).raise_for_status()  # fmt: skip
                await wait_for(lambda: card.rendered_customer_id == customer_id and card.rendered_at is not None)
                offer = screen.offer
                pop = screen.pops[offer.contact.id]
                published = offer.offered_at.timestamp()
                samples["total"].append(card.rendered_at - published)
                samples["event"].append(pop.started_at - published)
                # The floor's other parts, measured now, under the same load.
                started = time.time()
                await probe.lookup(address)
                samples["lookup"].append(time.time() - started)
                samples["refresh"].append(await refresh_time(card))
                # Take the contact off the agent's hands (by the API, not the desktop) for the next offer.
                contact = (await ccaas.post(f"/v1/offers/{offer.id}/accept", headers=AGENT)).json()
                await ccaas.post(f"/v1/contacts/{contact['id']}/end", headers=AGENT)
                await ccaas.post(f"/v1/contacts/{contact['id']}/complete", json={"disposition": "Resolved"}, headers=AGENT)
                card.rendered_at = None
            await probe.aclose()
    return samples


def measure(customers: int, offers: int) -> Iterator[dict]:
    with servers(customers) as urls:
        samples = asyncio.run(screen_pop(urls, customers, offers))
        ms = {name: [s * 1000 for s in values] for name, values in samples.items()}
        total = timing("screen_pop_latency", ms["total"], target=100.0, unit="ms", digits=1)
        floor_parts = {name: timing(name, ms[name], target=0, unit="ms", digits=1)["p50"] for name in ("event", "lookup", "refresh")}
        floor = sum(floor_parts.values())
        yield {
            **total,
            "target": {"p50": 30.0, "p99": 100.0},
            "customers": customers,
            "floor_p50_ms": round(floor, 1),
            "floor_parts_p50_ms": floor_parts,
            "ratio_p50_to_floor": round(total["p50"] / floor, 2) if floor else None,
        }


def run() -> Iterator[dict]:
    yield from measure(int(os.environ.get("BENCH_CUSTOMERS", 1_000_000)), int(os.environ.get("BENCH_OFFERS", 1_000)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=1_000)
    args = parser.parse_args()
    for figure in measure(args.customers, args.offers):
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
