"""The experts panel: a search of the presence directory, the same skills across it (the next best available), a message to an expert."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Expert

if TYPE_CHECKING:
    from agent_desktop.agent_desk.experts.directory import ExpertDirectory
    from agent_desktop.domain.models import Agent


class ExpertDesk(DeskNotices, Protocol):
    """The desk as the experts' use cases read it (desk/model.py's Desk): the agent, the directory, and where a
    search's answer is shown."""

    @property
    def agent(self) -> Agent | None: ...

    @property
    def directory(self) -> ExpertDirectory: ...

    def show_experts(self, experts: list[Expert]) -> None: ...


class ExpertUseCases(DeskUseCase[ExpertDesk]):
    async def search_experts(self, search: str, skill: str | None = None) -> None:
        self.desk.directory.filter(search, skill)
        try:
            experts = await self.presence.list_experts(search, skill)
        except BackendError as error:
            self.desk.notice(error.message, "Experts", "error")
        else:
            self.desk.show_experts(experts)

    async def alternatives_to(self, expert: Expert) -> list[Expert]:
        """Experts with the same skills across the whole directory (the panel may show a search)."""
        people = dict(self.desk.directory.experts)
        try:
            for skill in expert.skills:
                people.update((e.id, e) for e in await self.presence.list_experts("", skill))
        except BackendError as error:
            self.desk.notice(f"Showing only the experts on screen: {error.message}", "Experts", "warning")
        return list(people.values())

    async def send_escalation(self, expert: Expert, text: str) -> None:
        agent = self.desk.agent
        try:
            await self.presence.send_message(expert.id, text, agent.name if agent else None)
        except BackendError as error:
            self.desk.notice(error.message, f"Message to {expert.name}", "error")
        else:
            self.desk.notice(f"Sent to {expert.name}. Their reply will show here.", "Escalation message")
