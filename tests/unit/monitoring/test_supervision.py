"""The agent's desk and a supervisor on a conversation: a whisper rings the bell and goes with the
private notes, never the customer-visible transcript the CRM keeps; who supervised and when is written too;
the supervisor's monitor model keeps each monitored transcript and its mode."""

from __future__ import annotations

from datetime import timedelta

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import (
    Channel,
    MessageEvent,
    MonitorEvent,
    MonitorMode,
    ParticipantRole,
    SupervisionRecord,
    TranscriptItem,
    TranscriptPage,
)
from agent_desktop.domain.monitoring.participants import Monitoring
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredChanges, MonitoredContacts
from tests.support.desk_events import AGENT_ID, T0
from tests.unit.conversations.test_conversations import CID, chat_contact, item, page


def monitor_event(
    kind: str, mode: MonitorMode | None, previous: MonitorMode | None = None, at: int = 0
) -> MonitorEvent:
    return MonitorEvent(
        type=kind,
        contact_id=CID,
        channel=Channel.CHAT,
        agent_id=AGENT_ID,
        supervisor_id="supervisor",
        supervisor_name="Riley Chen",
        mode=mode,
        previous_mode=previous,
        at=T0 + timedelta(seconds=at),
    )


def whisper(index: int, text: str) -> TranscriptItem:
    return item(index, ParticipantRole.SUPERVISOR, text, kind="whisper").model_copy(
        update={"display_name": "Riley Chen"}
    )


def test_a_whisper_rings_and_is_kept_with_the_private_notes_not_the_transcript() -> None:
    desk = Desk(AGENT_ID)
    desk.apply_contact(chat_contact())
    desk.conversations.loaded(CID, None, page([0, 1], has_more=False))
    desk.take_changes()
    desk.apply(monitor_event("supervisor_joined", MonitorMode.WHISPER, at=2))
    desk.apply(MessageEvent(contact_id=CID, item=whisper(2, "Offer the credit")))
    changes = desk.take_changes()
    assert changes.ring
    assert CID in changes.conversations
    assert desk.conversations[CID].supervisors == {"supervisor": ("Riley Chen", MonitorMode.WHISPER)}
    desk.apply(monitor_event("supervisor_left", None, MonitorMode.WHISPER, at=5))
    assert desk.conversations[CID].supervisors == {}
    lines, notes = desk.conversations.for_the_crm(CID)
    assert [line.text for line in lines] == ["message 0", "message 1"], "the customer never saw the whisper"
    assert notes == [
        f"Supervisor Riley Chen joined (whisper) at {T0 + timedelta(seconds=2):%H:%M:%S}",
        f"Supervisor Riley Chen left at {T0 + timedelta(seconds=5):%H:%M:%S}",
        f"Whisper from Riley Chen at {T0 + timedelta(seconds=2):%H:%M:%S}: Offer the credit",
    ]


def monitoring() -> Monitoring:
    """Riley Chen monitoring the agent's billing chat, silently, since T0."""
    return Monitoring(
        contact_id=CID,
        channel=Channel.CHAT,
        queue_id="billing",
        agent_id=AGENT_ID,
        supervisor_id="supervisor",
        supervisor_name="Riley Chen",
        mode=MonitorMode.MONITOR,
        since=T0,
        mode_since=T0,
    )


def test_the_monitor_model_keeps_each_transcript_its_mode_and_the_selection() -> None:
    model = MonitoredContacts()
    session = monitoring()
    model.joined(session)
    model.page(CID, TranscriptPage(items=[item(0), item(1)], has_more=False))
    assert model.take_changes() == MonitoredChanges(order=True, contacts={CID})
    assert model.apply(MessageEvent(contact_id=CID, item=item(2, text="Hello?")))
    assert [i.text for i in model.current().conversation.items][-1] == "Hello?"  # type: ignore[union-attr]
    assert model.apply(monitor_event("supervisor_mode_changed", MonitorMode.BARGE, MonitorMode.MONITOR))
    assert model.current().mode is MonitorMode.BARGE  # type: ignore[union-attr]
    assert not model.apply(MessageEvent(contact_id="c-other", item=item(0)))
    assert model.apply(monitor_event("supervisor_left", None, MonitorMode.BARGE))
    assert model.contacts == {}
    assert model.selected is None
    assert model.shown() == []


def test_the_monitor_model_keeps_a_record_of_each_join_mode_and_leave_once_for_the_crm() -> None:
    """The agent's desk is not told of a silent monitor: the supervisor's model records it."""
    records: list[SupervisionRecord] = []
    model = MonitoredContacts(record=records.extend)
    session = monitoring()
    model.joined(session)
    model.apply(monitor_event("supervisor_joined", MonitorMode.MONITOR, at=0))  # the stream says the same join
    model.joined(session.model_copy(update={"mode": MonitorMode.WHISPER, "mode_since": T0 + timedelta(seconds=3)}))
    model.apply(monitor_event("supervisor_mode_changed", MonitorMode.WHISPER, MonitorMode.MONITOR, at=4))  # its event
    model.apply(monitor_event("supervisor_left", None, MonitorMode.WHISPER, at=9))
    model.left(CID, T0 + timedelta(seconds=10))  # the leave's answer, after its event: nothing more
    assert [(r.event, r.mode, (r.at - T0).seconds) for r in records] == [
        ("joined", MonitorMode.MONITOR, 0),
        ("mode_changed", MonitorMode.WHISPER, 3),
        ("left", None, 9),
    ]
    assert {(r.supervisor_name, r.agent_id, r.queue_id) for r in records} == {("Riley Chen", AGENT_ID, "billing")}
    assert len(records) == 3
