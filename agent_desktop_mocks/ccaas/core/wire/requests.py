"""The requests the mock contact center's API takes, each field bounded (its records and answers: schemas.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StrictInt, field_validator

from agent_desktop_mocks.ccaas.core.contact_policy import AutoAccept, ResponseTarget, WrapUpRule
from agent_desktop_mocks.ccaas.core.wire.dial_numbers import dial_number
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    AgentState,
    AttachedData,
    Channel,
    PriorityRule,
    Target,
    Text,
    TypedText,
)


class StateChange(BaseModel):
    state: Literal[AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE]
    reason: Text | None = Field(
        default=None, max_length=100, description="Required for not_ready: one of the agent's reasons"
    )


class NextStateChange(BaseModel):
    state: Literal[AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE] | None = Field(
        description="null clears the request"
    )
    reason: Text | None = Field(default=None, max_length=100)


class Completion(BaseModel):
    disposition: Text = Field(max_length=200, description="One of the queue's dispositions, or `ACW timeout`")


class ContactCreate(BaseModel):
    queue_id: Text = Field(max_length=100)
    channel: Channel
    from_address: Text = Field(
        min_length=1, max_length=320, description="Who is calling or writing; `anonymous` for a withheld caller ID"
    )
    subject: TypedText | None = Field(default=None, max_length=500)
    priority: StrictInt = Field(default=0, ge=-1000, le=1000)
    attached: AttachedData | None = None

    @field_validator("from_address")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a contact comes from someone: give an address, or `anonymous` for a withheld one")
        return value


class CallbackRequest(BaseModel):
    number: Annotated[str, AfterValidator(dial_number)] | None = Field(
        default=None, description="E.164 (+ then 8 to 15 digits); default: the caller's number"
    )
    reason: TypedText | None = Field(default=None, max_length=200, description="Default: the contact's subject")


class PlaceCallRequest(BaseModel):
    number: Annotated[str, AfterValidator(dial_number)] = Field(
        description="Whom to call, E.164 (+ then 8 to 15 digits): the desk writes a number typed in the agent's "
        "region this way before it is sent"
    )
    queue_id: Text = Field(max_length=100, description="The queue the call is made for: its wrap-up, its caller IDs")
    caller_id: Text | None = Field(
        default=None, max_length=100, description="One of the queue's `caller_ids`; default: its first"
    )


class InternalCallRequest(BaseModel):
    address: Text = Field(
        max_length=200,
        pattern=r"^sip:[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,120}$",
        description="The colleague's directory address, a plain `sip:user@domain` (the presence directory's `address`)",
    )
    name: Text = Field(min_length=1, max_length=200, description="The colleague's name, as the directory gives it")
    queue_id: Text = Field(max_length=100, description="The queue whose wrap-up (dispositions) the call takes")


class TransferRequest(BaseModel):
    target: Target
    note: TypedText | None = Field(
        default=None,
        max_length=1000,
        description="For the next agent: on the contact (`handover`) on every channel, and in a chat's transcript",
    )


class AgentPatch(BaseModel):
    capacity: dict[Channel, StrictInt] | None = Field(
        default=None, description="Per channel, 0..10; channels left out stay"
    )
    proficiency: dict[Text, StrictInt] | None = Field(
        default=None, description="Skill → level 1..5 (0 removes the skill); skills left out stay"
    )

    @field_validator("capacity")
    @classmethod
    def _capacity(cls, value: dict[Channel, int] | None) -> dict[Channel, int] | None:
        if value and any(not 0 <= n <= 10 for n in value.values()):
            raise ValueError("a capacity is 0..10")
        return value

    @field_validator("proficiency")
    @classmethod
    def _levels(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        if value and any(not 0 <= n <= 5 or not 0 < len(k) <= 50 for k, n in value.items()):
            raise ValueError("a proficiency is 0..5 for a skill name of 1..50 characters")
        return value


class MoveRequest(BaseModel):
    queue_id: Text = Field(max_length=100)


class QueuePatch(BaseModel):
    priority: StrictInt | None = Field(default=None, ge=-1000, le=1000, description="Routing priority, higher first")
    acw_timeout_s: StrictInt | None = Field(default=None, ge=0, le=86400, description="After-contact-work timeout")
    priority_rules: list[PriorityRule] | None = Field(
        default=None, max_length=20, description="Replace the queue's priority rules ([] removes them)"
    )
    callback_offer_after_s: StrictInt | None = Field(
        default=None, ge=0, le=86400, description="Offer callbacks after this"
    )
    callback_retry_s: StrictInt | None = Field(default=None, ge=0, le=86400)
    callback_max_attempts: StrictInt | None = Field(default=None, ge=1, le=10)
    voicemail_after_s: StrictInt | None = Field(
        default=None, ge=0, le=86400, description="A caller waiting this long leaves a message (to callers queued next)"
    )
    voicemail_max_s: StrictInt | None = Field(default=None, ge=1, le=3600, description="A message is cut here")
    wrap_up: dict[Channel, WrapUpRule] | None = Field(
        default=None, description="Replace the wrap-up rule of the channels named (to contacts entering ACW)"
    )
    response_targets: dict[Channel, ResponseTarget] | None = Field(
        default=None, description="Replace the response targets (SLA clocks) of the channels named (chat, SMS, email)"
    )
    auto_accept: dict[Channel, AutoAccept | None] | None = Field(
        default=None, description="Set (or, with null, stop) the auto-accept of the channels named (to the next offers)"
    )


class VoicemailRequest(BaseModel):
    lines: list[Annotated[Text, Field(max_length=2000)]] = Field(
        default=[], max_length=400, description="What the caller says in their message, line by line (simulated)"
    )
