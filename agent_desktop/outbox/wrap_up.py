"""What a wrap-up puts in the outbox: the interaction to write, masked and fitted to the CRM's limits by its kind
(agent_desktop/outbox/kinds/interaction.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agent_desktop.domain.calls.caller_id import is_withheld
from agent_desktop.domain.customers.crm_limits import MOCK_CRM_LIMITS, CrmLimits
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Contact, ContactEndedBy, InteractionCreate, NewCustomer, TranscriptLine
from agent_desktop.outbox.fit import marker_in
from agent_desktop.outbox.kinds.case_link import CaseLinkWrite
from agent_desktop.outbox.kinds.interaction import InteractionBody, InteractionKind, InteractionWrite, customer_lines
from agent_desktop.outbox.kinds.kind import FitTo
from agent_desktop.outbox.store import EntryKind, Outbox, OutboxEntry


def new_caller(address: str) -> NewCustomer:
    """The record the CRM gets for a caller it did not know, from the address they came from."""
    is_email = "@" in address
    return NewCustomer(
        name=f"New caller {address}", phones=[] if is_email else [address], emails=[address] if is_email else []
    )


def _summary_lead(contact: Contact) -> str:
    """What the CRM's summary says first: an internal call and whom with, or an outbound call."""
    if contact.colleague is not None:
        return f"Internal call with {contact.colleague} · "
    return "Outbound callback · " if contact.direction == "outbound" else ""


def enqueue_wrap_up(
    outbox: Outbox,
    contact: Contact,
    agent_id: str,
    disposition: str,
    notes: str,
    customer_id: str | None,
    *,
    transcript: Sequence[TranscriptLine] = (),
    private_notes: Sequence[str] = (),
    never_loaded: int = 0,
    limits: CrmLimits = MOCK_CRM_LIMITS,
    dedupe: str | None = None,
    held: bool = False,
    earlier_in_crm: tuple[datetime, list[str]] | None = None,
    ended_by: ContactEndedBy | None = None,
) -> OutboxEntry:
    """Store the contact's interaction (once per contact: saving again returns the first entry).

    Without a customer id, the sender finds the caller by address or creates them; a withheld
    caller has no address to go by, so their interaction is written unattributed. The interaction is
    fitted to the CRM's `limits` first (`never_loaded`: the conversation's oldest lines the desk never
    had), so a long conversation is written cut rather than refused with its disposition and notes. `dedupe`:
    another record of the same contact (a transfer's, before the next agent's wrap-up); `held`: not sent until
    released (a transfer's, written before the transfer is made: Outbox.release). A case link held for the contact
    (CrmCapabilities.link_with_wrap_up) goes with it as `case_id`: one write where the CRM counts its updates.
    `earlier_in_crm`: when the customer's latest conversation in the CRM was written, and their last lines of it
    (read at the screen pop): what a card number split across the two is masked against, unless this outbox
    holds a newer conversation of theirs. `ended_by`: who ended the agent's part, where the contact does not say it
    (a transfer's record: the contact goes on with the next agent)."""
    # A withheld caller has no address to go by; a colleague called from the directory is no customer: both are
    # written unattributed, no customer record made for them (docs/voice.md "A call to a colleague").
    unattributed = customer_id is None and (is_withheld(contact.from_address) or contact.colleague is not None)
    links = outbox.held_links(contact.id)  # a case linked during the contact, to go with this write
    case_id = links[-1].payload.case_id if links and isinstance(links[-1].payload, CaseLinkWrite) else None
    interaction = InteractionCreate(
        customer_id=customer_id,
        contact_id=contact.id,
        channel=contact.channel,
        direction="outbound" if contact.direction == "outbound" else "inbound",  # a callback the agent dialled
        agent_id=agent_id,
        queue_id=contact.queue_id,
        offered_at=contact.offered_at,
        answered_at=contact.answered_at,
        ended_at=contact.ended_at,
        disposition=disposition,
        ended_by=ended_by or contact.ended_by,
        summary=f"{_summary_lead(contact)}{contact.queue_name}: {disposition}",
        notes=notes,
        transfer_path=list(contact.transfer_path),
        transcript=list(transcript),  # a chat's, SMS's or email's messages, or a call's lines
        private_notes=list(private_notes),
        case_id=case_id,
    )
    crm_at, crm_lines = earlier_in_crm if earlier_in_crm is not None else (None, [])
    address = None if unattributed else contact.from_address
    payload = InteractionWrite(
        customer_id=customer_id,
        unattributed=unattributed,
        address=address,
        new_customer=None if customer_id or unattributed else new_caller(contact.from_address),
        interaction=InteractionBody.model_validate(interaction.model_dump()),  # (the write's customer_id, not its)
    )

    entry = outbox.add(
        EntryKind.INTERACTION,
        payload,
        contact_id=contact.id,
        dedupe=dedupe or f"interaction:{contact.id}",
        label=f"{shown_phone(contact.from_address)} · {disposition}",
        held=held,
        # Masked by the outbox, the customer's side going on from their previous interaction's, so a number split
        # between a chat and its email follow-up does not land whole in the CRM, half with each; then cut to fit.
        earlier_customer=customer_lines_before(outbox, customer_id, address, contact.id, after=crm_at) or crm_lines,
        fit=FitTo(limits, conversation_id=contact.id, never_loaded=never_loaded),
    )
    if links and not held:  # (a transfer's record settles them once the transfer is made)
        outbox.settle_links(contact.id, case_id)
    return entry


def customer_lines_before(
    outbox: Outbox, customer_id: str | None, address: str | None, contact_id: str, after: datetime | None = None
) -> list[str]:
    """The customer's lines (as stored, masked) of their latest interaction in this outbox other than
    `contact_id`'s: by customer id, else by the address they came from; only one added after `after` (a newer
    conversation the CRM holds wins). [] when there is none."""
    field, value = (
        (InteractionKind.customer_field, customer_id) if customer_id else (InteractionKind.address_field, address)
    )
    if not value:
        return []
    return customer_lines(outbox.latest_json(EntryKind.INTERACTION, field, value, contact_id, after))


def lines_left_out(entry: OutboxEntry) -> str | None:
    """The words standing for the lines of a stored interaction's transcript cut to fit the CRM, if any were."""
    payload = entry.payload
    return marker_in(payload.interaction.model_dump(mode="json")) if isinstance(payload, InteractionWrite) else None
