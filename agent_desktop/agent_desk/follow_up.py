"""The follow-up after a contact (issue 47): an SMS or an email confirming its outcome, from a template filled from
the customer's CRM record, sent only where the record's consent for that channel allows it.

Consent is opt-in, as the CRM keeps it: an SMS needs `consent_sms` true, an email `consent_marketing` true (the
record keeps no consent of its own for email: the broader one decides); unknown counts as no. The text passes the
PCI masker before it leaves the desk. Textual-free: the dialog shows what `preview` makes and `refusal` says.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_desktop.domain.models import Contact, Customer, CustomerRecord
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.vocabulary import Channel


@dataclass(frozen=True)
class Template:
    id: str
    label: str
    text: str  # {first_name}, {reference} (the case's number, else the contact's), {disposition}, {company}


TEMPLATES: tuple[Template, ...] = (
    Template("resolved", "Resolution confirmed",
             "Hi {first_name}, this confirms your request {reference} is resolved ({disposition}). "
             "Reply or call us if anything is still not right. {company}"),
    Template("case_open", "Case in progress",
             "Hi {first_name}, your case {reference} is open and with our team ({disposition}). "
             "We will be in touch with the next step. {company}"),
    Template("callback", "Callback promised",
             "Hi {first_name}, as promised we will call you back about {reference} ({disposition}). {company}"),
)  # fmt: skip
COMPANY = "— Customer Care"


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


def consent_field(channel: Channel) -> str:
    return "consent_sms" if channel == Channel.SMS else "consent_marketing"


def refusal(customer: Customer, channel: Channel) -> str | None:
    """Why nothing may be sent to this customer on `channel` (None: it may): no consent, or no address."""
    unkept = customer.consent_unkept.get(consent_field(channel))
    if unkept is not None:  # said as the integrator can mend it, not as a field the agent cannot set
        name = channel_name(channel)
        return f"No {name} follow-up: this CRM keeps no {name} consent: configure {unkept}. Nothing was sent."
    if getattr(customer, consent_field(channel)) is not True:
        withdrawn = getattr(customer, consent_field(channel)) is False
        return (
            f"No {channel_name(channel)} follow-up: the customer has {'withdrawn' if withdrawn else 'not given'} "
            f"{channel_name(channel)} consent ({consent_field(channel)} on their record). Nothing was sent."
        )
    if address(customer, channel) is None:
        return (
            f"No {channel_name(channel)} follow-up: the record has no {'phone' if channel == Channel.SMS else 'email'}."
        )
    return None


def channel_name(channel: Channel) -> str:
    return "SMS" if channel == Channel.SMS else "email"


def address(customer: Customer, channel: Channel) -> str | None:
    found = customer.phones if channel == Channel.SMS else customer.emails
    return found[0] if found else None


def preview(template: Template, wrapped: WrappedUp) -> str:
    """The text the customer gets, filled from the record and masked (a card number typed in a disposition)."""
    first_name = str(wrapped.customer.name).split()[0] if str(wrapped.customer.name).split() else "there"
    text = template.text.format(
        first_name=first_name, reference=wrapped.case_number or wrapped.contact_id,
        disposition=wrapped.disposition, company=COMPANY,
    )  # fmt: skip
    return mask_pci(text)


def template_named(template_id: str) -> Template:
    return next((t for t in TEMPLATES if t.id == template_id), TEMPLATES[0])
