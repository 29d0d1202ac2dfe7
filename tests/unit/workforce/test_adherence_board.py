"""The supervisor desk's adherence board (agent_desktop/supervisor_desk/workforce/adherence_board.py): out of adherence the
longest first, whatever order the rows came in; one alert per episode past the tolerance, not again for the same
episode (another event, a reconnection's snapshot), again for the agent's next one; the day's percentage moved on
with the clock between events, per agent and per team."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.supervisor.models import FloorSnapshot
from agent_desktop.domain.workforce.models import AdherenceSnapshot, AgentAdherence
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.desk import SupervisorDesk
from agent_desktop.supervisor_desk.workforce.adherence_board import TELL_EVERY, AdherenceBoard, order

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def row(agent_id: str, out_min: float | None = None, *, reported: bool = True, **fields: Any) -> AgentAdherence:
    out = out_min is not None
    return AgentAdherence(
        agent_id=agent_id,
        name=fields.pop("name", agent_id.title()),
        team=fields.pop("team", "Billing"),
        scheduled=fields.pop("scheduled", "work"),
        state=fields.pop("state", "not_ready" if out else "available"),
        reason=fields.pop("reason", "Break" if out else None),
        in_adherence=not out,
        out_of_adherence=out and reported,
        out_since=NOW - timedelta(minutes=out_min) if out_min is not None else None,
        at=fields.pop("at", NOW),
        **fields,
    )


def test_out_of_adherence_longest_first_then_the_rest_by_name() -> None:
    rows = [row("dana"), row("bo", 2), row("al"), row("cy", 9), row("ed", 0.2, reported=False)]
    assert order(rows) == ["cy", "bo", "al", "dana", "ed"]  # ed: out within the tolerance, not reported yet


@given(st.permutations([row("a", 1), row("b", 5), row("c"), row("d", 3), row("e")]))
def test_the_order_does_not_depend_on_the_order_rows_came_in(rows: list[AgentAdherence]) -> None:
    assert order(rows) == ["b", "d", "a", "c", "e"]


def test_one_alert_per_episode_past_the_tolerance() -> None:
    board = AdherenceBoard()
    assert board.apply(row("bo", 0.2, reported=False)) == []  # out, but within the tolerance
    first = row("bo", 1)
    assert board.apply(first) == [first]
    assert board.apply(row("bo", 1, state="offline", reason=None)) == []  # same episode, another state
    snapshot = AdherenceSnapshot(as_of=NOW, tolerance_s=60, agents=(row("bo", 1),))
    assert board.load(snapshot) == []  # a reconnection: the same episode, not told again
    board.apply(row("bo"))  # back in adherence
    again = row("bo", 0.5, at=NOW + timedelta(minutes=5))
    assert board.apply(again) == [again]  # the next episode is told


def test_the_desk_tells_an_episode_once_as_a_notice() -> None:
    desk = SupervisorDesk(Floor())
    desk.apply(FloorSnapshot(at=NOW, adherence=AdherenceSnapshot(as_of=NOW, tolerance_s=60, agents=(row("bo"),))))
    assert desk.take_notices() == []
    desk.apply(row("bo", 2))
    desk.apply(row("bo", 2, state="offline", reason=None))
    notices = desk.take_notices()
    assert [n.title for n in notices] == ["Out of adherence"]
    assert "Bo: Not ready — Break while scheduled for Work (2:00)" in notices[0].text


def test_the_days_percentage_moves_on_with_the_clock_per_agent_and_team() -> None:
    board = AdherenceBoard()
    board.apply(row("al", in_s=300, out_s=100))  # in adherence: its in-time grows
    board.apply(row("bo", 1, in_s=100, out_s=0))  # out: its out-time grows
    later = NOW + timedelta(seconds=100)
    assert board.row("al", later).pct == "80.0 %"  # 400 / 500
    assert board.row("bo", later).pct == "50.0 %"
    assert board.row("bo", later).out_for == "2:40"
    (team,) = board.teams(later)
    assert (team.team, team.agents, team.out, team.pct) == ("Billing", 2, 1, "71.4 %")  # 500 / 700


def test_a_floor_going_on_break_at_once_is_one_notice_not_one_per_agent() -> None:
    """On the 1,000-agent floor one "Out of adherence" notice per agent on break covered the
    tables. Fifty agents out within ten seconds: the first told at once, the other 49 in one notice at the pace."""
    desk = SupervisorDesk(Floor())
    desk.apply(FloorSnapshot(at=NOW, adherence=AdherenceSnapshot(as_of=NOW, tolerance_s=60, agents=())))
    for n in range(50):
        at = NOW + timedelta(seconds=n / 5)
        desk.apply(row(f"agent-{n:02d}", 1, at=at))
        desk.tick(at, 0.0)
    assert [n.text.count("\n") for n in desk.take_notices()] == [0]  # agent-00 alone, the rest held back
    desk.tick(NOW + TELL_EVERY, 0.0)
    (burst,) = desk.take_notices()
    assert burst.title == "Out of adherence"
    assert burst.text.endswith("+46 more (the adherence board, r)"), burst.text


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(st.integers(0, 19), st.integers(0, 90), st.integers(1, 60)),
        min_size=1,
        max_size=20,
        unique_by=lambda t: t[0],
    )
)
def test_each_episode_is_told_once_and_notices_keep_their_pace(goes: list[tuple[int, int, int]]) -> None:
    """Agents going out at any second, each back in adherence a while later: an episode is told at most once, while
    it lasts; one never told was back before its turn came; two notices are never closer than TELL_EVERY."""
    board = AdherenceBoard()
    told_at: dict[str, int] = {}
    notices: list[int] = []
    for second in range(200):
        now = NOW + timedelta(seconds=second)
        came = []
        for agent, out_at, back_after in goes:
            if second == out_at:
                came += board.apply(row(f"agent-{agent:02d}", 1, at=now))
            if second == out_at + back_after:
                board.apply(row(f"agent-{agent:02d}", at=now))
        telling = board.to_tell(came, now)
        if telling:
            notices.append(second)
        for told in telling:
            assert told.agent_id not in told_at, "an episode told twice"
            told_at[told.agent_id] = second
    assert all(later - earlier >= TELL_EVERY.total_seconds() for earlier, later in pairwise(notices))
    for agent, out_at, back_after in goes:
        name, back = f"agent-{agent:02d}", out_at + back_after
        if name in told_at:
            assert out_at <= told_at[name] < back, "told while it lasted"
        else:
            before = [n for n in notices if n < out_at]
            turn = max(out_at, before[-1] + TELL_EVERY.total_seconds()) if before else out_at
            assert back <= turn, f"{name} out {out_at}-{back} never told; its turn came at {turn}"
