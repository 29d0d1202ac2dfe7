"""The supervisor's desk without a terminal: the floor (agent_desktop/staffing/floor.py), the contacts monitored
(monitored.py), and what the screen shows of them by rule: the queues' sort, the agents' sort and filter, the
alerts told, the staffing advice's pace, the agents' days open in drill-downs, which state a supervisor may set
for an agent, and which contacts they may monitor, whisper on or barge into.

The stream's events are applied here (`apply`); each change is announced on `feed` where it is made (the monitored
contacts on their own: `monitored.feed`), and `take_floor_changes` and `tick` say what the screen must draw. No use
case asks for a redraw (tests/unit/architecture/test_no_hand_redraws.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from agent_desktop.domain.changes import ChangeFeed, Notice, Severity
from agent_desktop.domain.models import Contact, ContactEvent, Flag, FlagEvent, SupervisionRecord
from agent_desktop.domain.monitoring.participants import MonitorMode
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.supervisor.models import FloorSnapshot
from agent_desktop.domain.supervisor.said_alerts import SaidAlertEvent
from agent_desktop.domain.vocabulary import TALKING, AgentState, Channel
from agent_desktop.domain.workforce.models import AgentAdherence
from agent_desktop.staffing.alerts import AlertTracker, notification_text, notification_title
from agent_desktop.staffing.floor import Alert, Floor
from agent_desktop.staffing.queue_order import next_sort, ordered_queues
from agent_desktop.staffing.queue_story import queue_story
from agent_desktop.staffing.why_service_level import Cause, why_service_level_is_low
from agent_desktop.supervisor_desk import wrap_up_extensions
from agent_desktop.supervisor_desk.agent_order import next_agent_sort
from agent_desktop.supervisor_desk.changes import FloorChanges
from agent_desktop.supervisor_desk.commands import Panel
from agent_desktop.supervisor_desk.flags.flag_queue import FlagQueue
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContact, MonitoredContacts, kept_nowhere
from agent_desktop.supervisor_desk.said_alerts.said_alert_list import SaidAlertList, is_said, said_text
from agent_desktop.supervisor_desk.urgent_assist.urgent_brief import UrgentBrief
from agent_desktop.supervisor_desk.workforce.adherence_board import AdherenceBoard, alert_text
from agent_desktop.supervisor_desk.workforce.break_overruns import OverrunTracker, overrun_text

# The staffing advice and its causes (Erlang C over the last 30 minutes, every agent's share of each queue) are
# worked out at most this often: on a floor of 1,000 agents they cost more than the rest of a redraw, and move
# only with the 30-minute figures.
STAFFING_EVERY_S = 1.0
# An agent in these states has a contact offered or in hand, as has one the floor shows contacts in hand for.
HOLDING = (AgentState.OFFERED, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK)
NEXT_MODE = {
    MonitorMode.MONITOR: MonitorMode.WHISPER,
    MonitorMode.WHISPER: MonitorMode.BARGE,
    MonitorMode.BARGE: MonitorMode.MONITOR,
}


@dataclass(frozen=True)
class SupervisorCapabilities:
    """What the supervisor's contact center lets them do (its keys are offered only then)."""

    queue_priority: bool = True  # change a queue's routing priority
    native_next_state: bool = True  # keeps a state requested for after an agent's contact (else set it now)
    monitoring: bool = False  # monitor, whisper, barge, leave
    flags: bool = False  # the queue of raised flags, answered in their thread
    broadcasts: bool = False  # a message with an expiry to a queue's agents or the team
    workforce: bool = False  # a queue's coverage per half-hour: the gap chart
    quality: bool = False  # evaluate finished contacts with the contact center's forms


@dataclass(frozen=True)
class Line:
    """A whisper or barge line open on a monitored chat, SMS or email, until sent or cancelled."""

    kind: str  # "whisper" | "barge"
    contact_id: str
    prompt: str


def state_words(state: AgentState, reason: str | None) -> str:
    return f"{state.label} — {reason}" if reason else state.label


class SupervisorDesk:
    def __init__(
        self,
        floor: Floor,
        can: SupervisorCapabilities = SupervisorCapabilities(),
        *,
        record_supervision: Callable[[list[SupervisionRecord]], object] = kept_nowhere,
    ) -> None:
        """`record_supervision`: takes the supervisor's joins, mode changes and leaves as each is applied (the app's
        outbox, for the CRM; kept nowhere where the CRM keeps none)."""
        self.floor = floor
        self.can = can
        self.feed = ChangeFeed()  # told of each change to the floor, the alerts, the flags, the notices
        self.monitored = MonitoredContacts(record=record_supervision)
        self.flags = FlagQueue()  # the open flags of the supervisor's queues, oldest first
        self.adherence = AdherenceBoard()  # each agent against their schedule
        self.alert_tracker = AlertTracker()
        self.said_tracker = AlertTracker()  # paced apart: a customer's threat never waits behind a queue's figures
        self.overruns = OverrunTracker()
        self.alerts: list[Alert] = []  # the queues' (from the floor's figures), then those from what was said
        self.said = SaidAlertList()  # alerts from what customers said, as the contact center raised them
        self.said_agents: frozenset[str] = frozenset()  # the agents whose contacts those alerts are on
        self.loaded = False  # the first snapshot of the floor came
        self.link: LinkStatus | None = None
        self.queue_sort = "queue"
        self.agent_sort = "name"
        self.agent_filter = ""
        self.agent_days: dict[str, dict[str, Contact]] = {}  # agent id → their contacts today (a drill-down open)
        self.line: Line | None = None
        self.notices: list[Notice] = []
        self._queue_order: list[str] = []
        self._ordered_by = "queue"
        self._link_changed = False
        self._staffing_due = False
        self._staffing_at = float("-inf")

    def notice(self, text: str, title: str, severity: Severity = "information") -> None:
        self.notices.append(Notice(text, title, severity))
        self.feed.announce()

    def put_brief(self, brief: UrgentBrief) -> None:
        """An urgent contact's summary or last contacts, as answered (urgent_assist/urgent_briefs.py)."""
        self.said.put_brief(brief)
        self.feed.announce()

    def take_flag(self, flag: Flag) -> None:
        """A flag as the contact center answered it (a line added, closed)."""
        self.flags.take(flag)
        self.feed.announce()

    def take_notices(self) -> list[Notice]:
        notices, self.notices = self.notices, []
        return notices

    # --- the stream -----------------------------------------------------------------

    def apply(self, item: object) -> bool:
        """One item of the floor's stream; whether the screen has something to draw again (announced if so)."""
        if self._apply(item):
            self.feed.announce()
            return True
        return False

    def _apply(self, item: object) -> bool:
        if isinstance(item, LinkStatus):
            self.link, self._link_changed = item, True
            return True
        if isinstance(item, FlagEvent):
            return self._flag_event(item)
        if isinstance(item, SaidAlertEvent):
            if self.said.apply(item):
                self.floor.queues_changed = True  # the alerts are worked out and told with the queues' next
            return True
        if isinstance(item, AgentAdherence):
            self._tell_out_of_adherence(self.adherence.apply(item), item.at)
            return True
        before = self.floor.contact_in_hand(item.contact.id) if isinstance(item, ContactEvent) else None
        if not self.floor.apply(item):
            return False  # offers: the agent's state event says the same for this screen
        if isinstance(item, FloorSnapshot):
            self.loaded = True
            self.flags.reset(item.flags)
            self.said.reset(item.said_alerts)
            if item.adherence is not None:
                self._tell_out_of_adherence(self.adherence.load(item.adherence), item.at)
        elif isinstance(item, ContactEvent):
            self.contact_changed(item.contact)
            if wrap_up_extensions.extended(before, item.contact):
                self._tell_extension(item.contact)
            if self.said.holds(item.contact.id):
                self.floor.queues_changed = True  # its alerts go with it once the customer is gone
        return True

    def _flag_event(self, event: FlagEvent) -> bool:
        """A flag raised is told (the bell with it: the screen rings for a notice titled so); answered or closed, the
        queue is drawn again."""
        if not self.flags.apply(event):
            return False
        if event.type == "flag_raised":
            flag = event.flag
            text = (
                f"{flag.agent_name or flag.agent_id} on {flag.contact_id}: {flag.lines[0].text if flag.lines else ''}"
            )
            self.notices.append(Notice(text, "Flag raised", "warning", timeout=8))
        return True

    def _tell_extension(self, contact: Contact) -> None:
        """An agent was granted more wrap-up time: told once, with its new end (and when it was the last)."""
        agent = self.floor.agents.get(contact.agent_id or "")
        name = agent.name if agent is not None else contact.agent_id or "An agent"
        text = wrap_up_extensions.extension_text(contact, name, self.floor.queues.get(contact.queue_id))
        self.notices.append(Notice(text, "Wrap-up extended", "information", timeout=8))

    def contact_changed(self, contact: Contact) -> None:
        """An agent's day open in a drill-down stays live: their contacts, and those that were theirs."""
        for agent_id, day in self.agent_days.items():
            if contact.agent_id == agent_id or contact.id in day:
                day[contact.id] = contact

    def take_floor_changes(self, now: datetime, at: float) -> FloorChanges:
        """What changed since the last draw; `at` (monotonic seconds) paces the staffing advice."""
        floor = self.floor
        floor.now = now
        taken = floor.take_changes()
        queues, reset = taken.queues, taken.reset
        changes = FloorChanges(agents=taken.agents, queues=queues, reset=reset, link=self._link_changed)
        changes.flags = self.flags.take_changed()
        changes.adherence_reset, changes.adherence = self.adherence.take_changes()
        self._link_changed = False
        if queues:
            self.alerts = floor.alerts() + self.said.current(self._going_on, floor.queue_name)
            said_agents = self.said.agents()
            changes.agents |= said_agents ^ self.said_agents  # their rows marked, or no longer
            self.said_agents = said_agents
            changes.told = self._tell_alerts(now)
            self._staffing_due = True
        changes.said = self.said.take_changed()
        if self._staffing_due and (reset or at - self._staffing_at >= STAFFING_EVERY_S):
            changes.staffing = self.staffing_drawn(at)
        return changes

    def tick(self, now: datetime, at: float) -> FloorChanges:
        """The clock moved: queue figures that age; alerts held back by the pace of notifications; advice due."""
        self.floor.tick(now)
        self._tell_overruns(now)
        self._tell_out_of_adherence([], now)  # those held back by the pace of notices
        if self.floor.queues_changed:
            return self.take_floor_changes(now, at)
        changes = FloorChanges(told=self._tell_alerts(now))
        if self._staffing_due:
            changes.staffing = self.staffing_drawn(at)
        return changes

    def _tell_overruns(self, now: datetime) -> None:
        """One warning for the breaks that ran over their limit since the last tick (each break told once)."""
        over = self.overruns.update(self.floor.agents.values(), now)
        if over:
            text = "\n".join(overrun_text(agent, over_s) for agent, over_s in over[:3])
            if len(over) > 3:
                text += f"\n+{len(over) - 3} more (marked in the agents)"
            self.notices.append(Notice(text, "Break over its limit", "warning", timeout=8))

    def _tell_out_of_adherence(self, rows: list[AgentAdherence], now: datetime) -> None:
        """Each episode out of adherence past the tolerance told once, those of a burst in one warning (the board
        shows them for as long as they last)."""
        told = self.adherence.to_tell(rows, now)
        if told:
            self.notices.append(Notice(alert_text(told, now), "Out of adherence", "warning", timeout=8))

    def _going_on(self, contact_id: str) -> bool:
        """The customer is still there: the agent is talking to them, or holding (not wrapping up)."""
        contact = self.floor.contact_in_hand(contact_id)
        return contact is not None and contact.state in TALKING

    def _tell_alerts(self, now: datetime) -> list[Alert]:
        """One notification for the queue alerts new since the last, one for those from what customers said, each
        paced on its own (the status line shows them all)."""
        queues = self.alert_tracker.update([a for a in self.alerts if not is_said(a)], now)
        said = self.said_tracker.update([a for a in self.alerts if is_said(a)], now)
        if queues:
            self.notices.append(Notice(notification_text(queues), notification_title(queues), "warning", timeout=8))
        if said:
            title = "What a customer said" if len(said) == 1 else f"What customers said: {len(said)} contacts"
            self.notices.append(Notice(said_text(said), title, "warning", timeout=8))
        return queues + said

    def staffing_drawn(self, at: float) -> bool:
        """The screen draws the staffing advice now (`at`, monotonic seconds): not due again until it changes."""
        self._staffing_due, self._staffing_at = False, at
        return True

    def staffing_causes(self) -> tuple[dict[str, list[Cause]], dict[str, str], dict[str, int]]:
        """Why each queue's service level is low though Erlang C says its staffing suffices, where the advice's
        story differs from the figures (queue id → words), and the queues still warming up (→ minutes until their
        advice)."""
        floor = self.floor
        why = {q: causes for q in floor.queue_ids() if (causes := why_service_level_is_low(floor, q))}
        stories = {q: queue_story(floor, q, why.get(q, [])) for q in floor.queue_ids()}
        differs = {q: story.why for q, story in stories.items() if story.why}
        warming = {q: story.ready_in_min for q, story in stories.items() if story.kind == "warming_up"}
        return why, differs, warming

    # --- sorts and the filter ---------------------------------------------------------

    def queue_order(self) -> list[str]:
        """The queues in the sort chosen; ties keep the order last shown, so a row moves only past another."""
        shown = self._queue_order if self._ordered_by == self.queue_sort else None
        self._queue_order, self._ordered_by = ordered_queues(self.floor, self.queue_sort, shown), self.queue_sort
        return self._queue_order

    def shown_queue_order(self) -> list[str]:
        return self._queue_order

    def sort_queues(self) -> None:
        """The next sort (the screen shows its top, and the staffing advice in the same order at once)."""
        self.queue_sort = next_sort(self.queue_sort)

    def sort_agents(self) -> None:
        self.agent_sort = next_agent_sort(self.agent_sort)

    def filter_agents(self, text: str) -> None:
        self.agent_filter = text.strip()

    # --- the keys ---------------------------------------------------------------------

    def panel(self, queues: bool, selected: bool, flag: bool = False, alert: bool = False, ask: bool = False) -> Panel:
        """Where the keys act (the panel in use, a row under the cursor) and what this contact center serves. In the
        flags table (`flag`: a flag under its cursor) and the alerts table (`alert`: an alert under its cursor) the
        keys of a queue's or an agent's row do not apply."""
        return Panel(
            queues=queues,
            selected=selected and not flag and not alert,
            alert=alert,
            queue_priority=self.can.queue_priority,
            monitoring=self.can.monitoring,
            monitored=bool(self.monitored.contacts),
            monitored_call=(current := self.monitored.current()) is not None
            and current.session.channel is Channel.VOICE,
            flag=flag and self.can.flags,
            flags=self.can.flags,
            broadcasts=self.can.broadcasts,
            quality=self.can.quality,
            workforce=self.can.workforce,
            ask=ask,
        )

    def dismiss_said(self, alert_id: str) -> None:
        """x on an alert from what was said: it leaves the alerts table, the status line and the agent's row."""
        if self.said.dismiss(alert_id):
            self.floor.queues_changed = True  # the alerts are worked out again with the queues' next draw
            self.feed.announce()

    def agent_name(self, agent_id: str | None) -> str:
        agent = self.floor.agents.get(agent_id) if agent_id else None
        return agent.name if agent else (agent_id or "no agent")

    # --- an agent's state ---------------------------------------------------------------

    def holding(self, agent_id: str) -> bool:
        """The agent has a contact in hand or offered, and the contact center keeps a next state: a change of
        state is asked for after it (the mock refuses to set it now); one without (Twilio) sets it now."""
        agent = self.floor.agents.get(agent_id)
        held = bool(self.floor.in_hand.get(agent_id)) or (agent is not None and agent.state in HOLDING)
        return held and self.can.native_next_state

    def state_choices(self, agent_id: str) -> list[tuple[str, str]]:
        """What a supervisor may set an agent to now: log out, available, or not ready for one of their reasons."""
        agent = self.floor.agents.get(agent_id)
        if agent is None:
            return []
        options = [("offline", "Log out (offline)"), ("available", "Available")]
        return options + [(f"not_ready:{reason}", f"Not ready — {reason}") for reason in agent.not_ready_reasons]

    def next_state_choices(self, agent_id: str) -> list[tuple[str, str]]:
        """For an agent with a contact in hand: the state they take after it, or cancelling one asked for."""
        agent = self.floor.agents.get(agent_id)
        if agent is None:
            return []
        options = [("available", "Available after it"), ("offline", "Log out after it")]
        options += [(f"not_ready:{reason}", f"Not ready — {reason}, after it") for reason in agent.not_ready_reasons]
        if agent.next_state is not None:
            options.append(
                ("clear", f"Cancel the request ({state_words(agent.next_state.state, agent.next_state.reason)})")
            )
        return options

    # --- monitoring ------------------------------------------------------------

    def monitorable(self, agent_id: str) -> list[Contact]:
        """The agent's contacts a supervisor may join: those in progress (not on hold, not in wrap-up)."""
        if not self.can.monitoring:
            return []
        in_hand = self.floor.in_hand.get(agent_id, {}).values()
        return sorted((c for c in in_hand if c.state in TALKING), key=lambda c: c.id)

    def may_monitor(self, contact: Contact | None) -> bool:
        return self.can.monitoring and contact is not None and contact.state in TALKING

    def next_mode(self) -> tuple[str, MonitorMode] | None:
        """The monitored contact the keys act on, and its next mode: monitor → whisper → barge → monitor."""
        current = self.monitored.current()
        return (current.contact_id, NEXT_MODE[current.mode]) if current is not None else None

    def open_line(self, kind: str) -> Line | tuple[str, MonitorMode] | None:
        """Whisper or barge on the monitored contact: a line to type on a chat, SMS or email; on a call (its audio
        is not the desk's) the mode to join in instead."""
        current: MonitoredContact | None = self.monitored.current()
        if current is None:
            return None
        if current.conversation is None:
            return current.contact_id, MonitorMode.WHISPER if kind == "whisper" else MonitorMode.BARGE
        agent = self.agent_name(current.session.agent_id)
        words = (
            f"Whisper to {agent}: only they see it" if kind == "whisper" else "Write to the customer under your name"
        )
        self.line = Line(kind, current.contact_id, f"{words} (enter sends, escape cancels)")
        return self.line

    def close_line(self, text: str = "") -> tuple[str, str, str] | None:
        """The line is closed: what to send (kind, contact id, text), None when cancelled or left empty."""
        line, self.line, text = self.line, None, text.strip()
        return (line.kind, line.contact_id, text) if line is not None and text else None
