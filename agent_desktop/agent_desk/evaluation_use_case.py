"""The agent's evaluations (issue 47): read them for "my day", and acknowledge one; a refusal is told as a notice.
Only on a contact center that keeps evaluations (`capabilities.quality`): elsewhere there is no section."""

from __future__ import annotations

from agent_desktop.agent_desk.use_case import DeskUseCase
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Evaluation
from agent_desktop.domain.quality_protocol import agent_quality


class EvaluationUseCase(DeskUseCase):
    async def read(self) -> list[Evaluation] | None:
        """Newest first; None where the contact center keeps none (or refused: a notice says so)."""
        quality = agent_quality(self.contact_center)
        if quality is None:
            return None
        try:
            self.desk.evaluations.take(await quality.my_evaluations())
        except BackendError as error:
            self.desk.notice(error.message, "Evaluations", "error")
            self._redraw()
        return self.desk.evaluations.newest_first()

    async def acknowledge(self, evaluation_id: str) -> Evaluation | None:
        quality = agent_quality(self.contact_center)
        if quality is None:
            return None
        try:
            evaluation = await quality.acknowledge_evaluation(evaluation_id)
        except BackendError as error:
            self.desk.notice(error.message, "Evaluation", "error")
            self._redraw()
            return None
        self.desk.evaluations.take([evaluation])
        return evaluation
