"""Textual key bindings derived from the desks' tables of commands (agent_desktop/agent_desk/commands.py)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding

from agent_desktop.agent_desk.commands import COMMANDS, Command
from agent_desktop.supervisor_desk.commands import SUPERVISOR_COMMANDS, SupervisorCommand


def _bindings(commands: Iterable[Command | SupervisorCommand]) -> list[Binding]:
    # A binding's tooltip must stay a `str`: Textual's key panel (the palette's "Keys") appends it to a Rich
    # `Text`, and a `Content` there ended the app (TypeError). The tables' descriptions are our own words, not
    # a backend's; the footer, the palette and the help screen show them through the literal helpers.
    return [
        Binding(
            command.key,
            command.action,
            command.label,
            show=command.show,
            key_display=command.key_display,
            priority=getattr(command, "priority", False),
            tooltip=command.description,
            id=command.id,  # what `[keymap]` in the configuration remaps (agent_desktop/ui/keymap.py)
        )
        for command in commands
    ]


# The app's own keys, on every screen (not in a desk's table: they are the app's, not a desk's).
APP_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "f2",
        "switch_desk",
        "Switch desk",
        tooltip="Switch between the agent and supervisor screens",
        id="app.switch_desk",
    ),
    # Not a priority: a text box (the composer, a search) types `?`; F1 works there.
    Binding(
        "question_mark", "help", "Help", tooltip="Every key, whether it applies now, and when it would", id="app.help"
    ),
    Binding(
        "f1",
        "help",
        "Help",
        show=False,
        tooltip="Every key, whether it applies now, and when it would",
        id="app.help_alt",
    ),
)


def desk_bindings() -> list[Binding]:
    return _bindings(COMMANDS)


def supervisor_bindings() -> list[Binding]:
    return _bindings(SUPERVISOR_COMMANDS)


def drilldown_bindings() -> list[Binding]:
    """The supervisor's commands the drill-downs offer on the row under the cursor (`in_drilldown`): the
    table's key, label and id (so `[keymap]` moves them with the floor's), the drill-down's own words."""
    return [
        Binding(
            command.key,
            command.action,
            command.label,
            key_display=command.key_display,
            tooltip=command.in_drilldown,
            id=command.id,
        )
        for command in SUPERVISOR_COMMANDS
        if command.in_drilldown
    ]


# The drill-downs' own keys (an agent's day, a queue's contacts), with ids so `[keymap]` moves them too.
AGENT_DRILLDOWN_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "t",
        "set_state",
        "Set state",
        tooltip="Set this agent's state (log out a stuck agent)",
        id="drilldown.set_state",
    ),
)
QUEUE_DRILLDOWN_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "m",
        "move",
        "Move to queue",
        tooltip="Move the waiting contact under the cursor to another queue",
        id="drilldown.move",
    ),
)
DRILLDOWN_BACK = Binding("escape", "close", "Back")


def drilldown_keys(own: tuple[Binding, ...]) -> list[Binding]:
    """A drill-down's keys: its own, the supervisor's on the row under the cursor (j: monitor), escape."""
    return [*own, *drilldown_bindings(), DRILLDOWN_BACK]
