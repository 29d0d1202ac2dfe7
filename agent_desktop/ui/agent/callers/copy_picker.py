"""The picker of what to copy to the clipboard (Y: agent_desktop/ui/agent/callers/clipboard_copy.py)."""

from __future__ import annotations

from agent_desktop.agent_desk.callers.copy_choices import CopyChoice
from agent_desktop.domain.formats.text import one_line
from agent_desktop.ui.shared.choice_picker import ChoicePicker


class CopyPicker(ChoicePicker[CopyChoice]):
    def __init__(self, choices: list[CopyChoice]) -> None:
        options = [(choice, f"{choice.label}: {one_line(choice.text, 50)}") for choice in choices]
        super().__init__("Copy to the clipboard", options, highlighted=0)
