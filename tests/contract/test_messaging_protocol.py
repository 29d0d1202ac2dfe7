"""Messaging in the protocol suite (issue 47): the mock's `Messaging` over HTTP and in-process, and Twilio's
Messaging API on the Twilio-shaped mock with every request checked against Twilio's pinned spec. Each sends on the
channels it declares, the same key never sends twice, and the status moves queued → sent → delivered (failed, or
refused at once on Twilio, for a number that cannot be one); what each declares off (Twilio: email) is refused and
never offered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from agent_desktop.domain.messaging import MessageStatus, Messaging, RecipientOptedOut, messaging_of
from agent_desktop.domain.models import Channel
from tests.support.protocol_rigs.contact_center import KINDS, ROUTING_KINDS, ContactCenterRig, contact_center_rig
from tests.support.protocol_rigs.refusals import refused

PHONE = "+15125550100"
TWILIO_NUMBER = "+15005550006"


@asynccontextmanager
async def messaging_rig(kind: str, tmp_path) -> AsyncIterator[tuple[Messaging, ContactCenterRig]]:
    async with contact_center_rig(kind, tmp_path) as rig:
        if kind != "twilio":
            messaging = messaging_of(rig.backend)
            assert messaging is not None, "the mock's contact center carries messaging"
            yield messaging, rig
            return
        backend = rig.floor.backend("agent-001", messaging_from=TWILIO_NUMBER)  # type: ignore[attr-defined]
        try:
            messaging = messaging_of(backend)
            assert messaging is not None, "Twilio's Messaging API, with a From number configured"
            yield messaging, rig
        finally:
            await backend.aclose()


@pytest.mark.parametrize("kind", ROUTING_KINDS)
async def test_an_sms_is_sent_once_per_key_and_delivered(kind, tmp_path):
    async with messaging_rig(kind, tmp_path) as (messaging, rig):
        assert Channel.SMS in messaging.capabilities.channels
        first = await messaging.send_message(Channel.SMS, PHONE, "Your refund is on its way.", "follow-up-1")
        assert (first.status, first.to, first.body) == (MessageStatus.QUEUED, PHONE, "Your refund is on its way.")
        again = await messaging.send_message(Channel.SMS, PHONE, "Your refund is on its way.", "follow-up-1")
        assert again.id == first.id, "the same key never sends twice"
        await rig.pass_time(1.2)
        assert (await messaging.message_status(first.id)).status == MessageStatus.SENT
        await rig.pass_time(1.0)
        delivered = await messaging.message_status(first.id)
        assert delivered.status == MessageStatus.DELIVERED and delivered.status.final


@pytest.mark.parametrize("kind", KINDS)
async def test_the_mock_sends_email_and_fails_an_address_that_cannot_be_one(kind, tmp_path):
    async with messaging_rig(kind, tmp_path) as (messaging, rig):
        assert messaging.capabilities.channels == {Channel.SMS, Channel.EMAIL}
        email = await messaging.send_message(Channel.EMAIL, "ana@example.com", "Case closed.", "follow-up-2")
        bad = await messaging.send_message(Channel.SMS, "12", "Case closed.", "follow-up-3")
        await rig.pass_time(2.2)
        assert (await messaging.message_status(email.id)).status == MessageStatus.DELIVERED
        failed = await messaging.message_status(bad.id)
        assert failed.status == MessageStatus.FAILED and failed.error


async def test_twilio_declares_email_off_and_refuses_a_number_that_cannot_be_one(tmp_path):
    async with messaging_rig("twilio", tmp_path) as (messaging, rig):
        assert messaging.capabilities.channels == {Channel.SMS}, "email is SendGrid's, not the Messaging API's"
        assert (await refused(messaging.send_message(Channel.EMAIL, "ana@example.com", "Hi", "k-1"))).status == 400
        refusal = await refused(messaging.send_message(Channel.SMS, "12", "Hi", "k-2"))
        assert refusal.status == 400 and "21211" in refusal.message


async def test_twilio_without_a_from_number_carries_no_messaging(tmp_path):
    async with contact_center_rig("twilio", tmp_path) as rig:
        assert messaging_of(rig.backend) is None, "no From number configured: no follow-up is offered"


async def test_twilio_sends_to_a_number_written_any_way_in_e164(tmp_path):
    """Twilio takes an E.164 `To` only (21211 otherwise): the desk writes the CRM's number in E.164 first."""
    async with messaging_rig("twilio", tmp_path) as (messaging, _):
        sent = await messaging.send_message(Channel.SMS, "(512) 555-0100", "Your refund is on its way.", "k-1")
        assert (sent.to, sent.status) == (PHONE, MessageStatus.QUEUED)


async def test_twilio_refuses_a_text_over_1600_characters_before_sending_it(tmp_path):
    """Twilio refuses such a body (21617); the desk says so before anything leaves, and nothing was sent."""
    async with messaging_rig("twilio", tmp_path) as (messaging, _):
        refusal = await refused(messaging.send_message(Channel.SMS, PHONE, "x" * 1601, "k-1"))
        assert refusal.status == 400 and "1,600" in refusal.message and "Nothing was sent" in refusal.message
        assert (await messaging.send_message(Channel.SMS, PHONE, "x" * 1600, "k-2")).body == "x" * 1600


async def test_twilio_says_a_recipient_opted_out_as_such(tmp_path):
    """21610 (the test credentials' +15005550004): the customer replied STOP; the desk is told so by type."""
    async with messaging_rig("twilio", tmp_path) as (messaging, _):
        with pytest.raises(RecipientOptedOut) as opted_out:
            await messaging.send_message(Channel.SMS, "+15005550004", "Your refund is on its way.", "k-1")
        assert opted_out.value.status == 400 and not opted_out.value.retryable
        assert "21610" in opted_out.value.message
