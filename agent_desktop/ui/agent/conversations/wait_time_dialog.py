"""When a snooze ends or a scheduled reply goes: a few choices (in an hour, tomorrow 09:00), or a time
typed in the agent's own zone and read by `wait_times.read_wait_time`; a time it cannot read is said in the dialog,
what was typed kept. Dismisses with the aware time, or None on escape."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

Read = Callable[[str], datetime | str]  # what was typed: the time, or why not in words


class WaitTimeDialog(OverlayScreen[datetime | None]):
    OVERLAY_NAME = "The time picker"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "wait_time_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[datetime, str]], zone: str, read: Read) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.zone = zone
        self._read = read
        self._choices = OptionList(*(Option(plain(label)) for _, label in choices), id="wait-time-choices")
        self._error = Static("", id="wait-time-error")

    def compose(self) -> ComposeResult:
        with Vertical(id="wait-time-box") as box:
            box.border_title = literal_title(self.title_text)
            box.border_subtitle = "enter picks · esc cancel"
            yield self._choices
            yield Static(plain(f"Or type a time ({self.zone}): 17:30 or 2026-12-03 09:00"), id="wait-time-hint")
            yield Input(placeholder="HH:MM", id="wait-time-typed")
            yield self._error

    def on_mount(self) -> None:
        self.set_focus(self._choices)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        read = self._read(event.value)
        if isinstance(read, str):
            self._error.update(plain(read))
        else:
            self.dismiss(read)

    def action_cancel(self) -> None:
        self.dismiss(None)
