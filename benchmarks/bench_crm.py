"""CRM lookups per second at a million customers: 8 clients looking callers up by phone, as written.

The CRM (a cached seeded database, `benchmarks/crm_cache.py`) runs in its own process as the
demo runs it. The 8 clients are keep-alive HTTP/1.1 connections from one asyncio process
with a minimal client (request written by hand, status, length and JSON checked): httpx costs
about 2 ms of CPU per request here, twice the server's, and the figure would be the client's.
The CRM runs as BENCH_CRM_WORKERS processes (default 2, one per core) sharing its port.
Beside the rate: the CPU the CRM process used per lookup (from /proc), which depends less on
what else the machine is running. `python -m benchmarks.bench_crm --customers N --seconds S`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from agent_desktop.app.demo import free_port, wait_healthy
from agent_desktop_mocks.demo_people import callers
from benchmarks.crm_cache import cached_crm_dir

ROOT = Path(__file__).resolve().parent.parent
SEED = 42
CLIENTS = 8
TARGET = 2000
WORKERS = int(os.environ.get("BENCH_CRM_WORKERS", "2"))  # CRM processes sharing the port (one per core here)
TOKEN = "demo-crm-token"


def written(rng: random.Random, e164: str) -> str:
    """A phone number the way a caller or a form may write it."""
    area, exchange, line = e164[2:5], e164[5:8], e164[8:]
    return rng.choice(
        [e164, f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"+1 {area} {exchange} {line}"]
    )


def lookup_paths(customers: int, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    people = callers(SEED, customers)
    return [
        "/v1/customers/lookup?address=" + quote(written(rng, people[rng.randrange(customers)].phone_e164))
        for _ in range(count)
    ]


async def lookups_per_second(
    host: str, port: int, paths: list[str], seconds: float, clients: int = CLIENTS
) -> tuple[float, int]:
    """(lookups per second, lookups done) by `clients` keep-alive connections, each waiting for its answer."""
    done = 0
    position = 0

    async def client() -> None:
        nonlocal done, position
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.monotonic() < deadline:
                path = paths[position % len(paths)]
                position += 1
                writer.write(f"GET {path} HTTP/1.1\r\nhost: {host}\r\nauthorization: Bearer {TOKEN}\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await reader.readexactly(length)
                if status != 200 or not json.loads(body)["customers"]:
                    raise AssertionError(f"{path}: {status} {body[:200]!r}")
                done += 1
        finally:
            writer.close()

    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    return done / (time.monotonic() - started), done


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for process in [pid, *_children(pid)]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_children(int(child))]
    return found


def measure(customers: int, seconds: float, runs: int = 3) -> Iterator[dict[str, Any]]:
    crm_dir = cached_crm_dir(SEED, customers)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "benchmarks.mock_process",
        "crm",
        str(crm_dir),
        str(port),
        str(SEED),
        str(customers),
    ]
    env = {**os.environ, "BENCH_CRM_WORKERS": str(WORKERS)}
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, env=env)
    try:
        wait_healthy([f"http://127.0.0.1:{port}"], process, timeout_s=120)
        paths = lookup_paths(customers, 50_000)  # no number asked twice in a run: nothing served from a warm page
        asyncio.run(lookups_per_second("127.0.0.1", port, paths, 1.0))  # warm up: connections, caches
        rates, cpu_per_lookup, client_cpu = [], [], []
        for _ in range(runs):
            before, client_before = cpu_seconds(process.pid), time.process_time()
            rate, count = asyncio.run(lookups_per_second("127.0.0.1", port, paths, seconds))
            rates.append(rate)
            cpu_per_lookup.append((cpu_seconds(process.pid) - before) / count * 1000)
            client_cpu.append((time.process_time() - client_before) / count * 1000)
        best = max(range(runs), key=rates.__getitem__)
        yield {
            "name": "crm_lookups_per_second",
            "unit": "lookups/s",
            "value": round(rates[best]),
            "runs": [round(r) for r in rates],
            "server_cpu_ms_per_lookup": round(cpu_per_lookup[best], 3),
            "client_cpu_ms_per_lookup": round(client_cpu[best], 3),
            "clients": CLIENTS,
            "crm_processes": WORKERS,
            "customers": customers,
            "load_average_1m": round(os.getloadavg()[0], 2),
            "target": TARGET,
        }
    finally:
        process.terminate()
        process.wait(timeout=30)


def run() -> Iterator[dict[str, Any]]:
    yield from measure(int(os.environ.get("BENCH_CUSTOMERS", 1_000_000)), 5.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for figure in measure(args.customers, args.seconds, args.runs):
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
