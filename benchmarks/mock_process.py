"""One mock server process for a benchmark: `python -m benchmarks.mock_process crm|zendesk|ccaas DATA_DIR PORTS SEED
CUSTOMERS` (PORTS: the CRM's or the Zendesk mock's, or the CCaaS's and the presence's as `8701,8703`).
`BENCH_CRM_WORKERS=N` serves the CRM from N processes sharing its port.

The CRM and the Zendesk-shaped mock serve a cached, already seeded database (never `fresh`; the Zendesk
mock adds its own tables to it); the CCaaS and presence start fresh without the simulator, so the
benchmark drives all traffic.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.runner import run_servers, serve_processes


def main(argv: list[str]) -> None:
    kind, data_dir, ports_arg, seed, customers = argv
    ports = [int(p) for p in ports_arg.split(",")]
    settings = MockSettings(
        data_dir=Path(data_dir),
        seed=int(seed),
        customers=int(customers),
        simulator=False,
        fresh=kind not in ("crm", "zendesk"),
    )
    if kind == "crm":
        from agent_desktop_mocks.crm.app import create_app as create_crm

        workers = int(os.environ.get("BENCH_CRM_WORKERS", "1"))
        if workers > 1:  # the cached database is seeded already: each process opens its own connection
            serve_processes(lambda: create_crm(settings), ports[0], workers)
            return
        apps = [(create_crm(settings), ports[0])]
    elif kind == "zendesk":
        from agent_desktop_mocks.zendesk.app import create_app as create_zendesk

        apps = [(create_zendesk(settings), ports[0])]
    else:
        from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
        from agent_desktop_mocks.presence.app import create_app as create_presence

        apps = [(create_ccaas(settings), ports[0]), (create_presence(settings), ports[1])]
    run_servers(apps)


if __name__ == "__main__":
    main(sys.argv[1:])
