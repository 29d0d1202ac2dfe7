"""What the agent can copy to the clipboard from the selected contact: the customer's id, account
number, newest case's number, phone, and the customer's last message. Textual-free; the screen hands the text
to the terminal (OSC 52, agent_desktop/ui/agent/callers/clipboard_copy.py).

Text from a backend is hostile: every choice has its control characters removed (an escape sequence in a
clipboard is pasted into the next terminal program), and a message, free text, has card numbers masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.vocabulary import ParticipantRole

if TYPE_CHECKING:
    from agent_desktop.agent_desk.callers.lookups import CallerLookup
    from agent_desktop.domain.models import Contact
    from agent_desktop.transcripts.conversation import ConversationState

# The longest text copied (a message may be long; a clipboard escape sequence of megabytes is not).
COPY_LIMIT = 2000

# Each choice's key (the action's argument, `copy('phone')`) and how the picker and the palette name it.
COPY_WHAT: dict[str, str] = {
    "customer_id": "Customer id",
    "account": "Account number",
    "case": "Case number",
    "phone": "Phone",
    "message": "Customer's last message",
}

# The palette's command for each ("Copy phone"), beside its "Copy", which asks.
PALETTE_TITLES: dict[str, str] = {what: f"Copy {label[0].lower()}{label[1:]}" for what, label in COPY_WHAT.items()}


@dataclass(frozen=True)
class CopyChoice:
    what: str  # a key of COPY_WHAT
    label: str
    text: str  # what goes to the clipboard: one line, no control character


class CopyDesk(Protocol):
    """The desk as the copy picker reads it (desk/model.py's Desk, which imports this package): the selected contact,
    its conversation and the caller's lookup popped."""

    def selected_contact(self) -> Contact | None: ...

    def selected_conversation(self) -> ConversationState | None: ...

    def popped_lookup(self) -> CallerLookup | None: ...


def clipboard_text(text: str | None, *, free_text: bool = False) -> str:
    """`text` fit for the clipboard: one line without control characters, cut to COPY_LIMIT; free text (what a
    customer typed) with card numbers masked."""
    line = one_line(text, limit=COPY_LIMIT)
    return one_line(mask_pci(line), limit=COPY_LIMIT) if free_text else line


def _phone(desk: CopyDesk) -> str | None:
    """The number the contact came from (a call or an SMS), else the customer's first phone on record."""
    contact = desk.selected_contact()
    if contact is not None and contact.from_address and "@" not in contact.from_address:
        return contact.from_address
    lookup = desk.popped_lookup()
    phones = lookup.record.customer.phones if lookup is not None and lookup.record is not None else []
    return phones[0] if phones else None


def _last_customer_message(desk: CopyDesk) -> str | None:
    conversation = desk.selected_conversation()
    if conversation is None:
        return None
    for item in reversed(conversation.items):
        if item.kind == "message" and item.role is ParticipantRole.CUSTOMER and item.text.strip():
            return item.text
    return None


def copy_choices(desk: CopyDesk) -> list[CopyChoice]:
    """What there is to copy now, in COPY_WHAT's order; empty when no contact is selected and no record shown."""
    lookup = desk.popped_lookup()
    record = lookup.record if lookup is not None else None
    found: dict[str, str | None] = {"phone": _phone(desk), "message": _last_customer_message(desk)}
    if record is not None:
        found["customer_id"] = record.customer.id
        found["account"] = record.account.number if record.account is not None else record.customer.account_number
        newest = max(record.cases, key=lambda case: case.opened_at, default=None)
        found["case"] = newest.id if newest is not None else None
    choices = []
    for what, label in COPY_WHAT.items():
        text = clipboard_text(found.get(what), free_text=what == "message")
        if text:
            choices.append(CopyChoice(what, label, text))
    return choices
