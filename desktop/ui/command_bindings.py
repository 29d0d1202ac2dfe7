"""Textual key bindings derived from the desks' tables of commands (desktop/desk/commands.py)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding

from desktop.desk.commands import COMMANDS, SUPERVISOR_COMMANDS, Command, SupervisorCommand
from desktop.ui.plain_text import literal_title


def _bindings(commands: Iterable[Command | SupervisorCommand]) -> list[Binding]:
    return [
        Binding(
            command.key,
            command.action,
            command.label,
            show=command.show,
            key_display=command.key_display,
            priority=getattr(command, "priority", False),
            tooltip=literal_title(command.description, limit=200),  # type: ignore[arg-type]
        )
        for command in commands
    ]


def desk_bindings() -> list[Binding]:
    return _bindings(COMMANDS)


def supervisor_bindings() -> list[Binding]:
    return _bindings(SUPERVISOR_COMMANDS)
