"""Building the monitoring service beside the conversation service, following the engine, sessions restored."""

from __future__ import annotations

import sqlite_utils

from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.monitoring.service import MonitoringService
from agent_desktop_mocks.ccaas.monitoring.store import MonitoringStore
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.tables.supervisors import with_demo


def monitoring_for(
    db: sqlite_utils.Database, conversations: ConversationService, settings: MockSettings
) -> MonitoringService:
    service = MonitoringService(
        MonitoringStore(db),
        conversations,
        with_demo(settings.floor.supervisors, DEMO_SUPERVISOR_TOKEN),
        announce=settings.announce_monitoring,
    )
    service.restore()
    conversations.engine.listen(service.on_engine_events)
    return service
