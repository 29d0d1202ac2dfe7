"""Offer to screen through Twilio's shape: the Twilio backend beside the mock backend, in the same run.

`twilio_offer_to_screen_latency`: from the routing engine making an offer (its `offered_at`) to the caller's card
painted on the desk, the desk on the Twilio backend: the engine's offer becomes a Reservation on the
Twilio-shaped mock, whose signed Event Callback goes to the Twilio event relay (its own process), which streams
it to the desk; the desk reads the Reservation and the Task from the Twilio-shaped REST API, shows the offer
and looks the caller up in the CRM. `mock_offer_to_screen_latency`: the same offers on the same servers, the
desk on the mock CCaaS's own API and stream. Both are run in alternating blocks so a load that changes during
the run falls on both. Every contact is taken, ended and wrapped up by keys (a, e, disposition, ctrl+s), so each
offer meets the same steady desk.

The mocks (no simulator: the benchmark places every call) and the relay run in two child processes; the desk
runs headless in this one. Sizes: `BENCH_TWILIO_OFFERS` (default 100 per backend), or `python -m
benchmarks.bench_twilio --offers N`. Every wait is bounded: a dead child ends the run with an error.
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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import DEMO_RELAY_SECRET, DEMO_TWILIO_AUTH_TOKEN, demo_settings, free_port, wait_healthy
from agent_desktop.ui.agent.callers.customer_card import CustomerCard
from agent_desktop_mocks.demo_people import Caller, callers
from benchmarks.bench_crm import written
from benchmarks.bench_screen_pop import offer_free_desk, wait_for
from benchmarks.figures import timing
from tests.support.desk_app import desk_app
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import (
    accept,
    agent_screen,
    describe,
    end_and_fill_wrap_up,
    go_available,
    screen_text,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = 42
CUSTOMERS = 300  # the demo's CRM: the CRM at scale is bench_screen_pop's
AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
SIZE = (120, 40)
BLOCKS = 4  # per backend, alternating


@dataclass(frozen=True)
class Servers:
    ccaas_url: str
    crm_url: str
    presence_url: str
    twilio_url: str
    relay_url: str
    processes: tuple[subprocess.Popen[bytes], ...]

    def alive(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                raise RuntimeError(f"a server process ended (code {process.returncode}): {process.args!r}")


@contextmanager
def servers() -> Iterator[Servers]:
    ports = [free_port() for _ in range(5)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    with tempfile.TemporaryDirectory(prefix="bench-twilio-") as folder:
        relay = [
            sys.executable,
            "-m",
            "agent_desktop_relay",
            "--host",
            "127.0.0.1",
            "--port",
            str(ports[4]),
            "--store",
            f"{folder}/twilio-relay.sqlite3",
        ]
        mocks = [
            sys.executable,
            "-m",
            "agent_desktop_mocks",
            "--ccaas-port",
            str(ports[0]),
            "--crm-port",
            str(ports[1]),
            "--presence-port",
            str(ports[2]),
            "--twilio",
            "--twilio-port",
            str(ports[3]),
            "--twilio-callback-url",
            f"{urls[4]}/twilio/events",
            "--data-dir",
            folder,
            "--fresh",
            "--no-simulator",
            "--seed",
            str(SEED),
            "--customers",
            str(CUSTOMERS),
        ]
        env = {**os.environ, "TWILIO_AUTH_TOKEN": DEMO_TWILIO_AUTH_TOKEN, "RELAY_SECRET": DEMO_RELAY_SECRET}
        processes: list[subprocess.Popen[bytes]] = []
        try:
            processes.append(subprocess.Popen(relay, cwd=ROOT, env=env, stdout=subprocess.DEVNULL))  # errors on stderr
            wait_healthy([urls[4]], processes[0], timeout_s=60, what="the Twilio event relay")
            processes.append(subprocess.Popen(mocks, cwd=ROOT, stdout=subprocess.DEVNULL))
            wait_healthy(urls[:4], processes[1], timeout_s=120)
            ccaas_url, crm_url, presence_url, twilio_url, relay_url = urls
            yield Servers(ccaas_url, crm_url, presence_url, twilio_url, relay_url, processes=tuple(processes))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


async def screen_pops(
    urls: Servers, twilio: bool, offers: int, rng: random.Random, people: Sequence[Caller], to_desk: list[float]
) -> list[float]:
    """`offers` voice calls, each taken and wrapped up by keys on a desk on the Twilio or the mock backend:
    seconds from the engine's offer to the caller's card painted (`to_desk` gets the part until the desk had
    parsed the offer and started the lookup: the event path)."""
    settings = demo_settings(
        urls.ccaas_url,
        urls.crm_url,
        urls.presence_url,
        twilio_url=urls.twilio_url if twilio else None,
        relay_url=urls.relay_url if twilio else None,
    )
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as outbox_dir:
        settings = settings.model_copy(update={"outbox_path": Path(outbox_dir) / "outbox.db"})
        app = desk_app(build_backends(settings))
        async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10) as ccaas, app.run_test(size=SIZE) as pilot:
            card = pilot.app.screen.query_one(CustomerCard)
            await go_available(pilot)
            for number in range(offers):
                urls.alive()
                caller = people[rng.randrange(CUSTOMERS)]
                customer_id = f"cus-{caller.index + 1:06d}"
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
                try:

                    def painted(customer_id: str = customer_id) -> bool:
                        return card.rendered_customer_id == customer_id and card.rendered_at is not None

                    await wait_for(painted, timeout_s=20)
                except TimeoutError:
                    which = "Twilio" if twilio else "mock"
                    alive = [process.poll() is None for process in urls.processes]
                    raise TimeoutError(
                        f"offer {number} on the {which} backend: no card in 20 s (relay, mocks alive: {alive})"
                        f"\n{describe(pilot)}"
                    ) from None
                (offer,) = (await ccaas.get("/v1/agents/agent-001/offers", headers=AGENT)).json()
                published = datetime.fromisoformat(offer["offered_at"]).timestamp()
                rendered_at: float = present(card.rendered_at)  # (set to None before the call was placed)
                samples.append(rendered_at - published)
                contact_id = offer["contact"]["id"]
                if twilio:  # the Task's SID carries the engine's number (agent_desktop_mocks/twilio/sids.py)
                    contact_id = f"WT{int(contact_id.split('-', 1)[1]):032x}"
                to_desk.append(agent_screen(pilot).desk.lookups[contact_id].started_at - published)
                await accept(pilot)
                await end_and_fill_wrap_up(pilot, "ok")  # short: each key is a Pilot round trip
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be wrapped up")
            await wait_until(pilot, lambda: offer_free_desk(pilot) is None, "the desk to hold nothing")
        # Offline before the next desk signs in (the next block's desk waits for Offline, then goes Available).
        async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10, headers=AGENT) as ccaas:
            (await ccaas.put("/v1/agents/agent-001/state", json={"state": "offline"})).raise_for_status()
    return samples


async def both(urls: Servers, offers: int) -> dict[str, list[float]]:
    rng = random.Random(7)
    people = callers(SEED, CUSTOMERS)
    found: dict[str, list[float]] = {"twilio": [], "mock": [], "twilio_to_desk": [], "mock_to_desk": []}
    block = max(1, offers // BLOCKS)
    for index in range(BLOCKS):
        size = block if index < BLOCKS - 1 else offers - block * (BLOCKS - 1)
        for name in ("mock", "twilio") if index % 2 == 0 else ("twilio", "mock"):
            found[name] += await screen_pops(urls, name == "twilio", size, rng, people, found[f"{name}_to_desk"])
    return found


def measure(offers: int) -> Iterator[dict[str, Any]]:
    started = time.monotonic()
    with servers() as urls:
        samples = asyncio.run(both(urls, offers))
    twilio = [s * 1000 for s in samples["twilio"]]
    mock = [s * 1000 for s in samples["mock"]]
    figure = timing("twilio_offer_to_screen_latency", twilio, target=150.0, unit="ms", digits=1)
    path = "engine → Twilio-shaped mock → signed callback → relay (process) → SSE → desk reads Reservation + Task → CRM lookup → card painted"

    def to_desk_p50(name: str) -> float:  # the event path: the engine's offer → the desk parsed it
        return round(statistics.median(samples[f"{name}_to_desk"]) * 1000, 1)

    def to_desk_max(name: str) -> float:  # where an outlier's time went: before the desk had the offer, or after
        return round(max(samples[f"{name}_to_desk"]) * 1000, 1)

    yield {
        **figure,
        "path": path,
        "max": round(max(twilio), 1),
        "offer_to_desk_p50_ms": to_desk_p50("twilio"),
        "offer_to_desk_max_ms": to_desk_max("twilio"),
    }
    reference = timing("mock_offer_to_screen_latency", mock, target=150.0, unit="ms", digits=1)
    yield {
        **reference,
        "path": "engine → mock CCaaS SSE → desk → CRM lookup → card painted",
        "max": round(max(mock), 1),
        "offer_to_desk_p50_ms": to_desk_p50("mock"),
        "offer_to_desk_max_ms": to_desk_max("mock"),
    }
    yield {
        "name": "twilio_over_mock_offer_to_screen_p50",
        "unit": "ratio",
        "value": round(statistics.median(twilio) / statistics.median(mock), 2),
        "target": "none (what the Twilio event path adds)",
        "seconds": round(time.monotonic() - started, 1),
    }


def run() -> Iterator[dict[str, Any]]:
    yield from measure(int(os.environ.get("BENCH_TWILIO_OFFERS", 100)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100, help="offers per backend (default %(default)s)")
    args = parser.parse_args()
    for figure in measure(args.offers):
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
