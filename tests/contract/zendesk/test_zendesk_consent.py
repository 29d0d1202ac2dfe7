"""Consent with Zendesk as the CRM, on the Zendesk-shaped mock (docs/vendors/zendesk.md): Zendesk users keep no
consent of their own, so the desk reads the account's checkbox user fields its configuration names.

- configured, a customer whose SMS checkbox is ticked gets the follow-up: sent once and kept on their ticket;
- one whose checkbox is clear is refused in words naming the channel, nothing sent;
- with no field configured the desk says the CRM keeps no such consent and which setting names it;
- an opt-out is written back: the checkbox set to false, read so by the next look-up;
- a follow-up Twilio refuses with 21610 (the customer replied STOP) withdraws the SMS checkbox, once;
- so does a customer who texts STOP in an SMS conversation.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from agent_desktop.adapters.zendesk.consent import ConsentFields
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.follow_ups.follow_up import refusal
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.messages.protocol import messaging_of
from agent_desktop.domain.vocabulary import AgentState, Channel
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.follow_ups import enqueue_follow_up
from agent_desktop.outbox.payloads import FollowUpWrite
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.zendesk.app import create_app
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN
from tests.contract.zendesk_contract import ContractTransport
from tests.support.in_process.messaging import InProcessMessaging
from tests.support.in_process.mocks import InProcessMocks
from tests.support.protocol_rigs.twilio import twilio_floor
from tests.support.write_back_search import until

OPTED_OUT_TO = "+15005550004"  # the Twilio-shaped mock answers 21610 for it, as Twilio's test credentials do

CONFIGURED = ConsentFields(marketing="marketing_opt_in", sms="sms_opt_in", recording="recording_opt_in")


@dataclass
class Rig:
    mocks: InProcessMocks
    zendesk: ContractTransport
    db_path: object

    def crm(self, consent: ConsentFields = CONFIGURED) -> ZendeskCrm:
        return ZendeskCrm(
            "http://zendesk.test",
            DEMO_ZENDESK_EMAIL,
            DEMO_ZENDESK_TOKEN,
            consent_fields=consent,
            transport=self.zendesk,
        )

    def user_with_sms_consent(self, given: bool) -> str:
        """A seeded customer whose SMS consent is `given`, with a phone, as a Zendesk user id."""
        with sqlite3.connect(self.db_path) as db:  # type: ignore[call-overload]
            row = db.execute(
                "select id from customers where consent_sms = ? and phones != '[]' order by id", [int(given)]
            ).fetchone()
        return str(int(row[0].removeprefix("cus-")))


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    settings = MockSettings(data_dir=tmp_path / "m", seed=7, customers=60, simulator=False, fresh=True)
    mocks = InProcessMocks(settings)  # the contact center's messaging; Zendesk serves the same customers
    app = create_app(settings.model_copy(update={"fresh": False}))
    yield Rig(mocks, ContractTransport(httpx.ASGITransport(app=app)), tmp_path / "m" / "crm.db")
    await mocks.aclose()


async def handled_by_the_agent(mocks: InProcessMocks, phone: str) -> None:
    """The agent took a call from this number: the contact center lets a follow-up go to its customer only then."""
    desk = mocks.contact_center()
    try:
        await desk.set_state(AgentState.AVAILABLE)
        await mocks.place_call(phone)
        offers = await desk.list_offers()
        assert offers, "the call offered to the agent"
        await desk.accept_offer(offers[0].id)
    finally:
        await desk.aclose()


def sms_follow_up(customer_id: str, to: str) -> FollowUpWrite:
    return FollowUpWrite(
        customer_id=customer_id,
        contact_id="c-000042",
        queue_id="billing",
        agent_id="agent-001",
        channel=Channel.SMS,
        to=to,
        body="Hi, your refund is on its way.",
        template="resolved",
    )


async def test_a_follow_up_goes_to_a_customer_whose_configured_checkbox_says_yes(rig: Rig, tmp_path: Path) -> None:
    crm = rig.crm()
    outbox = Outbox(tmp_path / "outbox.db")
    try:
        customer = (await crm.customer_record(rig.user_with_sms_consent(True))).customer
        assert customer.consent_sms is True
        assert refusal(customer, Channel.SMS) is None
        await handled_by_the_agent(rig.mocks, customer.phones[0])
        messaging = InProcessMessaging(rig.mocks.ccaas_app, "agent-001")
        sender = OutboxSender(outbox, crm, retry=Backoff(0.0, 0.0), messaging=messaging)
        entry = enqueue_follow_up(outbox, sms_follow_up(customer.id, customer.phones[0]))
        for _ in range(20):  # bounded: the message's status is followed until final, then the CRM written
            rig.mocks.time.advance(1.0)
            await sender.send_due()
            if (outbox.get(entry.key) or entry).state != EntryState.PENDING:
                break
            outbox.bring_forward(10**12)
        assert (outbox.get(entry.key) or entry).state == EntryState.SENT
        assert messaging.sent == [f"{entry.key}:message"]
        kept = [i for i in await crm.list_interactions(customer.id) if i.contact_id == "c-000042"]
        assert [i.disposition for i in kept] == ["Follow-up delivered"]
    finally:
        outbox.close()
        await crm.aclose()


async def test_a_clear_checkbox_refuses_in_words_naming_the_channel(rig: Rig) -> None:
    crm = rig.crm()
    try:
        customer = (await crm.customer_record(rig.user_with_sms_consent(False))).customer
        assert customer.consent_sms is False
        assert refusal(customer, Channel.SMS) == (
            "No SMS follow-up: the customer has withdrawn SMS consent. Nothing was sent."
        )
    finally:
        await crm.aclose()


async def test_no_field_configured_says_the_crm_keeps_none_and_what_to_configure(rig: Rig) -> None:
    crm = rig.crm(ConsentFields(marketing="marketing_opt_in"))
    try:
        customer = (await crm.customer_record(rig.user_with_sms_consent(True))).customer
        assert customer.consent_sms is None
        why = refusal(customer, Channel.SMS) or ""
        assert (
            why == "No SMS follow-up: this CRM keeps no SMS consent: configure crm.consent_sms_field. Nothing was sent."
        )
        assert "consent_sms on" not in why, "no field the agent cannot set"
        with pytest.raises(BackendError, match="configure crm.consent_sms_field"):
            await crm.record_opt_out(customer.id, "consent_sms")
    finally:
        await crm.aclose()


async def test_an_opt_out_is_written_back_to_the_checkbox(rig: Rig) -> None:
    crm = rig.crm()
    try:
        user_id = rig.user_with_sms_consent(True)
        kept = await crm.record_opt_out(user_id, "consent_sms")
        assert kept.consent_sms is False
        assert (await crm.customer_record(user_id)).customer.consent_sms is False, "read back so by the next look-up"
        puts = [(method, path) for method, path, _ in rig.zendesk.exchanges if method == "PUT"]
        assert puts == [("PUT", f"/api/v2/users/{user_id}")]
    finally:
        await crm.aclose()


async def test_a_customer_who_replied_stop_has_their_sms_checkbox_cleared_once(rig: Rig, tmp_path: Path) -> None:
    """Twilio answers 21610 (the recipient replied STOP): the desk withdraws SMS consent in the CRM. With Zendesk
    as the CRM nothing was written (the adapter served no `withdraw_consent`; `record_opt_out` had no caller)."""
    crm = rig.crm()
    outbox = Outbox(tmp_path / "outbox.db")
    settings = MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=10, simulator=False, fresh=True)
    try:
        async with twilio_floor(settings) as floor:
            backend = floor.backend("agent-001", messaging_from="+15005550006")
            try:
                user_id = rig.user_with_sms_consent(True)
                sender = OutboxSender(outbox, crm, retry=Backoff(0.0, 0.0), messaging=messaging_of(backend))
                entry = enqueue_follow_up(outbox, sms_follow_up(user_id, OPTED_OUT_TO))
                for _ in range(5):
                    await sender.send_due()
                    if (outbox.get(entry.key) or entry).state != EntryState.PENDING:
                        break
                    outbox.bring_forward(10**12)
                    await sender.send_due()  # once more: a resend must not clear it again
            finally:
                await backend.aclose()
        assert (outbox.get(entry.key) or entry).state == EntryState.SENT
        assert (await crm.customer_record(user_id)).customer.consent_sms is False, "the checkbox cleared"
        puts = [path for method, path, _ in rig.zendesk.exchanges if method == "PUT"]
        assert puts.count(f"/api/v2/users/{user_id}") == 1, puts
        kept = [i for i in await crm.list_interactions(user_id) if i.contact_id == "c-000042"]
        assert [i.disposition for i in kept] == ["Follow-up failed"]
        assert "21610" in (kept[0].summary or "")
    finally:
        outbox.close()
        await crm.aclose()


async def test_a_customer_who_texts_stop_has_their_sms_checkbox_cleared(rig: Rig, tmp_path: Path) -> None:
    """The customer texts STOP in an SMS conversation (the contact center in-process, Zendesk as the CRM): the
    desk writes the opt-out back as the account's checkbox, once, through the outbox."""
    crm = rig.crm()
    outbox = Outbox(tmp_path / "outbox.db")
    center = rig.mocks.contact_center()
    desk = Desk(center.agent_id, crm_capabilities=crm.capabilities)
    controller = DeskController(desk, center, crm, rig.mocks.presence(), outbox)
    sender = OutboxSender(outbox, crm, retry=Backoff(0.0, 0.0))
    follow = asyncio.create_task(controller.follow_contact_center())
    try:
        user_id = rig.user_with_sms_consent(True)
        customer = (await crm.customer_record(user_id)).customer
        await until(lambda: desk.agent is not None, "the agent's state")
        await controller.go_available()
        sms = await rig.mocks.place_call(customer.phones[0], channel="sms")
        await until(lambda: desk.offer is not None and desk.offer.contact.id == sms.id, "the SMS offered")
        await controller.accept()
        await until(lambda: sms.id in desk.held and desk.lookups[sms.id].record is not None, "the SMS and its pop")
        for text in ("STOP", "Stop."):
            said = await rig.mocks.customer_says(sms.id, text)
            await until(lambda: any(i.id == said.id for i in desk.conversations[sms.id].items), "STOP shown")  # noqa: B023
        await until(lambda: outbox.counts().pending == 1, "the opt-out in the outbox")
        await sender.send_due()
        assert outbox.counts().pending == 0
        assert outbox.counts().sent == 1
        assert (await crm.customer_record(user_id)).customer.consent_sms is False, "the checkbox cleared"
        puts = [path for method, path, _ in rig.zendesk.exchanges if method == "PUT"]
        assert puts == [f"/api/v2/users/{user_id}"]
    finally:
        follow.cancel()
        await asyncio.gather(follow, return_exceptions=True)
        await controller.aclose()
        await center.aclose()
        outbox.close()
        await crm.aclose()
