"""A real Redis Cluster on loopback, three primaries each with a replica, for the relay's store on a cluster
(agent_desktop_relay/store_redis_cluster.py): six `redis-server --cluster-enabled yes` in a scratch folder on free
ports, joined by `redis-cli --cluster create … --cluster-replicas 1`, ready once every node says `cluster_state:ok`,
each stopped with its process group.

Debian's `redis-server` package (scripts/ensure-system-packages.sh) brings both programs. A primary killed is
replaced by its replica after `--cluster-node-timeout` (here 2 s) and a vote: `kill_primary_of` then waits,
bounded, for the cluster to be whole again.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from agent_desktop_mocks.common.ports import free_port
from tests.support.process_group import signal_group, stop_group
from tests.support.redis_server import RedisServer, _wait_ready

NODE_TIMEOUT_MS = 2000  # a primary unheard of this long is failed over (the default, 15 s, is too slow for a test)
READY_S = 60.0  # bound on forming the cluster, or on a failover, with both cores busy


@dataclass(frozen=True)
class RedisCluster:
    folder: Path
    nodes: list[RedisServer]

    @property
    def url(self) -> str:
        """The relay's `--redis-url` for it: any node; the client learns the rest (CLUSTER SLOTS)."""
        return f"redis+cluster://127.0.0.1:{self.nodes[0].port}/0"

    def cli(self, port: int, *command: str) -> str:
        done = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(port), *command],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return done.stdout

    def live(self) -> list[RedisServer]:
        return [node for node in self.nodes if node.process.poll() is None]

    def wait_ok(self, timeout_s: float = READY_S, *, with_replicas: bool = True) -> None:
        """Until every live node says the cluster is ok, each slot is served by a live primary and (`with_replicas`)
        each primary has a replica online: the relay answers a callback only once a replica has it."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            live = self.live()
            ports = {str(node.port) for node in live}
            states = [self.cli(node.port, "cluster", "info") for node in live]
            primaries = _primaries(self.cli(live[0].port, "cluster", "nodes"))
            if (
                all("cluster_state:ok" in state for state in states)
                and len(primaries) == 3
                and all(str(port) in ports for port in primaries)
                and (
                    not with_replicas
                    or all("state=online" in self.cli(port, "info", "replication") for port in primaries)
                )
            ):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the Redis cluster was not ok within {timeout_s} s:\n{self.nodes[0].log()}")

    def primary_of(self, key: str) -> RedisServer:
        """The node now serving `key`'s slot as its primary."""
        slot = int(self.cli(self.live()[0].port, "cluster", "keyslot", key).strip())
        for port, spans in _primaries(self.cli(self.live()[0].port, "cluster", "nodes")).items():
            if any(low <= slot <= high for low, high in spans):
                return next(node for node in self.nodes if node.port == port)
        raise RuntimeError(f"no live primary serves slot {slot}")

    def replica_of(self, primary: RedisServer) -> RedisServer:
        """The node replicating `primary` now."""
        lines = [line.split() for line in self.cli(primary.port, "cluster", "nodes").splitlines() if line]
        primary_id = next(fields[0] for fields in lines if "myself" in fields[2].split(","))
        port = next(
            int(fields[1].split(":")[1].split("@")[0])
            for fields in lines
            if "slave" in fields[2].split(",") and fields[3] == primary_id
        )
        return next(node for node in self.nodes if node.port == port)

    def kill(self, node: RedisServer) -> None:
        """SIGKILL: no shutdown, no last write to its replica."""
        signal_group(node.process, signal.SIGKILL)
        node.process.wait(10)

    def restart(self, node: RedisServer) -> None:
        """A killed node started again on its port and folder: it rejoins as its successor's replica."""
        again = _node(node.folder, node.port)
        self.nodes[self.nodes.index(node)] = again
        _wait_ready(again)


def _primaries(nodes: str) -> dict[int, list[tuple[int, int]]]:
    """`CLUSTER NODES` read: each primary not failed, by port, with the slot ranges it serves."""
    found: dict[int, list[tuple[int, int]]] = {}
    for line in nodes.splitlines():
        fields = line.split()
        flags = fields[2].split(",") if len(fields) > 2 else []
        if "master" not in flags or "fail" in flags or "fail?" in flags or len(fields) < 9:
            continue
        port = int(fields[1].split(":")[1].split("@")[0])
        spans = [span.partition("-") for span in fields[8:] if span[0].isdigit()]
        found[port] = [(int(low), int(high or low)) for low, _, high in spans]
    return found


def _node(folder: Path, port: int | None = None) -> RedisServer:
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    command = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(folder),
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        str(folder / "nodes.conf"),
        "--cluster-port",  # its bus on a free port of its own (else port + 10000, past 65535 for a high port)
        str(free_port()),
        "--cluster-node-timeout",
        str(NODE_TIMEOUT_MS),
        "--repl-diskless-sync-delay",  # a replica synchronised at once, not after 5 s
        "0",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--logfile",
        str(folder / "redis.log"),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    return RedisServer(folder, port, process)


@contextmanager
def running_redis_cluster(folder: Path) -> Iterator[RedisCluster]:
    """Three primaries and three replicas in `folder`, `cluster_state:ok` before this yields."""
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        raise RuntimeError("redis-server is not installed: run scripts/ensure-system-packages.sh")
    nodes: list[RedisServer] = []
    try:
        for n in range(6):
            nodes.append(_node(folder / f"node-{n}"))
        for node in nodes:
            _wait_ready(node)
        created = subprocess.run(
            [
                "redis-cli",
                "--cluster",
                "create",
                *(f"127.0.0.1:{node.port}" for node in nodes),
                "--cluster-replicas",
                "1",
                "--cluster-yes",
            ],
            capture_output=True,
            text=True,
            timeout=READY_S,
            check=False,
        )
        if created.returncode != 0:
            raise RuntimeError(f"redis-cli --cluster create failed:\n{created.stdout[-2000:]}{created.stderr[-2000:]}")
        cluster = RedisCluster(folder, nodes)
        cluster.wait_ok()
        yield cluster
    finally:
        for node in nodes:
            if node.process.poll() is None:
                stop_group(node.process, 10)
