"""What the command palette offers on the screen in front: Textual's and the app's commands
(`App.get_system_commands`) and the desk's, from its command table (`DeskCommands`, agent_desktop/ui/palette.py)."""

from __future__ import annotations

from typing import Any

from textual.app import App

from agent_desktop.ui.palette import palette_commands


def palette_titles(app: App[Any]) -> list[str]:
    """Every title the palette lists now, in the order its providers give them, each once."""
    screen = app.screen
    titles = [str(getattr(c.title, "plain", c.title)) for c in app.get_system_commands(screen)]
    titles += [command.title for command in palette_commands(screen)]
    return list(dict.fromkeys(titles))
