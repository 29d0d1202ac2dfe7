"""The help screen (? or F1 on either desk): every key of the screen below it, whether it applies now and, if
not, when it would. Built from the bindings Textual tries and the command table (agent_desktop/ui/keys/key_help.py);
read-only, scrolled by keyboard, closed with escape (or ? / F1 again). The keys are one line-API widget
(`HelpView`): opening help lays out a hundred lines instead of mounting ~300 widgets."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.ui.keys.key_help import HelpSection
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.help_view import HelpView
from agent_desktop.ui.shared.overlay_screen import OverlayScreen


class HelpScreen(OverlayScreen[None]):
    OVERLAY_NAME = "The help"
    ATTENTION = OverlayKind.VIEW
    CSS_PATH = "help_screen.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, sections: list[HelpSection], about: str) -> None:
        super().__init__()
        self.sections = sections
        self.about = about  # which screen's keys: "Agent desktop"

    def compose(self) -> ComposeResult:
        rows = [row for section in self.sections for row in section.rows]
        now = sum(1 for row in rows if row.applies)
        with Vertical(id="help-box") as box:
            box.border_title = literal_title(f"Keys — {self.about}")
            box.border_subtitle = "↑ ↓ pgup pgdn scroll · escape closes"
            yield Static(
                plain(f"{now} of {len(rows)} keys apply now; the dimmed ones say when they would."), id="help-summary"
            )
            yield HelpView(self.sections, id="help-scroll")
        yield KeyFooter()

    def on_mount(self) -> None:
        # Closed already by a key read before its mount (a flood of presses, `?` then `escape`): nothing to focus.
        for view in self.query(HelpView).results(HelpView):
            self.set_focus(view)

    def action_close(self) -> None:
        self.dismiss(None)
