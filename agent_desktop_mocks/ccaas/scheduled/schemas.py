"""The scheduled callbacks' wire form: what an agent asks for and what the contact center keeps and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from agent_desktop_mocks.ccaas.core.wire.dial_numbers import dial_number
from agent_desktop_mocks.ccaas.core.wire.schemas import TypedText

CallbackState = Literal["scheduled", "offered", "done", "queued"]


class CallbackSchedule(BaseModel):
    contact_id: str = Field(description="The contact the agent has (or had) in hand: the callback's customer")
    due_at: datetime = Field(description="When to call, with its UTC offset (a naive time is refused)")
    time_zone: str = Field(
        description="The IANA zone the time was agreed in (the customer's)", examples=["Europe/Paris"]
    )
    note: TypedText = Field(default="", max_length=500, description="A line for whoever calls; card data masked")
    number: Annotated[str, AfterValidator(dial_number)] | None = Field(
        default=None, description="The number to dial, E.164 (+ then 8 to 15 digits); the contact's own by default"
    )


class ScheduledCallback(BaseModel):
    id: str
    agent_id: str = Field(description="Its owner")
    contact_id: str
    queue_id: str
    number: str
    note: str = ""
    due_at: datetime
    time_zone: str
    created_at: datetime
    expires_at: datetime = Field(description="Not taken by its owner by then: offered to the queue")
    state: CallbackState = Field(
        default="scheduled",
        description="scheduled (not due, or due and waiting for its owner); offered to its owner; done (its owner "
        "took it); queued (the owner was not free in time, or let the offer go: anyone in the queue may take it)",
    )
    callback_contact_id: str | None = Field(default=None, description="The voice contact made when it fell due")
    to_queue: bool = Field(default=False, description="Made straight into the queue: the owner was not free in time")
