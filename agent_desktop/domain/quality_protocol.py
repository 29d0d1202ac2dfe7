"""Quality management (issue 47): evaluations of finished contacts, read and acknowledged by the agent, scored by
a supervisor with the contact center's forms.

A contact center that can (the capability `quality` of `ContactCenterCapabilities`) gives the agent's desk a
backend that also satisfies `AgentQuality`, and the supervisor's a console that satisfies `SupervisorQuality`; one
that cannot (Twilio's, Zendesk's: docs/vendors.md) does not, and no key offers them. A released evaluation comes
on the agent's stream (`EvaluationEvent`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from agent_desktop.domain.models import Evaluation
from agent_desktop.domain.quality_models import (
    EvaluationRecord,
    EvaluationRecordWritten,
    Form,
    InteractionReview,
    InteractionSummary,
    QualityRollup,
)


@runtime_checkable
class AgentQuality(Protocol):
    async def my_evaluations(self) -> list[Evaluation]:
        """This agent's evaluations, newest first."""
        ...

    async def acknowledge_evaluation(self, evaluation_id: str) -> Evaluation:
        """Once (409 after); another agent's: 403."""
        ...


@runtime_checkable
class SupervisorQuality(Protocol):
    async def evaluation_forms(self) -> list[Form]: ...

    async def finished_interactions(self, agent_id: str | None = None, limit: int = 50) -> list[InteractionSummary]:
        """Completed contacts of the supervisor's queues, newest first."""
        ...

    async def review_interaction(self, contact_id: str) -> InteractionReview: ...

    async def evaluate(self, contact_id: str, form_id: str, answers: dict[str, int], comments: str = "") -> Evaluation:
        """Score a completed contact with a form (question id → answer index); released to the agent at once."""
        ...

    async def quality_rollup(self) -> list[QualityRollup]: ...


@runtime_checkable
class EvaluationRecords(Protocol):
    """A CRM that keeps quality evaluations with the contact's interactions (the mock's; not Zendesk's, nor a CRM
    plug-in that does not say so by having this method): a supervisor's record, as supervision records are."""

    async def record_evaluation(self, record: EvaluationRecord, idempotency_key: str) -> EvaluationRecordWritten:
        """Once per evaluation id (another key for the same one: refused)."""
        ...


def agent_quality(backend: object) -> AgentQuality | None:
    """The contact center as one that keeps evaluations, if it says it can (else None: no key for them)."""
    capabilities = getattr(backend, "capabilities", None)
    if not getattr(capabilities, "quality", False) or not isinstance(backend, AgentQuality):
        return None
    return backend


def supervisor_quality(console: object) -> SupervisorQuality | None:
    """The console as one that evaluates contacts, if its contact center says it can."""
    capabilities = getattr(console, "capabilities", None)
    if not getattr(capabilities, "quality", False) or not isinstance(console, SupervisorQuality):
        return None
    return console
