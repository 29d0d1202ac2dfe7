"""The supervisor's monitor model when its three sources race: the stream's events, the answers to
join/mode, and the list of sessions re-read after a (re)connection. Older news never undoes newer — the CI run
that timed out waiting for "Whispering" after a whisper is the first case: a re-read list, asked for before the
whisper switched the mode and answered after, put the card back to "Monitoring"."""

from __future__ import annotations

from datetime import timedelta

from agent_desktop.domain.models import Channel, MonitorEvent, MonitorMode
from agent_desktop.domain.monitoring.participants import Monitoring
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContacts
from tests.support.desk_events import AGENT_ID, T0

CID, OTHER = "c-1", "c-2"


def session(contact_id: str = CID, mode: MonitorMode = MonitorMode.MONITOR, at: int = 0, since: int = 0) -> Monitoring:
    return Monitoring(
        contact_id=contact_id,
        channel=Channel.CHAT,
        queue_id="billing",
        agent_id=AGENT_ID,
        supervisor_id="sup",
        supervisor_name="Riley Chen",
        mode=mode,
        since=T0 + timedelta(seconds=since),
        mode_since=T0 + timedelta(seconds=at),
    )


def event(kind: str, mode: MonitorMode | None, at: int, contact_id: str = CID) -> MonitorEvent:
    return MonitorEvent(
        type=kind,
        contact_id=contact_id,
        channel=Channel.CHAT,
        agent_id=AGENT_ID,
        supervisor_id="sup",
        supervisor_name="Riley Chen",
        mode=mode,
        at=T0 + timedelta(seconds=at),
    )


def test_a_list_asked_for_before_a_whisper_and_answered_after_it_keeps_the_whisper() -> None:
    model = MonitoredContacts()
    model.joined(session())
    asked = model.asking()  # the stream reconnected: the list is asked for …
    assert model.apply(event("supervisor_mode_changed", MonitorMode.WHISPER, at=5))  # … the whisper's mode arrives
    model.sessions_now([session(mode=MonitorMode.MONITOR)], asked)  # … then the list, read before the whisper
    assert model.current().mode is MonitorMode.WHISPER  # type: ignore[union-attr]


def test_a_list_older_than_a_join_or_a_leave_neither_drops_the_join_nor_brings_back_the_leave() -> None:
    model = MonitoredContacts()
    model.joined(session(OTHER))
    asked = model.asking()
    model.joined(session(CID, at=3, since=3))  # joined while the list was on its way
    model.left(OTHER)  # left while the list was on its way
    model.sessions_now([session(OTHER)], asked)  # the list: on OTHER only
    assert list(model.contacts) == [CID]


def test_a_list_with_nothing_newer_is_taken_as_it_is() -> None:
    model = MonitoredContacts()
    model.joined(session(OTHER))
    model.joined(session(CID))
    asked = model.asking()
    model.sessions_now([session(CID, mode=MonitorMode.BARGE, at=4)], asked)  # OTHER ended while disconnected
    assert list(model.contacts) == [CID]
    assert model.contacts[CID].mode is MonitorMode.BARGE


def test_mode_answers_out_of_order_and_an_older_leave_do_not_undo_the_newer() -> None:
    model = MonitoredContacts()
    model.joined(session())
    model.joined(session(mode=MonitorMode.BARGE, at=4))  # m, m: the second answer first …
    model.joined(session(mode=MonitorMode.WHISPER, at=2))  # … then the first
    assert model.current().mode is MonitorMode.BARGE  # type: ignore[union-attr]
    assert not model.apply(event("supervisor_mode_changed", MonitorMode.WHISPER, at=2))  # its event, late
    assert model.current().mode is MonitorMode.BARGE  # type: ignore[union-attr]

    model.left(CID)  # l, then j again: the new session …
    model.joined(session(at=9, since=9))
    assert not model.apply(event("supervisor_left", None, at=6))  # … outlives the old one's leave event
    assert CID in model.contacts
