"""What each write goes through in the outbox (docs/architecture.md, "What each write goes through"), on the
in-process mocks: every write is held (a transfer's record), queued, looked at again, written or refused (kept to
fix, then sent again); a follow-up's message besides goes queued → sent → delivered, failed or canceled, and its
outcome is written to the CRM once it is one of those."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Channel, Contact, ContactState, Interaction, InteractionCreate
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.follow_ups import enqueue_follow_up, follow_up_stage
from agent_desktop.outbox.payloads import FollowUpWrite
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.contract.follow_ups.test_follow_up_outbox import call_taken, follow_up, withdraw_sms_consent
from tests.support.in_process.crm import InProcessCrm
from tests.support.in_process.messaging import InProcessMessaging
from tests.support.in_process.mocks import InProcessMocks

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


async def stages_until_done(sender: OutboxSender, outbox: Outbox, mocks: InProcessMocks, key: str) -> list[str]:
    """The follow-up's stage and its entry's state after each look the sender takes, each change once."""
    seen: list[str] = []
    for _ in range(30):
        entry = outbox.get(key)
        assert entry is not None
        assert isinstance(entry.payload, FollowUpWrite)
        now = f"{follow_up_stage(entry.payload)}/{entry.state}"
        if not seen or seen[-1] != now:
            seen.append(now)
        if entry.state is not EntryState.PENDING:
            return seen
        mocks.time.advance(1.0)
        outbox.bring_forward(10**12)  # due now: the test does not wait out the backoff
        await sender.send_due()
    return seen


def mocks_at(tmp_path: Path) -> InProcessMocks:
    return InProcessMocks(MockSettings(data_dir=tmp_path / "m", seed=7, customers=10, simulator=False, fresh=True))


async def test_a_follow_up_goes_queued_sent_delivered_then_is_written(tmp_path: Path) -> None:
    mocks = mocks_at(tmp_path)
    outbox = Outbox(tmp_path / "outbox.db")
    try:
        crm = mocks.crm()
        customer = next(c for c in await crm.search_customers("a") if c.consent_sms is True and c.phones)
        await call_taken(mocks, customer)
        sender = OutboxSender(
            outbox, crm, retry=Backoff(0.0, 0.0), messaging=InProcessMessaging(mocks.ccaas_app, "agent-001")
        )
        entry = enqueue_follow_up(outbox, follow_up(customer.id, customer.phones[0]))
        stages = await stages_until_done(sender, outbox, mocks, entry.key)
    finally:
        outbox.close()
        await mocks.aclose()
    assert stages == ["queued/pending", "sent/pending", "delivered/sent"]


async def test_a_follow_up_to_a_number_nobody_has_fails_and_one_without_consent_is_canceled(tmp_path: Path) -> None:
    mocks = mocks_at(tmp_path)
    outbox = Outbox(tmp_path / "outbox.db")
    try:
        crm = mocks.crm()
        customer = next(c for c in await crm.search_customers("a") if c.consent_sms is True and c.phones)
        await call_taken(mocks, customer)
        sender = OutboxSender(
            outbox, crm, retry=Backoff(0.0, 0.0), messaging=InProcessMessaging(mocks.ccaas_app, "agent-001")
        )
        bad = enqueue_follow_up(outbox, follow_up(customer.id, "12"))
        failed = await stages_until_done(sender, outbox, mocks, bad.key)
        later = enqueue_follow_up(
            outbox, follow_up(customer.id, customer.phones[0]).model_copy(update={"template": "callback"})
        )
        withdraw_sms_consent(mocks, customer.id)
        canceled = await stages_until_done(sender, outbox, mocks, later.key)
    finally:
        outbox.close()
        await mocks.aclose()
    assert failed == ["queued/pending", "failed/sent"]
    assert canceled == ["queued/pending", "canceled/sent"]


class RefusesFirst:
    """A CRM that refuses the first interaction for good (a 422: kept for the agent to fix), then takes them."""

    def __init__(self, crm: InProcessCrm) -> None:
        self.crm, self.refused = crm, False

    def __getattr__(self, name: str) -> Any:  # the rest of the CRM, as it is
        return getattr(self.crm, name)

    async def log_interaction(self, interaction: InteractionCreate, key: str) -> Interaction:
        if not self.refused:
            self.refused = True
            raise BackendError("CRM", "422 notes too long", 422)
        return await self.crm.log_interaction(interaction, key)


async def test_a_transfer_record_is_held_then_queued_refused_sent_again_and_written(tmp_path: Path) -> None:
    mocks = mocks_at(tmp_path)
    outbox = Outbox(tmp_path / "outbox.db")
    states: list[EntryState] = []
    try:
        crm = mocks.crm()
        customer = (await crm.search_customers("a"))[0]
        contact = Contact(
            id="c-7",
            channel=Channel.VOICE,
            queue_id="billing",
            queue_name="Billing",
            from_address=customer.phones[0],
            state=ContactState.AFTER_CONTACT_WORK,
            entered_queue_at=AT,
        )
        sender = OutboxSender(outbox, RefusesFirst(crm), retry=Backoff(0.0, 0.0))
        record = enqueue_wrap_up(outbox, contact, "agent-001", "Transferred", "", customer.id, held=True)
        states.append(record.state)
        await sender.send_due()  # a held record is not sent before the transfer is made
        outbox.release(record.key)
        for step in range(3):
            entry = outbox.get(record.key)
            assert entry is not None
            states.append(entry.state)
            await sender.send_due()
            if step == 0:
                states.append(outbox.get(record.key).state)  # type: ignore[union-attr]
                outbox.retry(record.key)  # the agent fixed it (o), and it is sent again
        states.append(outbox.get(record.key).state)  # type: ignore[union-attr]
    finally:
        outbox.close()
        await mocks.aclose()
    assert states[:4] == [EntryState.HELD, EntryState.PENDING, EntryState.FAILED, EntryState.PENDING]
    assert states[-1] is EntryState.SENT
