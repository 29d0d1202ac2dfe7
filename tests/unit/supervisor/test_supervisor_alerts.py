"""Queue alerts that mean something and never storm (no terminal): the minimum of contacts, grouping, pace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.supervisor.models import QueueStatsEvent, WindowStats
from agent_desktop.staffing.alerts import TELL_EVERY, AlertTracker, notification_text, notification_title
from agent_desktop.staffing.floor import Alert, Floor

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def stats(queue_id: str, answered: int, abandoned: int, within: int) -> WindowStats:
    left = answered + abandoned
    return WindowStats(
        queue_id=queue_id,
        queue_name=queue_id.title(),
        waiting=0,
        longest_wait_s=0.0,
        answered=answered,
        abandoned=abandoned,
        answered_within_threshold=within,
        service_level_pct=100 * within / left if left else None,
        service_level_target_pct=80,
        service_level_threshold_s=20,
    )


def test_a_service_level_from_too_few_contacts_raises_no_alert() -> None:
    floor = Floor(service_level_alert_min_contacts=10)
    # A fresh floor: the first caller of each queue hung up, or was answered late: 0 % everywhere.
    floor.apply_stats(
        QueueStatsEvent(
            at=T0, last_30m=[stats(f"q{n}", answered=n % 2, abandoned=1 - n % 2, within=0) for n in range(100)]
        )
    )
    assert floor.alerts() == []
    assert not floor.service_level_settled("q0")
    # Nine answered late and one abandoned: ten contacts left the queue, the level is 0 % and now it counts.
    floor.apply_stats(
        QueueStatsEvent(at=T0 + timedelta(minutes=3), last_30m=[stats("q0", answered=9, abandoned=1, within=0)])
    )
    assert [(a.queue_id, a.kind) for a in floor.alerts()] == [("q0", "service_level")]
    assert floor.alerts()[0].text == "Q0: service level 0% < 80%"


def test_a_server_that_gives_no_counts_still_gets_its_alerts() -> None:
    floor = Floor()
    bare = WindowStats(
        queue_id="billing",
        queue_name="Billing",
        waiting=0,
        longest_wait_s=0.0,
        service_level_pct=50,
        service_level_target_pct=80,
    )
    floor.apply_stats(QueueStatsEvent(at=T0, last_30m=[bare]))
    assert [a.kind for a in floor.alerts()] == ["service_level"]


def alert(n: int, kind: str = "service_level") -> Alert:
    return Alert(f"q{n}", kind, f"Queue {n}: service level 0% < 80%")


def test_a_hundred_alerts_at_once_make_one_notification_naming_three() -> None:
    tracker = AlertTracker()
    told = tracker.update([alert(n) for n in range(100)], T0)
    assert len(told) == 100
    assert notification_title(told) == "Queue alerts: 100 queues"
    assert notification_text(told).splitlines() == [
        "Queue 0: service level 0% < 80%",
        "Queue 1: service level 0% < 80%",
        "Queue 2: service level 0% < 80%",
        "+97 more (marked ⚠ in the queues)",
    ]
    # The same alerts a second later: nothing new to tell.
    assert tracker.update([alert(n) for n in range(100)], T0 + timedelta(seconds=1)) == []


def test_new_alerts_wait_for_the_pace_then_go_together() -> None:
    tracker = AlertTracker()
    assert [a.queue_id for a in tracker.update([alert(0)], T0)] == ["q0"]
    assert tracker.update([alert(0), alert(1)], T0 + timedelta(seconds=5)) == []
    assert tracker.update([alert(0), alert(1), alert(2)], T0 + timedelta(seconds=10)) == []
    # q2 cleared before its turn came: it is not told.
    told = tracker.update([alert(0), alert(1)], T0 + TELL_EVERY)
    assert [a.queue_id for a in told] == ["q1"]


def test_a_level_hovering_at_its_target_is_told_once() -> None:
    tracker = AlertTracker()
    told = []
    for second in range(0, 600, 2):  # below, above, below… every 2 s for ten minutes
        alerts = [alert(0)] if second % 4 == 0 else []
        told += tracker.update(alerts, T0 + timedelta(seconds=second))
    assert len(told) == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.sets(st.integers(0, 20))), max_size=60))
def test_notifications_are_paced_and_name_only_alerts_that_hold(
    steps: list[tuple[int, set[int]]],
) -> None:
    tracker = AlertTracker()
    now = T0
    told_at: list[datetime] = []
    for gap_s, queues in steps:
        now += timedelta(seconds=gap_s)
        current = [alert(n) for n in sorted(queues)]
        told = tracker.update(current, now)
        if told:
            told_at.append(now)
            assert set(told) <= set(current)  # nothing cleared is told
            assert len({a.queue_id for a in told}) == len(told)  # each once
    assert all(later - earlier >= TELL_EVERY for earlier, later in zip(told_at, told_at[1:], strict=False))
