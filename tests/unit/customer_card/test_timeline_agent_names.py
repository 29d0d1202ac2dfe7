"""Who handled each contact in a caller's history is said as a person knows them: on Twilio the CRM
holds the agent's Worker SID (WK…), which a new agent read as an agent's id. The agent's own SID is their name,
another agent's SID "a colleague"; an id a person chose (`agent-001`) stays as it is."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.domain.customers.timeline import TimelineItem, TimelinePage
from agent_desktop.domain.models import Customer, CustomerRecord
from agent_desktop.ui.agent.callers.timeline_rows import timeline_view

MINE = "WK0123456789abcdef0123456789abcdef"
T0 = datetime(2026, 11, 1, tzinfo=UTC)
SIDS = st.builds(lambda h: "WK" + h, st.text("0123456789abcdef", min_size=32, max_size=32))


def history_lines(agent_ids: list[str], agent_names: dict[str, str] | None = None) -> list[str]:
    items = [
        TimelineItem(id=f"i-{n}", at=T0, kind="call", channel="voice", summary="Refund", agent_id=agent)
        for n, agent in enumerate(agent_ids)
    ]
    view = timeline_view(
        CustomerRecord(customer=Customer(id="cus-1", name="Ann")),
        TimelinePage(items=items),
        agent_names=agent_names,
    )
    return [row[-1].text for row in view.rows[1:]]


@given(others=st.lists(SIDS, max_size=4))
def test_no_worker_sid_reaches_the_history(others: list[str]) -> None:
    lines = history_lines([MINE, *others, "agent-007"], agent_names={MINE: "Alex Morgan"})
    assert not any("WK" in line for line in lines), lines
    said = sorted(line.split(":")[0] for line in lines)
    assert said == sorted(["call · Alex Morgan", "call · agent-007"] + ["call · a colleague"] * len(others)), lines


@given(sids=st.lists(SIDS, min_size=1, max_size=4))
def test_a_history_drawn_before_the_desk_knows_any_name_shows_no_sid_either(sids: list[str]) -> None:
    lines = history_lines(sids)
    assert not any("WK" in line for line in lines), lines
