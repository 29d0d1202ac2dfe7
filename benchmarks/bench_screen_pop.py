"""Screen-pop latency at a million customers, against a reference floor measured in the same run.

`screen_pop_latency`: from the CCaaS publishing an offer (its `offered_at`) to the customer card
rendered on the desktop (the first refresh after the record is set on it), over N offers from
random known callers, their number in a random written form. Each contact is taken and wrapped up
through the desktop's keys (a, e, disposition and notes, ctrl+s), and the desk is asserted to hold
nothing between offers, so every offer meets the same steady desk; the first and last 100 offers
are reported apart (they must agree). In the same run, the reference floor: a bare Textual app of
the same size with one widget, on the same CCaaS stream, doing the same CRM lookup and painting the
same summary; `screen_pop_p50_over_reference_p50` is the ratio. CRM throughput alone is
`bench_crm.py`.

The CRM (a cached seeded database, `benchmarks/crm_cache.py`) and the CCaaS + presence run in two
child processes; the desktop runs headless in this one. Sizes: `BENCH_CUSTOMERS` (default
1,000,000) and `BENCH_OFFERS` (default 300: about 3 s each through the keys), or `python -m benchmarks.bench_screen_pop
--customers N --offers N`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from textual import work
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings, free_port, wait_healthy
from agent_desktop.domain.models import AgentStateEvent, OfferEvent, OfferState
from agent_desktop.services import Backends
from agent_desktop.ui.agent.callers.customer_card import CustomerCard
from agent_desktop.ui.agent.wrap_up.wrap_up_form import WrapUpForm
from agent_desktop_mocks.demo_people import Caller, callers
from benchmarks.bench_crm import written
from benchmarks.crm_cache import cached_crm_dir
from benchmarks.figures import timing
from tests.support.desk_app import desk_app
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import (
    accept,
    agent_screen,
    end_and_fill_wrap_up,
    go_available,
    screen_text,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = 42
AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
SIZE = (120, 40)


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


async def wait_for(condition: Callable[[], object], timeout_s: float = 30.0, step_s: float = 0.002) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(step_s)


def offer_free_desk(pilot: Pilot[None]) -> str | None:
    """What the desk still holds between offers (None: nothing). A steady desk holds no contact,
    no offer, no caller's record and no wrap-up once the last contact is wrapped up."""
    screen = agent_screen(pilot)
    held: dict[str, object] = {
        "contacts": screen.query_one("#contacts", DataTable).row_count,
        "customer card": screen.query_one(CustomerCard).rendered_customer_id,
        "wrap-up": screen.query_one(WrapUpForm).contact,
        "offer": "s left" in screen_text(pilot, "#offer") or None,
    }
    held = {name: value for name, value in held.items() if value}
    desk = screen.desk  # and the model behind the screen: no contact, offer, lookup, draft or status kept
    if not desk.holds_nothing():
        held["desk"] = (list(desk.held), desk.offer, list(desk.lookups), list(desk.wrap_ups), desk.wrap_ups.status)
    return None if not held else repr(held)


async def desktop_screen_pops(
    urls: Servers,
    people: Sequence[Caller],
    customers: int,
    offers: int,
    rng: random.Random,
    parts: dict[str, list[float]],
    zendesk_url: str | None = None,
    rt: tuple[str, str] | None = None,
) -> list[float]:
    """`offers` contacts taken and wrapped up through the desktop's keys, as an agent would. `parts` gets
    where each pop's time went: offer published → lookup started, the lookup, its answer → card painted.
    With `zendesk_url`, the desk's CRM is the Zendesk backend against the Zendesk-shaped mock there (the
    same customers: user N is the CRM's cus-N); with `rt` (a URL and a token), the RT backend against a real Request
    Tracker seeded with the same customers (each named by their email)."""
    settings = demo_settings(urls.ccaas_url, urls.crm_url, urls.presence_url, zendesk_url=zendesk_url, rt=rt)
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as outbox_dir:
        settings = settings.model_copy(update={"outbox_path": Path(outbox_dir) / "outbox.db"})
        app = desk_app(build_backends(settings))
        async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10) as ccaas, app.run_test(size=SIZE) as pilot:
            card = pilot.app.screen.query_one(CustomerCard)
            await go_available(pilot)
            for number in range(offers):
                caller = people[rng.randrange(customers)]
                customer_id = str(caller.index + 1) if zendesk_url else f"cus-{caller.index + 1:06d}"
                if rt is not None:
                    customer_id = caller.email.lower()
                await wait_until(pilot, lambda: "● Available" in screen_text(pilot, "#agent-status"), "Available")
                held = offer_free_desk(pilot)
                assert held is None, f"before offer {number}, the desk still holds {held}"
                card.rendered_at = None
                (
                    await ccaas.post(
                        "/v1/contacts",
                        json={
                            "queue_id": "billing",
                            "channel": "voice",
                            "from_address": written(rng, caller.phone_e164),
                        },
                        headers=SUPERVISOR,
                    )
                ).raise_for_status()

                def painted(customer_id: str = customer_id) -> bool:
                    return card.rendered_customer_id == customer_id and card.rendered_at is not None

                await wait_for(painted)
                (offer,) = (await ccaas.get("/v1/agents/agent-001/offers", headers=AGENT)).json()
                published = datetime.fromisoformat(offer["offered_at"]).timestamp()
                rendered_at: float = present(card.rendered_at)  # (set to None before the call was placed)
                samples.append(rendered_at - published)
                lookup = agent_screen(pilot).desk.lookups[offer["contact"]["id"]]
                answered_at = present(lookup.answered_at)
                parts["to_lookup_start"].append(lookup.started_at - published)
                parts["lookup"].append(answered_at - lookup.started_at)
                parts["answer_to_painted"].append(rendered_at - answered_at)
                await accept(pilot)
                await end_and_fill_wrap_up(pilot, "ok")  # short: each key is a Pilot round trip
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be wrapped up")
            await wait_until(pilot, lambda: offer_free_desk(pilot) is None, "the desk to hold nothing")
    return samples


class ReferenceFloor(App[None]):
    """The floor: a bare app of the same size with one widget, on the same stream, doing the same
    lookup and painting the same customer summary. Nothing a desktop does can be faster than this."""

    def __init__(self, backends: Backends) -> None:
        super().__init__()
        self.backends = backends
        self.agent_state: str | None = None
        self.rendered: dict[str, float] = {}  # customer id -> when its summary was on screen
        self._tasks: set[asyncio.Task[None]] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="summary")

    def on_mount(self) -> None:
        self.listen()

    @work(exclusive=True)
    async def listen(self) -> None:
        async for item in self.backends.contact_center.events():
            if isinstance(item, AgentStateEvent):
                self.agent_state = item.agent.state.value
            elif isinstance(item, OfferEvent) and item.offer.state is OfferState.PENDING:
                task = asyncio.create_task(self.pop(item.offer.contact.from_address))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def pop(self, address: str) -> None:
        crm = self.backends.crm
        result = await crm.lookup(address)
        record = result.record or await crm.customer_record(result.customers[0].id)
        record = record.model_copy(update={"matched_on": result.matched_on})
        self.query_one("#summary", Static).update(CustomerCard.summary_of(record, len(result.customers)))
        customer_id = record.customer.id
        self.call_after_refresh(lambda: self.rendered.__setitem__(customer_id, time.time()))

    async def on_unmount(self) -> None:
        await self.backends.aclose()


async def reference_screen_pops(
    urls: Servers, people: Sequence[Caller], customers: int, offers: int, rng: random.Random
) -> list[float]:
    settings = demo_settings(urls.ccaas_url, urls.crm_url, urls.presence_url)
    samples: list[float] = []
    app = ReferenceFloor(build_backends(settings))
    async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10, headers=AGENT) as ccaas, app.run_test(size=SIZE):
        await wait_for(lambda: app.agent_state is not None)
        (await ccaas.put("/v1/agents/agent-001/state", json={"state": "available"})).raise_for_status()
        for _ in range(offers):
            caller = people[rng.randrange(customers)]
            customer_id = f"cus-{caller.index + 1:06d}"
            await wait_for(lambda: app.agent_state == "available")
            app.rendered.pop(customer_id, None)
            (
                await ccaas.post(
                    "/v1/contacts",
                    json={"queue_id": "billing", "channel": "voice", "from_address": written(rng, caller.phone_e164)},
                    headers=SUPERVISOR,
                )
            ).raise_for_status()

            def painted(customer_id: str = customer_id) -> bool:
                return app.rendered.get(customer_id) is not None

            await wait_for(painted)
            (offer,) = (await ccaas.get("/v1/agents/agent-001/offers")).json()
            samples.append(app.rendered[customer_id] - datetime.fromisoformat(offer["offered_at"]).timestamp())
            contact = (await ccaas.post(f"/v1/offers/{offer['id']}/accept")).json()
            await ccaas.post(f"/v1/contacts/{contact['id']}/end")
            (
                await ccaas.post(f"/v1/contacts/{contact['id']}/complete", json={"disposition": "Resolved"})
            ).raise_for_status()
        (await ccaas.put("/v1/agents/agent-001/state", json={"state": "offline"})).raise_for_status()
    return samples


async def screen_pop(urls: Servers, customers: int, offers: int) -> dict[str, list[float]]:
    """The desktop's screen pops, between two halves of the reference floor's (the machine's load
    may change during the run: both see it)."""
    rng = random.Random(7)
    people = callers(SEED, customers)
    reference_offers = max(50, offers // 5)
    parts: dict[str, list[float]] = {"to_lookup_start": [], "lookup": [], "answer_to_painted": []}
    reference = await reference_screen_pops(urls, people, customers, reference_offers // 2, rng)
    desktop = await desktop_screen_pops(urls, people, customers, offers, rng, parts)
    reference += await reference_screen_pops(urls, people, customers, reference_offers - reference_offers // 2, rng)
    return {"desktop": desktop, "reference": reference, **parts}


def measure(customers: int, offers: int) -> Iterator[dict[str, Any]]:
    with servers(customers) as urls:
        samples = asyncio.run(screen_pop(urls, customers, offers))
        desktop = [s * 1000 for s in samples["desktop"]]
        reference = [s * 1000 for s in samples["reference"]]
        total = timing("screen_pop_latency", desktop, target=100.0, unit="ms", digits=1)
        where = {
            name: round(statistics.median(samples[name]) * 1000, 1)
            for name in ("to_lookup_start", "lookup", "answer_to_painted")
        }
        yield {**total, "target": {"p50": 30.0, "p99": 100.0}, "customers": customers, "parts_p50_ms": where}
        window = min(100, len(desktop) // 2)
        first = timing(f"screen_pop_latency_first_{window}", desktop[:window], target=0, unit="ms", digits=1)
        last = timing(f"screen_pop_latency_last_{window}", desktop[-window:], target=0, unit="ms", digits=1)
        drift = round(abs(last["p50"] - first["p50"]) / first["p50"] * 100, 1)
        yield {**first, "target": {"p50": "within 15 % of the last"}, "customers": customers}
        yield {**last, "target": {"p50": "within 15 % of the first"}, "customers": customers, "drift_p50_pct": drift}
        floor = timing("screen_pop_reference_floor", reference, target=0, unit="ms", digits=1)
        yield {**floor, "target": "none (what a bare app on the same stream achieves)", "customers": customers}
        yield {
            "name": "screen_pop_p50_over_reference_p50",
            "unit": "ratio",
            "value": round(total["p50"] / floor["p50"], 2),
            "target": 2.0,
        }


def run() -> Iterator[dict[str, Any]]:
    yield from measure(int(os.environ.get("BENCH_CUSTOMERS", 1_000_000)), int(os.environ.get("BENCH_OFFERS", 300)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=300)
    args = parser.parse_args()
    for figure in measure(args.customers, args.offers):
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
