"""A flag's private thread between an agent and the supervisors of its contact's queue, with a line to
write: the agent raises the flag with it or replies, the supervisor answers. Both desks open it; it redraws the
thread as lines arrive while it is open. Every line is a backend's text: drawn literally."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.models import Flag
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

LINE_MOST = 500  # as the contact center takes it


def thread_text(flag: Flag | None) -> str:
    if flag is None:
        return "No flag on this contact yet: write why you need help, enter raises it."
    lines = [f"{line.at:%H:%M} {line.name}: {line.text}" for line in flag.lines]
    if flag.state == "closed":
        lines.append(f"— closed by {flag.closed_by or 'the contact center'}")
    return "\n".join(lines)


class FlagThreadDialog(OverlayScreen[str | None]):
    """Returns the line to send, or None when closed without one."""

    OVERLAY_NAME = "The flag's thread"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "flag_thread_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Close")]

    def __init__(self, title: str, flag: Callable[[], Flag | None], placeholder: str) -> None:
        """`flag`: the flag as the desk has it now (read again while the dialog is open)."""
        super().__init__()
        self._title = title
        self._flag = flag
        self._placeholder = placeholder
        self._drawn: Flag | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="flag-box") as box:
            box.border_title = literal_title(self._title)
            box.border_subtitle = "enter send · esc close"
            with VerticalScroll(id="flag-thread-scroll"):
                yield Static(plain(thread_text(self._flag())), id="flag-thread")
            yield Input(placeholder=self._placeholder, max_length=LINE_MOST, id="flag-line")

    def on_mount(self) -> None:
        self._drawn = self._flag()
        self.query_one(Input).cursor_blink = False
        self.set_focus(self.query_one(Input))
        self.set_interval(0.5, self._redraw)

    def _redraw(self) -> None:
        if (flag := self._flag()) != self._drawn:
            self._drawn = flag
            self.query_one("#flag-thread", Static).update(plain(thread_text(flag)))
            self.query_one("#flag-thread-scroll", VerticalScroll).scroll_end(animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.dismiss(text)
        else:
            self.notify("Write a line to send.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
