"""Choosing one of a few labelled options in a small dialog (supervisor actions)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from desktop.ui.plain_text import literal_title, plain


class ChoicePicker(ModalScreen[str | None]):
    """Dismisses with the chosen option's key, or None on escape."""

    CSS_PATH = "choice_picker.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        """`title` and the labels may hold backend text (an agent's name, a queue): both are shown literally."""
        super().__init__()
        self.title_text = title
        self.options = options  # (key, label)

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box") as box:
            box.border_title = literal_title(self.title_text)
            # keyed by position: two options may carry one key (Textual refuses two options with one id)
            yield OptionList(*(Option(plain(label)) for _, label in self.options))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
