"""The supervisor's side of quality management: the forms and the finished interactions to choose from,
and an evaluation sent to the contact center, which scores and releases it; the released evaluation is handed to
the CRM once (the app's outbox, `record_evaluation`). Card data in the comments is masked before they leave. Where the
assistant's model is configured, an interaction chosen is first evaluated by it (assist/quality/auto_evaluation.py): its
answers fill the form for the supervisor to review, override and send as any evaluation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from agent_desktop.assist.model_health import ModelHealth
from agent_desktop.assist.quality.auto_evaluation import (
    AutoEvaluation,
    EvaluationOutcome,
    agreement_by_question,
    evaluate_transcript,
)
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.domain.assist.protocol import AssistModel, NoAssist
from agent_desktop.domain.models import Evaluation
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.quality.forms import (
    EvaluationRecord,
    Form,
    InteractionReview,
    InteractionSummary,
    QualityRollup,
)
from agent_desktop.domain.quality.protocol import SupervisorQuality
from agent_desktop.supervisor_desk.ports import kept_nowhere
from agent_desktop.supervisor_desk.quality.evaluation_draft import EvaluationDraft

T = TypeVar("T")
COMMENTS_CHARACTERS = 2_000  # an evaluation's comments, as the contact center takes them (the dialog's limit too)
EVALUATION_DAILY_TOKENS = 200_000  # the supervisor's desk's own allowance: it keeps no ledger file


class QualityHost(Protocol):
    async def act(self, call: Awaitable[T], title: str) -> T | None: ...

    def told(self, text: str, title: str) -> None: ...


class QualityUseCases:
    def __init__(
        self,
        controller: QualityHost,
        console: SupervisorQuality,
        record_evaluation: Callable[[EvaluationRecord], object] = kept_nowhere,
        *,
        assist: AssistModel | None = None,
    ) -> None:
        """`console`: the console's evaluating (a stand-in that refuses in words where the contact center keeps no
        evaluations, whose keys are never offered); `assist`: the assistant's model, which evaluates an interaction
        chosen first (the stand-in: none is asked)."""
        self.controller = controller
        self.console = console
        self._record = record_evaluation
        self.assist = assist or NoAssist()
        self.ledger = TokenLedger(EVALUATION_DAILY_TOKENS)
        self.health = ModelHealth()
        # The model's answers beside the supervisor's as sent, per form, this session (the contact center keeps no
        # record of which answers were the model's): the agreement rate per question.
        self.compared: dict[str, list[tuple[AutoEvaluation, dict[str, int]]]] = {}

    @property
    def evaluates_automatically(self) -> bool:
        return self.assist.capabilities.replies

    async def auto_evaluate(self, review: InteractionReview, form: Form) -> EvaluationOutcome:
        """The model's answers to `form` from the interaction's transcript, or why there are none; a model that stops
        answering is said once on the desk, and once when it answers again."""
        outcome = await evaluate_transcript(
            self.assist,
            review.transcript,
            form,
            review.contact.queue_id,
            review.contact.id,
            self.ledger,
            health=self.health,
        )
        notice = self.health.take_notice()
        if notice is not None:
            self.controller.told(notice, "Assistant")
        return outcome

    async def choices(self) -> tuple[list[Form], list[InteractionSummary]]:
        """The forms, and the finished interactions not yet evaluated by this supervisor, newest first."""
        forms = await self.controller.act(self.console.evaluation_forms(), "Evaluation")
        found = await self.controller.act(self.console.finished_interactions(), "Evaluation")
        return forms or [], [i for i in found or [] if not i.evaluated]

    async def rollup(self) -> list[QualityRollup]:
        """Per agent and form over the supervisor's queues: evaluations, mean score, auto-fails, acknowledged."""
        return await self.controller.act(self.console.quality_rollup(), "Evaluation") or []

    async def review(self, contact_id: str) -> InteractionReview | None:
        return await self.controller.act(self.console.review_interaction(contact_id), "Evaluation")

    async def submit(self, draft: EvaluationDraft, comments: str) -> Evaluation | None:
        """Send a complete draft; the released evaluation goes to the CRM through the outbox, once."""
        if not draft.complete:
            return None
        assisted = self._assisted(draft)
        room = COMMENTS_CHARACTERS - len(assisted) - 1  # the contact center's limit, the note included
        said = " ".join(part for part in (assisted, mask_pci(comments.strip())[:room]) if part)
        call = self.console.evaluate(draft.contact_id, draft.form.id, dict(draft.answers), said)
        evaluation = await self.controller.act(call, "Evaluation")
        if evaluation is None:
            return None
        self._record(EvaluationRecord.of(evaluation))
        agreed = ""
        if draft.model:
            self.compared.setdefault(draft.form.id, []).append(
                (AutoEvaluation(draft.contact_id, draft.form.id, dict(draft.model)), dict(draft.answers))
            )
            same = sum(draft.answers.get(q) == a.answer for q, a in draft.model.items())
            agreed = f" The assistant agreed with {same} of your {len(draft.model)} answers."
        self.controller.told(
            f"Evaluation of {evaluation.agent_name or evaluation.agent_id} on {evaluation.contact_id}: "
            f"{evaluation.score:g}{' (auto-fail)' if evaluation.auto_failed else ''}, released to the agent.{agreed}",
            "Evaluation",
        )
        return evaluation

    def agreement(self, forms: list[Form]) -> list[str]:
        """Per form the assistant answered this session, a line per question: how often its answer was the
        supervisor's ("Greeted the caller…: 1 of 2 agreed")."""
        lines: list[str] = []
        for form in forms:
            pairs = self.compared.get(form.id)
            if not pairs:
                continue
            texts = {q.id: q.text for q in form.questions()}
            lines.append(f"The assistant's answers against yours, {form.name} ({len(pairs)} evaluated):")
            lines += [
                f"  {texts[a.question_id]}: {a.agreed} of {a.compared} agreed"
                for a in agreement_by_question(form, pairs)
                if a.compared
            ]
        return lines

    def _assisted(self, draft: EvaluationDraft) -> str:
        """What the agent is told of an evaluation the model answered: that it did, and how many answers the supervisor
        changed (the comments carry it, to the agent and to the CRM's record)."""
        if not draft.model:
            return ""
        name = self.assist.capabilities.model or "the assistant's model"
        changed = len(draft.overridden())
        kept = f"{changed} changed by your supervisor" if changed else "your supervisor kept its answers"
        return f"Answered by the assistant ({name}); {kept}."
