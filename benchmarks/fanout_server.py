"""The fan-out benchmark's server in its own process: `python -m benchmarks.fanout_server DATA_DIR PORT`."""

from __future__ import annotations

import sys
from pathlib import Path

from agent_desktop_mocks.common.http.service_api import add_healthz
from agent_desktop_mocks.common.runner import run_servers
from benchmarks.bench_routing import fanout_app


def main(data_dir: str, port: str) -> None:
    app = fanout_app(Path(data_dir))
    add_healthz(app)
    run_servers([(app, int(port))])


if __name__ == "__main__":
    main(*sys.argv[1:])
