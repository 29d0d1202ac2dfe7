"""The call's keypad: digits typed for a payment line or an IVR, sent as DTMF tones to the selected call's softphone
(enter sends, escape closes without sending). Only the keypad's characters are taken; the digits are not kept."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.calls.softphone import DTMF_DIGITS
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

MAX_DIGITS = 64  # the softphone's own bound: a card number, its expiry and code, with room
RESTRICT = r"[0-9*#A-Da-d]*"


class KeypadDialog(OverlayScreen[str | None]):
    """Enter sends what was typed (upper-cased A-D); escape: None."""

    OVERLAY_NAME = "The call's keypad"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "keypad_dialog.tcss"
    BINDINGS = [Binding("escape", "close", "Close", tooltip="Close the keypad without sending")]

    def __init__(self, contact_id: str) -> None:
        super().__init__()
        self.contact_id = contact_id

    def compose(self) -> ComposeResult:
        with Vertical(id="keypad-box") as box:
            box.border_title = "Keypad"
            yield Input(
                placeholder="Digits, * and # (enter sends)",
                restrict=RESTRICT,
                max_length=MAX_DIGITS,
                id="keypad-digits",
            )
            yield Static("enter  send the tones      escape  close", id="keypad-keys")
        yield KeyFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        digits = event.value.upper()
        self.dismiss(digits if digits and set(digits) <= DTMF_DIGITS else None)

    def action_close(self) -> None:
        self.dismiss(None)
