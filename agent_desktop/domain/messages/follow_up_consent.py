"""Whether a customer's CRM record lets the desk send them a follow-up on a channel: read when the agent asks for
one, and again when the outbox is about to send it (consent may be withdrawn meanwhile).

Consent is opt-in, as the CRM keeps it: an SMS needs `consent_sms` true, an email `consent_marketing` true (the
record keeps no consent of its own for email: the broader one decides); unknown counts as no.
"""

from __future__ import annotations

from agent_desktop.domain.models import Customer
from agent_desktop.domain.vocabulary import Channel


def consent_field(channel: Channel) -> str:
    return "consent_sms" if channel == Channel.SMS else "consent_marketing"


def channel_name(channel: Channel) -> str:
    return "SMS" if channel == Channel.SMS else "email"


# The consent each channel's follow-up needs, in the words the agent reads (never the record's field names).
CONSENT_WORDS = {"consent_sms": "SMS consent", "consent_marketing": "marketing consent"}


def no_consent(customer: Customer, channel: Channel) -> str | None:
    """Why the record's consent forbids `channel` (None: it allows it), in words: "no marketing consent on file
    (an email follow-up needs it)". A CRM that keeps no consent for it (no field configured) says so as the
    integrator can mend it, not as a field the agent cannot set."""
    unkept = customer.consent_unkept.get(consent_field(channel))
    if unkept is not None:
        return f"this CRM keeps no {channel_name(channel)} consent: configure {unkept}"
    given = getattr(customer, consent_field(channel))
    if given is True:
        return None
    consent = CONSENT_WORDS[consent_field(channel)]
    why = f"the customer has withdrawn {consent}" if given is False else f"no {consent} on file"
    return why if channel == Channel.SMS else f"{why} (an email follow-up needs it)"
