"""Building the conversation service beside a CCaaS engine, and the loop that runs its timers."""

from __future__ import annotations

import asyncio
import logging

import sqlite_utils

from mock_backends.ccaas.conversations.api import ConversationApi
from mock_backends.ccaas.conversations.service import ConversationService
from mock_backends.ccaas.conversations.store import ConversationStore
from mock_backends.ccaas.conversations.timeline import Timeline
from mock_backends.ccaas.engine import Engine
from mock_backends.common.clock import Clock
from mock_backends.common.event_log import EventLog
from mock_backends.common.settings import DEMO_AGENT_ID, MockSettings
from mock_backends.demo_people import name_pools

log = logging.getLogger(__name__)

TICK_S = 0.05


def conversations_for(
    db: sqlite_utils.Database, events: EventLog, engine: Engine, clock: Clock, settings: MockSettings
) -> tuple[ConversationApi, Timeline]:
    """A service following `engine` (it listens to `events`), caught up with what is stored, and its API."""
    service = ConversationService(
        ConversationStore(db),
        events,
        engine,
        clock,
        seed=settings.seed,
        customers_count=settings.customers,
        time_scale=settings.time_scale,
        intents=settings.intents,
    )
    simulated = frozenset(a.id for a in engine.agents() if a.id != DEMO_AGENT_ID) if settings.simulator else frozenset()
    timeline = Timeline(service, speed=settings.actor_speed, simulated_agents=simulated, monotonic=clock.monotonic)
    name_pools(settings.seed)  # the callers' names (~0.3 s once): now, not inside the first chat's request
    service.attach()
    timeline.start()
    return ConversationApi(service), timeline


async def run_timeline(timeline: Timeline) -> None:
    """Fire the simulated customers' and the inactivity timers."""
    while True:
        await asyncio.sleep(TICK_S)
        try:
            timeline.tick()
        except Exception:  # a bug here must not stop the server
            log.exception("conversation timers failed")
