"""The experts panel alone in an app, on a directory the test fills: its rows, titles and order, without a desk."""

from __future__ import annotations

from textual.app import App, ComposeResult

from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.domain.models import Availability, Expert, Presence
from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel
from tests.support.hostile_models import AT


def expert(person_id: str, name: str, skills: list[str], availability: Availability) -> Expert:
    return Expert(id=person_id, name=name, skills=skills, presence=Presence(availability=availability, changed_at=AT))


class PanelHost(App[None]):
    def __init__(self, directory: ExpertDirectory) -> None:
        super().__init__()
        self.directory = directory

    def compose(self) -> ComposeResult:
        yield ExpertsPanel(self.directory, id="experts")
