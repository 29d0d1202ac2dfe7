"""Quality management: an evaluation released to the agent, and the record of it the supervisor's desk writes to the
CRM (forms and reviews: agent_desktop/domain/quality/forms.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from agent_desktop.domain.models.base import Model, StreamEvent
from agent_desktop.domain.vocabulary import Channel


class EvaluationAnswer(Model):
    question_id: str
    answer: int
    label: str = ""
    comment: str | None = None


class Evaluation(Model):
    """A supervisor's evaluation of a finished contact, scored by the contact center (0–100; 0 when auto-failed)."""

    id: str
    contact_id: str
    channel: Channel | None = None
    queue_id: str = ""
    agent_id: str
    agent_name: str = ""
    form_id: str
    form_name: str = ""
    evaluator_id: str = ""
    evaluator_name: str = ""
    answers: list[EvaluationAnswer] = []
    comments: str = ""
    score: float
    auto_failed: bool = False
    released_at: datetime
    acknowledged_at: datetime | None = None
    disputed_at: datetime | None = None  # the agent disputed it (instead of acknowledging it)
    dispute_reason: str | None = None  # their reason, as typed (card data masked)


class EvaluationEvent(StreamEvent):
    """An evaluation released to the agent, or acknowledged or disputed by them (on the agent's stream)."""

    type: Literal["evaluation_released", "evaluation_acknowledged", "evaluation_disputed"]
    contact_id: str
    evaluation: Evaluation


class EvaluationRecord(Model):
    """What the supervisor's desk writes to the CRM for a released evaluation, once (its outbox, keyed by the
    evaluation's id)."""

    evaluation_id: str
    contact_id: str
    agent_id: str
    queue_id: str | None = None
    channel: Channel | None = None
    form_id: str
    form_name: str
    evaluator_id: str
    evaluator_name: str
    score: float
    auto_failed: bool
    comments: str = ""
    released_at: datetime

    @property
    def key(self) -> str:
        """The outbox entry's dedupe and the write's idempotency key: one per evaluation."""
        return f"evaluation:{self.evaluation_id}"

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationRecord:
        return cls(
            evaluation_id=evaluation.id,
            contact_id=evaluation.contact_id,
            agent_id=evaluation.agent_id,
            queue_id=evaluation.queue_id or None,
            channel=evaluation.channel,
            form_id=evaluation.form_id,
            form_name=evaluation.form_name,
            evaluator_id=evaluation.evaluator_id,
            evaluator_name=evaluation.evaluator_name,
            score=evaluation.score,
            auto_failed=evaluation.auto_failed,
            comments=evaluation.comments,
            released_at=evaluation.released_at,
        )


class EvaluationRecordWritten(EvaluationRecord):
    """The CRM's answer: the record with its own id."""

    id: str
    created_at: datetime
