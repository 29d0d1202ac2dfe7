"""JSON shapes of quality management (docs/mock-apis.md, "Quality management"): forms, finished interactions,
evaluations and their roll-up."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, StrictInt

from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact, TypedText


class Question(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    text: str
    weight: StrictInt = Field(ge=0, description="Its share of the score; 0: counted only for auto-fail")
    scale: list[str] = Field(min_length=2, description="The answers, worst first; answer i is worth i points")
    auto_fail: bool = Field(default=False, description="Its lowest answer zeroes the whole evaluation")


class Section(BaseModel):
    title: str
    questions: list[Question] = Field(min_length=1, validation_alias=AliasChoices("questions", "question"))


class Form(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    channels: list[Channel] = Field(description="The channels whose contacts it is meant for")
    sections: list[Section] = Field(min_length=1, validation_alias=AliasChoices("sections", "section"))

    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]


class TimelineEntry(BaseModel):
    at: datetime
    kind: str = Field(description="What happened to the contact: queued, offered, connected, held, resumed, ...")
    agent_id: str | None = None


class Interaction(BaseModel):
    """A finished contact as a supervisor reviews it: voice has no audio here, its timeline stands in."""

    contact: Contact
    transcript: list[TranscriptItem] = Field(
        description="Chat, SMS, email: the conversation; voice: the call's final lines as its live transcription "
        "said them (masked), in order"
    )
    notes: list[str] = Field(description="Notes left on the contact in the contact center (transfer notes)")
    timeline: list[TimelineEntry] = Field(description="The contact's events, oldest first")
    evaluation_ids: list[str] = Field(description="Evaluations of it so far")


class InteractionSummary(BaseModel):
    contact_id: str
    channel: Channel
    queue_id: str
    agent_id: str
    agent_name: str
    completed_at: datetime
    disposition: str | None
    evaluated: bool = Field(description="Evaluated by the caller already")


class Answer(BaseModel):
    question_id: str
    answer: StrictInt = Field(description="The index of the answer in the question's scale")
    comment: TypedText | None = Field(default=None, max_length=500)


class EvaluationCreate(BaseModel):
    form_id: str
    answers: list[Answer] = Field(description="Every question of the form, once")
    comments: TypedText = Field(default="", max_length=2000, description="For the agent; card data masked")


class ScoredAnswer(BaseModel):
    question_id: str
    answer: int
    label: str
    comment: str | None = None


class Evaluation(BaseModel):
    id: str
    contact_id: str
    channel: Channel
    queue_id: str
    agent_id: str
    agent_name: str
    form_id: str
    form_name: str
    evaluator_id: str
    evaluator_name: str
    answers: list[ScoredAnswer]
    comments: str
    score: float = Field(description="0–100, weighted; 0 when an auto-fail question got its lowest answer")
    auto_failed: bool
    released_at: datetime
    acknowledged_at: datetime | None = None
    disputed_at: datetime | None = Field(
        default=None, description="When the agent disputed it (then never acknowledged)"
    )
    dispute_reason: str | None = Field(default=None, description="The agent's reason, as typed (card data masked)")


class DisputeCreate(BaseModel):
    reason: TypedText = Field(min_length=1, max_length=500, description="Why the agent disputes it; card data masked")


class EvaluationEvent(BaseModel):
    type: Literal["evaluation_released", "evaluation_acknowledged", "evaluation_disputed"]
    contact_id: str
    evaluation: Evaluation


class Rollup(BaseModel):
    agent_id: str
    agent_name: str
    form_id: str
    form_name: str
    evaluations: int
    mean_score: float
    auto_fails: int
    acknowledged: int
    disputes: list[str] = Field(default=[], description="The agent's reasons, as typed, for those they disputed")
