"""The dial pad (`D`): a number typed, or the card's, called from a caller ID of the agent's queues (the queue's first
number is the default). Keyboard first: digits and backspace in the number, up and down choose the caller ID, enter
dials, escape leaves with the number kept for next time. What the desk or the contact center refuses is said here,
under the number, and the number stays."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.agent_desk.voice.placed_calls import CallerIdChoice
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

Load = Callable[[], Awaitable["list[CallerIdChoice] | str"]]  # the caller IDs, or why there are none
Place = Callable[[str, "CallerIdChoice | None"], Awaitable["str | None"]]  # None: placed; else why not, in words


class DialPad(OverlayScreen[bool]):
    """Returns True once the call is placed, False when the agent leaves (the number is kept by the desk)."""

    OVERLAY_NAME = "The dial pad"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "dial_pad.tcss"
    BINDINGS = [
        Binding("escape", "leave", "Leave", tooltip="Leave the dial pad; the number is kept for next time"),
        Binding("up", "caller_id(-1)", "Caller ID", show=False),
        Binding("down", "caller_id(1)", "Caller ID", show=False),
    ]

    def __init__(self, number: str, load: Load, place: Place, chosen: CallerIdChoice | None = None) -> None:
        super().__init__()
        self.number = Input(
            number, placeholder="Number: +44 20 7946 0958, or as your region writes it", id="dial-number"
        )
        self.caller_ids = OptionList(id="dial-from")
        self.error = Static("", id="dial-error")
        self.choices: list[CallerIdChoice] = []
        self._load, self._place, self._wanted = load, place, chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="dial-box") as box:
            box.border_title = "Dial"
            box.border_subtitle = "enter dials · ↑↓ caller ID · esc leaves (kept)"
            yield self.number
            yield Static("Caller ID", id="dial-from-label")
            yield self.caller_ids
            yield self.error
        yield KeyFooter()

    def on_mount(self) -> None:
        self.caller_ids.can_focus = False  # the number keeps the keys: up and down choose from here
        self.set_focus(self.number)
        self._fill()

    @work(exclusive=True, group="dial-caller-ids")
    async def _fill(self) -> None:
        loaded = await self._load()
        if isinstance(loaded, str):
            self.error.update(plain(loaded, "bold $error"))
            return
        self.choices = loaded
        self.caller_ids.add_options(Option(plain(f"{shown_phone(c.caller_id):<18}{c.queue_name}")) for c in loaded)
        wanted = self.choices.index(self._wanted) if self._wanted in self.choices else 0
        self.caller_ids.highlighted = wanted if self.choices else None

    def chosen(self) -> CallerIdChoice | None:
        index = self.caller_ids.highlighted
        return self.choices[index] if index is not None and 0 <= index < len(self.choices) else None

    def typed(self) -> str:
        return self.number.value

    def action_caller_id(self, step: int) -> None:
        if self.choices:
            now = self.caller_ids.highlighted or 0
            self.caller_ids.highlighted = (now + step) % len(self.choices)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._dial(self.typed(), self.chosen())

    @work(exclusive=True, group="dial-place")
    async def _dial(self, number: str, choice: CallerIdChoice | None) -> None:
        self.error.update(plain("Dialling…"))
        refusal = await self._place(number, choice)
        if refusal is None:
            self.dismiss(True)
            return
        self.error.update(plain(refusal, "bold $error"))

    def action_leave(self) -> None:
        self.dismiss(False)
