"""A customer who texts STOP in an SMS conversation has their SMS consent withdrawn in the CRM, once:
Twilio stops sending to them at once, and the CRM must say so too, or the next agent offers a follow-up the
carrier will refuse. A sentence that only contains the word is not an opt-out. The app's sessions (the desk and the
outbox's sender) over the mocks in-process (tests/support/write_back_search.py's desk); the CRM read afterwards."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent_desktop.domain.messages.opt_out import is_opt_in, is_opt_out
from agent_desktop.outbox.store import EntryKind, EntryState, OutboxEntry
from tests.support.write_back_search import Plan, WriteBackRun, until


def test_only_a_keyword_alone_is_an_opt_out() -> None:
    assert all(is_opt_out(text) for text in ("STOP", "stop", " Stop. ", "unsubscribe!", "STOPALL", "Cancel"))
    assert not any(is_opt_out(text) for text in ("stop calling me at work", "don't stop", "STOP IT", "", "4111"))


async def test_a_customer_who_texts_stop_has_their_sms_consent_withdrawn_once(tmp_path: Path) -> None:
    run = WriteBackRun(tmp_path, Plan(0.0, []))
    crm = run.mocks.crm()
    customer = next(c for c in await crm.search_customers("a") if c.consent_sms is True and c.phones)
    run.desk = running = run.start_desk()
    try:
        desk, controller = running.desk, running.controller
        await until(lambda: desk.agent is not None, "the agent's state")
        await controller.go_available()
        sms = await run.mocks.place_call(customer.phones[0], channel="sms")
        await until(lambda: desk.offer is not None and desk.offer.contact.id == sms.id, "the SMS offered")
        await controller.accept()
        await until(lambda: sms.id in desk.held and desk.lookups[sms.id].record is not None, "the SMS and its pop")

        said = await run.mocks.customer_says(sms.id, "stop calling me at work, text me instead")
        await until(lambda: any(i.id == said.id for i in desk.conversations[sms.id].items), "the sentence shown")
        await asyncio.sleep(0.05)
        assert (await crm.customer_record(customer.id)).customer.consent_sms is True, "a sentence is no opt-out"

        for text in ("STOP", "stop"):  # sent twice, as people do
            said = await run.mocks.customer_says(sms.id, text)
            await until(lambda: any(i.id == said.id for i in desk.conversations[sms.id].items), "STOP shown")  # noqa: B023

        def withdrawals() -> list[OutboxEntry]:
            return [e for e in run.outbox.recent(500) if e.kind is EntryKind.CONSENT_WITHDRAWAL]

        await until(lambda: [e.state for e in withdrawals()] == [EntryState.SENT], "the withdrawal written once")
        assert (await crm.customer_record(customer.id)).customer.consent_sms is False
        running.take_notices()
        assert any("texted STOP: their SMS consent is withdrawn in the CRM" in text for text in run.ledger.said)
    finally:
        await running.stop()
        run.outbox.close()
        await run.close()


def test_only_a_keyword_alone_is_an_opt_in() -> None:
    assert all(is_opt_in(text) for text in ("START", "start", " Unstop ", "yes!"))
    assert not any(is_opt_in(text) for text in ("start over please", "yes, thanks", "STOP", ""))


async def test_a_customer_who_texts_start_again_is_told_why_sms_consent_stays_withdrawn(tmp_path: Path) -> None:
    """After STOP, START makes Twilio send again (docs/vendors/twilio-messaging.md); the CRM's consent is not restored
    by a keyword, and the agent is told so rather than left to think a follow-up is welcome."""
    run = WriteBackRun(tmp_path, Plan(0.0, []))
    crm = run.mocks.crm()
    customer = next(c for c in await crm.search_customers("a") if c.consent_sms is True and c.phones)
    run.desk = running = run.start_desk()
    try:
        desk, controller = running.desk, running.controller
        await until(lambda: desk.agent is not None, "the agent's state")
        await controller.go_available()
        sms = await run.mocks.place_call(customer.phones[0], channel="sms")
        await until(lambda: desk.offer is not None and desk.offer.contact.id == sms.id, "the SMS offered")
        await controller.accept()
        await until(lambda: sms.id in desk.held and desk.lookups[sms.id].record is not None, "the SMS and its pop")
        await run.mocks.customer_says(sms.id, "STOP")

        async def consent() -> bool | None:
            return (await crm.customer_record(customer.id)).customer.consent_sms

        for _ in range(200):
            if await consent() is False:
                break
            await asyncio.sleep(0.02)
        assert await consent() is False, "STOP withdrew it"
        said = await run.mocks.customer_says(sms.id, "Start")
        await until(lambda: any(i.id == said.id for i in desk.conversations[sms.id].items), "START shown")
        running.take_notices()
        told = [text for text in run.ledger.said if "texted START" in text]
        assert told
        assert "consent in the CRM stays withdrawn" in told[0]
        assert await consent() is False, "a keyword does not restore consent in the CRM"
    finally:
        await running.stop()
        run.outbox.close()
        await run.close()
