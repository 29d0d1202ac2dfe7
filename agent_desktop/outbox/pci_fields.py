"""A write's free text masked (agent_desktop.domain.pci) before it is stored, so a card number never reaches the
outbox file, let alone the CRM: which parts are free text a person typed is each kind's to say
(agent_desktop/outbox/kinds/). A transcript is masked as a conversation, each party's messages as one text: a
number split over two messages is masked in both; the customer's, after their previous interaction's
(`agent_desktop.outbox.wrap_up`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent_desktop.outbox.kinds import KINDS


def masked_payload(kind: str, payload: dict[str, Any], earlier_customer: Sequence[str] = ()) -> dict[str, Any]:
    """A copy of `payload` (a write of `kind` as JSON) with its free text masked (the caller's dict is left as it
    was). `earlier_customer`: the customer's lines of their previous interaction, as stored."""
    return KINDS[kind].masked(payload, earlier_customer)
