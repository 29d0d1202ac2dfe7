"""Filtering the experts by one skill (the contact's skills first), or showing every skill again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from desktop.ui.plain_text import plain

ALL_SKILLS = "All skills"


class SkillPicker(ModalScreen[str | None]):
    """Returns the chosen skill, "" for all skills, or None when cancelled."""

    CSS_PATH = "skill_picker.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, skills: list[str], suggested: list[str], current: str | None) -> None:
        super().__init__()
        first = [s for s in suggested if s in skills]
        self.skills = [""] + first + sorted(s for s in skills if s not in first)
        self.suggested = set(first)
        self.current = current or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="skill-box") as box:
            box.border_title = "Filter experts by skill"
            yield OptionList(
                *(
                    Option(plain(("★ " if s in self.suggested else "") + (s or ALL_SKILLS)), id=str(i))
                    for i, s in enumerate(self.skills)
                ),
                id="skill-list",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.skills.index(self.current) if self.current in self.skills else 0
        self.set_focus(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.skills[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
