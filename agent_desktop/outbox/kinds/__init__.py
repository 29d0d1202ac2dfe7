"""The kinds of outbox write, registered: one class a kind (its own file), its name and its line here. The store reads and
masks a write by its kind, the sender delivers it by its kind; neither names a kind's fields."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from agent_desktop.outbox.kinds.case_create import CaseCreateKind
from agent_desktop.outbox.kinds.case_link import CaseLinkKind
from agent_desktop.outbox.kinds.consent_withdrawal import ConsentWithdrawalKind
from agent_desktop.outbox.kinds.evaluation import EvaluationKind
from agent_desktop.outbox.kinds.follow_up import FollowUpKind
from agent_desktop.outbox.kinds.interaction import InteractionKind
from agent_desktop.outbox.kinds.kind import OutboxKind
from agent_desktop.outbox.kinds.note import NoteKind
from agent_desktop.outbox.kinds.supervision import SupervisionKind


class EntryKind(StrEnum):
    """The name stored with each entry: one a registered kind."""

    INTERACTION = "interaction"
    NOTE = "note"
    CASE_CREATE = "case_create"
    CASE_LINK = "case_link"
    SUPERVISION = "supervision"  # the supervisor's desk's: who monitored a contact and when
    EVALUATION = "evaluation"  # the supervisor's desk's: a quality evaluation it released
    FOLLOW_UP = "follow_up"  # the agent's: an SMS or email to a customer, then its outcome to the CRM
    CONSENT_WITHDRAWAL = "consent_withdrawal"  # the customer texted STOP: their SMS consent withdrawn


# The registry: each kind by the name stored with its entries (a kind's own `name`: tests/unit/outbox).
KINDS: dict[str, OutboxKind[Any]] = {
    EntryKind.INTERACTION: InteractionKind(),
    EntryKind.NOTE: NoteKind(),
    EntryKind.CASE_CREATE: CaseCreateKind(),
    EntryKind.CASE_LINK: CaseLinkKind(),
    EntryKind.SUPERVISION: SupervisionKind(),
    EntryKind.EVALUATION: EvaluationKind(),
    EntryKind.FOLLOW_UP: FollowUpKind(),
    EntryKind.CONSENT_WITHDRAWAL: ConsentWithdrawalKind(),
}
