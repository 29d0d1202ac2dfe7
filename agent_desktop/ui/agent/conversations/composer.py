"""The composer of the selected conversation: Enter sends, ctrl+j (or alt+enter) starts a new line, and
ctrl+t switches between a reply and a private note (never sent to the customer).

Terminals do not tell shift+enter from enter, so the new-line key is ctrl+j (the terminal's own line
feed) and alt+enter. `insert_text` puts text at the cursor (quick responses insert through it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

REPLY, NOTE = "reply", "note"


class Composer(TextArea):
    # Shown in the footer and the palette through the desk's command table (send_reply, new_line, leave_composer).
    BINDINGS = [
        Binding("ctrl+j", "new_line", "New line"),  # the same action name as the table's row: shown once
        Binding("alt+enter", "new_line", "New line", show=False),
    ]

    class _Text(Message):
        def __init__(self, contact_id: str, text: str, mode: str) -> None:
            super().__init__()
            self.contact_id = contact_id
            self.text = text
            self.mode = mode

    class Submitted(_Text):
        """Enter: the text to send (or to keep as a private note) for a conversation."""

    class Edited(_Text):
        """The agent changed the text (kept as the conversation's draft; a reply also says "typing")."""

    def __init__(self, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.contact_id: str | None = None
        self.mode = REPLY
        self._loading = False

    def open(self, contact_id: str | None, text: str) -> None:
        """Show a conversation's draft (switching conversations keeps each one's own)."""
        self.contact_id = contact_id
        self._loading = True
        self.load_text(text)
        self.move_cursor(self.document.end)
        self._loading = False

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.set_class(mode == NOTE, "-note")

    def insert_text(self, text: str) -> None:
        """Put `text` at the cursor, for the agent to edit before sending (quick responses use this)."""
        start, end = self.selection
        self.replace(text, start, end, maintain_selection_offset=False)
        self.focus()

    def on_key(self, event: events.Key) -> None:
        # Runs before the text area's own key handler, which a prevented default skips: enter sends instead of
        # breaking the line; every other key goes on to it.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.submit()

    def action_send(self) -> None:
        self.submit()

    def action_new_line(self) -> None:
        start, end = self.selection
        self.replace("\n", start, end, maintain_selection_offset=False)

    def submit(self) -> None:
        text = self.text
        if self.contact_id is None or not text.strip():
            return
        self.post_message(self.Submitted(self.contact_id, text, self.mode))
        self.clear()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._loading or self.contact_id is None or event.text_area is not self:
            return
        event.stop()
        self.post_message(self.Edited(self.contact_id, self.text, self.mode))
