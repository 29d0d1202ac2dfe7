"""Help from the supervisor on both desks, without a terminal: the agent's desk keeps each contact's flag
and rings for a supervisor's line (not for its own), drops an older copy of a thread, gives the thread to the CRM as
private notes, and shows a broadcast until its expiry; the supervisor's queue of flags is oldest first, holds only
open flags, and the keys on a flag apply only there and only where the contact center keeps flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.commands import Where, enabled, why_not
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import Broadcast, BroadcastEvent, Contact, ContactEvent, Flag, FlagEvent, FlagLine
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.commands import Panel, supervisor_enabled
from agent_desktop.supervisor_desk.desk import SupervisorCapabilities, SupervisorDesk
from agent_desktop.supervisor_desk.flags.flag_queue import FlagQueue, flag_age, waiting_for_answer

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def line(author: str, text: str, at: datetime = T0) -> FlagLine:
    name = "Alex Morgan" if author == "agent" else "Riley Chen"
    return FlagLine(author=author, author_id=name, name=name, text=text, at=at)


def flag(
    flag_id: str = "f-000001",
    contact_id: str = "c-000001",
    *lines: FlagLine,
    state: str = "open",
    raised_at: datetime = T0,
) -> Flag:
    return Flag(
        id=flag_id,
        contact_id=contact_id,
        queue_id="billing",
        agent_id="agent-001",
        agent_name="Alex Morgan",
        raised_at=raised_at,
        state=state,
        lines=list(lines) or [line("agent", "Help")],
    )


def event(kind: str, f: Flag, event_id: int | None = None) -> FlagEvent:
    return FlagEvent(type=kind, contact_id=f.contact_id, flag=f, at=T0, event_id=event_id)


def contact(state: str = "connected") -> Contact:
    return Contact.model_validate(
        {
            "id": "c-000001",
            "queue_id": "billing",
            "queue_name": "Billing",
            "channel": "voice",
            "state": state,
            "from_address": "+12125550100",
            "agent_id": "agent-001",
            "entered_queue_at": T0.isoformat(),
        }
    )


def agent_desk(flags: bool = True) -> Desk:
    desk = Desk("agent-001", capabilities=ContactCenterCapabilities(flags=flags))
    desk.apply(ContactEvent(contact=contact(), event_id=1))
    desk.take_changes()
    return desk


# --- the agent's desk -------------------------------------------------------------------------


def test_a_supervisors_line_rings_and_is_told_the_agents_own_does_not() -> None:
    desk = agent_desk()
    raised = flag()
    desk.apply(event("flag_raised", raised, 2))
    changes = desk.take_changes()
    assert changes.flags
    assert not changes.ring
    assert not changes.notices
    answered = flag("f-000001", "c-000001", line("agent", "Help"), line("supervisor", "On my way"))
    desk.apply(event("flag_line", answered, 3))
    changes = desk.take_changes()
    assert changes.ring
    assert [n.text for n in changes.notices] == ["Riley Chen: On my way"]
    replied = flag("f-000001", "c-000001", line("agent", "Help"), line("supervisor", "On my way"), line("agent", "Ta"))
    desk.apply(event("flag_line", replied, 4))
    assert not desk.take_changes().ring


def test_an_older_copy_of_the_thread_changes_nothing() -> None:
    desk = agent_desk()
    newer = flag("f-000001", "c-000001", line("agent", "Help"), line("supervisor", "Yes"))
    assert desk.help.take(newer)
    assert not desk.help.take(flag())  # the raise's answer after the answer's event
    assert desk.help.flag_on("c-000001") == newer


def test_the_thread_goes_to_the_crm_as_private_notes_and_leaves_with_the_contact() -> None:
    desk = agent_desk()
    desk.help.take(flag("f-000001", "c-000001", line("agent", "Help"), line("supervisor", "Offer the credit")))
    notes = desk.help.thread_for_the_crm("c-000001")
    assert notes == [
        "Flag to the supervisor (f-000001), Alex Morgan at 09:30:00: Help",
        "Flag to the supervisor (f-000001), Riley Chen at 09:30:00: Offer the credit",
    ]
    desk.finish("c-000001")  # its wrap-up is in the outbox
    assert desk.help.flag_on("c-000001") is None
    assert desk.help.thread_for_the_crm("c-000001") == []


def test_the_flag_key_applies_on_a_contact_in_hand_where_the_contact_center_keeps_flags() -> None:
    assert enabled(agent_desk(), Where())["flag"]
    assert not enabled(Desk("agent-001", capabilities=ContactCenterCapabilities(flags=True)), Where())["flag"]
    assert not enabled(agent_desk(flags=False), Where())["flag"]
    assert why_not("flag", agent_desk(flags=False)) == "this contact center keeps no flags for supervisors"


@given(st.lists(st.integers(min_value=1, max_value=600), min_size=1, max_size=6), st.integers(0, 700))
def test_a_broadcast_is_shown_exactly_until_its_expiry(lifetimes: list[int], seconds: int) -> None:
    desk = agent_desk()
    for i, lifetime in enumerate(lifetimes):
        sent = Broadcast(
            id=f"b-{i}",
            supervisor_name="Riley Chen",
            text=f"note {i}",
            sent_at=T0,
            expires_at=T0 + timedelta(seconds=lifetime),
        )
        desk.apply(BroadcastEvent(broadcast=sent, event_id=10 + i))
    now = T0 + timedelta(seconds=seconds)
    shown = {b.id for b in desk.help.shown_broadcasts(now)}
    assert shown == {f"b-{i}" for i, lifetime in enumerate(lifetimes) if lifetime > seconds}


# --- the supervisor's desk ----------------------------------------------------------------------


def test_the_queue_is_oldest_first_and_holds_open_flags_only() -> None:
    queue = FlagQueue()
    late = flag("f-000002", "c-000002", raised_at=T0 + timedelta(minutes=2))
    early = flag("f-000001", "c-000001")
    queue.apply(event("flag_raised", late))
    queue.apply(event("flag_raised", early))
    assert [f.id for f in queue.ordered()] == ["f-000001", "f-000002"]
    queue.apply(event("flag_closed", flag("f-000001", "c-000001", state="closed")))
    assert [f.id for f in queue.ordered()] == ["f-000002"]
    assert not queue.apply(event("flag_closed", flag("f-000009", state="closed")))  # unknown: nothing to drop


def test_a_flag_waits_while_the_agent_spoke_last() -> None:
    assert waiting_for_answer(flag())
    assert not waiting_for_answer(flag("f-1", "c-1", line("agent", "Help"), line("supervisor", "Coming")))
    assert [flag_age(flag(), T0 + timedelta(seconds=s)) for s in (5, 130, 3900)] == ["5s", "2m", "1h05"]


def test_the_floor_snapshot_brings_the_open_flags_and_a_raise_is_told() -> None:
    desk = SupervisorDesk(Floor(), SupervisorCapabilities(flags=True, broadcasts=True, monitoring=True))
    assert desk.apply(event("flag_raised", flag()))
    (notice,) = desk.take_notices()
    assert notice.title == "Flag raised"
    assert "Alex Morgan on c-000001: Help" in notice.text
    assert desk.take_floor_changes(T0, 0.0).flags


def test_the_flag_keys_apply_in_the_flags_table_only() -> None:
    desk = SupervisorDesk(Floor(), SupervisorCapabilities(flags=True, broadcasts=True, monitoring=True))
    on_flag = supervisor_enabled(desk.panel(queues=False, selected=True, flag=True))
    assert on_flag["answer_flag"]
    assert on_flag["close_flag"]
    assert on_flag["monitor_contact"]
    assert not on_flag["set_agent_state"]
    assert not on_flag["details"]  # an agent's keys do not act on a flag
    on_agent = supervisor_enabled(desk.panel(queues=False, selected=True))
    assert not on_agent["answer_flag"]
    assert on_agent["set_agent_state"]
    without = SupervisorDesk(Floor(), SupervisorCapabilities(monitoring=True))
    off = supervisor_enabled(without.panel(queues=False, selected=True, flag=True))
    assert not off["answer_flag"]
    assert not off["broadcast"]
    assert supervisor_enabled(Panel(queues=True, selected=False, broadcasts=True))["broadcast"]
