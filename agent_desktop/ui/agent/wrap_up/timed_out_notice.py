"""Said over the desk when a time-boxed wrap-up the agent was typing in ran out and was saved: the
keys the agent goes on typing land here, not on the desk's keys (an `a` would accept an offer, an `n` open the
break picker), until enter or escape."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen


class TimedOutNotice(OverlayScreen[None]):
    OVERLAY_NAME = "The wrap-up's time-out notice"
    ATTENTION = OverlayKind.VIEW
    CSS_PATH = Path(__file__).with_name("timed_out_notice.tcss")
    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close", show=False)]

    def __init__(self, who: str) -> None:
        super().__init__()
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(id="timed-out-box") as box:
            box.border_title = literal_title("Wrap-up time ran out")
            yield Static(
                Content.assemble(
                    ("The wrap-up of ", ""),
                    plain(self.who, "bold"),
                    (" was saved with what you had typed; it goes to the CRM from the outbox.", ""),
                )
            )
            yield Static(
                Content.styled("enter or escape: back to the desk (other keys are held here)", "dim"),
                id="timed-out-keys",
            )

    def on_key(self, event: events.Key) -> None:
        if event.key not in ("escape", "enter"):
            event.stop()  # a letter meant for the notes runs no command of the desk

    def action_close(self) -> None:
        self.dismiss(None)
