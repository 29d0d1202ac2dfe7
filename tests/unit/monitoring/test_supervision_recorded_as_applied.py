"""A supervisor's join, mode change and leave reach the CRM's outbox as the desk applies them, whether or not anything
redraws: the agent's desk is not told of a silent monitor, so this record is the only trace of it. They were taken
from the model by the hook that asked for the monitor panel's redraw, so a path that applied a change without calling
it (or a screen that never drew) kept the record back, or lost it with the desk."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from agent_desktop.domain.models import MessageEvent, MonitorMode, SupervisionRecord
from agent_desktop.supervisor_desk.ports import SupervisorPorts
from agent_desktop.supervisor_desk.session import SupervisorSession
from tests.support.desk_events import AGENT_ID, T0
from tests.support.in_process.scenes import scene_mocks
from tests.unit.conversations.test_conversations import CID, item
from tests.unit.monitoring.test_supervision import monitor_event, monitoring


async def test_each_join_mode_change_and_leave_is_recorded_as_it_is_applied_with_no_screen(tmp_path: Path) -> None:
    mocks = scene_mocks(tmp_path / "mocks")
    backends = mocks.backends(supervisor=True)
    assert backends.supervisor is not None
    recorded: list[SupervisionRecord] = []
    session = SupervisorSession(
        backends, SupervisorPorts.of(backends.supervisor), mocks.clock.now, record_supervision=recorded.extend
    )
    monitored = session.desk.monitored  # as the monitoring use cases and their stream hand it what they read
    try:
        monitored.joined(monitoring())
        assert [(r.event, r.mode) for r in recorded] == [("joined", MonitorMode.MONITOR)], "the join, at once"
        monitored.apply(MessageEvent(contact_id=CID, item=item(0)))  # what is said is no record
        monitored.apply(monitor_event("supervisor_mode_changed", MonitorMode.WHISPER, MonitorMode.MONITOR, at=4))
        assert [(r.event, r.mode) for r in recorded][-1] == ("mode_changed", MonitorMode.WHISPER)
        monitored.apply(monitor_event("supervisor_left", None, MonitorMode.WHISPER, at=9))
        assert [(r.event, r.mode, r.at - T0) for r in recorded] == [
            ("joined", MonitorMode.MONITOR, timedelta(0)),
            ("mode_changed", MonitorMode.WHISPER, timedelta(seconds=4)),
            ("left", None, timedelta(seconds=9)),
        ]
        assert {(r.supervisor_name, r.agent_id, r.contact_id) for r in recorded} == {("Riley Chen", AGENT_ID, CID)}
    finally:
        await session.aclose()
        await backends.aclose()
        await mocks.aclose()
