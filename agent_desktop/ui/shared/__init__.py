"""What both desks' screens share. Its dialogs load the first time one opens (`shared.QuitDialog`), by the screens'
one way of loading on demand (agent_desktop/ui/__init__.py)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent_desktop.ui.shared.flag_thread_dialog import FlagThreadDialog as FlagThreadDialog
    from agent_desktop.ui.shared.help_screen import HelpScreen as HelpScreen
    from agent_desktop.ui.shared.quit_dialog import QuitDialog as QuitDialog

# Each screen loaded on demand (agent_desktop/ui/__init__.py says how and why) and its module, under this package.
ON_DEMAND = {
    "FlagThreadDialog": "flag_thread_dialog",
    "HelpScreen": "help_screen",
    "QuitDialog": "quit_dialog",
}


def __getattr__(name: str) -> object:
    """A screen of `ON_DEMAND`, its module imported the first time it is read (Python keeps it for the next)."""
    if name not in ON_DEMAND:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{ON_DEMAND[name]}"), name)
