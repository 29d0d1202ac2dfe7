"""What TaskRouter does not do here: the contact center protocol's methods this desk does not serve on Twilio, each
refused with a 501 that says what (the capabilities, capabilities.py, keep the desk from asking)."""

from __future__ import annotations

from datetime import datetime

from agent_desktop.domain.calls.scheduled_callback import ScheduledCallback
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Agent, AgentState, Contact, Target
from agent_desktop.domain.workforce.agent_day import AgentDay
from agent_desktop.domain.workforce.models import AgentSchedule


class TaskRouterRefusals:
    """A mixin of `TwilioContactCenter`, where its other parts are collaborators it holds: the protocol wants these
    methods on the contact center itself, so a collaborator would need each one delegated, a method as long as the
    refusal it hands on. It holds no state and calls nothing of the class it is mixed into but its `name`."""

    name: str

    def _unsupported(self, what: str) -> BackendError:
        return BackendError(self.name, f"501 {what} is not supported on Twilio by this desk", 501)

    async def set_next_state(self, state: AgentState | None, reason: str | None = None) -> Agent:
        raise self._unsupported("a native next state")

    async def extend_wrap_up(self, contact_id: str) -> Contact:
        raise self._unsupported("a wrap-up extension")

    async def my_day(self) -> AgentDay:
        raise self._unsupported("the agent's own day")

    async def my_schedule(self) -> AgentSchedule:
        raise self._unsupported("the agent's schedule (TaskRouter keeps no WFM)")

    async def schedule_callback(
        self,
        contact_id: str,
        due_at: datetime,
        time_zone: str,
        note: str = "",
        number: str | None = None,
        idempotency_key: str | None = None,
    ) -> ScheduledCallback:
        raise self._unsupported("a scheduled callback")

    async def my_callbacks(self) -> list[ScheduledCallback]:
        raise self._unsupported("scheduled callbacks")

    async def start_consult(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        raise self._unsupported("consult")

    async def complete_consult(self, contact_id: str) -> Contact:
        raise self._unsupported("consult")

    async def cancel_consult(self, contact_id: str) -> Contact:
        raise self._unsupported("consult")

    async def set_typing(self, contact_id: str, typing: bool) -> None:
        raise self._unsupported("typing")  # Conversations has no REST typing indicator
