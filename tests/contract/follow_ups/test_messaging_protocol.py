"""Messaging in the protocol suite: the mock's `Messaging` over HTTP and in-process, and Twilio's
Messaging API on the Twilio-shaped mock with every request checked against Twilio's pinned spec. Each sends on the
channels it declares, the same key never sends twice, and the status moves queued → sent → delivered (failed, or
refused at once on Twilio, for a number that cannot be one); what each declares off (Twilio: email) is refused and
never offered. The mock contact center checks what the desk checks, as the message arrives: a customer of the CRM
whom the agent handled, who consents to the channel now (read from the CRM at each send), an address of one line;
the body is masked before it is kept."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

import pytest

from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.messages.protocol import MessageStatus, Messaging, RecipientOptedOut, messaging_of
from agent_desktop.domain.models import AgentState, Channel
from tests.support.crm_recipients import Consenting, consenting_customer
from tests.support.protocol_rigs.contact_center import KINDS, ROUTING_KINDS, ContactCenterRig, contact_center_rig
from tests.support.protocol_rigs.refusals import refused

PHONE = "+15125550100"
TWILIO_NUMBER = "+15005550006"


@asynccontextmanager
async def messaging_rig(kind: str, tmp_path: Path) -> AsyncIterator[tuple[Messaging, ContactCenterRig]]:
    async with contact_center_rig(kind, tmp_path) as rig:
        if kind != "twilio":
            messaging = messaging_of(rig.backend)
            assert messaging.capabilities.channels, "the mock's contact center carries messaging"
            yield messaging, rig
            return
        backend = rig.floor.backend("agent-001", messaging_from=TWILIO_NUMBER)  # type: ignore[attr-defined]
        try:
            messaging = messaging_of(backend)
            assert messaging.capabilities.channels, "Twilio's Messaging API, with a From number configured"
            yield messaging, rig
        finally:
            await backend.aclose()


async def handled_customer(rig: ContactCenterRig, data_dir: Path) -> Consenting:
    """A customer of the CRM who agreed to SMS and email, whose call the agent took: whom the mock lets a follow-up
    go to."""
    customer = consenting_customer(data_dir / "crm.db")
    await rig.backend.set_state(AgentState.AVAILABLE)
    await rig.place_call(customer.phone)
    for _ in range(100):
        offers = await rig.backend.list_offers()
        if offers:
            await rig.backend.accept_offer(offers[0].id)
            return customer
        await rig.pass_time(0.1)
    raise AssertionError("the call was never offered")


def set_consent(data_dir: Path, customer_id: str, field: str, given: bool) -> None:
    """The customer changes their mind in the CRM (a form, another agent), after the agent's call."""
    with closing(sqlite3.connect(data_dir / "crm.db")) as db, db:
        db.execute(f"update customers set {field} = ? where id = ?", [int(given), customer_id])


@pytest.mark.parametrize("kind", ROUTING_KINDS)
async def test_an_sms_is_sent_once_per_key_and_delivered(kind: str, tmp_path: Path) -> None:
    async with messaging_rig(kind, tmp_path) as (messaging, rig):
        assert Channel.SMS in messaging.capabilities.channels
        phone = PHONE if kind == "twilio" else (await handled_customer(rig, tmp_path)).phone
        first = await messaging.send_message(Channel.SMS, phone, "Your refund is on its way.", "follow-up-1")
        assert (first.status, first.to, first.body) == (MessageStatus.QUEUED, phone, "Your refund is on its way.")
        again = await messaging.send_message(Channel.SMS, phone, "Your refund is on its way.", "follow-up-1")
        assert again.id == first.id, "the same key never sends twice"
        await rig.pass_time(1.2)
        assert (await messaging.message_status(first.id)).status == MessageStatus.SENT
        await rig.pass_time(1.0)
        delivered = await messaging.message_status(first.id)
        assert delivered.status == MessageStatus.DELIVERED
        assert delivered.status.final


@pytest.mark.parametrize("kind", KINDS)
async def test_the_mock_sends_email_and_refuses_an_address_no_customer_has(kind: str, tmp_path: Path) -> None:
    async with messaging_rig(kind, tmp_path) as (messaging, rig):
        assert messaging.capabilities.channels == {Channel.SMS, Channel.EMAIL}
        customer = await handled_customer(rig, tmp_path)
        email = await messaging.send_message(Channel.EMAIL, customer.email, "Case closed.", "follow-up-2")
        await rig.pass_time(2.2)
        assert (await messaging.message_status(email.id)).status == MessageStatus.DELIVERED
        bad = await refused(messaging.send_message(Channel.SMS, "12", "Case closed.", "follow-up-3"))
        assert bad.status == 422
        assert "no customer of the CRM has this number" in bad.message
        unknown = await refused(messaging.send_message(Channel.SMS, "+447700900123", "Hi", "follow-up-4"))
        assert unknown.status == 422, "a number, but nobody's"
        assert "no customer" in unknown.message, "a number, but nobody's"


@pytest.mark.parametrize("kind", KINDS)
async def test_the_mock_refuses_a_follow_up_once_consent_is_withdrawn(kind: str, tmp_path: Path) -> None:
    async with messaging_rig(kind, tmp_path) as (messaging, rig):
        customer = await handled_customer(rig, tmp_path)
        set_consent(tmp_path, customer.customer_id, "consent_sms", False)
        sms = await refused(messaging.send_message(Channel.SMS, customer.phone, "Case closed.", "follow-up-5"))
        assert sms.status == 422
        assert "withdrawn SMS consent (consent_sms" in sms.message
        set_consent(tmp_path, customer.customer_id, "consent_marketing", False)
        email = await refused(messaging.send_message(Channel.EMAIL, customer.email, "Case closed.", "follow-up-6"))
        assert email.status == 422
        assert "withdrawn email consent (consent_marketing" in email.message
        set_consent(tmp_path, customer.customer_id, "consent_sms", True)
        again = await messaging.send_message(Channel.SMS, customer.phone, "Case closed.", "follow-up-7")
        assert again.status == MessageStatus.QUEUED, "consent given again: read at the send, not kept"


@pytest.mark.parametrize("kind", KINDS)
async def test_the_mock_refuses_a_customer_the_agent_never_handled(kind: str, tmp_path: Path) -> None:
    async with messaging_rig(kind, tmp_path) as (messaging, rig):
        customer = consenting_customer(tmp_path / "crm.db")  # consents, but the agent never spoke to them
        refusal = await refused(messaging.send_message(Channel.SMS, customer.phone, "Hello.", "follow-up-8"))
        assert refusal.status == 403
        assert "not a customer you handled" in refusal.message


@pytest.mark.parametrize("kind", KINDS)
async def test_the_mock_keeps_a_follow_up_masked_and_refuses_an_address_with_a_line_break(
    kind: str, tmp_path: Path
) -> None:
    async with messaging_rig(kind, tmp_path) as (messaging, rig):
        customer = await handled_customer(rig, tmp_path)
        sent = await messaging.send_message(
            Channel.SMS, customer.phone, "Paid with 4111 1111 1111 1111, cvv 123.", "follow-up-9"
        )
        assert "4111" not in sent.body
        assert "123" not in sent.body
        assert "•••• 1111" in sent.body
        assert "4111" not in (await messaging.message_status(sent.id)).body
        injected = f"{customer.email}\r\nBcc: everyone@example.com"
        refusal = await refused(messaging.send_message(Channel.EMAIL, injected, "Hello.", "follow-up-10"))
        assert refusal.status == 422
        assert "line break" in refusal.message


async def test_twilio_declares_email_off_and_refuses_a_number_that_cannot_be_one(tmp_path: Path) -> None:
    async with messaging_rig("twilio", tmp_path) as (messaging, rig):
        assert messaging.capabilities.channels == {Channel.SMS}, "email is SendGrid's, not the Messaging API's"
        assert (await refused(messaging.send_message(Channel.EMAIL, "ana@example.com", "Hi", "k-1"))).status == 400
        refusal = await refused(messaging.send_message(Channel.SMS, "12", "Hi", "k-2"))
        assert refusal.status == 400
        assert "21211" in refusal.message


async def test_twilio_without_a_from_number_carries_no_messaging(tmp_path: Path) -> None:
    async with contact_center_rig("twilio", tmp_path) as rig:
        messaging = messaging_of(rig.backend)
        assert not messaging.capabilities.channels, "no From number configured: no follow-up is offered"
        with pytest.raises(NotServed, match="Follow-ups are not on this contact center"):
            await messaging.send_message(Channel.SMS, PHONE, "Hi", "k-1")  # the stand-in: nothing reaches Twilio


async def test_twilio_sends_to_a_number_written_any_way_in_e164(tmp_path: Path) -> None:
    """Twilio takes an E.164 `To` only (21211 otherwise): the desk writes the CRM's number in E.164 first."""
    async with messaging_rig("twilio", tmp_path) as (messaging, _):
        sent = await messaging.send_message(Channel.SMS, "(512) 555-0100", "Your refund is on its way.", "k-1")
        assert (sent.to, sent.status) == (PHONE, MessageStatus.QUEUED)


async def test_twilio_refuses_a_text_over_1600_characters_before_sending_it(tmp_path: Path) -> None:
    """Twilio refuses such a body (21617); the desk says so before anything leaves, and nothing was sent."""
    async with messaging_rig("twilio", tmp_path) as (messaging, _):
        refusal = await refused(messaging.send_message(Channel.SMS, PHONE, "x" * 1601, "k-1"))
        assert refusal.status == 400
        assert "1,600" in refusal.message
        assert "Nothing was sent" in refusal.message
        assert (await messaging.send_message(Channel.SMS, PHONE, "x" * 1600, "k-2")).body == "x" * 1600


async def test_twilio_says_a_recipient_opted_out_as_such(tmp_path: Path) -> None:
    """21610 (the test credentials' +15005550004): the customer replied STOP; the desk is told so by type."""
    async with messaging_rig("twilio", tmp_path) as (messaging, _):
        with pytest.raises(RecipientOptedOut) as opted_out:
            await messaging.send_message(Channel.SMS, "+15005550004", "Your refund is on its way.", "k-1")
        assert opted_out.value.status == 400
        assert not opted_out.value.retryable
        assert "21610" in opted_out.value.message
        assert "opted out of SMS from" in opted_out.value.message
        assert "by texting STOP" in opted_out.value.message, "said as what happened, not as Twilio's raw words"
