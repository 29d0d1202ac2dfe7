"""The supervisor's floor model (no terminal): invariants under any order of contact events, and alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.models import IN_HAND, Channel, Contact, ContactEvent, ContactState
from agent_desktop.domain.supervisor.models import FloorSnapshot, QueueStatsEvent, WindowStats
from agent_desktop.staffing.alerts import AlertTracker
from agent_desktop.staffing.floor import WAITING, Floor
from tests.support.hypothesis_profiles import examples
from tests.support.narrowing import present

T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
AGENTS = ["agent-001", "agent-002", "agent-003"]
QUEUES = ["billing", "sales"]

contact_events = st.builds(
    lambda number, state, agent, queue, wait: ContactEvent(
        contact=Contact(
            id=f"c-{number}",
            channel=Channel.VOICE,
            queue_id=queue,
            queue_name=queue.title(),
            from_address="+12125550100",
            state=state,
            agent_id=None if state == ContactState.QUEUED else agent,
            entered_queue_at=T0 - timedelta(seconds=wait),
        )
    ),
    st.integers(1, 6),
    st.sampled_from(list(ContactState)),
    st.sampled_from(AGENTS),
    st.sampled_from(QUEUES),
    st.integers(0, 600),
)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(contact_events, max_size=40))
def test_each_contact_is_where_its_last_event_put_it(events: list[ContactEvent]) -> None:
    floor = Floor()
    floor.apply_snapshot(FloorSnapshot(at=T0))
    last = {}
    for event in events:
        floor.apply_contact(event)
        last[event.contact.id] = event.contact
    for contact_id, contact in last.items():
        holders = [a for a, hand in floor.in_hand.items() if contact_id in hand]
        queues = [q for q, waiting in floor.waiting.items() if contact_id in waiting]
        assert holders == ([contact.agent_id] if contact.state in IN_HAND and contact.agent_id else [])
        assert queues == ([contact.queue_id] if contact.state in WAITING else [])
    floor.now = T0
    for queue_id in QUEUES:
        waiting = [c for c in last.values() if c.state in WAITING and c.queue_id == queue_id]
        count, longest = floor.waiting_now(queue_id)
        assert count == len(waiting)
        assert longest == max(((T0 - c.entered_queue_at).total_seconds() for c in waiting), default=0.0)


def stats(level: float | None, longest: float = 0.0) -> WindowStats:
    return WindowStats(
        queue_id="billing",
        queue_name="Billing",
        waiting=0,
        longest_wait_s=longest,
        service_level_pct=level,
        service_level_target_pct=80,
        service_level_threshold_s=20,
    )


def test_an_alert_is_raised_once_per_crossing() -> None:
    floor = Floor(longest_wait_alert_s=60)
    tracker = AlertTracker()
    raised = []
    for minute, level in enumerate([90, 85, 70, 65, 72, 88, 79, 79]):
        floor.apply_stats(QueueStatsEvent(at=T0 + timedelta(minutes=minute), last_30m=[stats(level)]))
        raised += [(minute, a.kind) for a in tracker.update(floor.alerts(), T0 + timedelta(minutes=minute))]
    assert raised == [(2, "service_level"), (6, "service_level")]


def test_trend_compares_with_five_minutes_ago() -> None:
    floor = Floor()
    for minute, level in enumerate([80, 80, 80, 80, 80, 80, 84]):
        floor.apply_stats(QueueStatsEvent(at=T0 + timedelta(minutes=minute), last_30m=[stats(level)]))
    assert floor.history["billing"].trend() == 4
    assert list(floor.history["billing"].service_level)[-1] == 84


def figures(queue_id: str, waiting: int, window: str = "today") -> WindowStats:
    return WindowStats(
        queue_id=queue_id, queue_name=queue_id.title(), window=window, waiting=waiting, longest_wait_s=float(waiting)
    )


def test_a_push_of_some_queues_keeps_the_others_figures() -> None:
    """The server pushes only the queues whose figures changed: the others keep theirs, sparklines included."""
    floor = Floor()
    today = [figures("billing", 1), figures("sales", 2)]
    last_30m = [figures("billing", 1, "30m"), figures("sales", 2, "30m")]
    floor.apply_snapshot(FloorSnapshot(at=T0, today=today, last_30m=last_30m))
    floor.apply_stats(
        QueueStatsEvent(
            at=T0 + timedelta(minutes=1), today=[figures("billing", 3)], last_30m=[figures("billing", 3, "30m")]
        )
    )
    assert present(floor.current_stats("billing")).waiting == 3
    assert present(floor.current_stats("sales")).waiting == 2
    assert floor.queue_ids() == ["billing", "sales"]
    assert list(floor.history["sales"].waiting) == [2, 2]  # a point for the minute all the same
    # a snapshot (a reconnection) says everything: what it leaves out is gone
    floor.apply_snapshot(FloorSnapshot(at=T0 + timedelta(minutes=2), today=[figures("sales", 0)]))
    assert floor.queue_ids() == ["sales"]
    assert present(floor.current_stats("sales")).waiting == 0
