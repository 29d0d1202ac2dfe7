"""The mock servers as one process on free ports, with a live floor of `agents` agents and `queues` queues,
for the benchmarks that watch a running contact center (bench_supervisor_live, bench_monitor)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from agent_desktop.app.demo import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def live_floor(
    name: str, *, agents: int, queues: int, customers: int, warm_up_s: float, options: Sequence[str] = ()
) -> Iterator[tuple[str, int]]:
    """Yields the contact center's URL and the servers' process id once they answer and the floor has run
    `warm_up_s` seconds; stops the process after. `options`: more of the mocks' command-line options."""
    ports = [free_port() for _ in range(3)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as data_dir:
        command = [
            sys.executable,
            "-m",
            "agent_desktop_mocks",
            "--fresh",
            "--data-dir",
            data_dir,
            "--agents",
            str(agents),
            "--queues",
            str(queues),
            "--customers",
            str(customers),
            "--ccaas-port",
            str(ports[0]),
            "--crm-port",
            str(ports[1]),
            "--presence-port",
            str(ports[2]),
            *options,
        ]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_healthy(urls, process, timeout_s=120)
            time.sleep(warm_up_s)
            yield urls[0], process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)
