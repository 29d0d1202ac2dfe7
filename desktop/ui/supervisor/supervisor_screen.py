"""Supervisor mode: queue panels with alerts and Erlang C staffing advice, and the agents table.

Everything arrives on the supervisor event stream: the stream worker applies each
event to the in-memory `Floor` and posts one coalesced `FloorChanged`; the screen
then redraws only what changed. No panel polls the backend.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input

from desktop.backends.capabilities import contact_center_capabilities
from desktop.backends.errors import BackendError
from desktop.backends.models import ContactEvent, SupervisionRecord
from desktop.vocabulary import TALKING, AgentState, MonitorMode
from desktop.backends.link_status import LinkStatus
from desktop.backends.supervisor_models import FloorSnapshot, SupervisedQueue
from desktop.backends.monitoring_protocol import monitoring_console
from desktop.backends.supervisor_protocol import SupervisorConsole
from desktop.desk.commands import Panel, supervisor_enabled
from desktop.staffing.alerts import AlertTracker, notification_text, notification_title
from desktop.staffing.floor import SERVICE_LEVEL_ALERT_MIN_CONTACTS, Alert, Floor
from desktop.staffing.monitored import MonitoredContacts
from desktop.staffing.queue_order import SORT_WORDS, next_sort
from desktop.staffing.queue_story import queue_story
from desktop.staffing.why_service_level import why_service_level_is_low
from desktop.ui.shared.breakpoints import NARROW_BELOW, SHORT_BELOW
from desktop.ui.command_bindings import supervisor_bindings
from desktop.ui.plain_text import literal_title, plain
from desktop.ui.supervisor.agent_drilldown import AgentDrilldown
from desktop.ui.shared.choice_picker import ChoicePicker
from desktop.ui.supervisor.queue_drilldown import QueueDrilldown
from desktop.ui.shared.footer import KeyFooter
from desktop.ui.supervisor.agent_table import SORTS, AgentTable
from desktop.ui.supervisor.floor_status import FloorStatus
from desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS
from desktop.ui.supervisor.live_table import LiveTable
from desktop.ui.supervisor.monitor_panel import MonitorPanel
from desktop.ui.supervisor.queue_table import QueueTable
from desktop.ui.supervisor.refusals import refusal_words
from desktop.ui.supervisor.staffing_table import StaffingTable
from desktop.ui.supervisor.staffing_why import StaffingWhy


REDRAW_EVERY_S = 0.05
# The staffing advice and its causes (Erlang C over the last 30 minutes, every agent's share of
# each queue) are worked out at most this often: on a floor of 1,000 agents they cost more than
# the rest of a redraw, and move only with the 30-minute figures.
STAFFING_EVERY_S = 1.0
T = TypeVar("T")


class FloorChanged(Message):
    """Something on the floor changed; one pending redraw covers any number of events."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FloorChanged)


class MonitorChanged(Message):
    """A monitored contact changed (issue 22); one pending redraw covers any number of events."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, MonitorChanged)


HOLDING = (AgentState.OFFERED, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK)


def _state_words(state: AgentState, reason: str | None) -> str:
    return f"{state.label} — {reason}" if reason else state.label


NEXT_MODE = {MonitorMode.MONITOR: MonitorMode.WHISPER, MonitorMode.WHISPER: MonitorMode.BARGE, MonitorMode.BARGE: MonitorMode.MONITOR}


class LinkStatusChanged(Message):
    def __init__(self, status: LinkStatus) -> None:
        super().__init__()
        self.status = status


class SupervisorScreen(Screen):
    CSS_PATH = "supervisor_screen.tcss"
    BINDINGS = supervisor_bindings()  # from the command table (desktop/desk/commands.py)

    def __init__(
        self,
        console: SupervisorConsole,
        clock: Callable[[], datetime],
        *,
        longest_wait_alert_s: float = 60.0,
        max_occupancy_pct: float | None = None,
        service_level_alert_min_contacts: int = SERVICE_LEVEL_ALERT_MIN_CONTACTS,
        record_supervision: Callable[[list[SupervisionRecord]], object] | None = None,
    ) -> None:
        """`record_supervision`: hands the supervisor's joins, mode changes and leaves to the CRM (the app's
        outbox), None where the CRM keeps no such records."""
        super().__init__()
        self.console = console
        self._record_supervision = record_supervision
        self.clock = clock
        self.floor = Floor(longest_wait_alert_s, max_occupancy_pct, service_level_alert_min_contacts)
        self.alert_tracker = AlertTracker()
        self.alerts: list[Alert] = []
        self._keys_for: Panel | None = None
        self.loaded = False
        self.last_focused_table = "#queues"
        self._last_redraw = 0.0
        self._redraw_pending = False
        self._redraw_timer: Timer | None = None
        self._staffing_due = False
        self._staffing_at = float("-inf")
        # Monitoring (issue 22): only on a contact center that can (else its keys are never offered).
        self.monitoring = monitoring_console(console)
        self.monitored = MonitoredContacts()
        self._monitor_redraw_pending = False
        self._composing: tuple[str, str] | None = None  # ("whisper" | "barge", contact id) while the line is open

    # --- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield FloorStatus(id="floor-status")
        yield QueueTable(id="queues")
        yield StaffingTable(id="staffing")
        yield StaffingWhy(id="staffing-why")
        with Vertical(id="agents-box"):
            yield Input(placeholder="Filter agents: words in name, state, reason or queue (escape clears)", id="agent-filter")
            yield AgentTable(id="agents")
        yield MonitorPanel(id="monitor-panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Supervisor"
        queues = self.query_one("#queues")
        self._title_queues()
        queues.border_subtitle = "Av available · Bu busy/offered · AC after-contact work · NR not ready/missed"
        self.query_one("#staffing").border_title = "Staffing advice — Erlang C forecast from the last 30 minutes' load"
        self._title_agents()
        self.tick()
        self.set_interval(1.0, self.tick)
        self.listen()
        if self.monitoring is not None:
            self.listen_monitoring()
        self.set_focus(queues)

    def _title_queues(self) -> None:
        table = self.query_one(QueueTable)
        shown = "" if table.sort_by == "queue" else f" · by {SORT_WORDS[table.sort_by]}"
        table.border_title = literal_title(f"Queues — last 30 minutes{shown}")

    def on_resize(self, event: events.Resize) -> None:
        """80×24: the tables keep their key columns, the panels give rows to the agents."""
        narrow = event.size.width < NARROW_BELOW
        self.set_class(event.size.height < SHORT_BELOW, "-short")
        for table in self.query(LiveTable):
            table.set_narrow(narrow)

    def _title_agents(self) -> None:
        table = self.query_one(AgentTable)
        box = self.query_one("#agents-box")
        shown = f" · filter “{table.filter_text}”" if table.filter_text else ""
        box.border_title = literal_title(f"Agents — sorted by {table.sort_by}{shown}")  # the filter is typed text

    def tick(self) -> None:
        now = self.clock()
        try:
            status, agents = self.query_one(FloorStatus), self.query_one(AgentTable)
        except NoMatches:  # the app is shutting down: the screen's children are gone before its timer
            return
        status.now = now
        agents.refresh_times(self.floor, now)
        self.floor.tick(now)
        if self.floor.queues_changed:
            self.redraw()
        else:
            self._tell_alerts(now)  # new alerts held back by the pace of notifications
            if self._staffing_due:
                self._show_staffing()

    # --- the stream (the only source of data) -----------------------------------

    @work(group="supervisor-stream", exclusive=True)
    async def listen(self) -> None:
        floor = self.floor
        async for item in self.console.events():
            if isinstance(item, LinkStatus):
                self.post_message(LinkStatusChanged(item))
                continue
            if not floor.apply(item):
                continue  # offers: the agent's state event says the same for this screen
            if isinstance(item, FloorSnapshot):
                self.loaded = True
            elif isinstance(item, ContactEvent):
                for screen in self.app.screen_stack:  # an agent's day stays live under a dialog too
                    if isinstance(screen, AgentDrilldown):
                        screen.contact_changed(item.contact)
            if not self._redraw_pending:  # one message stands for any number of changes
                self._redraw_pending = True
                self.post_message(FloorChanged())

    @on(LinkStatusChanged)
    def _link_changed(self, message: LinkStatusChanged) -> None:
        self.query_one(FloorStatus).link = message.status

    def on_floor_changed(self, _: FloorChanged) -> None:
        """Redraw now, or at most REDRAW_EVERY_S after the last redraw: a burst of events
        (a thousand agents changing in the same second) costs a few redraws, not one per read."""
        if self._redraw_timer is not None:
            return  # one is already due
        wait = self._last_redraw + REDRAW_EVERY_S - time.monotonic()
        if wait <= 0:
            self.redraw()
        else:
            self._redraw_timer = self.set_timer(wait, self._timed_redraw)

    def _timed_redraw(self) -> None:
        self._redraw_timer = None
        self.redraw()

    def redraw(self) -> None:
        """Bring the panels up to date with the floor (only what changed since the last redraw)."""
        self._last_redraw = time.monotonic()
        self._redraw_pending = False
        floor = self.floor
        now = self.clock()
        floor.now = now
        changed, queues_changed, reset = floor.take_changes()
        if queues_changed:
            self.alerts = alerts = floor.alerts()
            self._tell_alerts(now)
            self.query_one(QueueTable).show(floor, {a.queue_id for a in alerts})
            self.query_one(FloorStatus).alerts = alerts
            self._staffing_due = True
        if self._staffing_due and (reset or self._last_redraw - self._staffing_at >= STAFFING_EVERY_S):
            self._show_staffing()
        if changed or reset:
            self.query_one(AgentTable).show(floor, changed, now, rebuild=reset)
        self._refresh_keys()
        waiting = sum(floor.waiting_now(q)[0] for q in floor.queue_ids())
        self.query_one(FloorStatus).counts = (len(floor.queue_ids()), len(floor.agents), waiting)
        if reset:  # a snapshot brought the rows the queue and agent keys act on: the footer says they apply
            self.refresh_bindings()

    def _tell_alerts(self, now: datetime) -> None:
        """One notification for the alerts new since the last (the status line shows them all)."""
        told = self.alert_tracker.update(self.alerts, now)
        if told:
            self.notify(
                plain(notification_text(told)),  # queue names come from the backend
                title=literal_title(notification_title(told)),
                severity="warning",
                timeout=8,
            )

    def _show_staffing(self) -> None:
        self._staffing_due = False
        self._staffing_at = time.monotonic()
        floor = self.floor
        why = {q: causes for q in floor.queue_ids() if (causes := why_service_level_is_low(floor, q))}
        self.query_one(StaffingTable).show(floor, why, self.query_one(QueueTable).keys)  # the queues' order
        differs = {q: words for q in floor.queue_ids() if (words := queue_story(floor, q, why.get(q, [])).why)}
        self.query_one(StaffingWhy).show(floor, why, differs)

    # --- helpers ----------------------------------------------------------------

    def _row_key(self, selector: str) -> str | None:
        """The key of the row under the cursor; None before the table is composed (Textual asks `check_action`
        as soon as this screen is the app's, before its compose has run: f2 at that moment ended the demo)."""
        tables = self.query(selector).results(LiveTable)
        table = next(tables, None)
        return table.cursor_key if table is not None else None

    def _target_table(self) -> str:
        """The panel the supervisor is working in: the focused table, else the last one."""
        focused = self.focused
        if focused is not None and focused.id in ("queues", "agents"):
            self.last_focused_table = f"#{focused.id}"
        return self.last_focused_table

    @work(group="supervisor-actions")
    async def _act(
        self, action: Awaitable[T], title: str, done: str | Content, then: Callable[[T], None] | None = None
    ) -> None:
        """Run one supervisor action; a refusal (e.g. 403, 409) is shown, never raised."""
        try:
            result = await action
        except BackendError as error:
            self.notify(plain(refusal_words(error)), title=title, severity="error")
            return
        if then is not None:
            then(result)
        self.notify(done, title=title)

    def _queue_changed(self, queue: SupervisedQueue) -> None:
        self.floor.set_queue(queue)
        self.post_message(FloorChanged())

    # --- actions (every one has a key in the footer) ----------------------------

    def _panel(self) -> Panel:
        table = self._target_table()
        return Panel(
            queues=table == "#queues",
            selected=self._row_key(table) is not None,
            queue_priority=contact_center_capabilities(self.console).queue_priority,
            monitoring=self.monitoring is not None,
            monitored=bool(self.monitored.contacts),
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """From the command table: a command that does not apply is left out of the footer and the palette."""
        return supervisor_enabled(self._panel()).get(action, True)

    def _refresh_keys(self) -> None:
        """The footer offers the keys of the panel in use, once its rows are there."""
        panel = self._panel()
        if panel != self._keys_for:
            self._keys_for = panel
            self.refresh_bindings()

    def why_not(self, action: str) -> str | None:
        """When a key that does not apply now would (the help screen, a key pressed in vain)."""
        if action in ("set_agent_state", "log_out_agent"):
            return "only with the cursor on an agent in the Agents table (tab moves there)"
        if action in ("priority_up", "priority_down"):
            return "only with the cursor on a queue in the Queues table (tab moves there)"
        if action == "sort_queues":
            return "only in the Queues table (tab moves there)"
        if action == "sort_agents":
            return "only in the Agents table (tab moves there)"
        if action == "monitor_contact":
            if self.monitoring is None:
                return "not with this contact center (it does not serve monitoring)"
            return "only with the cursor on an agent in the Agents table (tab moves there), or in a drill-down (d)"
        if action in ("whisper", "barge", "monitor_mode", "leave_contact", "next_monitored"):
            return "only while you monitor a contact (j on an agent in the Agents table, or in a drill-down)"
        return None

    def on_descendant_focus(self) -> None:
        self._refresh_keys()

    @on(LiveTable.RowSelected)
    def _row_selected(self, event: LiveTable.RowSelected) -> None:
        if event.table.id in ("queues", "agents"):
            self.last_focused_table = f"#{event.table.id}"
            self.action_details()

    def action_details(self) -> None:
        selector = self._target_table()
        key = self._row_key(selector)
        if key is None:
            return
        monitor = self.join_contact if self.monitoring is not None else None
        if selector == "#queues":
            self.app.push_screen(QueueDrilldown(self.console, self.floor, key, self.clock, monitor))
        else:
            self.app.push_screen(AgentDrilldown(self.console, self.floor, key, self.clock, self.choose_agent_state, monitor))

    def action_sort_queues(self) -> None:
        table = self.query_one(QueueTable)
        table.sort_by = next_sort(table.sort_by)
        table.show(self.floor, {a.queue_id for a in self.alerts})
        # A sort asked for shows its top (the worst queue); while the floor moves the cursor stays on its queue.
        table.move_cursor(0)
        self._title_queues()
        self._show_staffing()

    def action_sort_agents(self) -> None:
        table = self.query_one(AgentTable)
        table.sort_by = SORTS[(SORTS.index(table.sort_by) + 1) % len(SORTS)]
        table.show(self.floor, set(), self.clock(), rebuild=True)
        self._title_agents()

    def action_filter_agents(self) -> None:
        self.query_one("#agents-box").add_class("-filtering")
        self.set_focus(self.query_one("#agent-filter", Input))

    @on(Input.Changed, "#agent-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        table = self.query_one(AgentTable)
        table.filter_text = event.value.strip()
        table.show(self.floor, set(), self.clock(), rebuild=True)
        self._title_agents()

    @on(Input.Submitted, "#agent-filter")
    def _filter_submitted(self) -> None:
        self.last_focused_table = "#agents"
        self.set_focus(self.query_one(AgentTable))

    def action_clear_filter(self) -> None:
        if self._composing is not None:  # escape on the whisper or barge line: closed, nothing sent
            self._composing = None
            self.query_one(MonitorPanel).close_input()
            self.set_focus(self.query_one(self.last_focused_table))
            return
        filter_input = self.query_one("#agent-filter", Input)
        filter_input.value = ""
        self.query_one("#agents-box").remove_class("-filtering")
        self.set_focus(self.query_one(AgentTable))

    def action_set_agent_state(self) -> None:
        agent_id = self._row_key("#agents")
        if agent_id is not None:
            self.choose_agent_state(agent_id)

    def _holding(self, agent_id: str) -> bool:
        """The agent has a contact in hand or offered: a contact center with a next state keeps the change for
        after it (the mock refuses to set it now); one without (Twilio) sets it now."""
        agent = self.floor.agents.get(agent_id)
        held = bool(self.floor.in_hand.get(agent_id)) or (agent is not None and agent.state in HOLDING)
        return held and contact_center_capabilities(self.console).native_next_state

    def choose_agent_state(self, agent_id: str) -> None:
        agent = self.floor.agents.get(agent_id)
        if agent is None:
            return
        if self._holding(agent_id):
            self.choose_next_state(agent_id)
            return
        options = [("offline", "Log out (offline)"), ("available", "Available")]
        options += [(f"not_ready:{reason}", f"Not ready — {reason}") for reason in agent.not_ready_reasons]

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            state, _, reason = choice.partition(":")
            self.set_agent_state(agent_id, AgentState(state), reason or None)

        self.app.push_screen(ChoicePicker(f"Set {agent.name}'s state", options), chosen)

    def choose_next_state(self, agent_id: str) -> None:
        """What a supervisor can do for an agent with a contact in hand: the state they take after it."""
        agent = self.floor.agents.get(agent_id)
        if agent is None:
            return
        options = [("available", "Available after it"), ("offline", "Log out after it")]
        options += [(f"not_ready:{reason}", f"Not ready — {reason}, after it") for reason in agent.not_ready_reasons]
        if agent.next_state is not None:
            options.append(("clear", f"Cancel the request ({_state_words(agent.next_state.state, agent.next_state.reason)})"))

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice == "clear":
                self.set_agent_next_state(agent_id, None)
                return
            state, _, reason = choice.partition(":")
            self.set_agent_next_state(agent_id, AgentState(state), reason or None)

        title = f"{agent.name}: after this contact"  # the picker is narrow: a long title is cut
        self.app.push_screen(ChoicePicker(title, options), chosen)

    def set_agent_state(self, agent_id: str, state: AgentState, reason: str | None = None) -> None:
        agent = self.floor.agents.get(agent_id)
        name = agent.name if agent else agent_id
        self._set_state_now(agent_id, name, state, reason)

    @work(group="supervisor-actions")
    async def _set_state_now(self, agent_id: str, name: str, state: AgentState, reason: str | None) -> None:
        """A 409 because the agent took a contact meanwhile becomes the offer of a next state, not a refusal."""
        try:
            await self.console.set_agent_state(agent_id, state, reason)
        except BackendError as error:
            if error.status == 409 and contact_center_capabilities(self.console).native_next_state:
                self.notify(
                    plain(f"{name} has a contact in hand now: choose the state they take after it."),
                    title="Agent state", severity="warning",
                )  # fmt: skip
                self.choose_next_state(agent_id)
                return
            self.notify(plain(refusal_words(error)), title="Agent state", severity="error")
            return
        self.notify(plain(f"{name}: {_state_words(state, reason)} requested."), title="Agent state")

    def set_agent_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> None:
        agent = self.floor.agents.get(agent_id)
        name = agent.name if agent else agent_id
        done = (
            f"{name} takes {_state_words(state, reason)} after their current contact."
            if state is not None
            else f"{name}: the requested next state is cancelled."
        )
        self._act(self.console.set_agent_next_state(agent_id, state, reason), "Agent state", plain(done))

    def action_log_out_agent(self) -> None:
        agent_id = self._row_key("#agents")
        if agent_id is None:
            return
        if self._holding(agent_id):
            self.set_agent_next_state(agent_id, AgentState.OFFLINE)
        else:
            self.set_agent_state(agent_id, AgentState.OFFLINE)

    def _change_priority(self, step: int) -> None:
        queue_id = self._row_key("#queues")
        queue = self.floor.queues.get(queue_id) if queue_id else None
        if queue is None:
            return
        priority = queue.priority + step
        self._act(
            self.console.set_queue_priority(queue.id, priority),
            "Priority",
            f"{queue.name}: routing priority {priority}.",
            then=self._queue_changed,
        )

    def action_priority_up(self) -> None:
        self._change_priority(+1)

    def action_priority_down(self) -> None:
        self._change_priority(-1)

    # --- monitoring (issue 22) ------------------------------------------------------------

    @work(group="supervisor-monitoring", exclusive=True)
    async def listen_monitoring(self) -> None:
        """The supervisor's monitoring stream: joins, modes, leaves and every event of the contacts watched."""
        assert self.monitoring is not None
        model = self.monitored
        async for item in self.monitoring.monitoring_events():
            if isinstance(item, LinkStatus):
                if item.connected:
                    self.resync_monitoring()
                continue
            if model.apply(item) and not self._monitor_redraw_pending:
                self._monitor_redraw_pending = True
                self.post_message(MonitorChanged())

    @work(group="supervisor-monitoring-resync", exclusive=True)
    async def resync_monitoring(self) -> None:
        """After a (re)connection: what the supervisor is on, and each transcript read again."""
        assert self.monitoring is not None
        try:
            asked_at = self.monitored.asking()  # joins, modes and leaves seen meanwhile are newer than the list
            sessions = await self.monitoring.monitored()
            self.monitored.sessions_now(sessions, asked_at, self.clock())
            for session in sessions:
                known = self.monitored.contacts.get(session.contact_id)  # (left while a transcript was read)
                if known is not None and known.conversation is not None:
                    self.monitored.page(session.contact_id, await self.monitoring.monitored_transcript(session.contact_id))
        except BackendError:
            pass  # the stream's next (re)connection tries again; what changed meanwhile is drawn
        self.post_message(MonitorChanged())

    def on_monitor_changed(self, _: MonitorChanged) -> None:
        self._monitor_redraw_pending = False
        records = self.monitored.take_records()
        if records and self._record_supervision is not None:
            self._record_supervision(records)  # for the CRM: the agent's desk may not be told of a silent monitor
        order, changed = self.monitored.take_changes()
        if order or changed:
            self.query_one(MonitorPanel).show(self.monitored, order, changed, self._agent_name, self.clock())
        self._refresh_keys()

    def _agent_name(self, agent_id: str | None) -> str:
        agent = self.floor.agents.get(agent_id) if agent_id else None
        return agent.name if agent else (agent_id or "no agent")

    def action_monitor_contact(self) -> None:
        agent_id = self._row_key("#agents")
        if agent_id is None or self.monitoring is None:
            return
        contacts = sorted(
            (c for c in self.floor.in_hand.get(agent_id, {}).values() if c.state in TALKING), key=lambda c: c.id
        )
        name = self._agent_name(agent_id)
        if not contacts:
            self.notify(plain(f"{name} has no contact in progress."), title="Monitor")
        elif len(contacts) == 1:
            self.join_contact(contacts[0].id)
        else:
            options = [(c.id, f"{CHANNEL_SYMBOLS[c.channel]} {c.id} · {c.from_address} · {c.queue_name}") for c in contacts]

            def chosen(contact_id: str | None) -> None:
                if contact_id:
                    self.join_contact(contact_id)

            self.app.push_screen(ChoicePicker(f"Monitor which of {name}'s contacts?", options), chosen)

    @work(group="supervisor-monitor-actions")
    async def join_contact(self, contact_id: str, mode: MonitorMode = MonitorMode.MONITOR) -> None:
        """Join (or change mode): the transcript is read once, then kept live by the stream."""
        assert self.monitoring is not None
        try:
            session = await self.monitoring.monitor(contact_id, mode)
            known = self.monitored.joined(session)
            self.post_message(MonitorChanged())
            if known.conversation is not None and not known.conversation.loaded:
                self.monitored.page(contact_id, await self.monitoring.monitored_transcript(contact_id))
                self.post_message(MonitorChanged())
        except BackendError as error:
            self.notify(plain(refusal_words(error)), title="Monitor", severity="error")

    def _current_contact(self) -> str | None:
        current = self.monitored.current()
        return current.contact_id if current else None

    def _open_line(self, kind: str) -> None:
        current = self.monitored.current()
        if current is None:
            return
        if current.conversation is None:  # a call: whisper and barge are audio; the mode is what the desk sets
            self.join_contact(current.contact_id, MonitorMode.WHISPER if kind == "whisper" else MonitorMode.BARGE)
            return
        agent = self._agent_name(current.session.agent_id)
        self._composing = (kind, current.contact_id)
        words = f"Whisper to {agent}: only they see it" if kind == "whisper" else "Write to the customer under your name"
        self.query_one(MonitorPanel).ask(f"{words} (enter sends, escape cancels)")

    def action_whisper(self) -> None:
        self._open_line("whisper")

    def action_barge(self) -> None:
        self._open_line("barge")

    @on(Input.Submitted, "#monitor-input")
    def _line_submitted(self, event: Input.Submitted) -> None:
        composing, text = self._composing, event.value.strip()
        self._composing = None
        self.query_one(MonitorPanel).close_input()
        self.set_focus(self.query_one(self.last_focused_table))
        if composing is not None and text:
            self.say(composing[0], composing[1], text)

    @work(group="supervisor-monitor-actions")
    async def say(self, kind: str, contact_id: str, text: str) -> None:
        assert self.monitoring is not None
        text = self.monitored.outgoing_line(contact_id, kind, text)  # PCI-masked: it leaves the desk as this
        try:
            if kind == "whisper":
                await self.monitoring.whisper(contact_id, text)
            else:
                await self.monitoring.barge_message(contact_id, text)
        except BackendError as error:
            self.notify(plain(refusal_words(error)), title="Whisper" if kind == "whisper" else "Barge", severity="error")

    def action_monitor_mode(self) -> None:
        current = self.monitored.current()
        if current is not None:
            self.join_contact(current.contact_id, NEXT_MODE[current.mode])

    def action_leave_contact(self) -> None:
        contact_id = self._current_contact()
        if contact_id is not None:
            self.leave_contact(contact_id)

    @work(group="supervisor-monitor-actions")
    async def leave_contact(self, contact_id: str) -> None:
        assert self.monitoring is not None
        try:
            await self.monitoring.leave(contact_id)
        except BackendError as error:
            if error.status != 404:  # 404: not on it any more (the contact ended): gone all the same
                self.notify(plain(refusal_words(error)), title="Leave", severity="error")
                return
        self.monitored.left(contact_id, self.clock())
        self.post_message(MonitorChanged())

    def action_next_monitored(self) -> None:
        self.monitored.select_next()
        self.post_message(MonitorChanged())
