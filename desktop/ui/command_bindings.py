"""Textual key bindings derived from the desk's one table of commands (desktop/desk/commands.py)."""

from __future__ import annotations

from textual.binding import Binding

from desktop.desk.commands import COMMANDS


def desk_bindings() -> list[Binding]:
    # A binding's tooltip must stay a `str`: Textual's key panel (the palette's "Keys") appends it to a Rich
    # `Text`, and a `Content` there ended the app (TypeError). The table's descriptions are our own words, not
    # a backend's; the footer, the palette and the help screen show them through the literal helpers.
    return [
        Binding(
            command.key,
            command.action,
            command.label,
            show=command.show,
            key_display=command.key_display,
            priority=command.priority,
            tooltip=command.description,
        )
        for command in COMMANDS
    ]
