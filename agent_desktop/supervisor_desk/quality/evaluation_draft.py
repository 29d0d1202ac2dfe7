"""An evaluation being scored on the supervisor's desk: one answer per question of the form, the
question under the cursor, and the score it would get. The contact center scores the evaluation it keeps; the
preview follows the same published rule (docs/mock-apis.md, "Quality management"): 100 × Σ weight × points ÷ top
points over Σ weight, one decimal; an auto-fail question answered with its lowest answer makes it 0."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_desktop.assist.quality.auto_evaluation import AutoAnswer, AutoEvaluation
from agent_desktop.domain.quality.forms import Form, FormQuestion


def preview_score(form: Form, answers: dict[str, int]) -> tuple[float, bool]:
    """(score, auto-failed) of a complete set of answers (question id → index in its scale)."""
    questions = form.questions()
    if any(q.auto_fail and answers[q.id] == 0 for q in questions):
        return 0.0, True
    total = sum(q.weight for q in questions)
    if total == 0:
        return 100.0, False
    earned = sum(q.weight * answers[q.id] / (len(q.scale) - 1) for q in questions)
    return round(100 * earned / total, 1), False


@dataclass
class EvaluationDraft:
    form: Form
    contact_id: str
    answers: dict[str, int] = field(default_factory=dict)  # unanswered questions are absent
    cursor: int = 0  # the question under the cursor, in form order
    # The assistant's automated evaluation of this contact with this form, question id → its answer and passage; the
    # supervisor's own answers (`touched`) are never replaced by it, and where they differ from it they override it.
    model: dict[str, AutoAnswer] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)

    def take_model(self, evaluation: AutoEvaluation) -> bool:
        """The model's answers where the supervisor has not answered yet; False (nothing taken) when it evaluated
        another contact or with another form (the supervisor moved on while it wrote)."""
        if (evaluation.contact_id, evaluation.form_id) != (self.contact_id, self.form.id):
            return False
        self.model = dict(evaluation.answers)
        for question_id, answer in evaluation.answers.items():
            if question_id not in self.touched:
                self.answers[question_id] = answer.answer
        return True

    def overridden(self) -> list[str]:
        """The questions the supervisor answered otherwise than the model, in form order."""
        return [
            q.id
            for q in self.questions
            if q.id in self.model and q.id in self.answers and self.answers[q.id] != self.model[q.id].answer
        ]

    @property
    def questions(self) -> list[FormQuestion]:
        return self.form.questions()

    @property
    def current(self) -> FormQuestion:
        return self.questions[self.cursor]

    def move(self, step: int) -> None:
        self.cursor = max(0, min(len(self.questions) - 1, self.cursor + step))

    def answer(self, index: int) -> bool:
        """Set the current question's answer; False (nothing set) outside its scale."""
        if not 0 <= index < len(self.current.scale):
            return False
        self.answers[self.current.id] = index
        self.touched.add(self.current.id)
        return True

    def step_answer(self, step: int) -> None:
        """One answer better (1) or worse (-1); an unanswered question starts from the top answer going down, from
        the lowest going up."""
        scale = len(self.current.scale)
        now = self.answers.get(self.current.id)
        start = (scale if step < 0 else -1) if now is None else now
        self.answers[self.current.id] = max(0, min(scale - 1, start + step))
        self.touched.add(self.current.id)

    @property
    def missing(self) -> list[str]:
        return [q.id for q in self.questions if q.id not in self.answers]

    @property
    def complete(self) -> bool:
        return not self.missing

    def preview(self) -> tuple[float, bool] | None:
        """The score the answers would get; None while a question is unanswered, unless an auto-fail answer
        already settles it at 0."""
        if any(q.auto_fail and self.answers.get(q.id) == 0 for q in self.questions):
            return 0.0, True
        return preview_score(self.form, self.answers) if self.complete else None

    def line(self, question: FormQuestion) -> str:
        """A question on one line: its text, what it counts for in words, and the scale numbered from 1 (the key
        that answers it) with the chosen answer in brackets."""
        chosen = self.answers.get(question.id)
        scale = " ".join(
            f"[{i + 1} {label}]" if i == chosen else f" {i + 1} {label} " for i, label in enumerate(question.scale)
        )
        counts = [f"weight {question.weight}" if question.weight else "not scored"]
        if question.auto_fail:
            counts.append(f"{question.scale[0]} fails the whole evaluation")
        return f"{question.text} ({', '.join(counts)}): {scale}"

    def passage_line(self, question: FormQuestion) -> str | None:
        """Under a question the model answered: what it answered, the passage that justifies it (or "no passage"),
        and whether the supervisor changed it. None where the model did not answer it."""
        answer = self.model.get(question.id)
        if answer is None:
            return None
        quote = f"“{answer.quote}”" if answer.quote is not None else answer.passage
        changed = " · you changed it" if question.id in self.overridden() else ""
        return f"assistant: {answer.label} · {quote}{changed}"
