"""A customer who texts STOP opts out on Twilio (docs/vendors/twilio-messaging.md, "Opt-out"): in an SMS conversation
on the Twilio-shaped mock, their STOP to the account's SMS number makes Twilio refuse the next message from that
number to them with 21610 (400, Twilio's error body), another number of the account still sends, and START (or
UNSTOP, YES) lets the number send again. Only the keyword alone counts. Every request is checked against Twilio's
pinned spec."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.twilio.settings import DEMO_ACCOUNT_SID, DEMO_API_KEY_SECRET, DEMO_API_KEY_SID, DEMO_SMS_NUMBER
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.protocol_rigs.twilio import twilio_floor

MESSAGES = f"/2010-04-01/Accounts/{DEMO_ACCOUNT_SID}/Messages.json"
CUSTOMER = "+15125550100"
OTHER_NUMBER = "+15125550177"  # another number of the account


@asynccontextmanager
async def sms_customer(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, str]]:
    """Twilio's REST API, the mock CCaaS (as the customer's side) and an SMS conversation with CUSTOMER."""
    settings = MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=10, simulator=False, fresh=True)
    async with (
        twilio_floor(settings) as floor,
        httpx.AsyncClient(
            base_url=floor.twilio_url,
            auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET),
            transport=TwilioContractTransport(),
            timeout=5,
        ) as twilio,
        httpx.AsyncClient(
            base_url=floor.ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=5
        ) as ccaas,
    ):
        body = {"queue_id": "billing", "channel": "sms", "from_address": CUSTOMER}
        made = await ccaas.post("/v1/contacts", json=body)
        made.raise_for_status()
        yield twilio, ccaas, made.json()["id"]


async def _texts(ccaas: httpx.AsyncClient, contact_id: str, text: str) -> None:
    (await ccaas.post(f"/v1/contacts/{contact_id}/customer-messages", json={"text": text})).raise_for_status()


async def _send(twilio: httpx.AsyncClient, sender: str = DEMO_SMS_NUMBER) -> httpx.Response:
    return await twilio.post(MESSAGES, data={"To": CUSTOMER, "From": sender, "Body": "Your refund is on its way."})


async def test_stop_refuses_the_numbers_next_sms_with_21610_and_start_lets_it_send_again(tmp_path: Path) -> None:
    async with sms_customer(tmp_path) as (twilio, ccaas, contact):
        assert (await _send(twilio)).status_code == 201
        for sentence in ("stop calling me at work", "STOP please", "Please stop"):
            await _texts(ccaas, contact, sentence)
            assert (await _send(twilio)).status_code == 201, f"{sentence!r} is a sentence, not the keyword"
        await _texts(ccaas, contact, "  Stop \n")
        refused = await _send(twilio)
        assert refused.status_code == 400
        assert refused.json() == {
            "code": 21610,
            "message": "Attempt to send to unsubscribed recipient",
            "more_info": "https://www.twilio.com/docs/errors/21610",
            "status": 400,
        }
        assert (await _send(twilio, OTHER_NUMBER)).status_code == 201, "they opted out of one number, not all"
        await _texts(ccaas, contact, "start")
        assert (await _send(twilio)).status_code == 201, "START: Twilio sends to them again"
        for opt_out, opt_in in (("unsubscribe", "UNSTOP"), ("QUIT", "yes"), ("stopall", "Start")):
            await _texts(ccaas, contact, opt_out)
            assert (await _send(twilio)).json()["code"] == 21610, opt_out
            await _texts(ccaas, contact, opt_in)
            assert (await _send(twilio)).status_code == 201, opt_in
