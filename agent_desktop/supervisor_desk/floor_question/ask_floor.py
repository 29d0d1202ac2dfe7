"""The supervisor's question about the floor ("why is billing's service level down?"), answered by the assistant's
model from the floor's figures as the desk has them now (floor_figures.py), sent as data, never as instructions
(assist/floor_question/floor_prompt.py). The figures sent are handed back with the answer, so the supervisor can check
it against them. Off unless a model is configured; one question at a time; a model that stops answering is said once
on the desk, and each failed answer in the ask box."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from agent_desktop.assist.floor_question.floor_prompt import Figure
from agent_desktop.assist.model_health import ModelHealth
from agent_desktop.assist.suggestion import FLOOR, Assistant, Suggestion
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.domain.assist.protocol import AssistModel, NoAssist
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.floor_question.floor_figures import floor_figures
from agent_desktop.supervisor_desk.workforce.adherence_board import AdherenceBoard

FLOOR_DAILY_TOKENS = 200_000  # the supervisor's desk's own allowance for its questions: it keeps no ledger file


class FloorDesk(Protocol):
    """The desk as the question reads it: the floor and the adherence board."""

    @property
    def floor(self) -> Floor: ...

    @property
    def adherence(self) -> AdherenceBoard: ...


class FloorHost(Protocol):
    def told(self, text: str, title: str) -> None: ...

    def spawn(self, work: Awaitable[object]) -> object: ...


class AskTheFloor:
    def __init__(
        self, host: FloorHost, desk: FloorDesk, now: Callable[[], datetime], assist: AssistModel | None = None
    ) -> None:
        self.host, self.desk, self.now = host, desk, now
        self.model = assist or NoAssist()
        self.health = ModelHealth()
        self.assistant = Assistant(self.model, TokenLedger(FLOOR_DAILY_TOKENS), health=self.health)
        self.last_question = ""  # the box opens on it again: nothing typed is lost by closing it

    def keep(self, typed: str | None) -> None:
        """The box closed on `typed`, asked or not: it opens on it again (None: closed with the screen)."""
        if typed is not None:
            self.last_question = typed

    @property
    def available(self) -> bool:
        return self.model.capabilities.replies

    def figures(self) -> list[Figure]:
        """The figures a question asked now is sent with."""
        return floor_figures(self.desk.floor, self.desk.adherence.teams(self.now()))

    def ask(self, question: str, changed: Callable[[Suggestion], None]) -> tuple[list[Figure], Suggestion]:
        """Start the answer (the last one cancelled); `changed` is told of each piece and of its end, on the loop.
        Returns the figures sent with the question, and the answer as it streams."""
        figures = self.figures()
        self.last_question = question
        answer = self.assistant.ask_floor(question, figures, changed)
        self.host.spawn(self._said_once(answer))
        return figures, answer

    async def _said_once(self, answer: Suggestion) -> None:
        """Once the answer ends: that the model stopped answering, or answers again, on the desk, once."""
        await answer.wait()
        if (notice := self.health.take_notice()) is not None:
            self.host.told(notice, "Assistant")

    def cancel(self) -> None:
        """Escape while the answer streams, or the box closed: its request is closed."""
        self.assistant.cancel_ask(FLOOR)
