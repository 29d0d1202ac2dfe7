"""Textual key bindings derived from the desk's one table of commands (desktop/desk/commands.py)."""

from __future__ import annotations

from textual.binding import Binding

from desktop.desk.commands import COMMANDS, SUPERVISOR_COMMANDS
from desktop.ui.plain_text import literal_title


def desk_bindings() -> list[Binding]:
    return [
        Binding(
            command.key,
            command.action,
            command.label,
            show=command.show,
            key_display=command.key_display,
            priority=command.priority,
            tooltip=literal_title(command.description, limit=200),  # type: ignore[arg-type]
        )
        for command in COMMANDS
    ]


def supervisor_bindings() -> list[Binding]:
    return [
        Binding(
            command.key,
            command.action,
            command.label,
            show=command.show,
            key_display=command.key_display,
            tooltip=literal_title(command.description, limit=200),  # type: ignore[arg-type]
        )
        for command in SUPERVISOR_COMMANDS
    ]
