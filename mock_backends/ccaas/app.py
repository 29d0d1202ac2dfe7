"""The mock CCaaS server (contact routing): `create_app(settings)` builds one, state and all."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from mock_backends.ccaas import seed
from mock_backends.ccaas.engine import Conflict, Engine, Invalid, NotFound
from mock_backends.ccaas.routers import agents, contacts, offers, queues, supervisor
from mock_backends.ccaas.simulator import Simulator
from mock_backends.ccaas.store import Store
from mock_backends.common.auth import Principal, bearer_auth
from mock_backends.common.clock import Clock
from mock_backends.common.event_log import EventLog
from mock_backends.common.service_api import add_healthz
from mock_backends.common.settings import DEMO_AGENT_ID, DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from mock_backends.common.storage import open_database

log = logging.getLogger(__name__)

TICK_S = 0.2

DESCRIPTION = """
A stand-in for a contact center's routing platform (docs/mock-apis.md). Times are UTC.

**Tokens.** `demo-agent-token` is agent `agent-001` (Alex Morgan); each simulated agent
`agent-00N` has `agent-00N-token`; `demo-supervisor-token` is a supervisor. An agent may
only see and change their own resources (403 otherwise).

**Routing.** Whenever a contact enters a queue or an agent becomes `available`, the queued
contacts are taken by queue priority (1 first), then by the time they entered the queue
(first in, first out). Each is offered to the `available` agent who has all the queue's skills
and has been available the longest. An offer stays pending for the offer timeout (real
seconds). If it expires or is rejected, the contact goes back to the queue at its original
place (its `entered_queue_at` is kept) and the agent goes `missed`: not routable until they set
themselves `available`. Accepting connects the contact (agent `busy`); ending it starts
after-contact work; completing it with one of the queue's dispositions makes the agent
`available` again.

**Statistics** (`/v1/queues/stats`), per queue, over the contacts that entered the queue since
midnight UTC:
- *waiting*: contacts queued or being offered; *longest wait*: how long the oldest of them has waited.
- *service level*: contacts answered within the queue's threshold ÷ (answered + abandoned), in %.
  Short abandons are not excluded.
- *ASA* (average speed of answer): mean time from entering the queue to being answered.
- *AHT* (average handle time): mean talk + hold + after-contact work (answered → completed)
  of completed contacts.
- *abandonment rate*: abandoned ÷ contacts that left the queue (answered + abandoned), in %;
  contacts still waiting are not counted.

A figure is `null` while there is nothing to compute it from.

**Events** (SSE, `agent_state`, `offer`, `offer_closed`, `contact`) go to the agent concerned
(`/v1/agents/{id}/events`) and to the supervisor (`/v1/supervisor/events`); reconnect with
`Last-Event-ID` to get what was missed.

**Simulator.** When on, callers arrive at each queue (Poisson), give up after their patience,
and the simulated agents answer, handle and wrap up contacts; `--speed` scales its clock.
"""


def create_app(settings: MockSettings) -> FastAPI:
    db = open_database(settings.data_dir, "ccaas", fresh=settings.fresh)
    clock = Clock(settings.frozen_time)
    event_log = EventLog(db, clock, settings.heartbeat_s)
    store = Store(db)
    engine = Engine(store, event_log, clock, offer_timeout_s=settings.offer_timeout_s)
    if store.is_empty():
        now = clock.now()
        engine.seed(seed.QUEUES, [seed.demo_agent(now), *seed.simulated_agents(settings.seed, now)])
    else:
        engine.load()

    tokens = {
        DEMO_AGENT_TOKEN: Principal(DEMO_AGENT_TOKEN, "agent", DEMO_AGENT_ID),
        DEMO_SUPERVISOR_TOKEN: Principal(DEMO_SUPERVISOR_TOKEN, "supervisor", "supervisor"),
    }
    for agent in engine.agents():
        if agent.id != DEMO_AGENT_ID:
            tokens[f"{agent.id}-token"] = Principal(f"{agent.id}-token", "agent", agent.id)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_tick(engine), name="ccaas-tick")]
        if settings.simulator:
            tasks.append(asyncio.create_task(Simulator(engine, settings).run(), name="ccaas-simulator"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            db.close()

    app = FastAPI(
        title="Mock CCaaS (contact routing)",
        description=DESCRIPTION,
        version="1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock
    app.state.event_log = event_log
    app.state.engine = engine
    app.state.authenticate = bearer_auth(tokens)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(Conflict)
    async def conflict(request: Request, error: Conflict) -> JSONResponse:
        return JSONResponse({"detail": str(error), "state": str(error.state)}, status_code=409)

    @app.exception_handler(Invalid)
    async def invalid(request: Request, error: Invalid) -> JSONResponse:
        detail = [{"type": "value_error", "loc": ["body", error.field], "msg": str(error), "input": error.value}]
        return JSONResponse({"detail": detail}, status_code=422)

    add_healthz(app)
    for module in (agents, offers, contacts, queues, supervisor):
        app.include_router(module.router)
    return app


async def _tick(engine: Engine) -> None:
    """Expire offers whose time is up."""
    while True:
        await asyncio.sleep(TICK_S)
        try:
            engine.tick()
        except Exception:  # a bug here must not stop the server
            log.exception("tick failed")
