"""Reading the agent's own day for the "my day" panel: one call to the contact center, its figures worked out
(my_day.py), the agent's shift today (schedule_strip.py), a refusal told as a notice; and the agent's quality
evaluations shown there, acknowledged one by one (only on a contact center with `capabilities.quality`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.my_day.my_day import DayFigures, figures
from agent_desktop.agent_desk.my_day.schedule_strip import ScheduleStrip, schedule_strip
from agent_desktop.agent_desk.refusals import logged_refusal
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Evaluation
from agent_desktop.domain.pci import mask_pci

if TYPE_CHECKING:
    from agent_desktop.agent_desk.my_day.my_day import MyEvaluations
    from agent_desktop.domain.capabilities import ContactCenterCapabilities


class MyDayDesk(DeskNotices, Protocol):
    """The desk as the agent's day reads it (desk/model.py's Desk): what the contact center serves, and the
    evaluations released to the agent."""

    @property
    def capabilities(self) -> ContactCenterCapabilities: ...

    @property
    def evaluations(self) -> MyEvaluations: ...


class MyDayUseCase(DeskUseCase[MyDayDesk]):
    async def read(self) -> DayFigures | None:
        """Today's figures, or None (the contact center refused or is out of reach: a notice says so)."""
        try:
            day = await self.contact_center.my_day()
        except BackendError as error:
            self.desk.notice(logged_refusal(error, "My day"), "My day", "error")
            return None
        return figures(day)

    async def schedule(self) -> ScheduleStrip | None:
        """The agent's shift today as a strip, or None: the contact center keeps no schedule, refused, or
        is out of reach (a notice says so); my day shows the rest without it."""
        if not self.desk.capabilities.workforce:
            return None
        try:
            schedule = await self.contact_center.my_schedule()
        except BackendError as error:
            self.desk.notice(logged_refusal(error, "My schedule"), "My schedule", "error")
            return None
        return schedule_strip(schedule, self.now().astimezone())


class EvaluationUseCase(DeskUseCase[MyDayDesk]):
    async def read(self) -> list[Evaluation] | None:
        """Newest first; None where the contact center keeps none (or refused: a notice says so)."""
        if not self.desk.capabilities.quality:
            return None
        try:
            self.desk.evaluations.take(await self.ports.quality_backend.my_evaluations())
        except BackendError as error:
            self.desk.notice(logged_refusal(error, "Evaluations"), "Evaluations", "error")
        return self.desk.evaluations.newest_first()

    async def acknowledge(self, evaluation_id: str) -> Evaluation | None:
        try:
            evaluation = await self.ports.quality_backend.acknowledge_evaluation(evaluation_id)
        except BackendError as error:
            self.desk.notice(logged_refusal(error, "Evaluation"), "Evaluation", "error")
            return None
        self.desk.evaluations.take([evaluation])
        return evaluation

    async def dispute(self, evaluation_id: str, reason: str) -> Evaluation | None:
        """The agent disputes it with `reason` (card data masked before it leaves); a refusal is said, and None."""
        try:
            evaluation = await self.ports.quality_backend.dispute_evaluation(evaluation_id, mask_pci(reason.strip()))
        except BackendError as error:
            self.desk.notice(logged_refusal(error, "Evaluation"), "Evaluation", "error")
            return None
        self.desk.evaluations.take([evaluation])
        return evaluation
