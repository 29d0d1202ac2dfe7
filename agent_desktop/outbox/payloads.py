"""What each kind of outbox write stores: its kind's pydantic model (agent_desktop/outbox/kinds/), written to the
file as its JSON and read back as the same model. A row a previous desk wrote (the same JSON, keys it did not know
left out) reads as the model too, so a desk upgraded with writes pending loses none of them."""

from __future__ import annotations

import json
from typing import Any

from agent_desktop.domain.models import CaseCreate, EvaluationRecord, Model, SupervisionRecord
from agent_desktop.outbox.kinds import KINDS
from agent_desktop.outbox.kinds.case_link import CaseLinkWrite
from agent_desktop.outbox.kinds.consent_withdrawal import ConsentWithdrawal
from agent_desktop.outbox.kinds.follow_up import FollowUpWrite
from agent_desktop.outbox.kinds.interaction import InteractionBody, InteractionWrite
from agent_desktop.outbox.kinds.note import NoteWrite

# Any kind's payload (the store holds each as its kind's model).
OutboxPayload = Model

# Each kind's model, by `EntryKind` value.
PAYLOADS: dict[str, type[Model]] = {name: kind.model for name, kind in KINDS.items()}

__all__ = [
    "PAYLOADS",
    "CaseCreate",
    "CaseLinkWrite",
    "ConsentWithdrawal",
    "EvaluationRecord",
    "FollowUpWrite",
    "InteractionBody",
    "InteractionWrite",
    "NoteWrite",
    "OutboxPayload",
    "SupervisionRecord",
    "payload_of",
    "read_payload",
    "stored_json",
]


def payload_of(kind: str, payload: Model | dict[str, Any]) -> Model:
    """`payload` as its kind's model: a model of that kind as it is, JSON (a stored row's) read as one."""
    model: Model = KINDS[kind].payload(payload)
    return model


def stored_json(payload: Model) -> dict[str, Any]:
    return payload.model_dump(mode="json")


def read_payload(kind: str, text: str) -> Model:
    model: Model = KINDS[kind].payload(json.loads(text))
    return model
