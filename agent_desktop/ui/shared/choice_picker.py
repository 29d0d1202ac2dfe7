"""The one picker: a small dialog listing options, enter picks one, escape cancels. The agent's not-ready
reasons, the experts' skills, the caller among several CRM matches and the supervisor's actions are each a
few lines over it (their options, title and box)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen
from agent_desktop.ui.textual_compat import CSSPathType

T = TypeVar("T")


class ChoicePicker(OverlayScreen[T | None], Generic[T]):
    """Dismisses with the chosen option's value, or None on escape."""

    OVERLAY_NAME = "The list of choices"

    ATTENTION = OverlayKind.PICKER

    # Absolute: Textual resolves a relative CSS_PATH beside the file of the subclass (the agent's and the
    # supervisor's pickers live in their own folders).
    CSS_PATH: ClassVar[CSSPathType | None] = Path(__file__).with_name("choice_picker.tcss")
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[T, str | Content]],
        *,
        highlighted: int | None = None,
        subtitle: str | None = None,
        box_id: str | None = "choice-box",
        box_classes: str = "",
        list_id: str | None = None,
    ) -> None:
        """`title` and string labels may hold backend text (an agent's name, a queue): both are shown literally
        (a `Content` label is the caller's, built literal). `highlighted`: the option under the cursor at first."""
        super().__init__()
        self.title_text = title
        self.options = list(options)  # (value, label)
        self._highlighted = highlighted
        self._subtitle = subtitle
        self._box_id, self._box_classes, self._list_id = box_id, box_classes, list_id

    def compose(self) -> ComposeResult:
        with Vertical(id=self._box_id, classes=self._box_classes) as box:
            box.border_title = literal_title(self.title_text)
            if self._subtitle is not None:
                box.border_subtitle = literal_title(self._subtitle)
            # keyed by position: two options may carry one value (Textual refuses two options with one id)
            labels = (label if isinstance(label, Content) else plain(label) for _, label in self.options)
            yield OptionList(*(Option(label) for label in labels), id=self._list_id)

    def on_mount(self) -> None:
        if self._highlighted is not None:
            options = self.query_one(OptionList)
            options.highlighted = self._highlighted
            self.set_focus(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
