"""Auto-accept on the desk (agent_desktop/agent_desk/auto_accept.py), on a clock the test steps: an offer of
a channel its queue auto-accepts counts down from its first drawing and is due once when the count runs out; the
agent's stop leaves it waiting; no rule, the capability off or no accept API: every offer waits. The stop key
applies only while a countdown runs."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.commands import Where, enabled
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import AutoAcceptRule, Queue
from tests.support.desk_events import AGENT_ID, T0, offer_event
from tests.support.narrowing import present


def offered(
    after_s: int | None = 3, capabilities: ContactCenterCapabilities | None = None, channel: str = "voice"
) -> Desk:
    desk = Desk(AGENT_ID, capabilities=capabilities)
    rules = {channel: AutoAcceptRule(after_s=after_s)} if after_s is not None else {}
    desk.set_queues([Queue(id="billing", name="Billing", auto_accept=rules)])
    desk.apply(offer_event("c-1", 1))
    return desk


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_the_countdown_runs_from_its_first_drawing_and_is_due_once() -> None:
    desk = offered(3)
    auto = desk.auto_accept
    assert enabled(desk, Where())["stop_auto_accept"]
    first = auto.countdown(desk.offer, at(100))  # drawn late: the agent still sees all of it
    assert first is not None
    assert first.left_s == 3
    assert first.text == "Accepts in 3 s"
    assert present(auto.countdown(desk.offer, at(101.5))).text == "Accepts in 2 s"
    assert not auto.due(desk.offer, at(102.9))
    assert auto.due(desk.offer, at(103))
    assert not auto.due(desk.offer, at(104)), "accepted once, not at every tick after"
    assert auto.countdown(desk.offer, at(104)) is None
    assert not enabled(desk, Where())["stop_auto_accept"]


def test_stopped_the_offer_waits_for_the_agent() -> None:
    desk = offered(3)
    auto = desk.auto_accept
    auto.countdown(desk.offer, at(0))
    assert auto.stop(desk.offer)
    assert auto.countdown(desk.offer, at(1)) is None
    assert not any(auto.due(desk.offer, at(s)) for s in (3, 10, 60))
    assert not enabled(desk, Where())["stop_auto_accept"]
    assert enabled(desk, Where())["accept"]
    assert not auto.stop(desk.offer), "nothing left to stop"


def test_the_next_offer_counts_down_afresh() -> None:
    desk = offered(3)
    desk.auto_accept.countdown(desk.offer, at(0))
    desk.auto_accept.stop(desk.offer)
    desk.apply(offer_event("c-2", 2))
    assert present(desk.auto_accept.countdown(desk.offer, at(50))).left_s == 3


def test_no_rule_another_channel_or_the_capability_off_and_every_offer_waits() -> None:
    for desk in (
        offered(None),
        offered(3, channel="chat"),
        offered(3, ContactCenterCapabilities(auto_accept=False)),
        offered(3, ContactCenterCapabilities(offer_decision=False)),  # nothing to accept with
    ):
        assert desk.auto_accept.countdown(desk.offer, at(0)) is None
        assert not desk.auto_accept.due(desk.offer, at(60))
        assert not enabled(desk, Where())["stop_auto_accept"]


@given(after_s=st.integers(1, 30), ticks=st.lists(st.floats(0, 5, allow_nan=False), min_size=1, max_size=40))
def test_never_due_before_its_time_and_due_exactly_once_after(after_s: int, ticks: list[float]) -> None:
    desk = offered(after_s)
    now, dues = T0, []
    desk.auto_accept.countdown(desk.offer, now)
    for step in ticks:
        now += timedelta(seconds=step)
        if desk.auto_accept.due(desk.offer, now):
            dues.append((now - T0).total_seconds())
    assert len(dues) <= 1
    assert all(d >= after_s for d in dues)
    if (now - T0).total_seconds() >= after_s:
        assert len(dues) == 1, "past its time: accepted"
