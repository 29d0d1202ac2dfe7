"""The contact center's follow-up checks pointed at a CRM app in the test's own process (ASGI: no server, no port),
as `agent-desktop mocks` points the contact center at the CRM it starts (`crm_url`); and a customer a follow-up
may go to."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI

from agent_desktop_mocks.ccaas.messaging.recipients import CrmRecipients
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN


def crm_recipients(crm_app: FastAPI) -> CrmRecipients:
    return CrmRecipients("http://crm.in-process", DEMO_CRM_TOKEN, transport=httpx.ASGITransport(app=crm_app))


@dataclass(frozen=True)
class Consenting:
    customer_id: str
    phone: str
    email: str


def consenting_customer(crm_db: Path) -> Consenting:
    """A seeded customer of the CRM's database who agreed to SMS and email, with a phone (unshared) and an email."""
    with closing(sqlite3.connect(crm_db)) as db:
        row = db.execute(
            "select c.id, p.e164, e.email_lower from customers c join customer_phones p on p.customer_id = c.id "
            "join customer_emails e on e.customer_id = c.id where c.consent_sms = 1 and c.consent_marketing = 1 "
            "and (select count(*) from customer_phones q where q.e164 = p.e164) = 1 order by c.id limit 1"
        ).fetchone()
    assert row is not None, "no seeded customer who agreed to SMS and email"
    return Consenting(*row)
