"""The mock presence (UCaaS) server: `create_app(settings)` builds it, seeding an empty directory."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator

from fastapi import FastAPI

from agent_desktop_mocks.ccaas.settings import DEMO_PRESENCE_TOKEN, MockSettings
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.http.request_guard import guard_requests
from agent_desktop_mocks.common.http.service_api import add_healthz, token_guarded_v1
from agent_desktop_mocks.common.storage import open_database
from agent_desktop_mocks.common.wal_checkpoints import checkpoints_in_a_worker
from agent_desktop_mocks.presence import seed, simulator
from agent_desktop_mocks.presence.directory import Directory
from agent_desktop_mocks.presence.messages import Messenger
from agent_desktop_mocks.presence.routers import events, messages, people

DESCRIPTION = """\
A directory of experts a contact-center agent can consult, with Microsoft Graph-style
presence (availability, activity, status message), instant messages with simulated replies,
and a stream of presence changes and messages.
Everything under `/v1` needs `Authorization: Bearer demo-presence-token`.
"""


def create_app(settings: MockSettings) -> FastAPI:
    db = open_database(settings.data_dir, "presence", fresh=settings.fresh)
    clock = Clock(settings.frozen_time)
    directory = Directory(
        settings=settings, db=db, clock=clock, events=EventLog(db, clock, heartbeat_s=settings.heartbeat_s)
    )
    directory.create_tables()
    if directory.is_empty():
        seed.seed(db, seed=settings.seed, experts=settings.experts, now=clock.now())
    messenger = Messenger(directory, random.Random(f"presence-replies:{settings.seed}"))
    messenger.create_tables()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with checkpoints_in_a_worker(db):  # not inside a presence change's commit (common/wal_checkpoints.py)
            task = asyncio.create_task(simulator.run(directory)) if settings.simulator else None
            try:
                yield
            finally:
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await messenger.aclose()

    app = FastAPI(title="Mock presence (UCaaS)", version="1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.directory = directory
    app.state.messenger = messenger
    guard_requests(app)

    add_healthz(app)
    app.include_router(
        token_guarded_v1(DEMO_PRESENCE_TOKEN, "presence-client", people.router, messages.router, events.router)
    )
    return app
