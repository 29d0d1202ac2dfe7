"""The follow-up after a contact: an SMS or an email confirming its outcome, from a template filled from
the customer's CRM record, sent only where the record's consent for that channel allows it.

Consent is read as agent_desktop/domain/messages/follow_up_consent.py says (the outbox reads it again before it sends). The
text is masked by the outbox as it is stored, and on the screen as the dialog shows it (`preview`). Textual-free: the
dialog shows what `preview` makes and `refusal` says.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_desktop.domain.messages.follow_up_consent import channel_name, no_consent
from agent_desktop.domain.models import Contact, Customer, CustomerRecord
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.vocabulary import Channel


@dataclass(frozen=True)
class Template:
    id: str
    label: str
    # {first_name}, {reference} (the case's number, else the contact's), {disposition}, {outcome} (what the disposition
    # means for the customer, in a sentence: `outcome`), {company}
    text: str


TEMPLATES: tuple[Template, ...] = (
    Template(
        "resolved",
        "Outcome confirmed",
        "Hi {first_name}, {outcome} Reply or call us if anything is still not right. {company}",
    ),
    Template(
        "case_open",
        "Case in progress",
        "Hi {first_name}, your case {reference} is open and with our team ({disposition}). "
        "We will be in touch with the next step. {company}",
    ),
    Template(
        "callback",
        "Callback promised",
        "Hi {first_name}, as promised we will call you back about {reference} ({disposition}). {company}",
    ),
)
COMPANY = "— Customer Care"

# What the first template tells the customer, by the words of the disposition (the queue's own codes, free text):
# only a disposition that says the matter is settled is called resolved; a transfer, an escalation or anything else
# is said as what it is, never as a resolution. First match wins.
OUTCOMES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("unresolved", "not resolved"),
        "this confirms your request {reference} is still open with us ({disposition}); "
        "we will be in touch with the next step.",
    ),
    (
        ("transfer",),
        "your request {reference} has been passed to the team best placed to help ({disposition}); "
        "they will be in touch.",
    ),
    (
        ("escalat",),
        "your request {reference} has been escalated ({disposition}); we will be in touch with the next step.",
    ),
    (
        ("callback", "call back", "follow-up scheduled"),
        "we will call you back about your request {reference} ({disposition}).",
    ),
    (
        ("resolved", "refund issued", "sale closed", "move booked"),
        "this confirms your request {reference} is resolved ({disposition}).",
    ),
)
OTHER_OUTCOME = "this confirms what we did about your request {reference}: {disposition}."


def outcome(disposition: str) -> str:
    """The first template's sentence for `disposition`, with {reference} and {disposition} left to fill."""
    words = disposition.casefold()
    return next((said for keys, said in OUTCOMES if any(key in words for key in keys)), OTHER_OUTCOME)


@dataclass(frozen=True)
class WrappedUp:
    """A contact whose wrap-up was saved, as the follow-up reads it."""

    contact_id: str
    queue_id: str
    customer: Customer
    disposition: str
    case_number: str | None = None


def wrapped_up(contact: Contact, record: CustomerRecord, disposition: str) -> WrappedUp:
    """The contact as its follow-up reads it: the case it is linked to, if any, is the reference."""
    case = next((c for c in record.cases if contact.id in c.contact_ids), None)
    return WrappedUp(contact.id, contact.queue_id, record.customer, disposition, case.id if case else None)


def refusal(customer: Customer, channel: Channel) -> str | None:
    """Why nothing may be sent to this customer on `channel` (None: it may): no consent, or no address."""
    why = no_consent(customer, channel)
    if why is not None:
        return f"No {channel_name(channel)} follow-up: {why}. Nothing was sent."
    to = address(customer, channel)
    if to is None:
        return (
            f"No {channel_name(channel)} follow-up: the record has no {'phone' if channel == Channel.SMS else 'email'}."
        )
    if not to.isprintable():  # a line break would add header lines (`Bcc:`) to an email on a real mail backend
        return f"No {channel_name(channel)} follow-up: the record's address is not one address (a line break in it)."
    return None


def address(customer: Customer, channel: Channel) -> str | None:
    found = customer.phones if channel == Channel.SMS else customer.emails
    return found[0] if found else None


def preview(template: Template, wrapped: WrappedUp) -> str:
    """The text the customer gets, as the dialog shows it: filled from the record, masked on the screen as the outbox
    masks it on the way in (a card number typed in a disposition)."""
    return mask_pci(filled(template, wrapped))


def filled(template: Template, wrapped: WrappedUp) -> str:
    """`template` filled from the record: the follow-up's body, masked by the outbox as it is stored."""
    first_name = str(wrapped.customer.name).split()[0] if str(wrapped.customer.name).split() else "there"
    reference = wrapped.case_number or wrapped.contact_id
    said = outcome(wrapped.disposition).format(reference=reference, disposition=wrapped.disposition)
    return template.text.format(
        first_name=first_name,
        reference=reference,
        disposition=wrapped.disposition,
        outcome=said,
        company=COMPANY,
    )


def template_named(template_id: str) -> Template:
    return next((t for t in TEMPLATES if t.id == template_id), TEMPLATES[0])
