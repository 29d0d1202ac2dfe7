"""Screen pop through Zendesk at a million users, with the mock CRM's screen pop of the same run beside it.

`zendesk_screen_pop_latency`: the same measure as `screen_pop_latency` (bench_screen_pop.py: from the
CCaaS publishing an offer to the customer card rendered, each contact taken and wrapped up through the
desktop's keys) with the desk's CRM on the Zendesk backend against the Zendesk-shaped mock. A Zendesk
pop is several requests where the mock CRM's is one: the user by phone (`/api/v2/search`), their tickets,
then the comments of each of their newest tickets side by side. `zendesk_screen_pop_mock_crm_same_run`
is the desk on the mock CRM's API over the same database, in the same run: the halves alternate (mock,
Zendesk, mock, Zendesk) so both see the machine's load as it changes. Callers are drawn at random from
the million, their numbers in a random written form.

The CRM and the Zendesk mock (one cached seeded database, `benchmarks/crm_cache.py`) and the CCaaS +
presence run in three child processes; the desktop runs headless in this one. `BENCH_CUSTOMERS`
(default 1,000,000) and `BENCH_ZENDESK_OFFERS` (per CRM, default 120: about 3 s each through the keys),
or `python -m benchmarks.bench_zendesk --customers N --offers N`.
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
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from agent_desktop.app.demo import free_port, wait_healthy
from agent_desktop_mocks.demo_people import callers
from benchmarks.bench_screen_pop import AGENT, ROOT, SEED, Servers, desktop_screen_pops
from benchmarks.crm_cache import cached_crm_dir
from benchmarks.figures import timing

TARGET_P99_MS = 100.0


@contextmanager
def servers(customers: int) -> Iterator[tuple[Servers, str]]:
    """The mock CRM, the Zendesk mock over the same database, and the CCaaS + presence; started one after
    the other (each waits healthy before the next opens the database)."""
    crm_dir = cached_crm_dir(SEED, customers)
    crm_port, zendesk_port, ccaas_port, presence_port = free_port(), free_port(), free_port(), free_port()
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="bench-zendesk-") as others_dir:
        try:
            for kind, data_dir, ports, urls in (
                ("crm", crm_dir, f"{crm_port}", [f"http://127.0.0.1:{crm_port}"]),
                ("zendesk", crm_dir, f"{zendesk_port}", [f"http://127.0.0.1:{zendesk_port}"]),
                (
                    "ccaas",
                    others_dir,
                    f"{ccaas_port},{presence_port}",
                    [f"http://127.0.0.1:{ccaas_port}", f"http://127.0.0.1:{presence_port}"],
                ),
            ):
                command = [
                    sys.executable,
                    "-m",
                    "benchmarks.mock_process",
                    kind,
                    str(data_dir),
                    ports,
                    str(SEED),
                    str(customers),
                ]
                processes.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL))
                wait_healthy(urls, processes[-1], timeout_s=120)
            yield (
                Servers(
                    f"http://127.0.0.1:{ccaas_port}",
                    f"http://127.0.0.1:{crm_port}",
                    f"http://127.0.0.1:{presence_port}",
                ),
                f"http://127.0.0.1:{zendesk_port}",
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


def _parts() -> dict[str, list[float]]:
    return {"to_lookup_start": [], "lookup": [], "answer_to_painted": []}


async def both_crms(urls: Servers, zendesk_url: str, customers: int, offers: int) -> dict[str, dict[str, list[float]]]:
    """`offers` screen pops on each CRM, in alternating halves."""
    rng = random.Random(18)
    people = callers(SEED, customers)
    found: dict[str, dict[str, list[float]]] = {}
    for crm in ("mock", "zendesk", "mock", "zendesk"):
        half = offers // 2 if crm not in found else offers - offers // 2
        parts = found.setdefault(crm, {"pops": [], **_parts()})
        more = _parts()
        pops = await desktop_screen_pops(
            urls, people, customers, half, rng, more, zendesk_url=zendesk_url if crm == "zendesk" else None
        )
        parts["pops"] += pops
        async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10, headers=AGENT) as ccaas:
            # the next half's desktop starts as the first did: with the agent offline
            (await ccaas.put("/v1/agents/agent-001/state", json={"state": "offline"})).raise_for_status()
        for name, values in more.items():
            parts[name] += values
    return found


def measure(customers: int, offers: int) -> Iterator[dict[str, Any]]:
    with servers(customers) as (urls, zendesk_url):
        found = asyncio.run(both_crms(urls, zendesk_url, customers, offers))
    load = round(os.getloadavg()[0], 2)
    figures = {}
    for crm, name in (("zendesk", "zendesk_screen_pop_latency"), ("mock", "zendesk_screen_pop_mock_crm_same_run")):
        samples = [s * 1000 for s in found[crm]["pops"]]
        figure = timing(name, samples, target=TARGET_P99_MS, unit="ms", digits=1)
        where = {
            part: round(statistics.median(found[crm][part]) * 1000, 1)
            for part in ("to_lookup_start", "lookup", "answer_to_painted")
        }
        lookup = timing("lookup", [s * 1000 for s in found[crm]["lookup"]], target=0, unit="ms", digits=1)
        figures[crm] = figure
        yield {
            **figure,
            "target": {"p99": TARGET_P99_MS} if crm == "zendesk" else "none (the same run's mock CRM, beside it)",
            "crm": "Zendesk backend → Zendesk-shaped mock" if crm == "zendesk" else "mock CRM API",
            "customers": customers,
            "parts_p50_ms": where,
            "lookup_p99_ms": lookup["p99"],
            "load_average_1m": load,
        }
    yield {
        "name": "zendesk_screen_pop_p50_over_mock_crm_p50",
        "unit": "ratio",
        "value": round(figures["zendesk"]["p50"] / figures["mock"]["p50"], 2),
        "target": "none (what the extra requests cost)",
    }


def run() -> Iterator[dict[str, Any]]:
    yield from measure(
        int(os.environ.get("BENCH_CUSTOMERS", 1_000_000)), int(os.environ.get("BENCH_ZENDESK_OFFERS", 120))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=120)
    args = parser.parse_args()
    for figure in measure(args.customers, args.offers):
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
