"""Writing an escalation message to an expert: the context is composed for them, the agent edits it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.formats.text import one_line, strip_controls
from agent_desktop.domain.models import Expert
from agent_desktop.ui.agent.experts.presence_labels import presence_words
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen


class EscalationDialog(OverlayScreen[str | None]):
    """Returns the text to send, or None when the agent cancels."""

    OVERLAY_NAME = "The escalation"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "escalation_dialog.tcss"
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, expert: Expert, draft: str) -> None:
        super().__init__()
        self.expert = expert
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(id="escalation-box") as box:
            box.border_title = "Escalation message"
            box.border_subtitle = "ctrl+s send · esc cancel"
            to = f"To: {one_line(self.expert.name, 40)}  {presence_words(self.expert.presence)}"
            yield Static(plain(to), id="escalation-to")
            # A TextArea shows its text raw: the draft quotes backend text (subject, names), so no controls.
            yield TextArea(strip_controls(self.draft), id="escalation-text", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.cursor_blink = False
        area.move_cursor(area.document.end)  # the summary line, last, is where the agent types
        self.set_focus(area)

    def action_send(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if text:
            self.dismiss(text)
        else:
            self.notify("Write something to send.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
