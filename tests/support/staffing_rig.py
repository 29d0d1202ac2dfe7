"""A half hour on the real mock CCaaS, played in virtual time for the staffing tests.

The servers run on loopback with a frozen clock that the rig moves by hand (as the supervisor
screenshot scene does); callers, agents and their states act through the contact center's
HTTP API, so the supervisor's stream carries exactly what a real floor would send. A `Script`
says when callers arrive and give up, how long agents handle contacts, and when agents change
state; `play` runs it as a discrete-event loop, jumping the clock from one due action to the next.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.staffing.floor import Floor
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.scenes.scenes import SceneServers
from tests.support.scenes.supervisor_scene import SUPERVISOR_TOKEN
from tests.support.scenes.supervisor_scene import Floor as FloorActions
from tests.support.seeded_crm import create_crm

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HALF_HOUR_S = 30 * 60
END_MARK_AGENT = "agent-004"


@dataclass
class Script:
    agents: tuple[str, ...]  # who answers (each accepts an offer the moment it comes)
    arrivals: Sequence[tuple[float, str]]  # (second, queue id)
    handle_s: Callable[[float], float] = lambda answered_at_s: 60.0  # answer → complete
    states: list[tuple[float, str, str, str | None]] = field(default_factory=list)  # (second, agent, state, reason)
    patience_s: float | None = None  # callers give up after waiting this long
    end_s: float = HALF_HOUR_S


class Rig(FloorActions):
    """Acts on the floor as agents and the phone network would (tests/support/scenes/supervisor_scene.py), and moves time."""

    def __init__(self, servers: SceneServers, clock: Clock) -> None:
        super().__init__(servers)
        self._clock = clock
        self._http = httpx.Client(base_url=servers.ccaas_url, timeout=5)  # one client: a new one costs ~50 ms

    def _call(self, method: str, path: str, token: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)
        response.raise_for_status()
        return response.json()

    def close(self) -> None:
        self._http.close()

    def now(self) -> datetime:
        return self._clock.now()

    def at(self, second: float) -> None:
        self._clock._frozen = T0 + timedelta(seconds=second)  # the mock's frozen clock, moved by the test

    def play(self, script: Script) -> None:
        """Run the script from T0 (agents first signed in as the script's states say, else available)."""
        agenda: list[tuple[float, int, str, tuple[Any, ...]]] = []
        order = itertools.count()

        def due(second: float, kind: str, *args: object) -> None:
            heapq.heappush(agenda, (second, next(order), kind, args))

        for second, agent, state, reason in script.states:
            due(second, "state", agent, state, reason)
        for second, queue_id in script.arrivals:
            due(second, "arrive", queue_id)
        dispositions = {q["id"]: q["dispositions"][0] for q in self.as_supervisor("GET", "/v1/queues")}
        self.at(0)
        starting = {agent for second, agent, *_ in script.states if second == 0}
        for agent in script.agents:
            if agent not in starting:
                self.set_state(agent, "available")
        while agenda and agenda[0][0] <= script.end_s:
            second, _, kind, args = heapq.heappop(agenda)
            self.at(second)
            if kind == "state":
                agent, state, reason = args
                self.set_state(agent, state, reason)
            elif kind == "arrive":
                body = {"queue_id": args[0], "channel": "voice", "from_address": f"+1212555{next(order) % 10000:04d}"}
                contact = self.as_supervisor("POST", "/v1/contacts", json=body)
                if script.patience_s is not None:
                    due(second + script.patience_s, "give_up", contact["id"])
            elif kind == "give_up":
                self._give_up(args[0])
            elif kind == "finish":
                agent, contact_id = args
                ended = self.as_agent(agent, "POST", f"/v1/contacts/{contact_id}/end")
                body = {"disposition": dispositions[ended["queue_id"]]}
                self.as_agent(agent, "POST", f"/v1/contacts/{contact_id}/complete", json=body)
            for agent in script.agents:  # whoever was just offered a contact takes it now
                for offer in self.as_agent(agent, "GET", f"/v1/agents/{agent}/offers"):
                    contact = self.as_agent(agent, "POST", f"/v1/offers/{offer['id']}/accept")
                    due(second + script.handle_s(second), "finish", agent, contact["id"])
        self.at(script.end_s)
        # Something must change at the end, or the server has no statistics of that moment to publish:
        # agent-004 (technical support only, in none of the scripts) signs in.
        self.set_state(END_MARK_AGENT, "available")

    def _give_up(self, contact_id: str) -> None:
        try:
            self.as_supervisor("POST", f"/v1/contacts/{contact_id}/abandon")
        except httpx.HTTPStatusError as error:
            if error.response.status_code != 409:  # answered before the caller ran out of patience
                raise


@contextmanager
def staffing_rig(data_dir: Path) -> Iterator[Rig]:
    settings = MockSettings(
        data_dir=data_dir,
        seed=7,
        customers=40,
        experts=20,
        simulator=False,
        frozen_time=T0,
        offer_timeout_s=3600,  # offers run on the real monotonic clock: none may expire mid-script
        fresh=True,
    )
    ccaas = create_ccaas(settings)
    running = serve_in_thread([ccaas, create_crm(settings), create_presence(settings)])
    try:
        rig = Rig(SceneServers.at(running.urls, settings), ccaas.state.clock)
        yield rig
        rig.close()
    finally:
        running.stop()


@asynccontextmanager
async def watched_floor(rig: Rig) -> AsyncIterator[Floor]:
    """The desktop's floor model fed by the real supervisor stream (the screen's client), until the block ends."""
    console = HttpSupervisorConsole(rig.servers.ccaas_url, SUPERVISOR_TOKEN, clock=rig.now)
    floor = Floor()

    async def listen() -> None:
        async for item in console.events():
            floor.apply(item)

    task = asyncio.create_task(listen())
    try:
        async with asyncio.timeout(10):
            while not floor.agents:
                await asyncio.sleep(0.02)
        yield floor
    finally:
        task.cancel()
        await console.aclose()


async def caught_up(floor: Floor, rig: Rig) -> None:
    """Until the floor holds the statistics of the rig's present (everything before them has arrived)."""
    async with asyncio.timeout(10):
        while floor.stats_at != rig.now():
            await asyncio.sleep(0.05)
    floor.tick(rig.now())
