"""Choosing a not-ready reason (Break, Lunch, ...) from the contact center's list."""

from __future__ import annotations

from agent_desktop.ui.shared.choice_picker import ChoicePicker


class ReasonPicker(ChoicePicker[str]):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("Not ready — why?", [(reason, reason) for reason in reasons], box_id="reason-box")
        self.reasons = reasons
