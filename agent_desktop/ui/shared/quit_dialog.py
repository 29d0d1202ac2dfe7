"""Asking before quitting with contacts in hand: the agent may not mean to leave them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen


class QuitDialog(OverlayScreen[bool]):
    """`y` or `enter` quits, `n` or `escape` stays; dismissed with True to quit."""

    OVERLAY_NAME = "The quit question"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "quit_dialog.tcss"
    BINDINGS = [
        Binding("y,enter", "quit", "Quit", tooltip="Quit; no new contact is offered to you"),
        Binding("n,escape", "stay", "Stay", tooltip="Back to the desktop"),
    ]

    def __init__(self, in_hand: int, leave_as: str) -> None:
        super().__init__()
        self.in_hand = in_hand
        self.leave_as = leave_as

    def compose(self) -> ComposeResult:
        contacts = "1 contact" if self.in_hand == 1 else f"{self.in_hand} contacts"
        with Vertical(id="quit-box") as box:
            box.border_title = "Quit with contacts in hand?"
            yield Static(
                plain(
                    f"You have {contacts} in hand. They stay with you at the contact center (open the desktop "
                    f"again to finish them); no new contact is offered to you, and you become {self.leave_as} "
                    "when the last one is wrapped up."
                ),
                id="quit-text",
            )
            yield Static("y / enter  quit      n / escape  stay", id="quit-keys")

    def action_quit(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)
