"""The contact center's score of an evaluation: 100 × Σ weight × points ÷ top points over Σ weight, rounded to one
decimal; any auto-fail question answered with its lowest answer makes it 0. A form whose weights are all 0 scores 100
unless it auto-fails (nothing weighed was missed)."""

from __future__ import annotations

from collections.abc import Mapping

from agent_desktop_mocks.ccaas.quality.schemas import Form


def score(form: Form, answers: Mapping[str, int]) -> tuple[float, bool]:
    """(score, auto-failed) of `answers` (question id → index in its scale), which answer every question."""
    questions = form.questions()
    failed = any(q.auto_fail and answers[q.id] == 0 for q in questions)
    if failed:
        return 0.0, True
    total = sum(q.weight for q in questions)
    if total == 0:
        return 100.0, False
    earned = sum(q.weight * answers[q.id] / (len(q.scale) - 1) for q in questions)
    return round(100 * earned / total, 1), False
