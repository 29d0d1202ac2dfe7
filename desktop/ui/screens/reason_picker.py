"""Choosing a not-ready reason (Break, Lunch, ...) from the contact center's list."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from desktop.ui.plain_text import plain


class ReasonPicker(ModalScreen[str | None]):
    CSS_PATH = "reason_picker.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, reasons: list[str]) -> None:
        super().__init__()
        self.reasons = reasons

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-box") as box:
            box.border_title = "Not ready — why?"
            yield OptionList(*(Option(plain(reason), id=str(i)) for i, reason in enumerate(self.reasons)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.reasons[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
