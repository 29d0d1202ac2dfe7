"""Filtering the experts by one skill (the contact's skills first), or showing every skill again."""

from __future__ import annotations

from agent_desktop.ui.shared.choice_picker import ChoicePicker

ALL_SKILLS = "All skills"


class SkillPicker(ChoicePicker[str]):
    """Returns the chosen skill, "" for all skills, or None when cancelled."""

    def __init__(self, skills: list[str], suggested: list[str], current: str | None) -> None:
        first = [s for s in suggested if s in skills]
        ordered = ["", *first, *sorted(s for s in skills if s not in first)]
        options = [(s, ("★ " if s in first else "") + (s or ALL_SKILLS)) for s in ordered]
        current = current or ""
        highlighted = ordered.index(current) if current in ordered else 0
        super().__init__(
            "Filter experts by skill", options, highlighted=highlighted, box_id="skill-box", list_id="skill-list"
        )
        self.skills, self.suggested, self.current = ordered, set(first), current
