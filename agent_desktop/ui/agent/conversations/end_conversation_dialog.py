"""Asking before ending a chat, SMS or email whose customer wrote last: they are waiting for an answer.

No letter ends it: an agent who thinks they are in the composer types a greeting, and `hey` was `h` (hold),
`e` (this question) and `y` (yes) — the chat ended unanswered. ctrl+e ends it (as `e` asked);
`n`, `escape` and `enter` keep it; any other letter keeps it open and says which keys answer.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.formats.text import one_line
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

KEYS = "ctrl+e  end it      n / escape / enter  keep it and answer"


class EndConversationDialog(OverlayScreen[bool]):
    """ctrl+e ends it, `n`, `escape` or `enter` keeps it (the safe answer is the easy one); True to end."""

    OVERLAY_NAME = "The end-conversation question"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "end_conversation_dialog.tcss"
    BINDINGS = [
        Binding("ctrl+e", "end", "End it", tooltip="End the conversation without answering"),
        Binding("n,escape,enter", "keep", "Keep it", tooltip="Back to the conversation, to answer"),
    ]

    def __init__(self, customer: str, last_message: str, waited_s: float) -> None:
        super().__init__()
        self.customer = customer
        self.last_message = last_message
        self.waited_s = waited_s

    def compose(self) -> ComposeResult:
        with Vertical(id="end-box") as box:
            box.border_title = "End while the customer waits?"
            yield Static(
                Content.assemble(
                    plain(one_line(self.customer, 40) or "The customer", "bold"),
                    f" wrote last, {int(self.waited_s)} s ago, and is waiting for your answer:\n",
                    plain(f"“{one_line(self.last_message, 160)}”", "italic"),
                ),
                id="end-text",
            )
            yield Static(KEYS, id="end-keys")
        yield KeyFooter()

    def on_key(self, event: events.Key) -> None:
        # A letter typed here was meant for the composer: it keeps the question open, and says so on it (the
        # app's word for a key in vain would vanish in four seconds; this stays until the agent answers).
        if event.is_printable and event.key not in ("n", "enter"):
            event.stop()
            event.prevent_default()
            shown = event.character if event.character and event.character.isprintable() else event.key
            self.query_one("#end-keys", Static).update(
                Content.assemble((f"{shown} does nothing here — not ended. ", "bold $warning"), KEYS)
            )

    def action_end(self) -> None:
        self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)
