"""Quick responses for the conversation in front of the agent: type to search, enter puts the response in
the composer to edit, ctrl+s sends it as it is. Each is shown filled in for this customer; one with a
placeholder the desk cannot fill says which, and cannot be chosen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.overlay_screen import OverlayScreen
from agent_desktop.writing_aids.quick_responses import MissingValue, QuickResponse


@dataclass(frozen=True)
class QuickResponseChoice:
    text: str
    send_now: bool  # False: into the composer, to be edited first


@dataclass(frozen=True)
class _Shown:
    response: QuickResponse
    text: str | None  # filled in; None when a placeholder has no value
    missing: str | None = None


class QuickResponsePicker(OverlayScreen[QuickResponseChoice | None]):
    OVERLAY_NAME = "The quick responses"
    ATTENTION = OverlayKind.PICKER
    CSS_PATH = "quick_response_picker.tcss"
    BINDINGS = [
        Binding("enter", "choose(False)", "Insert", priority=True),
        Binding("ctrl+s", "choose(True)", "Send now", priority=True),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        responses: list[QuickResponse],
        values: Mapping[str, str | None],
        channel: Channel | None,
        queue_id: str | None = None,
    ) -> None:
        super().__init__()
        self.all = [self._filled(r, values) for r in responses if r.fits(channel, queue_id)]
        self.shown: list[_Shown] = []

    @staticmethod
    def _filled(response: QuickResponse, values: Mapping[str, str | None]) -> _Shown:
        try:
            return _Shown(response, response.fill(values))
        except MissingValue as missing:
            return _Shown(response, None, missing.name)

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-box") as box:
            box.border_title = "Quick responses"
            box.border_subtitle = "type to search · enter inserts · ctrl+s sends · escape cancels"
            yield Input(placeholder="Search the team's responses", id="quick-search", max_length=100)
            yield OptionList(id="quick-options")
            yield Static("", id="quick-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show("")
        self.set_focus(self.query_one(Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, query: str) -> None:
        words = query.lower().split()
        self.shown = [
            s for s in self.all if all(w in f"{s.response.title} {s.text or s.response.text}".lower() for w in words)
        ]
        options = self.query_one(OptionList)
        options.clear_options()
        # keyed by position; a response that cannot be filled is shown, disabled, with the reason
        options.add_options(Option(self._label(s), disabled=s.text is None) for s in self.shown)
        first = next((i for i, s in enumerate(self.shown) if s.text is not None), None)
        options.highlighted = first
        self._hint("" if self.shown else "No response matches. Escape goes back to the composer.")

    @staticmethod
    def _label(shown: _Shown) -> Content:
        title = plain(one_line(shown.response.title, 40), "bold")
        if shown.text is None:
            return Content.assemble(
                title,
                ("  needs ", "dim"),
                plain(f"{{{{{shown.missing}}}}}", "$warning"),
                (" — no value on this contact", "dim"),
            )
        return Content.assemble(title, "\n  ", plain(one_line(shown.text, 92), "dim"))

    def _hint(self, text: str) -> None:
        self.query_one("#quick-hint", Static).update(plain(text, "dim"))

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_choose(self, send_now: bool) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.shown) or self.shown[index].text is None:
            self._hint("Choose a response that can be filled in (↑ ↓), or escape.")
            return
        self.dismiss(QuickResponseChoice(self.shown[index].text or "", send_now))

    def action_cancel(self) -> None:
        self.dismiss(None)
