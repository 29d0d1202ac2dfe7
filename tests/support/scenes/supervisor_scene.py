"""Supervisor mode against the real mock CCaaS: the app, ways to read its panels, and a steady floor.

Used by the supervisor Pilot tests, the supervisor snapshot test and `make screenshots`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx
from textual.pilot import Pilot

from agent_desktop.services import Backends, utc_now
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.supervisor.live_table import LiveTable
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import wait_until
from tests.support.scenes.scenes import FROZEN_TIME, SceneServers

if TYPE_CHECKING:  # the mocks are imported where a floor is played
    from agent_desktop_mocks.ccaas.shell.engine import Engine
    from agent_desktop_mocks.common.clock import Clock

SUPERVISOR_TOKEN = "demo-supervisor-token"


def supervisor_app(
    servers: SceneServers,
    *,
    clock: Callable[[], datetime] = utc_now,
    longest_wait_alert_s: float = 60.0,
    desks: tuple[str, ...] = ("supervisor",),
) -> AgentDesktopApp:
    backends = servers.backends(supervisor=True)
    return desk_app(backends, clock=clock, desks=desks, longest_wait_alert_s=longest_wait_alert_s)


class SceneWorld(Protocol):
    """What a supervisor scene's desk is built on: the live SceneServers, or a recorded scene's world."""

    def backends(self, *, supervisor: bool = ..., clock: Callable[[], datetime] | None = ...) -> Backends: ...


def frozen_supervisor_app(servers: SceneWorld) -> AgentDesktopApp:
    """The supervisor desk of the scenes: the app's clock and the console's (its floor snapshot's time) both
    stopped at FROZEN_TIME. `servers`: the live SceneServers, or a recorded scene's world."""
    backends = servers.backends(supervisor=True, clock=frozen_clock)
    return desk_app(backends, clock=frozen_clock, desks=("supervisor",), longest_wait_alert_s=60.0)


def rows(pilot: Pilot[None], selector: str) -> list[str]:
    """A supervisor table's rows as plain text, in the order shown."""
    table = pilot.app.screen.query_one(selector, LiveTable)
    return [table.row_text(key) for key in table.keys]


def row(pilot: Pilot[None], selector: str, starts_with: str) -> str:
    return next((r for r in rows(pilot, selector) if r.startswith(starts_with) or f"| {starts_with}" in r), "")


def status(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#floor-status").render())


async def wait_for_floor(pilot: Pilot[None]) -> None:
    await wait_until(pilot, lambda: len(rows(pilot, "#agents")) > 0 and len(rows(pilot, "#queues")) > 0, "the floor")


class Floor:
    """Acting on the mock contact center as agents and as the phone network would."""

    def __init__(self, servers: SceneServers) -> None:
        self.servers = servers
        self.url = servers.ccaas_url

    def _call(self, method: str, path: str, token: str, **kwargs: Any) -> Any:
        """The JSON answer."""
        response = httpx.request(
            method, f"{self.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=5, **kwargs
        )
        response.raise_for_status()
        return response.json()

    def as_supervisor(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._call(method, path, SUPERVISOR_TOKEN, **kwargs)

    def as_agent(self, agent_id: str, method: str, path: str, **kwargs: Any) -> Any:
        token = "demo-agent-token" if agent_id == "agent-001" else f"{agent_id}-token"
        return self._call(method, path, token, **kwargs)

    def set_state(self, agent_id: str, state: str, reason: str | None = None) -> dict[str, Any]:
        agent: dict[str, Any] = self.as_agent(
            agent_id, "PUT", f"/v1/agents/{agent_id}/state", json={"state": state, "reason": reason}
        )
        return agent

    def handle_next(self, agent_id: str, disposition: str | None = None, *, talk_s: float = 0.0) -> dict[str, Any]:
        """The agent accepts their pending offer, talks for `talk_s`, ends the contact and wraps it up."""
        offer = self.as_agent(agent_id, "GET", f"/v1/agents/{agent_id}/offers")[0]
        contact = self.as_agent(agent_id, "POST", f"/v1/offers/{offer['id']}/accept")
        time.sleep(talk_s)
        self.as_agent(agent_id, "POST", f"/v1/contacts/{contact['id']}/end")
        queue = next(q for q in self.as_supervisor("GET", "/v1/queues") if q["id"] == contact["queue_id"])
        completed: dict[str, Any] = self.as_agent(
            agent_id,
            "POST",
            f"/v1/contacts/{contact['id']}/complete",
            json={"disposition": disposition or queue["dispositions"][0]},
        )
        return completed


def frozen_clock() -> datetime:
    return FROZEN_TIME


# --- a steady floor for the snapshot test and the screenshot ---------------------------------------

STEADY_MINUTES = 35
ARRIVALS_PER_MINUTE = {"billing": 0.9, "tech_support": 0.6, "sales": 0.4}
MEAN_HANDLE_S = {"billing": 120.0, "tech_support": 150.0, "sales": 100.0}


def play_half_hour(engine: Engine, clock: Clock, *, seed: int = 42) -> None:
    """Drive the engine through the half hour before FROZEN_TIME, five seconds at a time, then stop the
    clock at FROZEN_TIME: callers arrive, wait, give up; agents answer, talk, wrap up, take a lunch.

    The engine is the mock's own (scripts may use the mocks); its frozen clock is moved by hand,
    so the floor ends the same every run and then stays still.
    """
    import random
    from datetime import timedelta

    from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel, ContactState

    rng = random.Random(seed)
    start = FROZEN_TIME - timedelta(minutes=STEADY_MINUTES)
    plans: dict[str, tuple[str, float]] = {}  # agent → (what next, at second)
    patience: dict[str, float] = {}
    queued_up: list[str] = []
    for agent in engine.read.agents():
        if agent.id not in ("agent-001", "agent-007"):
            engine.agents.set_agent_state(agent.id, AgentState.AVAILABLE)
    step = 5.0
    t = 0.0
    while t <= STEADY_MINUTES * 60:
        clock._frozen = start + timedelta(seconds=t)
        for queue_id, per_minute in ARRIVALS_PER_MINUTE.items():
            if rng.random() < per_minute / 60 * step:
                channel = Channel.CHAT if rng.random() < 0.2 else Channel.VOICE
                address = (
                    f"+1212555{rng.randint(1000, 9999)}"
                    if channel == Channel.VOICE
                    else f"guest{rng.randint(100, 999)}@example.net"
                )
                contact = engine.arrivals.create_contact(queue_id, channel, address, "Scene call")
                patience[contact.id] = t + rng.expovariate(1 / 150)
        if t == 12 * 60:  # agent-007 signs in, then goes to lunch
            engine.agents.set_agent_state("agent-007", AgentState.NOT_READY, "Lunch")
        if t >= (STEADY_MINUTES - 4) * 60:  # two billing agents leave for a meeting as soon as they are free
            for agent_id, reason in (("agent-002", "Meeting"), ("agent-005", "Coaching")):
                if engine.read.agent(agent_id).state == AgentState.AVAILABLE:
                    engine.agents.set_agent_state(agent_id, AgentState.NOT_READY, reason)
        if t in (33 * 60 + 30, 34 * 60, 34 * 60 + 20, 34 * 60 + 40):  # and billing callers queue up
            contact = engine.arrivals.create_contact(
                "billing", Channel.VOICE, f"+1212555{rng.randint(1000, 9999)}", "Scene call"
            )
            queued_up.append(contact.id)
        if (
            t == STEADY_MINUTES * 60
        ):  # at the end, the longest waiting of them (past billing's 60 s) asks to be called back
            waiting = [c for c in engine.read.queued_contacts() if c.id in queued_up]
            if waiting:
                engine.callbacks.request_callback(
                    min(waiting, key=lambda c: c.entered_queue_at).id, reason="Asked in the IVR"
                )
        for contact in list(engine.read.queued_contacts()):
            if patience.get(contact.id, 1e9) <= t:
                engine.arrivals.abandon(contact.id)
        for agent in engine.read.agents():
            offers = engine.read.pending_offers(agent.id)
            if offers:
                engine.contacts.accept(offers[0].id)
            for contact in engine.read.contacts_in_hand(agent.id):
                key = contact.id
                if contact.state == ContactState.CONNECTED and key not in plans:
                    plans[key] = ("end", t + rng.expovariate(1 / MEAN_HANDLE_S[contact.queue_id]))
                elif contact.state == ContactState.AFTER_CONTACT_WORK and plans.get(key, ("",))[0] != "complete":
                    plans[key] = ("complete", t + rng.uniform(5, 20))
                action, due = plans[key]
                if due <= t:
                    if action == "end":
                        engine.contacts.end(key)
                    else:
                        dispositions = engine.read.queue(contact.queue_id).dispositions
                        engine.contacts.complete(key, rng.choice(dispositions))
        engine.tick()
        t += step
    clock._frozen = FROZEN_TIME
    engine.tick()


class SteadyFloor:
    """The three mock servers after `play_half_hour`, frozen at FROZEN_TIME (the CCaaS starts
    STEADY_MINUTES earlier, so its minute-by-minute history covers the half hour)."""

    def __init__(self, data_dir: Path) -> None:
        from datetime import timedelta

        from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
        from agent_desktop_mocks.ccaas.settings import MockSettings
        from agent_desktop_mocks.common.runner import serve_in_thread
        from agent_desktop_mocks.presence.app import create_app as create_presence
        from tests.support.seeded_crm import create_crm

        settings = MockSettings(
            data_dir=data_dir, seed=42, customers=60, experts=20, simulator=False, frozen_time=FROZEN_TIME, fresh=True
        )
        ccaas = create_ccaas(
            settings.model_copy(update={"frozen_time": FROZEN_TIME - timedelta(minutes=STEADY_MINUTES)})
        )
        play_half_hour(ccaas.state.engine, ccaas.state.clock)
        self.running = serve_in_thread([ccaas, create_crm(settings), create_presence(settings)])
        self.servers = SceneServers.at(self.running.urls, settings)

    def __enter__(self) -> SceneServers:
        return self.servers

    def __exit__(self, *exc: object) -> None:
        self.running.stop()


async def supervisor_scene_ready(pilot: Pilot[None]) -> None:
    """Everything the supervisor screen loads is on it, with no cursor blinking."""
    await wait_for_floor(pilot)
    await wait_until(pilot, lambda: any("no traffic" not in r for r in rows(pilot, "#staffing")), "staffing advice")
    await pilot.pause(0.5)


async def capture_supervisor(name: str, out: Path) -> Path:
    """`make screenshots`: the supervisor screen on the steady floor, as screenshots/<name>.svg."""
    import tempfile

    from tests.support.scenes.scenes import SIZE

    with tempfile.TemporaryDirectory() as data_dir, SteadyFloor(Path(data_dir)) as servers:
        app = frozen_supervisor_app(servers)
        async with app.run_test(size=SIZE) as pilot:
            await supervisor_scene_ready(pilot)
            return Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
