"""Every setting can come from a DESKTOP_* variable, and one that names no setting is refused in one line: the check
reads the sections from the settings themselves. It listed some by hand and missed `[desk]` and `[notifications]`,
so `DESKTOP_DESK__UNDO_SEND_S=3`, which pydantic-settings reads, was refused as "no such setting"."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from agent_desktop.app.config import Settings, unknown_environment_variables


def _sections() -> list[tuple[str, str]]:
    return [
        (name, field_name)
        for name, field in Settings.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
        for field_name in field.annotation.model_fields
    ]


@pytest.mark.parametrize(("section", "field"), _sections())
def test_every_field_of_every_section_is_a_variable_the_desk_knows(section: str, field: str) -> None:
    assert unknown_environment_variables({f"DESKTOP_{section.upper()}__{field.upper()}": "1"}) == []


def test_a_variable_that_names_no_field_of_a_section_is_refused() -> None:
    assert unknown_environment_variables({"DESKTOP_DESK__UNDO_SENDS": "3"}) == ["DESKTOP_DESK__UNDO_SENDS"]
