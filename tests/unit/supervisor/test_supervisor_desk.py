"""The supervisor's desk without a screen or a server: the queues' sorts, the agents' sort and filter,
the alerts told, the staffing advice's pace, who a supervisor may set to what, and the monitoring rules (who may
be monitored, whisper and barge on a chat or a call, the mode's cycle, leaving, refusals in words)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    Agent,
    AgentStateEvent,
    Channel,
    Contact,
    ContactEvent,
    ContactState,
    MonitorMode,
)
from agent_desktop.domain.monitoring.participants import Monitoring
from agent_desktop.domain.supervisor.models import FloorSnapshot, QueueStatsEvent, WindowStats
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.staffing.alerts import TELL_EVERY
from agent_desktop.staffing.floor import Floor
from agent_desktop.staffing.queue_order import ordered_queues
from agent_desktop.supervisor_desk.agent_order import AGENT_SORTS, matches, sort_value
from agent_desktop.supervisor_desk.commands import why_not
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.supervisor_desk.desk import STAFFING_EVERY_S, Line, SupervisorCapabilities, SupervisorDesk
from agent_desktop.supervisor_desk.ports import SupervisorPorts
from tests.support.hypothesis_profiles import examples

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MONITORING = SupervisorCapabilities(monitoring=True)


def stats(
    queue_id: str, waiting: int = 0, longest: float = 0.0, level: float | None = None, left: int | None = None
) -> WindowStats:
    return WindowStats(
        queue_id=queue_id,
        queue_name=queue_id.title(),
        waiting=waiting,
        longest_wait_s=longest,
        service_level_pct=level,
        answered=left,
        abandoned=0 if left is not None else None,
        service_level_target_pct=80.0,
    )


def desk_with(*figures: WindowStats, can: SupervisorCapabilities = MONITORING) -> SupervisorDesk:
    desk = SupervisorDesk(Floor(), can)
    desk.floor.apply_stats(QueueStatsEvent(at=T0, today=list(figures), last_30m=list(figures)))
    return desk


def agent(
    agent_id: str, name: str, state: AgentState = AgentState.AVAILABLE, since: int = 0, reason: str | None = None
) -> Agent:
    return Agent(
        id=agent_id,
        name=name,
        state=state,
        reason=reason,
        state_since=T0 - timedelta(seconds=since),
        not_ready_reasons=["Lunch", "Training"],
    )


def contact(contact_id: str, agent_id: str | None, state: ContactState, channel: Channel = Channel.CHAT) -> Contact:
    return Contact(
        id=contact_id,
        channel=channel,
        queue_id="billing",
        queue_name="Billing",
        from_address="+12125550100",
        state=state,
        agent_id=agent_id,
        entered_queue_at=T0,
    )


# --- the queues' sorts --------------------------------------------------------------------------


def test_queues_sort_as_configured_then_by_service_level_waiting_and_longest_wait() -> None:
    desk = desk_with(
        stats("a", waiting=1, longest=90, level=95, left=20),
        stats("b", level=0, left=10),  # 0 % from ten contacts: the worst level that counts
        stats("c", waiting=3, longest=10, level=85, left=20),
        stats("d", level=50, left=20),
        stats("e", level=0, left=1),  # 0 % from one contact: dimmed as "few", but numerically among the lowest
        stats("f", waiting=2, longest=30),  # no level: last
    )
    assert desk.queue_order() == list("abcdef")
    desk.sort_queues()
    assert desk.queue_sort == "service level"
    assert desk.queue_order() == ["b", "e", "d", "c", "a", "f"]
    desk.sort_queues()
    assert desk.queue_order()[:3] == ["c", "f", "a"]  # most waiting first
    desk.sort_queues()
    assert desk.queue_order()[:3] == ["a", "f", "c"]  # the oldest wait first
    desk.sort_queues()
    assert (desk.queue_sort, desk.queue_order()) == ("queue", list("abcdef"))


def test_ties_keep_the_order_shown_so_a_row_moves_only_past_another() -> None:
    desk = desk_with(*(stats(q, waiting=n) for q, n in zip("abcde", (0, 0, 0, 2, 1), strict=True)))
    desk.sort_queues()
    desk.sort_queues()  # by contacts waiting
    assert desk.queue_order() == ["d", "e", "a", "b", "c"]  # ties as configured when the sort is chosen
    now = [stats(q, waiting=n) for q, n in zip("abcde", (0, 0, 0, 0, 1), strict=True)]
    desk.floor.apply_stats(QueueStatsEvent(at=T0, today=now, last_30m=now))
    assert desk.queue_order() == ["e", "d", "a", "b", "c"]  # d drops just below e, not to its configured place


def test_ties_keep_the_order_shown_so_rows_move_only_past_others() -> None:
    def waiting(counts: dict[str, int]) -> list[WindowStats]:
        return [WindowStats(queue_id=q, queue_name=q, waiting=n, longest_wait_s=float(n)) for q, n in counts.items()]

    floor = Floor()
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    floor.apply_stats(QueueStatsEvent(at=at, today=waiting({"a": 0, "b": 0, "c": 0, "d": 2, "e": 1})))
    shown = ordered_queues(floor, "waiting")
    assert shown == ["d", "e", "a", "b", "c"]  # ties as configured when the sort is chosen
    floor.apply_stats(QueueStatsEvent(at=at, today=waiting({"a": 0, "b": 0, "c": 0, "d": 0, "e": 1})))
    assert ordered_queues(floor, "waiting", shown) == ["e", "d", "a", "b", "c"]  # d drops just below e


# --- the agents' sort and filter -------------------------------------------------------------------


def test_the_agents_filter_matches_every_word_in_name_state_reason_or_queue() -> None:
    ada = agent("agent-001", "Ada Byron", AgentState.NOT_READY, reason="Lunch")
    chats = [contact("c-1", "agent-001", ContactState.CONNECTED)]
    assert matches(ada, [], "")
    assert matches(ada, [], "ada lunch")
    assert matches(ada, [], "NOT READY")
    assert matches(ada, chats, "billing")
    assert not matches(ada, [], "ada billing")  # every word, not any
    assert not matches(ada, [], "grace")


def test_the_agents_sorts_cycle_and_order_by_state_then_time_then_contacts() -> None:
    desk = SupervisorDesk(Floor())

    def sorted_next() -> str:
        desk.sort_agents()
        return desk.agent_sort

    assert [desk.agent_sort] + [sorted_next() for _ in AGENT_SORTS] == [*AGENT_SORTS, "name"]
    missed, ready, offline = (
        agent("a", "Zed", AgentState.MISSED),
        agent("b", "Amy", AgentState.AVAILABLE, since=600),
        agent("c", "Bob", AgentState.OFFLINE, since=60),
    )

    def by(sort: str, agents: list[Agent], hands: dict[str, list[Contact]] | None = None) -> list[str]:
        return [a.id for a in sorted(agents, key=lambda a: sort_value(a, (hands or {}).get(a.id, []), sort))]

    assert by("name", [missed, ready, offline]) == ["b", "c", "a"]
    assert by("state", [offline, ready, missed]) == ["a", "b", "c"]  # who needs the supervisor first
    assert by("time in state", [missed, offline, ready]) == ["b", "c", "a"]  # longest in their state first
    two = {"c": [contact("c-1", "c", ContactState.CONNECTED), contact("c-2", "c", ContactState.ON_HOLD)]}
    assert by("contacts", [ready, offline], two) == ["c", "b"]


# --- alerts and the staffing advice -------------------------------------------------------------------


def test_a_new_alert_is_told_once_and_held_back_by_the_pace_of_notifications() -> None:
    desk = desk_with(stats("billing", level=40, left=20))
    first = desk.take_floor_changes(T0, at=0.0)
    assert [a.queue_id for a in first.told] == ["billing"]
    assert first.queues
    assert desk.tick(T0 + timedelta(seconds=1), at=1.0).told == []  # not again while it holds
    both = [stats("billing", level=40, left=20), stats("sales", level=10, left=30)]
    desk.floor.apply_stats(QueueStatsEvent(at=T0, today=both, last_30m=both))
    assert desk.take_floor_changes(T0 + timedelta(seconds=2), at=2.0).told == []  # new, but within TELL_EVERY
    later = T0 + TELL_EVERY + timedelta(seconds=1)
    assert [a.queue_id for a in desk.tick(later, at=30.0).told] == ["sales"]  # told by the clock, not an event


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.floats(0.01, 3.0)), min_size=1, max_size=30))
def test_the_staffing_advice_is_worked_out_at_most_once_a_second_by_events_and_never_left_behind(
    steps: list[tuple[bool, float]],
) -> None:
    """Queue figures in bursts: a change works the advice out again only STAFFING_EVERY_S after it last was (on a
    floor of 1,000 agents it costs more than the rest of a redraw), and the clock's tick each second draws what
    is due, so the advice is never behind the figures for longer than that."""
    desk = desk_with(stats("billing", level=90, left=20))
    at, next_tick, last = 0.0, 1.0, 0.0
    assert desk.take_floor_changes(T0, at).staffing
    for queues_changed, wait in steps:
        at += wait
        while next_tick <= at:
            if desk.tick(T0, next_tick).staffing:
                last = next_tick
            assert not desk._staffing_due, "the tick draws what is due"
            next_tick += 1.0
        if queues_changed:
            now = [stats("billing", waiting=int(at * 100), level=90, left=20)]
            desk.floor.apply_stats(QueueStatsEvent(at=T0, today=now, last_30m=now))
            if desk.take_floor_changes(T0, at).staffing:
                assert at - last >= STAFFING_EVERY_S
                last = at


def test_a_snapshot_draws_the_staffing_advice_at_once() -> None:
    desk = desk_with(stats("billing", level=90, left=20))
    assert desk.take_floor_changes(T0, at=0.0).staffing
    desk.apply(FloorSnapshot(at=T0, today=[stats("billing", level=50, left=20)]))
    changes = desk.take_floor_changes(T0, at=0.1)
    assert changes.reset
    assert changes.staffing
    assert desk.loaded


# --- an agent's state ------------------------------------------------------------------------------------


def test_an_agent_with_a_contact_in_hand_is_offered_the_state_after_it_where_the_center_keeps_one() -> None:
    desk = desk_with()
    desk.floor.apply_agent(AgentStateEvent(agent=agent("agent-001", "Ada", AgentState.BUSY)))
    desk.floor.apply_agent(AgentStateEvent(agent=agent("agent-002", "Bob", AgentState.AVAILABLE)))
    assert desk.holding("agent-001")
    assert not desk.holding("agent-002")
    assert [label for _, label in desk.state_choices("agent-002")] == [
        "Log out (offline)",
        "Available",
        "Not ready — Lunch",
        "Not ready — Training",
    ]
    assert desk.next_state_choices("agent-001")[0] == ("available", "Available after it")
    twilio = SupervisorDesk(desk.floor, SupervisorCapabilities(native_next_state=False))
    assert not twilio.holding("agent-001")  # no next state of its own: the state is set now


# --- monitoring ------------------------------------------------------------------------------------------


def session(contact_id: str, channel: Channel = Channel.CHAT, mode: MonitorMode = MonitorMode.MONITOR) -> Monitoring:
    return Monitoring(
        contact_id=contact_id,
        channel=channel,
        queue_id="billing",
        agent_id="agent-001",
        supervisor_id="sup",
        supervisor_name="Riley",
        mode=mode,
        since=T0,
        mode_since=T0,
    )


def test_only_contacts_in_progress_may_be_monitored_and_only_where_the_center_serves_it() -> None:
    desk = desk_with()
    for c in (
        contact("c-2", "agent-001", ContactState.ON_HOLD),
        contact("c-1", "agent-001", ContactState.CONNECTED),
        contact("c-3", "agent-001", ContactState.AFTER_CONTACT_WORK),
    ):
        desk.floor.apply_contact(ContactEvent(contact=c))
    assert [c.id for c in desk.monitorable("agent-001")] == ["c-1", "c-2"]  # on hold too: the call goes on
    assert desk.may_monitor(contact("c-1", "agent-001", ContactState.CONNECTED))
    assert not desk.may_monitor(contact("c-3", "agent-001", ContactState.AFTER_CONTACT_WORK))
    assert not desk.may_monitor(contact("c-4", None, ContactState.QUEUED))
    cannot = SupervisorDesk(desk.floor, SupervisorCapabilities(monitoring=False))
    assert cannot.monitorable("agent-001") == []
    assert not cannot.may_monitor(contact("c-1", "agent-001", ContactState.CONNECTED))
    assert not cannot.panel(queues=False, selected=True).monitoring


def test_whisper_and_barge_open_a_line_on_a_chat_and_set_the_mode_on_a_call() -> None:
    desk = desk_with()
    assert desk.open_line("whisper") is None  # on no contact: nothing
    desk.monitored.joined(session("call-1", Channel.VOICE))
    assert desk.open_line("barge") == ("call-1", MonitorMode.BARGE)  # its audio is not the desk's
    assert desk.line is None
    desk.monitored.joined(session("chat-1"))
    desk.monitored.selected = "chat-1"
    line = desk.open_line("whisper")
    assert isinstance(line, Line)
    assert line.prompt.startswith("Whisper to agent-001: only they see it")
    assert desk.close_line("   ") is None
    assert desk.line is None  # empty: nothing sent, the line closed
    desk.open_line("barge")
    assert desk.close_line(" hello ") == ("barge", "chat-1", "hello")


def test_the_mode_cycles_monitor_whisper_barge() -> None:
    desk = desk_with()
    assert desk.next_mode() is None
    seen = []
    for mode in (MonitorMode.MONITOR, MonitorMode.WHISPER, MonitorMode.BARGE):
        desk.monitored.joined(session("chat-1", mode=mode))
        seen.append(desk.next_mode())
    assert seen == [("chat-1", MonitorMode.WHISPER), ("chat-1", MonitorMode.BARGE), ("chat-1", MonitorMode.MONITOR)]


class Refusing:
    """A console whose every call is refused with `status` (the rule under test is what the controller does
    with a refusal, not what a contact center refuses)."""

    capabilities = None

    def __init__(self, status: int) -> None:
        self.status = status
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Callable[..., Awaitable[NoReturn]]:
        async def refuse(*args: object, **kwargs: object) -> NoReturn:
            self.calls.append(name)
            raise BackendError("ccaas", f"{self.status} not possible", status=self.status)

        return refuse


def controller_over(console: Refusing, can: SupervisorCapabilities = MONITORING) -> SupervisorController:
    controller = SupervisorController(desk_with(can=can), console, SupervisorPorts.of(console), lambda: T0)  # type: ignore[arg-type]
    controller.monitoring.console = console  # type: ignore[assignment]  # a console that refuses every call
    return controller


def test_leaving_a_contact_that_ended_is_leaving_it_and_another_refusal_is_said_in_words() -> None:
    for status, still_on in ((404, False), (403, True)):
        controller = controller_over(Refusing(status))
        controller.desk.monitored.joined(session("chat-1"))
        asyncio.run(controller.monitoring.leave())
        assert ("chat-1" in controller.desk.monitored.contacts) is still_on, status
        notices = controller.desk.take_notices()
        assert [n.text for n in notices] == ([] if status == 404 else ["Not allowed for your sign-in: not possible"])


def test_a_refused_join_whisper_or_barge_is_a_notice_in_words_never_an_error() -> None:
    controller = controller_over(Refusing(409))
    asyncio.run(controller.monitoring.join("chat-1"))
    asyncio.run(controller.monitoring.say("whisper", "chat-1", "card 4111 1111 1111 1111"))
    asyncio.run(controller.monitoring.say("barge", "chat-1", "hello"))
    assert [(n.title, n.text, n.severity) for n in controller.desk.take_notices()] == [
        (title, "Not possible now: not possible", "error") for title in ("Monitor", "Whisper", "Barge")
    ]
    assert controller.desk.monitored.contacts == {}


def test_without_monitoring_no_call_reaches_the_console_and_each_is_refused_in_one_sentence() -> None:
    console = Refusing(403)  # declares no capability: its monitoring is the stand-in
    ports = SupervisorPorts.of(console)  # type: ignore[arg-type]
    controller = SupervisorController(desk_with(can=ports.capabilities), console, ports, lambda: T0)  # type: ignore[arg-type]
    for use_case in (
        controller.monitoring.join("c-1"),
        controller.monitoring.say("whisper", "c-1", "x"),
        controller.monitoring.leave("c-1"),
    ):
        asyncio.run(use_case)
    assert console.calls == []
    assert not ports.capabilities.monitoring
    assert [(n.title, n.text) for n in controller.desk.take_notices()] == [
        (title, "Monitoring is not on this contact center.") for title in ("Monitor", "Whisper", "Leave")
    ]


def test_a_409_on_setting_an_agent_becomes_the_offer_of_a_next_state_only_where_the_center_keeps_one() -> None:
    for native, offered in ((True, False), (False, True)):
        controller = controller_over(Refusing(409), SupervisorCapabilities(native_next_state=native))
        done = asyncio.run(controller.set_agent_state("agent-001", AgentState.NOT_READY, "Lunch"))
        assert done is offered
        [notice] = controller.desk.take_notices()
        assert (notice.severity == "warning") is native


def test_the_help_names_the_key_the_readme_names_for_the_flags_table() -> None:
    """The help said "tab" where the README (and the table's place, above the queues) says shift+tab."""
    for action in ("answer_flag", "close_flag"):
        words = why_not(action, monitoring=True) or ""
        assert "shift+tab" in words, words
