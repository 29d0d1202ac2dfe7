"""Building the monitoring service beside the conversation service, following the engine, sessions restored."""

from __future__ import annotations

import sqlite_utils

from mock_backends.ccaas.conversations.service import ConversationService
from mock_backends.ccaas.monitoring.service import MonitoringService
from mock_backends.ccaas.monitoring.store import MonitoringStore
from mock_backends.ccaas.monitoring.supervisors import with_demo
from mock_backends.common.settings import DEMO_SUPERVISOR_TOKEN, MockSettings


def monitoring_for(db: sqlite_utils.Database, conversations: ConversationService, settings: MockSettings) -> MonitoringService:
    service = MonitoringService(
        MonitoringStore(db),
        conversations,
        with_demo(settings.floor.supervisors, DEMO_SUPERVISOR_TOKEN),
        announce=settings.announce_monitoring,
    )
    service.restore()
    conversations.engine.listen(service.on_engine_events)
    return service
