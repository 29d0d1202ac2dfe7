"""The agent screen's experts area: the experts panel (experts_panel.py) over the desk's directory, its search
handed to the controller, and its choices to the dialogs' flows (an expert's menu, a message, a transfer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Unpack

from textual import on

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Expert
from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions


class ExpertFlows(Protocol):
    """The dialogs' flows the experts area hands its choices to (agent_dialogs.py's AgentDialogs), and the desk whose
    directory it lists. The dialogs import this package's dialogs, never the other way round."""

    @property
    def desk(self) -> Desk: ...

    def skill_filter(self, panel: ExpertsPanel) -> None: ...

    def message_expert(self, expert: Expert | None) -> None: ...

    def call_colleague(self, expert: Expert | None) -> None: ...

    def expert_actions(self, expert: Expert) -> None: ...

    def search_experts(self, search: str, skill: str | None) -> None: ...


class DeskExperts(ExpertsPanel):
    def __init__(self, dialogs: ExpertFlows, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(dialogs.desk.directory, **kwargs)
        self.dialogs = dialogs

    def skill_filter(self) -> None:
        self.dialogs.skill_filter(self)

    def message_expert(self) -> None:
        self.dialogs.message_expert(self.highlighted())

    def call_colleague(self) -> None:
        self.dialogs.call_colleague(self.highlighted())

    @on(ExpertsPanel.ExpertChosen)
    def _expert_chosen(self, message: ExpertsPanel.ExpertChosen) -> None:
        self.dialogs.expert_actions(message.expert)

    @on(ExpertsPanel.SearchChanged)
    def _experts_searched(self, message: ExpertsPanel.SearchChanged) -> None:
        self.dialogs.search_experts(message.query, message.skill)
