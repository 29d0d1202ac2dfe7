"""A call a supervisor takes over, without a terminal: the agent's desk says who took it once, in
the supervisor's own words as the contact center gives their name, and nothing of the kind for a call that ended any
other way; the supervisor's `T` is offered on a monitored call only."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Channel, ContactState, MonitorMode, TakenOver
from agent_desktop.domain.monitoring.participants import Monitoring
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.commands import supervisor_enabled
from agent_desktop.supervisor_desk.desk import SupervisorCapabilities, SupervisorDesk
from tests.support.desk_events import AGENT_ID, T0, contact
from tests.support.hypothesis_profiles import examples

CID = "c-000007"
ENDINGS = st.sampled_from(["agent", "customer", "system", "transfer", "consult", "takeover"])


def ended(how: str, name: str, replays: int) -> list[str]:
    """The notices of a call in hand that ends `how` (taken over by a supervisor called `name`), its end reported
    `replays` more times (the answer, the stream's copy, a resync)."""
    desk = Desk(AGENT_ID)
    desk.apply_contact(contact(CID, ContactState.CONNECTED))
    desk.take_changes()
    taken = TakenOver(supervisor_id="supervisor", name=name, at=T0) if how == "takeover" else None
    wrap_up = contact(CID, ContactState.AFTER_CONTACT_WORK).model_copy(
        update={"ended_by": how, "ended_at": T0 + timedelta(seconds=30), "taken_over_by": taken}
    )
    for _ in range(1 + replays):
        desk.apply_contact(wrap_up)
    return [n.text for n in desk.take_changes().notices if n.title == "Call taken over"]


@given(how=ENDINGS, name=st.text(min_size=1, max_size=80), replays=st.integers(0, 3))
@settings(max_examples=examples(100), deadline=None)
def test_the_agent_is_told_who_took_the_call_once_and_of_no_other_end(how: str, name: str, replays: int) -> None:
    said = ended(how, name, replays)
    if how == "takeover":
        assert said == [f"Supervisor {name} took this call. Wrap it up."]
    else:
        assert said == []


def session(contact_id: str, channel: Channel) -> Monitoring:
    return Monitoring(
        contact_id=contact_id,
        channel=channel,
        queue_id="billing",
        agent_id=AGENT_ID,
        supervisor_id="supervisor",
        supervisor_name="Riley Chen",
        mode=MonitorMode.MONITOR,
        since=T0,
        mode_since=T0,
    )


@given(channels=st.lists(st.sampled_from(list(Channel)), min_size=1, max_size=4), picks=st.integers(0, 6))
@settings(max_examples=examples(100), deadline=None)
def test_take_over_is_offered_on_the_monitored_call_the_keys_act_on(channels: list[Channel], picks: int) -> None:
    desk = SupervisorDesk(Floor(), SupervisorCapabilities(monitoring=True))
    assert not supervisor_enabled(desk.panel(queues=False, selected=True))["take_over"], "offered on no contact"
    for n, channel in enumerate(channels):
        desk.monitored.joined(session(f"c-{n:06d}", channel))
    for _ in range(picks):
        desk.monitored.select_next()
    current = desk.monitored.current()
    assert current is not None
    offered = supervisor_enabled(desk.panel(queues=False, selected=True))["take_over"]
    assert offered is (current.session.channel is Channel.VOICE), "a chat, SMS or email is barged into, not taken"
