"""What a supervisor reads on an urgent contact beside its reason: a summary of it from the assistant's model (the
customer's last lines sent masked, as data, never as instructions) and the customer's last contacts from the CRM, each
in a line. Textual-free and without I/O: urgent_briefs.py asks, the alerts table draws."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from agent_desktop.assist.prompt import DATA_RULE, Masking, Prompt, Said, conversation_blocks
from agent_desktop.domain.assist.protocol import ChatMessage
from agent_desktop.domain.models import CustomerRecord, Interaction

URGENT_ASK = "Write the brief."  # (the mock model knows the request by it: agent_desktop_mocks/model/grounding.py)
LAST_CONTACTS = 3  # the customer's contacts before this one that the brief names

URGENT_SYSTEM = (
    "You brief a contact-center supervisor on a contact marked urgent. In at most two sentences, say what the "
    "customer wants and how they feel, from the customer's lines below. "
)


@dataclass(frozen=True)
class UrgentBrief:
    """A contact's brief: the model's summary or why there is none, and the customer's last contacts in words."""

    contact_id: str
    summary: str = "Summary: asking the assistant…"
    last_contacts: str = "Last contacts: asking the CRM…"
    impact: str = ""  # after a whisper or a barge: whether it helped (intervention_impact.py)

    def line(self) -> str:
        return f"{self.summary} · {self.last_contacts}"


def urgent_prompt(recent: Sequence[str], masking: Masking | None = None) -> Prompt:
    """The request for an urgent contact's summary: the customer's last lines masked as one run (a card number split
    over two is one number), each in its own fenced block."""
    masking = masking or Masking()
    nonce = secrets.token_hex(6)
    said = masking.conversation([Said("customer", line) for line in recent])
    user = "The customer's last lines, oldest first:\n" + conversation_blocks(said, nonce) + "\n\n" + URGENT_ASK
    system = URGENT_SYSTEM + DATA_RULE.format(nonce=nonce)
    return Prompt((ChatMessage("system", system), ChatMessage("user", user)), nonce)


def last_contacts(record: CustomerRecord | None, contact_id: str) -> str:
    """The customer's last contacts before this one, newest first: when, the channel, how it ended."""
    if record is None:
        return "Last contacts: the customer is not known to the CRM."
    before = [i for i in record.interactions if i.contact_id != contact_id]
    before.sort(key=_when, reverse=True)
    if not before:
        return "Last contacts: none before this one."
    return "Last contacts: " + "; ".join(_contact(i) for i in before[:LAST_CONTACTS])


def _when(interaction: Interaction) -> str:
    at = interaction.ended_at or interaction.answered_at or interaction.offered_at
    return at.isoformat() if at is not None else ""


def _contact(interaction: Interaction) -> str:
    at = interaction.ended_at or interaction.answered_at or interaction.offered_at
    day = at.strftime("%d %b") if at is not None else "undated"
    how = " ".join((interaction.disposition or interaction.summary or "no disposition").split())[:60]
    return f"{day} {interaction.channel} ({how})"
