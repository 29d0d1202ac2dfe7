"""Every command of the supervisor's desk in one table: its key, label, description and when it applies.

As the agent's table (agent_desktop/agent_desk/commands.py): the screen's bindings, the footer, the palette, the help
screen and the drill-downs' keys are derived from it, and `supervisor_enabled` is the only place that decides
whether a key applies now; `why_not` says in words when one that does not would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    """Where the supervisor's keys act: the queues panel or the agents panel, and the row under the cursor."""

    queues: bool  # the queues panel is in use (else the agents panel)
    selected: bool  # a row is under the cursor there
    queue_priority: bool = True  # the contact center lets a supervisor change a queue's priority
    monitoring: bool = False  # the contact center lets a supervisor monitor, whisper and barge
    monitored: bool = False  # the supervisor is on a contact now
    monitored_call: bool = False  # the monitored contact the keys act on is a call (it can be taken over)
    flag: bool = False  # the flags queue is in use, a flag under its cursor
    alert: bool = False  # the alerts from what was said are in use, one under the cursor
    flags: bool = False  # the contact center keeps flags
    broadcasts: bool = False  # the contact center broadcasts to agents
    workforce: bool = False  # the contact center keeps forecasts and schedules: the gap chart
    quality: bool = False  # the contact center keeps evaluation forms and evaluations
    ask: bool = False  # the assistant's model is configured: the floor can be asked about


@dataclass(frozen=True)
class SupervisorCommand:
    action: str
    key: str
    label: str
    description: str
    applies: Callable[[Panel], bool]
    show: bool = True
    key_display: str | None = None
    id: str = ""  # as the agent's: "supervisor." and the action unless given
    # What the command does in the drill-downs (an agent's day, a queue's contacts), where it acts on the row
    # under the cursor; empty: not offered there.
    in_drilldown: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", f"supervisor.{self.action}")


# `s` sorts the panel in use, as `d` details it: one of the two sort commands applies at a time.
SUPERVISOR_COMMANDS: tuple[SupervisorCommand, ...] = (
    # Monitoring: `j` joins the agent's contact in progress; the rest act on the monitored contact.
    # First, so the footer (as many keys as fit) shows them while the supervisor is on a contact.
    SupervisorCommand(
        "monitor_contact",
        "j",
        "Monitor",
        "Join the agent's contact in progress, silently (pick one when they have several; in the flags: "
        "the flagged contact; in the alerts: the contact the alert is on)",
        lambda panel: panel.monitoring and (panel.flag or panel.alert or not panel.queues and panel.selected),
        id="supervisor.monitor",
        in_drilldown="Monitor the contact in progress under the cursor, silently",
    ),
    SupervisorCommand(
        "whisper",
        "w",
        "Whisper",
        "Write a line only the agent sees (kept with the private notes)",
        lambda panel: panel.monitored,
    ),
    SupervisorCommand(
        "barge",
        "b",
        "Barge",
        "Write to the customer under your own name (you join the conversation)",
        lambda panel: panel.monitored,
    ),
    SupervisorCommand(
        "take_over",
        "T",
        "Take over",
        "Take the monitored call: it rings your softphone, the agent leaves it and wraps it up (asks first)",
        lambda panel: panel.monitored_call,
        id="supervisor.take_over",
    ),
    SupervisorCommand(
        "monitor_mode",
        "m",
        "Mode",
        "Switch mode: monitor → whisper → barge → monitor",
        lambda panel: panel.monitored,
        id="supervisor.mode",
    ),
    SupervisorCommand(
        "leave_contact",
        "l",
        "Leave",
        "Leave the monitored contact",
        lambda panel: panel.monitored,
        id="supervisor.leave",
    ),
    SupervisorCommand(
        "next_monitored",
        "right_square_bracket",
        "Next monitored",
        "The next monitored contact (the one w, b, m and l act on)",
        lambda panel: panel.monitored,
        key_display="]",
        show=False,
    ),
    # The queue of raised flags (shift+tab from the queues): answer in the thread, close; j monitors it.
    SupervisorCommand(
        "answer_flag",
        "a",
        "Answer flag",
        "Read the flag's thread and answer the agent (private)",
        lambda panel: panel.flag,
        id="supervisor.answer_flag",
    ),
    SupervisorCommand(
        "close_flag",
        "x",
        "Close flag",
        "Close the flag under the cursor (its thread is kept)",
        lambda panel: panel.flag,
        id="supervisor.close_flag",
    ),
    # The alerts from what customers said (tab to them): j monitors the contact, x dismisses the alert.
    SupervisorCommand(
        "dismiss_alert",
        "x",
        "Dismiss alert",
        "Dismiss the alert under the cursor: seen (it leaves the alerts, the status line and the agent's ⚠)",
        lambda panel: panel.alert,
        id="supervisor.close_flag",  # x closes what is under the cursor, a flag or an alert: one id, moved together
    ),
    SupervisorCommand(
        "details",
        "d",
        "Details",
        "The queue's contacts waiting and in progress, or the agent's contacts today",
        lambda panel: panel.selected,
    ),
    SupervisorCommand(
        "sort_queues",
        "s",
        "Sort queues",
        "Sort the queues (by name at first): service level (lowest first), waiting, longest wait, name",
        lambda panel: panel.queues,
        id="supervisor.sort",
    ),
    SupervisorCommand(
        "sort_agents",
        "s",
        "Sort agents",
        "Sort agents by name, state, time in state or contacts",
        lambda panel: not panel.queues and not panel.flag and not panel.alert,
        id="supervisor.sort",
    ),
    SupervisorCommand(
        "filter_agents", "f", "Filter", "Show only agents matching words (name, state, reason, queue)", lambda _: True
    ),
    # Beside the filter, so the footer shows it where a model is configured (the gap chart's key gives way at 120).
    SupervisorCommand(
        "ask_floor",
        "k",
        "Ask floor",
        "Ask the assistant about the floor in plain language, answered from the floor's figures (shown beside)",
        lambda panel: panel.ask,
        id="supervisor.ask_floor",
    ),
    SupervisorCommand(
        "set_agent_state",
        "t",
        "Set state",
        "Set the agent's state: available, not ready, log out",
        lambda panel: not panel.queues and panel.selected,
    ),
    SupervisorCommand(
        "log_out_agent",
        "o",
        "Log out",
        "Log the agent under the cursor out (offline)",
        lambda panel: not panel.queues and panel.selected,
    ),
    SupervisorCommand(
        "priority_up",
        "plus",
        "Priority +1",
        "Raise the queue's routing priority",
        lambda panel: panel.queues and panel.selected and panel.queue_priority,
        key_display="+",
    ),
    SupervisorCommand(
        "priority_down",
        "minus",
        "Priority −1",
        "Lower the queue's routing priority",
        lambda panel: panel.queues and panel.selected and panel.queue_priority,
        key_display="-",
    ),
    # Last, so the footer keeps the keys it had and shows this where there is room.
    SupervisorCommand(
        "broadcast",
        "exclamation_mark",
        "Broadcast",
        "A short message to a queue's agents or your team, shown on their desks until it expires",
        lambda panel: panel.broadcasts,
        key_display="!",
    ),
    SupervisorCommand(
        "workforce",
        "g",
        "Gap chart",
        "Show or hide today's scheduled − needed agents per half-hour of the queue under the cursor",
        lambda panel: panel.workforce,
    ),
    SupervisorCommand(
        "adherence",
        "r",
        "Adherence",
        "Show or hide the adherence board: each agent's schedule against their state, out of adherence "
        "the longest first, today's % per agent and team",
        lambda panel: panel.workforce,
    ),
    # After the broadcast, for the same reason.
    SupervisorCommand(
        "evaluate",
        "e",
        "Evaluate",
        "Score a finished interaction with an evaluation form; released to the agent, kept in the CRM",
        lambda panel: panel.quality,
    ),
    SupervisorCommand("clear_filter", "escape", "Clear filter", "Clear the agents filter", lambda _: True, show=False),
)


def supervisor_enabled(panel: Panel) -> dict[str, bool]:
    """Whether each supervisor command applies now, by action name."""
    return {command.action: command.applies(panel) for command in SUPERVISOR_COMMANDS}


# When a key that does not apply now would (the help screen, a key pressed in vain), by action.
_WHEN = {
    "set_agent_state": "only with the cursor on an agent in the Agents table (tab moves there)",
    "log_out_agent": "only with the cursor on an agent in the Agents table (tab moves there)",
    "priority_up": "only with the cursor on a queue in the Queues table (tab moves there)",
    "priority_down": "only with the cursor on a queue in the Queues table (tab moves there)",
    "sort_queues": "only in the Queues table (tab moves there)",
    "sort_agents": "only in the Agents table (tab moves there)",
    "monitor_contact": "only with the cursor on an agent in the Agents table (tab moves there), on a flag or an alert "
    "above the queues, or in a drill-down (d)",
    "answer_flag": "only with the cursor on a raised flag in the Flags table, above the queues (shift+tab from them)",
    "close_flag": "only with the cursor on a raised flag in the Flags table, above the queues (shift+tab from them)",
    "dismiss_alert": "only with the cursor on an alert in the table of what customers said, above the queues "
    "(shift+tab from them)",
}
_ON_A_CONTACT = "only while you monitor a contact (j on an agent in the Agents table, or in a drill-down)"


def why_not(action: str, monitoring: bool, broadcasts: bool = True) -> str | None:
    """When `action` would apply; that the contact center cannot serve it (`monitoring`: it can monitor)."""
    if action == "broadcast" and not broadcasts:
        return "not with this contact center (it does not broadcast to agents)"
    if action in ("workforce", "adherence"):
        return "not with this contact center (it keeps no forecast or schedule)"
    if action == "evaluate":
        return "not with this contact center (it keeps no evaluation forms)"
    if action == "ask_floor":
        return "only where the assistant's model is configured (the [assist] section)"
    if action == "monitor_contact" and not monitoring:
        return "not with this contact center (it does not serve monitoring)"
    if action in ("whisper", "barge", "monitor_mode", "leave_contact", "next_monitored"):
        return _ON_A_CONTACT
    if action == "take_over":
        return "only while you monitor a call (j on an agent on a call); a chat, SMS or email is barged into (b)"
    return _WHEN.get(action)
