"""What a script reads of the agent's desk (`state`): the agent's state, the offer, the contacts in hand, the
selected contact and its customer — as plain JSON values, every text from a backend with card data masked
(agent_desktop/domain/pci.py) and its control characters removed, as the screen draws it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.domain.models import Contact, Offer
from agent_desktop.domain.pci import mask_pci


def text(value: str | None) -> str | None:
    """A backend's text as a script may read it: card data masked, no control characters."""
    return None if value is None else strip_controls(mask_pci(str(value)))


def _when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "channel": contact.channel.value,
        "state": contact.state.value,
        "queue": text(contact.queue_name),
        "from": text(contact.from_address),  # as the contact center gave it (E.164 for a phone)
        "from_shown": text(shown_phone(contact.from_address)),  # as the screen shows it ("(512) 555-0100")
        "subject": text(contact.subject),
        "answered_at": _when(contact.answered_at),
    }


def _offer(offer: Offer) -> dict[str, Any]:
    return {"id": offer.id, "expires_at": _when(offer.expires_at), "contact": _contact(offer.contact)}


def desk_state(desk: Desk, front: str) -> dict[str, Any]:
    """The desk as a script reads it; `front`: what is in front of the agent ("desk", or the dialog's name)."""
    agent = desk.agent
    selected = desk.held.get(desk.selected_id) if desk.selected_id else None
    customer = None
    if selected is not None and (lookup := desk.lookups.get(selected.id)) is not None and lookup.record:
        found = lookup.record.customer
        customer = {
            "id": found.id,
            "name": text(found.name),
            "account_number": text(found.account_number),
            "phones": [text(phone) for phone in found.phones],
            "emails": [text(email) for email in found.emails],
        }
    return {
        "agent": None
        if agent is None
        else {
            "id": agent.id,
            "name": text(agent.name),
            "state": agent.state.value,
            "reason": text(agent.reason),
            "since": _when(agent.state_since),
        },
        "offer": None if desk.offer is None else _offer(desk.offer),
        "contacts": [dict(_contact(held.contact), phase=held.phase.value) for held in desk.held.values()],
        "selected": None if selected is None else selected.id,
        "customer": customer,
        "front": front,
    }
