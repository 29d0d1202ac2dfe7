"""A call's recording left paused too long is said to the agent once a pause (agent_desktop/agent_desk/voice/
recording_pauses.py): however the desk's clock ticks, one notice once the pause passes the limit, none before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.voice.recording_pauses import LONG_PAUSE_S, tell_long_pauses

PAUSED_AT = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


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
