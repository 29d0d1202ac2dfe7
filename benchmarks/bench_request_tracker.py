"""Screen pop through a real Request Tracker 5, with the mock CRM's screen pop of the same run beside it.

`rt_screen_pop_latency`: the same measure as `screen_pop_latency` (bench_screen_pop.py: from the CCaaS publishing an
offer to the customer card rendered, each contact taken and wrapped up through the desktop's keys) with the desk's CRM
on the RT backend against RT 5 (Debian's packages, started by agent_desktop_mocks/request_tracker.py over a copy of
its template seeded with the same customers through REST 2). An RT pop is several requests to a Perl server: the users
whose `Phone` custom field holds the number's last digits, each candidate read, their tickets and comments.
`rt_screen_pop_mock_crm_same_run` is the desk on the mock CRM's API over the same customers, in the same run: the
halves alternate (mock, RT, mock, RT) so both see the machine's load as it changes.

RT is seeded at a count it takes in minutes, not a million: `BENCH_RT_CUSTOMERS` (default 300, the demo's: its
template is the demo's, built once per machine) and `BENCH_RT_OFFERS` (per CRM, default 40), or
`python -m benchmarks.bench_request_tracker --customers N --offers N`.
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
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.app.demo import free_port, wait_healthy
from agent_desktop_mocks import request_tracker
from agent_desktop_mocks.demo_people import callers
from benchmarks.bench_screen_pop import AGENT, ROOT, SEED, Servers, desktop_screen_pops
from benchmarks.crm_cache import cached_crm_dir
from benchmarks.figures import timing

TARGET_P99_MS = (
    300.0  # a Perl server's several requests: the card within a third of a second, the caller still saying hello
)


@contextmanager
def servers(customers: int) -> Iterator[tuple[Servers, tuple[str, str]]]:
    """The mock CRM, the CCaaS + presence (child processes), and RT over a copy of its seeded template."""
    version = request_tracker.installed_version()
    if version is None or request_tracker.missing_packages():
        raise RuntimeError(request_tracker.MISSING)
    seeded = request_tracker.template(version, SEED, customers)
    crm_dir = cached_crm_dir(SEED, customers)
    crm_port, ccaas_port, presence_port = free_port(), free_port(), free_port()
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="bench-rt-") as others_dir, ExitStack() as stack:
        try:
            for kind, data_dir, ports, urls in (
                ("crm", crm_dir, f"{crm_port}", [f"http://127.0.0.1:{crm_port}"]),
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
            rt = stack.enter_context(request_tracker.running_rt(Path(others_dir) / "rt", seeded))
            yield (
                Servers(
                    f"http://127.0.0.1:{ccaas_port}",
                    f"http://127.0.0.1:{crm_port}",
                    f"http://127.0.0.1:{presence_port}",
                ),
                (rt.url, rt.token),
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


def _parts() -> dict[str, list[float]]:
    return {"to_lookup_start": [], "lookup": [], "answer_to_painted": []}


async def both_crms(
    urls: Servers, rt: tuple[str, str], customers: int, offers: int
) -> dict[str, dict[str, list[float]]]:
    """`offers` screen pops on each CRM, in alternating halves."""
    rng = random.Random(18)
    people = callers(SEED, customers)
    found: dict[str, dict[str, list[float]]] = {}
    for crm in ("mock", "rt", "mock", "rt"):
        half = offers // 2 if crm not in found else offers - offers // 2
        parts = found.setdefault(crm, {"pops": [], **_parts()})
        more = _parts()
        pops = await desktop_screen_pops(urls, people, customers, half, rng, more, rt=rt if crm == "rt" else None)
        parts["pops"] += pops
        async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10, headers=AGENT) as ccaas:
            # the next half's desktop starts as the first did: with the agent offline
            (await ccaas.put("/v1/agents/agent-001/state", json={"state": "offline"})).raise_for_status()
        for name, values in more.items():
            parts[name] += values
    return found


def measure(customers: int, offers: int) -> Iterator[dict[str, Any]]:
    with servers(customers) as (urls, rt):
        found = asyncio.run(both_crms(urls, rt, customers, offers))
    load = round(os.getloadavg()[0], 2)
    figures = {}
    for crm, name in (("rt", "rt_screen_pop_latency"), ("mock", "rt_screen_pop_mock_crm_same_run")):
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
            "target": {"p99": TARGET_P99_MS} if crm == "rt" else "none (the same run's mock CRM, beside it)",
            "crm": "RT backend → Request Tracker 5 (REST 2)" if crm == "rt" else "mock CRM API",
            "customers": customers,
            "parts_p50_ms": where,
            "lookup_p99_ms": lookup["p99"],
            "load_average_1m": load,
        }
    yield {
        "name": "rt_screen_pop_p50_over_mock_crm_p50",
        "unit": "ratio",
        "value": round(figures["rt"]["p50"] / figures["mock"]["p50"], 2),
        "target": "none (what a real ticketing system's requests cost)",
    }


def run() -> Iterator[dict[str, Any]]:
    yield from measure(int(os.environ.get("BENCH_RT_CUSTOMERS", 300)), int(os.environ.get("BENCH_RT_OFFERS", 40)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--offers", type=int, default=40)
    options = parser.parse_args()
    for row in measure(options.customers, options.offers):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
