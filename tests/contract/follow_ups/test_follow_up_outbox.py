"""A follow-up through the outbox, on the in-process mocks: the sender sends it through the contact
center's messaging once, follows its status, and writes it to the customer's CRM record once: delivered for a good
number; failed, with why, for one the contact center refuses (no customer has it); never sent again when the CRM refuses and is asked again;
never sent at all when the customer withdrew consent after it was queued (the CRM is read again as it leaves)."""

from __future__ import annotations

from pathlib import Path

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import AgentState, Customer, CustomerRecord, Interaction, InteractionCreate
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.follow_ups import enqueue_follow_up
from agent_desktop.outbox.payloads import FollowUpWrite
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.in_process.crm import InProcessCrm
from tests.support.in_process.messaging import InProcessMessaging
from tests.support.in_process.mocks import InProcessMocks
from tests.support.narrowing import present


class DownOnce:
    """The CRM down for its first write (a retryable refusal), then itself."""

    def __init__(self, crm: InProcessCrm) -> None:
        self.crm, self.refused = crm, 0

    async def customer_record(self, customer_id: str) -> CustomerRecord:
        return await self.crm.customer_record(customer_id)

    async def log_interaction(self, interaction: InteractionCreate, key: str) -> Interaction:
        if not self.refused:
            self.refused += 1
            raise BackendError("CRM", "connection refused")
        return await self.crm.log_interaction(interaction, key)


def follow_up(customer_id: str, to: str) -> FollowUpWrite:
    return FollowUpWrite(
        customer_id=customer_id,
        contact_id="c-000042",
        queue_id="billing",
        agent_id="agent-001",
        channel=Channel.SMS,
        to=to,
        body="Hi Ana, your refund is on its way.",
        template="resolved",
    )


async def call_taken(mocks: InProcessMocks, customer: Customer) -> None:
    """The agent takes the customer's call: the contact center sends follow-ups only to customers an agent handled."""
    await mocks.contact_center().set_state(AgentState.AVAILABLE)
    await mocks.place_call(customer.phones[0])
    await mocks.connect_offer()


async def send_until_done(sender: OutboxSender, outbox: Outbox, mocks: InProcessMocks, key: str) -> None:
    for _ in range(20):
        mocks.time.advance(1.0)
        await sender.send_due()
        entry = outbox.get(key)
        if entry is not None and entry.state != EntryState.PENDING:
            return
        outbox.bring_forward(10**12)  # due now: the test does not wait out the backoff


async def test_delivered_once_and_failed_with_why_in_the_crm(tmp_path: Path) -> None:
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path / "m", seed=7, customers=10, simulator=False, fresh=True))
    outbox = Outbox(tmp_path / "outbox.db")
    try:
        crm = mocks.crm()
        customer = next(c for c in await crm.search_customers("a") if c.consent_sms is True and c.phones)
        await call_taken(mocks, customer)
        messaging = InProcessMessaging(mocks.ccaas_app, "agent-001")
        sender = OutboxSender(outbox, DownOnce(crm), retry=Backoff(0.0, 0.0), messaging=messaging)  # type: ignore[arg-type]
        good = enqueue_follow_up(outbox, follow_up(customer.id, customer.phones[0]))
        await send_until_done(sender, outbox, mocks, good.key)
        bad = enqueue_follow_up(outbox, follow_up(customer.id, "12").model_copy(update={"template": "callback"}))
        await send_until_done(sender, outbox, mocks, bad.key)
        assert [outbox.get(k).state for k in (good.key, bad.key)] == [EntryState.SENT, EntryState.SENT]  # type: ignore[union-attr]
        assert messaging.sent == [f"{good.key}:message", f"{bad.key}:message"], "each sent once, whatever the CRM did"
        kept = [i for i in await crm.list_interactions(customer.id) if i.contact_id == "c-000042"]
        assert sorted(present(i.disposition) for i in kept) == ["Follow-up delivered", "Follow-up failed"]
        failed = next(i for i in kept if i.disposition == "Follow-up failed")
        assert "no customer of the CRM has this number" in (failed.summary or "")
    finally:
        outbox.close()
        await mocks.aclose()


def withdraw_sms_consent(mocks: InProcessMocks, customer_id: str) -> None:
    """The customer opts out in the CRM (a form, a call to another agent) after the follow-up was queued."""
    db = mocks.crm_app.state.crm.db
    with db.conn:
        db.conn.execute("update customers set consent_sms = 0 where id = ?", [customer_id])


async def test_consent_withdrawn_after_queueing_cancels_the_follow_up_and_the_crm_says_why(tmp_path: Path) -> None:
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path / "m", seed=7, customers=10, simulator=False, fresh=True))
    outbox = Outbox(tmp_path / "outbox.db")
    try:
        crm = mocks.crm()
        customer = next(c for c in await crm.search_customers("a") if c.consent_sms is True and c.phones)
        messaging = InProcessMessaging(mocks.ccaas_app, "agent-001")
        sender = OutboxSender(outbox, crm, retry=Backoff(0.0, 0.0), messaging=messaging)
        queued = enqueue_follow_up(outbox, follow_up(customer.id, customer.phones[0]))
        withdraw_sms_consent(mocks, customer.id)
        await send_until_done(sender, outbox, mocks, queued.key)
        assert messaging.sent == [], "nothing was sent on consent withdrawn"
        (kept,) = [i for i in await crm.list_interactions(customer.id) if i.contact_id == "c-000042"]
        assert kept.disposition == "Follow-up canceled"
        assert "withdrawn SMS consent" in (kept.summary or "")
    finally:
        outbox.close()
        await mocks.aclose()
