"""A supervisor's broadcast: a short message, how many minutes the desks show it, and to whom (the
team: every agent of the supervisor's queues; or one queue's agents). Returns what to send, or None."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.ui.plain_text import cell, literal_title
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

TEXT_MOST = 280  # as the contact center takes it
TEAM = "__team__"


@dataclass(frozen=True)
class BroadcastChoice:
    text: str
    minutes: float
    queue_id: str | None  # None: the team


class BroadcastDialog(OverlayScreen[BroadcastChoice | None]):
    OVERLAY_NAME = "The broadcast"
    ATTENTION = OverlayKind.DIALOG
    CSS_PATH = "broadcast_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, queues: list[tuple[str, str]]) -> None:
        """`queues`: (id, name) of the supervisor's queues."""
        super().__init__()
        self._queues = queues

    def compose(self) -> ComposeResult:
        with Vertical(id="broadcast-box") as box:
            box.border_title = literal_title("Broadcast to agents")
            box.border_subtitle = "enter send · esc cancel"
            yield Input(placeholder="A short message (enter sends)", max_length=TEXT_MOST, id="broadcast-text")
            with Horizontal(id="broadcast-options"):
                yield Label("for")
                yield Input("15", type="integer", max_length=3, id="broadcast-minutes")
                yield Label("min, to")
                options = [(cell("Your team (every agent of your queues)"), TEAM)]
                options += [(cell(f"{name} agents"), queue_id) for queue_id, name in self._queues]
                yield Select(options, value=TEAM, allow_blank=False, id="broadcast-to")

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = False
        self.set_focus(self.query_one("#broadcast-text", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = self.query_one("#broadcast-text", Input).value.strip()
        minutes = self.query_one("#broadcast-minutes", Input).value.strip()
        if not text:
            self.notify("Write the message to send.", severity="warning")
            return
        if not minutes.isdigit() or not 1 <= int(minutes) <= 480:
            self.notify("Minutes: 1 to 480.", severity="warning")
            return
        to = self.query_one("#broadcast-to", Select).value
        self.dismiss(BroadcastChoice(text, float(minutes), None if to == TEAM else str(to)))

    def action_cancel(self) -> None:
        self.dismiss(None)
