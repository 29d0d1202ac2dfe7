"""Automated evaluations: the queue's evaluation form answered by the contact center's model from a
finished contact's transcript, each answer with the quote that justifies it — checked against the transcript the model
was sent, and "no passage" where it occurs nowhere, never an invented one —; which contacts are evaluated (a share of
each queue's closed contacts, chosen by the contact's id, so the same contact is always in or out); a supervisor's
override of an answer; and how often the model agrees with people, per question.

The answers are the existing forms' (`Form`, its questions' scales), so what the supervisor's desk writes back is the
evaluation it already writes. Nothing here is shown without passing the masker again (`Masking.answer`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from agent_desktop.assist.model_health import ModelHealth
from agent_desktop.assist.prompt import ANSWER_CHARACTERS, Masking, said_in
from agent_desktop.assist.quality.evaluation_prompt import EvaluationPrompt, evaluation_prompt, quoted_from
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.assist.whole_answer import json_object_in, whole_answer
from agent_desktop.domain.assist.protocol import AssistModel
from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.quality.forms import Form

EVALUATION_TOKENS = 1_200
EVALUATION_WITHIN_S = 60.0
# An answer to a form of a dozen questions, each quoting up to 300 characters, stays under this; a runaway model's
# is not read on.
EVALUATION_ANSWER_CHARACTERS = 4 * ANSWER_CHARACTERS
NO_PASSAGE = "no passage"


@dataclass(frozen=True)
class AutoAnswer:
    """One question answered: the answer's index in the question's scale and its label; the quote that justifies it
    as it stands in the transcript (None: the model gave none, or one that occurs nowhere — "no passage"), and which
    line it is in (oldest first, from 0). `by` says who answered: the model, or the supervisor who overrode it."""

    question_id: str
    answer: int
    label: str
    quote: str | None = None
    line: int | None = None
    by: Literal["model", "supervisor"] = "model"

    @property
    def passage(self) -> str:
        """The justification as shown: the quote, or "no passage"."""
        return self.quote if self.quote is not None else NO_PASSAGE


@dataclass(frozen=True)
class AutoEvaluation:
    """A contact's form as the model answered it; `unanswered` are the questions it left (or answered off their
    scale), for the supervisor to answer. `model_answers` keeps the model's own answers under any override."""

    contact_id: str
    form_id: str
    answers: Mapping[str, AutoAnswer]
    unanswered: tuple[str, ...] = ()
    model_answers: Mapping[str, AutoAnswer] = field(default_factory=dict)

    def indices(self) -> dict[str, int]:
        """Question id → answer index, as the contact center's `evaluate` takes them (the existing write-back)."""
        return {question_id: answer.answer for question_id, answer in self.answers.items()}

    def overridden(self, form: Form, question_id: str, answer: int) -> AutoEvaluation:
        """The supervisor's answer in the model's place (its quote kept, as what the model pointed at); the model's
        own answer stays in `model_answers` for the agreement rate."""
        question = next((q for q in form.questions() if q.id == question_id), None)
        if question is None or not 0 <= answer < len(question.scale):
            raise ValueError(f"{question_id!r} has no answer {answer}")
        before = self.answers.get(question_id)
        now = AutoAnswer(
            question_id,
            answer,
            question.scale[answer],
            before.quote if before else None,
            before.line if before else None,
            "supervisor",
        )
        kept = dict(self.model_answers or self.answers)
        return replace(
            self,
            answers={**self.answers, question_id: now},
            unanswered=tuple(q for q in self.unanswered if q != question_id),
            model_answers=kept,
        )


def read_evaluation(answer: str, asked: EvaluationPrompt, contact_id: str, form: Form) -> AutoEvaluation | None:
    """The model's JSON answer read strictly against the form: each question once (the first answer to it counts), its
    answer one of its own scale (compared without regard to case), its quote kept only where it occurs in the
    transcript as sent. None when the answer is not the JSON asked for or answers no question of the form."""
    found = _answers_in(answer)
    if found is None:
        return None
    by_shown = {shown.id: shown for shown in asked.shown}
    answers: dict[str, AutoAnswer] = {}
    for item in found:
        shown = by_shown.get(str(item.get("question", "")).strip())
        label = item.get("answer")
        if shown is None or shown.question.id in answers or not isinstance(label, str):
            continue
        question = shown.question
        wanted = label.strip().strip("\"'`.").strip().casefold()
        index = _index_of(wanted, question.scale) if wanted else None
        if index is None:
            index = _index_of(wanted, shown.scale)  # as the model was shown it (masked, on one line)
        if index is None:
            continue
        quote = item.get("quote")
        where = quoted_from(quote, asked.lines) if isinstance(quote, str) else None
        answers[question.id] = AutoAnswer(
            question.id,
            index,
            question.scale[index],
            where[1] if where else None,
            where[0] if where else None,
        )
    if not answers:
        return None
    unanswered = tuple(q.id for q in form.questions() if q.id not in answers)
    return AutoEvaluation(contact_id, form.id, answers, unanswered, dict(answers))


def _index_of(wanted: str, scale: Sequence[str]) -> int | None:
    folded = [answer.casefold() for answer in scale]
    return folded.index(wanted) if wanted in folded else None


def _answers_in(answer: str) -> list[dict[str, object]] | None:
    found = json_object_in(answer)
    items = found.get("answers") if found is not None else None
    if not isinstance(items, list):
        return None
    return [item for item in items if isinstance(item, dict)]


@dataclass(frozen=True)
class EvaluationOutcome:
    """An automated evaluation, or why there is none, in a sentence the supervisor can read."""

    evaluation: AutoEvaluation | None
    said: str


async def evaluate_transcript(
    model: AssistModel,
    items: Sequence[TranscriptItem],
    form: Form,
    queue: str,
    contact_id: str,
    ledger: TokenLedger,
    *,
    masking: Masking | None = None,
    health: ModelHealth | None = None,
    within_s: float = EVALUATION_WITHIN_S,
) -> EvaluationOutcome:
    """Ask the model to answer `form` from the contact's transcript (its customer's and agent's lines: whispers and
    system lines are not the conversation), and read its answer. A model that is not configured, fails, is slow or
    answers nonsense gives no evaluation and says why (a failure once on the desk, through `health`)."""
    masking = masking or Masking()
    health = health or ModelHealth()
    if not model.capabilities.replies:
        return EvaluationOutcome(None, "Not evaluated: no assistant model is configured.")
    said = said_in(items)
    if not said:
        return EvaluationOutcome(None, "Not evaluated: nothing was said in this contact.")
    if ledger.spent_out:
        return EvaluationOutcome(None, f"Not evaluated: {ledger.limit_sentence()}")
    asked = evaluation_prompt(said, form, queue, masking)
    answered = await whole_answer(
        model,
        asked.prompt.messages,
        max_tokens=EVALUATION_TOKENS,
        schema=asked.prompt.schema,
        most=EVALUATION_ANSWER_CHARACTERS,
        within_s=within_s,
        masking=masking,
        ledger=ledger,
        contact_id=contact_id,
        health=health,
    )
    if (text := answered.text) is None:
        return EvaluationOutcome(None, f"Not evaluated: {answered.why}")
    found = read_evaluation(text, asked, contact_id, form)
    if found is None:
        return EvaluationOutcome(None, "Not evaluated: the model's answer did not answer the form's questions.")
    name = model.capabilities.model or "the model"
    left = f" {len(found.unanswered)} left for you to answer." if found.unanswered else ""
    return EvaluationOutcome(found, f"Evaluated by {name}: review it before releasing it.{left}")


@dataclass(frozen=True)
class SamplingRule:
    """Which closed contacts are evaluated automatically: a share of each queue's (0 to 1; a queue not named, none),
    chosen by the contact's id alone, so a contact is always in or always out, whichever desk asks and when, and a
    larger share keeps every contact a smaller one chose."""

    shares: Mapping[str, float] = field(default_factory=dict)

    def picks(self, contact_id: str, queue_id: str) -> bool:
        share = self.shares.get(queue_id, 0.0)
        return share > 0 and contact_draw(contact_id) < share


def contact_draw(contact_id: str) -> float:
    """A contact's place in [0, 1), from its id alone (SHA-256: even over ids that differ by one character)."""
    digest = hashlib.sha256(contact_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class Agreement:
    """How often the model's answer to a question was the person's, over the contacts both answered."""

    question_id: str
    agreed: int
    compared: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.compared if self.compared else None


def agreement_by_question(form: Form, pairs: Iterable[tuple[AutoEvaluation, Mapping[str, int]]]) -> list[Agreement]:
    """Per question of `form`, in its order: of the contacts evaluated both by the model and by a person (their
    answers: question id → index), how many the model answered as the person did. The model's own answer counts,
    not a supervisor's override of it (an override is the person's answer)."""
    agreed = {q.id: 0 for q in form.questions()}
    compared = dict(agreed)
    for automated, human in pairs:
        model_answers = automated.model_answers or automated.answers
        for question_id in agreed:
            mine = model_answers.get(question_id)
            theirs = human.get(question_id)
            if mine is None or theirs is None or mine.by != "model":
                continue
            compared[question_id] += 1
            agreed[question_id] += mine.answer == theirs
    return [Agreement(q, agreed[q], compared[q]) for q in agreed]
