"""The wrap-up's disposition picker (ctrl+o): the queue's dispositions under their categories, cut down as the agent
types (Textual's fuzzy matcher, the matched letters highlighted); enter picks the highlighted code, escape cancels."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import Lasts, OverlayKind
from agent_desktop.agent_desk.wrap_up.disposition_tree import disposition_tree, matching
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen


class DispositionPicker(OverlayScreen[str | None]):
    """Dismisses with the chosen disposition, or None on escape."""

    ATTENTION = OverlayKind.PICKER
    LASTS = Lasts.WHILE_WRAPPING  # a part of its contact's wrap-up: saved by its time box, it closes
    OVERLAY_NAME = "The disposition list"

    CSS_PATH = Path(__file__).with_name("disposition_picker.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, dispositions: list[str], groups: dict[str, list[str]], chosen: str | None = None) -> None:
        super().__init__()
        self.codes_tree = disposition_tree(dispositions, groups)
        self.chosen = chosen
        self._codes: list[str | None] = []  # per option: its code, None for a category's heading
        self.search_box = Input(placeholder="Search dispositions", id="disposition-search")
        self.option_list = OptionList(id="disposition-options")

    def compose(self) -> ComposeResult:
        with Vertical(id="disposition-box") as box:
            box.border_title = literal_title("Disposition")
            box.border_subtitle = literal_title("type to search · ⏎ picks · esc")
            yield self.search_box
            yield self.option_list

    def on_mount(self) -> None:
        self._show("")
        self.set_focus(self.search_box)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, typed: str) -> None:
        matcher = Matcher(typed) if typed.strip() else None
        tree = matching(self.codes_tree, matcher.match) if matcher is not None else self.codes_tree
        options = self.option_list
        options.clear_options()
        self._codes = []
        first: int | None = None
        for category, codes in tree:
            if category:
                options.add_option(Option(plain(category, "bold $accent"), disabled=True))
                self._codes.append(None)
            for code in codes:
                label = matcher.highlight(code) if matcher is not None else plain(code)
                options.add_option(Option(Content.assemble("  ", label)))
                self._codes.append(code)
                if first is None or (matcher is None and code == self.chosen):
                    first = len(self._codes) - 1
        if not self._codes:  # said where the agent looks: enter would pick nothing
            words = f"No disposition matches “{typed.strip()}”: backspace to search again, esc to cancel."
            options.add_option(Option(plain(words, "italic $warning"), disabled=True))
            self._codes.append(None)
        options.highlighted = first

    def action_move(self, step: int) -> None:
        options = self.option_list
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    @on(Input.Submitted)
    def _picked_by_enter(self) -> None:
        highlighted = self.option_list.highlighted
        if highlighted is not None and self._codes[highlighted] is not None:
            self.dismiss(self._codes[highlighted])

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        code = self._codes[event.option_index]
        if code is not None:
            self.dismiss(code)

    def action_cancel(self) -> None:
        self.dismiss(None)
