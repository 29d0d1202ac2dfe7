"""Reading the agent's own day for the "my day" panel: one call to the contact center, its figures worked out
(my_day.py), and the agent's shift today (schedule_strip.py); a refusal told as a notice."""

from __future__ import annotations

from agent_desktop.agent_desk.my_day import DayFigures, figures
from agent_desktop.agent_desk.schedule_strip import ScheduleStrip, schedule_strip
from agent_desktop.agent_desk.use_case import DeskUseCase
from agent_desktop.domain.errors import BackendError


class MyDayUseCase(DeskUseCase):
    async def read(self) -> DayFigures | None:
        """Today's figures, or None (the contact center refused or is out of reach: a notice says so)."""
        try:
            day = await self.contact_center.my_day()
        except BackendError as error:
            self.desk.notice(error.message, "My day", "error")
            self._redraw()
            return None
        return figures(day)

    async def schedule(self) -> ScheduleStrip | None:
        """The agent's shift today as a strip (issue 47), or None: the contact center keeps no schedule, refused, or
        is out of reach (a notice says so); my day shows the rest without it."""
        if not self.desk.capabilities.workforce:
            return None
        try:
            schedule = await self.contact_center.my_schedule()
        except BackendError as error:
            self.desk.notice(error.message, "My schedule", "error")
            self._redraw()
            return None
        return schedule_strip(schedule, self.now().astimezone())
