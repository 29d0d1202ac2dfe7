"""Reading a queue's coverage for the gap chart: one call to the contact center when the chart opens or
its queue changes (a day's schedule and forecast are fixed), a refusal told as a notice."""

from __future__ import annotations

from datetime import UTC, tzinfo

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.workforce.models import Coverage
from agent_desktop.supervisor_desk.refusals import refusal_words
from agent_desktop.supervisor_desk.use_case import DeskNotices, SupervisorUseCaseHost
from agent_desktop.supervisor_desk.workforce.workforce_gap import GapChart, gap_chart


class WorkforceUseCases:
    def __init__(self, controller: SupervisorUseCaseHost[DeskNotices]) -> None:
        self.controller = controller
        self.kept: dict[str, Coverage] = {}  # by queue: read once a session

    async def coverage(self, queue_id: str) -> Coverage | None:
        """The queue's coverage today, or None (refused or out of reach: a notice says so)."""
        if (kept := self.kept.get(queue_id)) is not None and kept.day == self.controller.now().astimezone(UTC).date():
            return kept
        try:
            self.kept[queue_id] = coverage = await self.controller.console.queue_coverage(queue_id)
        except BackendError as error:
            self.controller.desk.notice(refusal_words(error), "Gap chart", "error")
            return None
        return coverage

    def chart(self, coverage: Coverage, zone: tzinfo | None = None) -> GapChart:
        """The gap chart now, its times said in `zone` (the supervisor's, as its axis is drawn; None: the clock's)."""
        now = self.controller.now()
        return gap_chart(coverage, now.astimezone(zone) if zone is not None else now)
