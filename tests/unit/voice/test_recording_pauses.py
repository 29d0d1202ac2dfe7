"""A call's recording left paused too long is said to the agent once a pause (agent_desktop/agent_desk/voice/
recording_pauses.py): however the desk's clock ticks, one notice once the pause passes the limit, none before; a
recording the contact center stopped (its folder full) is said once for a call in hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.voice.recording_pauses import LONG_PAUSE_S, tell_long_pauses
from agent_desktop.domain.models import ContactState, RecordingEvent
from tests.support.desk_events import AGENT_ID, contact_event

PAUSED_AT = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
FULL = "the recording could not be written: No space left on device"


@given(ticks=st.lists(st.floats(0, 3 * LONG_PAUSE_S), max_size=30).map(sorted))
def test_a_long_pause_is_said_once_and_a_short_one_never(ticks: list[float]) -> None:
    desk = Desk("agent-001")
    desk.recording_paused["c-1"] = PAUSED_AT
    said = []
    for seconds in ticks:
        tell_long_pauses(desk, PAUSED_AT + timedelta(seconds=seconds))
        said += desk.take_changes().notices
    expected = 1 if any(seconds >= LONG_PAUSE_S for seconds in ticks) else 0
    assert len(said) == expected, [notice.text for notice in said]
    assert all("P resumes it" in notice.text and notice.severity == "warning" for notice in said)


STATES = st.sampled_from(["recording", "paused", "stopped", "ended"])


@given(events=st.lists(st.tuples(st.sampled_from(["c-1", "c-2"]), STATES), max_size=20))
def test_a_recording_the_contact_center_stopped_is_said_once_for_a_call_in_hand(
    events: list[tuple[str, str]],
) -> None:
    """Whatever the stream says of the call's recording and however often (a reconnect replays it): one notice for the
    call in hand once a `stopped` comes, none for a call not in the agent's hands, none for a pause or a resume."""
    desk = Desk(AGENT_ID)
    desk.apply(contact_event("c-1", ContactState.CONNECTED))
    assert "c-1" in desk.held
    desk.take_changes()
    said = []
    for contact_id, state in events:
        desk.apply(RecordingEvent(contact_id=contact_id, agent_id=AGENT_ID, state=state, stopped_reason=FULL))
        said += desk.take_changes().notices
    expected = 1 if ("c-1", "stopped") in events else 0
    assert len(said) == expected, [notice.text for notice in said]
    assert all(FULL in notice.text and notice.title == "Recording stopped" for notice in said)
