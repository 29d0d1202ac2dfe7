"""Quality management: evaluations of finished contacts, read and acknowledged by the agent, scored by
a supervisor with the contact center's forms.

A contact center that can (the capability `quality` of `ContactCenterCapabilities`) gives the agent's desk a
backend that also satisfies `AgentQuality`, and the supervisor's a console that satisfies `SupervisorQuality`; one
that cannot (Twilio's, Zendesk's: docs/vendors.md) does not, and no key offers them. The runtime resolves each once
(`agent_quality`, `supervisor_quality`, and the CRM's `evaluation_records`): the backend, or a stand-in that refuses
every call in one sentence. A released evaluation comes on the agent's stream (`EvaluationEvent`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve, serves
from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.models import Evaluation

if TYPE_CHECKING:  # types only: the agent's desk resolves its port at start and reads none of them
    from agent_desktop.domain.quality.forms import (
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

    async def dispute_evaluation(self, evaluation_id: str, reason: str) -> Evaluation:
        """With a reason, once and instead of acknowledging it (409 after either); another agent's: 403."""
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


QUALITY_NOT_HERE = "Quality evaluations are not on this contact center."


class NoAgentQuality:
    """The evaluations of a contact center that keeps none: every call refuses in one sentence."""

    why = QUALITY_NOT_HERE

    async def my_evaluations(self) -> list[Evaluation]:
        raise NotServed(self.why)

    async def acknowledge_evaluation(self, evaluation_id: str) -> Evaluation:
        raise NotServed(self.why)

    async def dispute_evaluation(self, evaluation_id: str, reason: str) -> Evaluation:
        raise NotServed(self.why)


class NoSupervisorQuality:
    """The evaluating of a contact center that keeps no evaluations: every call refuses in one sentence."""

    why = QUALITY_NOT_HERE

    async def evaluation_forms(self) -> list[Form]:
        raise NotServed(self.why)

    async def finished_interactions(self, agent_id: str | None = None, limit: int = 50) -> list[InteractionSummary]:
        raise NotServed(self.why)

    async def review_interaction(self, contact_id: str) -> InteractionReview:
        raise NotServed(self.why)

    async def evaluate(self, contact_id: str, form_id: str, answers: dict[str, int], comments: str = "") -> Evaluation:
        raise NotServed(self.why)

    async def quality_rollup(self) -> list[QualityRollup]:
        raise NotServed(self.why)


class NoEvaluationRecords:
    """The evaluation records of a CRM that keeps none (Zendesk's): a record handed to it is refused in one sentence
    (the outbox shows it refused, with that sentence)."""

    why = "Quality evaluations are not kept by this CRM."

    async def record_evaluation(self, record: EvaluationRecord, idempotency_key: str) -> EvaluationRecordWritten:
        raise NotServed(self.why, "CRM")


def serves_agent_quality(backend: object) -> bool:
    """Whether the contact center says it keeps evaluations (its capability) and answers them (the protocol)."""
    return serves(backend, AgentQuality, "quality")


def agent_quality(backend: object) -> AgentQuality:
    """The contact center as one that keeps evaluations where it says it can, else the stand-in that refuses."""
    return resolve(backend, AgentQuality, NoAgentQuality, "quality")


def serves_supervisor_quality(console: object) -> bool:
    """Whether the console's contact center evaluates contacts (its capability) and the console answers it."""
    return serves(console, SupervisorQuality, "quality")


def supervisor_quality(console: object) -> SupervisorQuality:
    """The console as one that evaluates contacts where its contact center says it can, else the stand-in."""
    return resolve(console, SupervisorQuality, NoSupervisorQuality, "quality")


def evaluation_records(crm: object) -> EvaluationRecords:
    """The CRM as one that keeps evaluation records (it has the method), else the stand-in that refuses."""
    return crm if isinstance(crm, EvaluationRecords) else NoEvaluationRecords()
