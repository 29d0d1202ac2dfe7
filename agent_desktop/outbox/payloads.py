"""What each kind of outbox write stores: one pydantic model per kind, written to the file as its JSON and read
back as the same model. A row a previous desk wrote (the same JSON, keys it did not know left out) reads as the
model too, so a desk upgraded with writes pending loses none of them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import Field

from agent_desktop.domain.models import (
    CaseCreate,
    EvaluationRecord,
    InteractionCreate,
    Model,
    NewCustomer,
    SupervisionRecord,
)
from agent_desktop.domain.vocabulary import Channel


class InteractionBody(InteractionCreate):
    """The interaction as the wrap-up fitted it to the CRM's limits; whose it is, is the write's `customer_id`
    (found or created by the sender when the screen pop had none), so it is not kept in here."""

    customer_id: str | None = Field(default=None, exclude=True)

    def for_customer(self, customer_id: str | None) -> InteractionCreate:
        """The interaction the CRM is sent, written to `customer_id` (None: unattributed)."""
        return InteractionCreate.model_validate({**self.model_dump(), "customer_id": customer_id})


class InteractionWrite(Model):
    """A contact's interaction, written at wrap-up (or a transfer's record of it)."""

    customer_id: str | None = None  # None: the sender finds the caller by `address`, or creates `new_customer`
    unattributed: bool = False  # a withheld caller nobody identified: written with no customer
    address: str | None = None
    new_customer: NewCustomer | None = None
    interaction: InteractionBody
    # The Idempotency-Key it is sent with when not the entry's own: a reduced write is another request.
    idempotency_key: str | None = None


class NoteWrite(Model):
    customer_id: str
    text: str
    contact_id: str | None = None


class CaseLinkWrite(Model):
    case_id: str
    contact_id: str


class FollowUpWrite(Model):
    """A follow-up to a customer: sent through the contact center's messaging under a key of its own
    (`message_key`, never twice), then its message and delivery status written to the customer's CRM record once."""

    customer_id: str
    contact_id: str
    queue_id: str
    agent_id: str
    channel: Channel
    to: str
    body: str  # masked
    template: str
    message_id: str | None = None  # set once the CPaaS took it: never sent again
    status: str | None = None  # its delivery status, last read
    taken_at: datetime | None = None  # when the CPaaS took it: the delivery is waited for so long (follow_ups.py)
    settled: bool = False  # the status the CRM is given is fixed: never read again (a resend sends the same body)
    error: str | None = None
    opted_out: bool = False  # the CPaaS said the customer opted out (Twilio's 21610): their consent is withdrawn
    consent_withdrawn: bool = False  # and the CRM took it: never written again


class ConsentWithdrawal(Model):
    """A customer's consent for a channel withdrawn in the CRM (they texted STOP in an SMS conversation)."""

    customer_id: str
    contact_id: str
    channel: Channel
    reason: str


# A case opened and a supervisor's record are written as the CRM's protocol takes them.
OutboxPayload = (
    InteractionWrite
    | NoteWrite
    | CaseCreate
    | CaseLinkWrite
    | SupervisionRecord
    | EvaluationRecord
    | FollowUpWrite
    | ConsentWithdrawal
)

# Each kind's model, by `EntryKind` value (the store imports this module).
PAYLOADS: dict[str, type[OutboxPayload]] = {
    "interaction": InteractionWrite,
    "note": NoteWrite,
    "case_create": CaseCreate,
    "case_link": CaseLinkWrite,
    "supervision": SupervisionRecord,
    "evaluation": EvaluationRecord,
    "follow_up": FollowUpWrite,
    "consent_withdrawal": ConsentWithdrawal,
}


def payload_of(kind: str, payload: OutboxPayload | dict[str, Any]) -> OutboxPayload:
    """`payload` as its kind's model: a model of that kind as it is, JSON (a stored row's) read as one."""
    model = PAYLOADS[kind]
    if isinstance(payload, model):
        return payload
    if not isinstance(payload, dict):
        raise TypeError(f"a {kind} write is a {model.__name__}, not a {type(payload).__name__}")
    return model.model_validate(payload)


def stored_json(payload: OutboxPayload) -> dict[str, Any]:
    return payload.model_dump(mode="json")


def read_payload(kind: str, text: str) -> OutboxPayload:
    return PAYLOADS[kind].model_validate(json.loads(text))
