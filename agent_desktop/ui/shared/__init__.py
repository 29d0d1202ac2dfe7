"""What both desks' screens share. Its dialogs load the first time one opens (`shared.QuitDialog`), and a call's
transcript view the first time a call's area is drawn, by the screens' one way of loading on demand
(agent_desktop/ui/__init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop import on_demand

if TYPE_CHECKING:
    from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView as CallTranscriptView
    from agent_desktop.ui.shared.flag_thread_dialog import FlagThreadDialog as FlagThreadDialog
    from agent_desktop.ui.shared.help_screen import HelpScreen as HelpScreen
    from agent_desktop.ui.shared.quit_dialog import QuitDialog as QuitDialog

# Each screen (and the call's transcript view) loaded on demand (agent_desktop/ui/__init__.py says how and why) and
# its module, under this package.
ON_DEMAND = {
    "CallTranscriptView": "call_transcript_view",
    "FlagThreadDialog": "flag_thread_dialog",
    "HelpScreen": "help_screen",
    "QuitDialog": "quit_dialog",
}


__getattr__ = on_demand(__name__, ON_DEMAND)
