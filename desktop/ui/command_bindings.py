"""Textual key bindings derived from the desks' tables of commands (desktop/desk/commands.py)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding

from desktop.desk.commands import COMMANDS, SUPERVISOR_COMMANDS, Command, SupervisorCommand


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
        )
        for command in commands
    ]


def desk_bindings() -> list[Binding]:
    return _bindings(COMMANDS)


def supervisor_bindings() -> list[Binding]:
    return _bindings(SUPERVISOR_COMMANDS)
