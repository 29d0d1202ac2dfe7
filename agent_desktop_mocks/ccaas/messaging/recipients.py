"""Who an agent's follow-up may go to, checked by the contact center as the message arrives (the desk checks it too,
but a contact center that trusts every desk checks nothing): a customer of the CRM, one the agent handled a contact
of, whose consent for the channel the CRM holds now.

The contact center keeps no consent of its own: it asks the CRM it is pointed at (`MockSettings.crm_url`, the one
`agent-desktop mocks` starts, read with the desks' CRM token) at each send, so a consent withdrawn a moment ago
counts. Without a CRM, or with one that does not answer, nothing is sent (503): consent not read is no consent.
Consent as the desk reads it: an SMS needs `consent_sms` true, an email `consent_marketing` true.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import httpx
from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.core.errors import Invalid
from agent_desktop_mocks.ccaas.shell.engine import Engine

HANDLED_WITHIN = timedelta(days=30)  # a follow-up is for a customer the agent spoke to lately


@dataclass(frozen=True)
class Recipient:
    customer_id: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    consent_sms: bool | None
    consent_marketing: bool | None

    def consent(self, channel: str) -> tuple[bool | None, str]:
        """The consent the channel needs, and its field's name on the CRM record."""
        if channel == "sms":
            return self.consent_sms, "consent_sms"
        return self.consent_marketing, "consent_marketing"


class CrmUnavailable(Exception):
    """The CRM could not say who the address belongs to (none configured, or it did not answer)."""


class RecipientBook(Protocol):
    async def find(self, channel: str, address: str) -> list[Recipient]:
        """The CRM's customers with this phone (sms) or email; raises `CrmUnavailable`."""
        ...

    async def aclose(self) -> None: ...


class NoCrm:
    """No CRM configured: nobody's consent can be read, so no follow-up is sent."""

    async def find(self, channel: str, address: str) -> list[Recipient]:
        raise CrmUnavailable("this contact center has no CRM to read the customer's consent from")

    async def aclose(self) -> None:
        return None


class CrmRecipients:
    """The mock CRM's lookup over HTTP (`GET /v1/customers/lookup?phone=` or `?email=`)."""

    def __init__(
        self, url: str, token: str, timeout_s: float = 2.0, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout_s,
            transport=transport,
            verify=not url.lower().startswith("http:"),  # the mock CRM on loopback: no CA bundle to load
        )

    async def find(self, channel: str, address: str) -> list[Recipient]:
        params = {"phone" if channel == "sms" else "email": address}
        try:
            response = await self._client.get("/v1/customers/lookup", params=params)
        except httpx.HTTPError as error:
            raise CrmUnavailable(f"the CRM did not answer ({type(error).__name__})") from None
        if response.status_code == 422:
            return []  # not a phone number or an email the CRM can read: nobody's
        if response.status_code != 200:
            raise CrmUnavailable(f"the CRM answered {response.status_code}")
        return [
            Recipient(
                customer_id=str(c.get("id")),
                phones=tuple(c.get("phones") or ()),
                emails=tuple(c.get("emails") or ()),
                consent_sms=c.get("consent_sms"),
                consent_marketing=c.get("consent_marketing"),
            )
            for c in response.json().get("customers") or []
        ]

    async def aclose(self) -> None:
        await self._client.aclose()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _handled(engine: Engine, agent_id: str, recipient: Recipient) -> bool:
    """Whether the agent was connected to a contact from one of the customer's phones or emails lately."""
    phones = {_digits(p) for p in recipient.phones if _digits(p)}
    emails = {e.casefold() for e in recipient.emails}
    since = engine.read.now() - HANDLED_WITHIN
    return any(
        _digits(c.from_address) in phones or c.from_address.casefold() in emails
        for c in engine.read.contacts_handled_since(agent_id, since, since)
    )


async def check_recipient(book: RecipientBook, engine: Engine, agent_id: str, channel: str, to: str) -> None:
    """Refuse a follow-up the agent may not send: 422 naming `to` for an address no customer has, or a customer
    without consent for the channel; 403 for a customer the agent did not handle; 503 when the CRM cannot say."""
    try:
        found = await book.find(channel, to)
    except CrmUnavailable as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"{error}: nothing was sent") from None
    kind = "number" if channel == "sms" else "email address"
    if not found:
        raise Invalid("to", f"no customer of the CRM has this {kind}: a follow-up goes to a customer", to)
    mine = [r for r in found if _handled(engine, agent_id, r)]
    if not mine:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"{', '.join(r.customer_id for r in found)} is not a customer you handled: a follow-up goes to your own",
        )
    for recipient in mine:
        given, field = recipient.consent(channel)
        if given is not True:
            said = "withdrawn" if given is False else "not given"
            raise Invalid(
                "to",
                f"customer {recipient.customer_id} has {said} {'SMS' if channel == 'sms' else 'email'} consent "
                f"({field} on their CRM record): nothing was sent",
                to,
            )
