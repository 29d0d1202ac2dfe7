"""A quality evaluation the supervisor's desk released, written once: its key comes from the evaluation's id,
however it got into an outbox."""

from __future__ import annotations

from typing import ClassVar

from agent_desktop.domain.models import EvaluationRecord
from agent_desktop.outbox.kinds.kind import Delivery, OutboxKind, Path


class EvaluationKind(OutboxKind[EvaluationRecord]):
    name = "evaluation"
    model = EvaluationRecord
    free_text: ClassVar[tuple[Path, ...]] = (("comments",),)  # the supervisor's (masked by the contact center too)
    agent_sees = False

    def send_key(self, payload: EvaluationRecord, entry_key: str) -> str:
        return payload.key

    async def deliver(self, payload: EvaluationRecord, entry_key: str, send_key: str, via: Delivery) -> str:
        return (await via.evaluation_records.record_evaluation(payload, send_key)).id
