"""Choosing a not-ready reason (Break, Lunch, ...) from the contact center's list."""

from __future__ import annotations

from agent_desktop.ui.shared.choice_picker import ChoicePicker


class ReasonPicker(ChoicePicker[str]):
    def __init__(self, reasons: list[str], notes: dict[str, str] | None = None) -> None:
        """`notes`: what to say beside a reason (its limit: "Lunch  (30 min)")."""
        notes = notes or {}
        options = [(reason, f"{reason}  ({notes[reason]})" if notes.get(reason) else reason) for reason in reasons]
        super().__init__("Not ready — why?", options, box_id="reason-box")
        self.reasons = reasons
