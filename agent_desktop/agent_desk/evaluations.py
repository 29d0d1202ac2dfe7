"""Quality evaluations on the agent's desk (issue 47): what a supervisor released, shown as a notice when it
arrives on the agent's stream, and read in "my day" with its score and comments, where the agent acknowledges it.

A textual-free model, kept up to date by the stream (`EvaluationEvent`) and the answers of the agent's reads and
acknowledgements; an older copy of an evaluation never replaces a newer one (acknowledged stays acknowledged)."""

from __future__ import annotations

from collections.abc import Callable

from agent_desktop.agent_desk.changes import DeskChanges, Notice
from agent_desktop.domain.models import Evaluation, EvaluationEvent


def score_words(evaluation: Evaluation) -> str:
    return f"{evaluation.score:g}" + (" (auto-fail)" if evaluation.auto_failed else "")


class MyEvaluations:
    def __init__(self, changes: Callable[[], DeskChanges]) -> None:
        self._changes = changes
        self.by_id: dict[str, Evaluation] = {}

    def apply(self, event: EvaluationEvent) -> None:
        fresh = event.evaluation.id not in self.by_id
        self.take([event.evaluation])
        if event.type == "evaluation_released" and fresh:
            e = event.evaluation
            who = e.evaluator_name or "A supervisor"
            self._changes().notices.append(
                Notice(
                    f"{who} evaluated {e.contact_id} ({e.form_name or e.form_id}): {score_words(e)}. "
                    "d: my day, to read and acknowledge it.",
                    "Evaluation",
                )  # fmt: skip
            )

    def take(self, evaluations: list[Evaluation]) -> None:
        for evaluation in evaluations:
            known = self.by_id.get(evaluation.id)
            if known is not None and known.acknowledged_at is not None and evaluation.acknowledged_at is None:
                continue  # an older copy: acknowledged stays acknowledged
            self.by_id[evaluation.id] = evaluation

    def newest_first(self) -> list[Evaluation]:
        return sorted(self.by_id.values(), key=lambda e: (e.released_at, e.id), reverse=True)

    @property
    def unacknowledged(self) -> int:
        return sum(e.acknowledged_at is None for e in self.by_id.values())
