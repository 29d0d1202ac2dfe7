"""Building the conversation service beside a CCaaS engine, its timeline a part of the server's scheduler."""

from __future__ import annotations

from functools import partial

import sqlite_utils

from agent_desktop_mocks.ccaas.conversations.api import ConversationApi
from agent_desktop_mocks.ccaas.conversations.following import EngineFollower
from agent_desktop_mocks.ccaas.conversations.reply_waits import conversation_counts, reply_waits
from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.conversations.store import ConversationStore
from agent_desktop_mocks.ccaas.conversations.timeline import Timeline
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.scheduler import Scheduler
from agent_desktop_mocks.demo_people import name_pools


def conversations_for(
    db: sqlite_utils.Database,
    events: EventLog,
    engine: Engine,
    clock: Clock,
    settings: MockSettings,
    scheduler: Scheduler,
) -> tuple[ConversationApi, Timeline]:
    """A service following `engine` (`Engine.listen`), caught up with what is stored, and its API; its timeline
    (the simulated customers, inactivity, catching up) runs on `scheduler`."""
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
    simulated = (
        frozenset(a.id for a in engine.read.agents() if a.id != DEMO_AGENT_ID) if settings.simulator else frozenset()
    )
    timeline = Timeline(service, speed=settings.actor_speed, simulated_agents=simulated, monotonic=clock.monotonic)
    name_pools(settings.seed)  # the callers' names (built once, slowly): now, not inside the first chat's request
    timeline.on_scheduled = scheduler.wake
    scheduler.add("conversations", timeline)
    follower = EngineFollower(service)
    follower.on_behind, timeline.catch_up = timeline.behind, follower.catch_up
    follower.attach()
    engine.reply_waits = partial(reply_waits, engine, service.store)
    engine.conversation_counts = partial(conversation_counts, engine, service.store)
    timeline.start()
    return ConversationApi(service), timeline
