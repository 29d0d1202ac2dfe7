"""Quality management: the contact center's evaluation forms, the finished interactions a supervisor
reviews, and the record of an evaluation the supervisor's desk writes to the CRM.

The JSON shapes the desks parse (docs/mock-apis.md, "Quality management"); the mock keeps its own
(agent_desktop_mocks/ccaas/quality/schemas.py). An evaluation itself and its event are in models.py (the agent's
stream carries them).
"""

from __future__ import annotations

from datetime import datetime

from agent_desktop.domain.models import (
    Channel,
    Contact,
    Evaluation,
    EvaluationRecord,
    EvaluationRecordWritten,
    Model,
    TranscriptItem,
)

__all__ = [
    "Evaluation",
    "EvaluationRecord",
    "EvaluationRecordWritten",
    "Form",
    "FormQuestion",
    "FormSection",
    "InteractionReview",
]


class FormQuestion(Model):
    id: str
    text: str
    weight: int
    scale: list[str]  # the answers, worst first; answer i is worth i points
    auto_fail: bool = False


class FormSection(Model):
    title: str
    questions: list[FormQuestion]


class Form(Model):
    id: str
    name: str
    channels: list[Channel] = []
    sections: list[FormSection]

    def questions(self) -> list[FormQuestion]:
        return [q for section in self.sections for q in section.questions]


class TimelineEntry(Model):
    at: datetime
    kind: str
    agent_id: str | None = None


class InteractionSummary(Model):
    contact_id: str
    channel: Channel
    queue_id: str
    agent_id: str
    agent_name: str = ""
    completed_at: datetime
    disposition: str | None = None
    evaluated: bool = False


class InteractionReview(Model):
    contact: Contact
    transcript: list[TranscriptItem] = []
    notes: list[str] = []
    timeline: list[TimelineEntry] = []
    evaluation_ids: list[str] = []


class QualityRollup(Model):
    agent_id: str
    agent_name: str = ""
    form_id: str
    form_name: str = ""
    evaluations: int
    mean_score: float
    auto_fails: int = 0
    acknowledged: int = 0
    disputes: list[str] = []  # the agent's reasons, as typed, for the evaluations they disputed
