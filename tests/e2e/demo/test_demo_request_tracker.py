"""`agent-desktop demo --crm rt`: the demo's servers with a real Request Tracker 5 started by the project's own
helper (`python -m agent_desktop_mocks.request_tracker`), seeded with the mock CRM's customers, and the desk's CRM on
it: a caller the floor offers pops from RT as the mock CRM knows them. Without RT's packages, one line and exit 2."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.app import demo
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import AgentState, OfferEvent

pytestmark = pytest.mark.exclusive  # RT's Perl server, the mocks and their simulator: a loaded machine's worth

OFFER_WITHIN_S = 120.0  # a bound: the simulator's first callers come within seconds at --speed 4
EXIT_WITHIN_S = 120.0


def test_a_caller_the_demo_floor_offers_pops_from_request_tracker_as_the_mock_crm_knows_them(tmp_path: Path) -> None:
    with demo.demo_servers(agents=2, queues=3, speed=4.0, request_tracker=True, data_dir=tmp_path / "demo") as servers:
        settings = servers.settings()
        assert settings.crm.kind == "rt"
        backends = build_backends(settings)
        mock_crm = HttpCrm(servers.crm_url, "demo-crm-token")

        async def offered_callers() -> list[tuple[str, list[str], list[str]]]:
            """The first offers' callers: as RT pops them, as the mock CRM finds them."""
            contact_center = backends.contact_center
            events = contact_center.events()
            popped: list[tuple[str, list[str], list[str]]] = []
            try:
                await contact_center.set_state(AgentState.AVAILABLE)
                async with asyncio.timeout(OFFER_WITHIN_S):
                    while not any(rt for _, rt, _ in popped):
                        event = await anext(events)
                        if not isinstance(event, OfferEvent):
                            continue
                        address = event.offer.contact.from_address
                        on_rt = await backends.crm.lookup(address)
                        on_mock = await mock_crm.lookup(address)
                        popped.append((address, [c.name for c in on_rt.customers], [c.name for c in on_mock.customers]))
                        try:
                            await contact_center.reject_offer(event.offer.id)  # the next caller
                        except BackendError as gone:  # the caller gave up first (409 offer is cancelled)
                            if gone.status != 409:
                                raise
            finally:
                await events.aclose()  # type: ignore[attr-defined]
                await backends.aclose()
                await mock_crm.aclose()
            return popped

        popped = asyncio.run(offered_callers())
    assert any(rt for _, rt, _ in popped), popped
    for address, on_rt, on_mock in popped:
        assert on_rt == on_mock, address


def test_without_request_trackers_packages_the_demo_says_so_in_one_line_and_exits_2(tmp_path: Path) -> None:
    """Where dpkg knows no request-tracker5 (here: no dpkg on the path at all), the helper refuses before anything."""
    empty = tmp_path / "bin"
    empty.mkdir()
    environment = {
        **os.environ,
        "PATH": str(empty),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    command = [
        str(Path(sys.executable).with_name("agent-desktop")),
        "demo",
        "--crm",
        "rt",
        "--data-dir",
        str(tmp_path / "d"),
    ]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=EXIT_WITHIN_S, check=False)
    said = [line for line in done.stderr.splitlines() if line.startswith("agent-desktop: demo:")]
    assert done.returncode == 2, done.stderr[-2000:]
    assert said == [
        "agent-desktop: demo: Request Tracker 5 is not installed: apt-get install request-tracker5 rt5-db-sqlite "
        "rt5-standalone (scripts/ensure-system-packages.sh installs them)"
    ], done.stderr[-2000:]
