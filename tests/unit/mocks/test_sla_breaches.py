"""The queues' SLA breaches (agent_desktop_mocks/ccaas/figures/sla_breaches.py): hypothesis over waits and
times. A wait counts once its target (first or next reply, per queue and channel) has passed, exactly as the desk's
own clock reads "now" (agent_desktop/agent_desk/conversations/sla_clocks.py); a count only grows as time passes; a channel without
a target (voice) or an unknown queue counts nothing; every queue is named, 0 for none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.conversations.sla_clocks import ClockLevel, clock
from agent_desktop.domain.models import ResponseTarget as DeskTarget
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Queue
from agent_desktop_mocks.ccaas.figures.sla_breaches import ReplyWait, breaches

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)
QUEUES = [Queue(id="billing", name="Billing"), Queue(id="sales", name="Sales")]  # the default targets

waits = st.lists(
    st.builds(
        ReplyWait,
        queue_id=st.sampled_from(["billing", "sales", "gone"]),
        channel=st.sampled_from(list(Channel)),
        kind=st.sampled_from(["first", "next"]),
        since=st.integers(min_value=0, max_value=20000).map(lambda s: NOW - timedelta(seconds=s)),
    ),
    max_size=30,
)


@given(waits)
def test_a_wait_counts_exactly_when_the_desks_clock_says_now(found: list[ReplyWait]) -> None:
    counts = breaches(QUEUES, found, NOW)
    assert set(counts) == {"billing", "sales"}
    expected = dict.fromkeys(counts, 0)
    for wait in found:
        target = QUEUES[0].response_targets.get(wait.channel) if wait.queue_id in expected else None
        if target is None:
            continue
        desk_target = DeskTarget(**target.model_dump())
        if clock(desk_target, wait.kind, wait.since, NOW).level is ClockLevel.BREACHED:
            expected[wait.queue_id] += 1
    assert counts == expected


@given(waits, st.integers(min_value=0, max_value=20000))
def test_a_count_only_grows_as_time_passes(found: list[ReplyWait], later_s: int) -> None:
    before, after = breaches(QUEUES, found, NOW), breaches(QUEUES, found, NOW + timedelta(seconds=later_s))
    assert all(after[q] >= before[q] for q in before)


def test_the_targets_of_each_kind() -> None:
    chat_first = ReplyWait("billing", Channel.CHAT, "first", NOW - timedelta(seconds=60))  # due at 60 s: now
    chat_next = ReplyWait("billing", Channel.CHAT, "next", NOW - timedelta(seconds=60))  # 90 s: not yet
    voice = ReplyWait("billing", Channel.VOICE, "first", NOW - timedelta(hours=5))
    assert breaches(QUEUES, [chat_first, chat_next, voice], NOW) == {"billing": 1, "sales": 0}
