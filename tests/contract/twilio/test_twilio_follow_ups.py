"""Follow-up SMS through the outbox on the Twilio-shaped mock (docs/vendors/twilio-messaging.md), with the mock CRM
in-process: a customer who opted out (Twilio's 21610) has their SMS consent withdrawn in the CRM once, and the
follow-up is written failed with why; one that ends `undelivered` or `failed` is written so, with Twilio's error.
Twilio's messaging clock is stepped by the test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.messages.protocol import messaging_of
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.follow_ups import enqueue_follow_up
from agent_desktop.outbox.payloads import FollowUpWrite
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.twilio.messaging.message_fates import FAILED_TO, UNDELIVERED_TO
from tests.support.in_process.mocks import InProcessMocks
from tests.support.protocol_rigs.twilio import twilio_floor

OPTED_OUT_TO = "+15005550004"  # Twilio's test credentials: 21610


class CrmDownOnce:
    """The mock CRM, refusing its first interaction write (retryable), and counting consent withdrawals."""

    def __init__(self, crm: Any) -> None:
        self.crm, self.refused, self.withdrawals = crm, 0, 0

    async def log_interaction(self, interaction: Any, key: str) -> Any:
        if not self.refused:
            self.refused += 1
            raise BackendError("CRM", "connection refused")
        return await self.crm.log_interaction(interaction, key)

    async def customer_record(self, customer_id: str) -> Any:  # consent, read again as the follow-up leaves
        return await self.crm.customer_record(customer_id)

    async def withdraw_consent(self, customer_id: str, channel: Channel, reason: str, idempotency_key: str) -> Any:
        self.withdrawals += 1
        return await self.crm.withdraw_consent(customer_id, channel, reason, idempotency_key)


@asynccontextmanager
async def follow_up_rig(tmp_path: Path) -> AsyncIterator[tuple[Outbox, OutboxSender, CrmDownOnce, ManualClock]]:
    settings = MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=10, simulator=False, fresh=True)
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path / "m", seed=7, customers=10, simulator=False, fresh=True))
    outbox = Outbox(tmp_path / "outbox.db")
    async with twilio_floor(settings) as floor:
        clock = ManualClock(datetime.now(UTC))
        floor.twilio_app.state.messaging.clock = clock
        backend = floor.backend("agent-001", messaging_from="+15005550006")
        crm = CrmDownOnce(mocks.crm())
        try:
            sender = OutboxSender(outbox, crm, retry=Backoff(0.0, 0.0), messaging=messaging_of(backend))  # type: ignore[arg-type]
            yield outbox, sender, crm, clock
        finally:
            await backend.aclose()
            outbox.close()
            await mocks.aclose()


async def a_customer_who_consented(crm: CrmDownOnce) -> Any:
    return next(c for c in await crm.crm.search_customers("a") if c.consent_sms is True)


def follow_up(customer_id: str, to: str, template: str = "resolved") -> FollowUpWrite:
    return FollowUpWrite(
        customer_id=customer_id,
        contact_id="c-000042",
        queue_id="billing",
        agent_id="agent-001",
        channel=Channel.SMS,
        to=to,
        body="Hi Ana, your refund is on its way.",
        template=template,
    )


async def send_until_done(sender: OutboxSender, outbox: Outbox, clock: ManualClock, key: str) -> None:
    for step in range(1, 21):
        clock.advance_to(step * 1.0)
        await sender.send_due()
        entry = outbox.get(key)
        if entry is not None and entry.state != EntryState.PENDING:
            return
        outbox.bring_forward(10**12)  # due now: the test does not wait out the backoff
    raise AssertionError(f"{key} still pending after 20 rounds")


async def test_a_customer_who_opted_out_has_their_sms_consent_withdrawn_once(tmp_path: Path) -> None:
    async with follow_up_rig(tmp_path) as (outbox, sender, crm, clock):
        customer = await a_customer_who_consented(crm)
        entry = enqueue_follow_up(outbox, follow_up(customer.id, OPTED_OUT_TO))
        await send_until_done(sender, outbox, clock, entry.key)
        assert outbox.get(entry.key).state == EntryState.SENT  # type: ignore[union-attr]
        assert crm.refused == 1, "the follow-up's record was sent again after the CRM refused it"
        assert crm.withdrawals == 1, "consent withdrawn once, not again when the record was resent"
        assert (await crm.crm.customer_record(customer.id)).customer.consent_sms is False
        (kept,) = [i for i in await crm.crm.list_interactions(customer.id) if i.contact_id == "c-000042"]
        assert kept.disposition == "Follow-up failed"
        assert "21610" in (kept.summary or "")


async def test_undelivered_and_failed_follow_ups_are_written_with_twilios_error(tmp_path: Path) -> None:
    async with follow_up_rig(tmp_path) as (outbox, sender, crm, clock):
        customer = await a_customer_who_consented(crm)
        undelivered = enqueue_follow_up(outbox, follow_up(customer.id, UNDELIVERED_TO))
        failed = enqueue_follow_up(outbox, follow_up(customer.id, FAILED_TO, template="callback"))
        await send_until_done(sender, outbox, clock, undelivered.key)
        await send_until_done(sender, outbox, clock, failed.key)
        kept = {
            i.disposition: i.summary or ""
            for i in await crm.crm.list_interactions(customer.id)
            if i.contact_id == "c-000042"
        }
        assert set(kept) == {"Follow-up undelivered", "Follow-up failed"}
        assert "Unreachable destination handset" in kept["Follow-up undelivered"]
        assert "Queue overflow" in kept["Follow-up failed"]
        assert crm.withdrawals == 0, "not delivered is not opted out: consent stays"
        assert (await crm.crm.customer_record(customer.id)).customer.consent_sms is True
