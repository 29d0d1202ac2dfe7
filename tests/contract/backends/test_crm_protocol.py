"""The `Crm` protocol suite: every scenario on the HTTP client (real mock CRM on loopback), on the in-process
backend over the CRM's store, and on the Zendesk backend against the Zendesk-shaped mock (every exchange
checked against docs/vendors/zendesk-support.openapi.yaml), asserting the same answers from each.

Where backends rightly differ (ids, refusal words, what a CRM without orders or kept transcripts can
return), the rig says what each answers (`tests/support/protocol_rigs/crm.py`); the scenario asserts it
exactly. What was written is read back from the server's own database, not through the backend."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import pytest

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.domain.errors import CustomerExists
from agent_desktop.domain.models import (
    CaseCreate,
    Channel,
    Contact,
    ContactState,
    InteractionCreate,
    MonitorMode,
    NewCustomer,
    SupervisionRecord,
    TranscriptLine,
)
from agent_desktop.domain.protocols import Crm, consent_withdrawals
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop.outbox.supervision import enqueue_supervision
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_SUPERVISOR_TOKEN
from tests.support.narrowing import of_kind, present
from tests.support.protocol_rigs.crm import (
    DOWN_KINDS,
    KINDS,
    SERVED_KINDS,
    HttpCrmRig,
    ZendeskRig,
    crm_rig,
    grouped,
    server_that_goes_down,
)
from tests.support.protocol_rigs.refusals import refused

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
BILLY_PHONE = "+15125550100"  # seeded caller 3 of seed 7: Billy Smith, billy.smith3@example.com

every_backend = pytest.mark.parametrize("kind", grouped(KINDS))


def wrap_up(customer_id: str | None, notes: str = "Refunded the duplicate charge.") -> InteractionCreate:
    return InteractionCreate(
        customer_id=customer_id,
        contact_id="c-000042",
        channel=Channel.CHAT,
        agent_id="agent-001",
        queue_id="billing",
        answered_at=AT,
        ended_at=AT,
        disposition="Refund issued",
        notes=notes,
        transcript=[TranscriptLine(role="customer", name="Billy", text="Charged twice", at=AT)],
        private_notes=["checked the ledger"],
    )


def ended_chat(contact_id: str, address: str = BILLY_PHONE) -> Contact:
    return Contact(
        id=contact_id,
        channel=Channel.CHAT,
        queue_id="billing",
        queue_name="Billing",
        from_address=address,
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=AT,
        offered_at=AT,
        answered_at=AT,
        ended_at=AT,
    )


class Crashed(BaseException):
    """The desk's process ending between the CRM's answer and the outbox marking the entry sent."""


class CrashAfterWrite:
    """A backend whose process dies right after a write lands (the answer arrived, nothing recorded it)."""

    def __init__(self, backend: Crm) -> None:
        self._backend = backend

    async def log_interaction(self, interaction: InteractionCreate, key: str) -> NoReturn:
        await self._backend.log_interaction(interaction, key)
        raise Crashed


@every_backend
async def test_a_caller_is_found_by_phone_in_any_written_form_and_by_email(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        billy = rig.expected.billy
        for written in (BILLY_PHONE, "(512) 555-0100", "512.555.0100", "+1 512 555 0100", "5125550100"):
            found = await rig.backend.lookup(written)
            assert (found.matched_on, [c.id for c in found.customers]) == ("phone", [billy]), written
            assert found.record is not None
            assert found.record.customer.name == "Billy Smith"
            assert found.record.matched_on == "phone"
            # an account on the card where the CRM keeps billing, none where it has none (Zendesk)
            assert (found.record.account is not None) == rig.backend.capabilities.billing
        by_email = await rig.backend.lookup("Billy.Smith3@Example.COM")
        assert (by_email.matched_on, [c.id for c in by_email.customers]) == ("email", [billy])
        record = await rig.backend.customer_record(billy)
        assert record.matched_on is None
        assert record.customer.phones == [BILLY_PHONE]
        assert record.customer.emails == ["billy.smith3@example.com"]
        assert [c.id for c in await rig.backend.search_customers("billy smith")] == [billy]


@every_backend
async def test_a_caller_whose_stored_number_is_written_another_way_pops(kind: str, tmp_path: Path) -> None:
    """Zendesk keeps a number as typed and its search finds other written forms only with a leading
    `*` (Talk Partner Edition); a caller from +14155550100 stored as (415) 555-0100 must still pop."""
    async with crm_rig(kind, tmp_path) as rig:
        rig.phone_typed_as(rig.expected.brandy, "(415) 555-0100")
        for calling in ("+14155550100", "415-555-0100", "+1 (415) 555 0100"):
            found = await rig.backend.lookup(calling)
            assert [c.id for c in found.customers] == [rig.expected.brandy], calling
            assert found.record is not None
            assert found.record.customer.name == "Brandy Washington"
        assert [c.id for c in await rig.backend.search_customers("415.555.0100")] == [rig.expected.brandy]


@every_backend
async def test_an_existing_email_on_a_new_caller_form_leaves_that_customer_untouched(kind: str, tmp_path: Path) -> None:
    """Zendesk's create_or_update *updates* the user who has the email; a new caller never may."""
    async with crm_rig(kind, tmp_path) as rig:
        billy = rig.expected.billy
        before = rig.stored(billy)
        form = NewCustomer(name="B Smith", phones=["+1 212 555 0199"], emails=["billy.smith3@example.com"])
        if rig.expected.taken_email_refused:  # Zendesk: the email is Billy's identity, nobody else's
            taken = await refused(rig.backend.create_customer(form, "new-caller-c-7-B Smith"))
            assert isinstance(taken, CustomerExists)
            assert not taken.retryable
            assert [c.id for c in taken.existing] == [billy]
            assert "billy.smith3@example.com" in taken.message
            assert (await refused(rig.backend.create_customer(form, "new-caller-c-7-B Smith"))).status == 422
        else:  # the mock CRM keeps two customers with one email
            assert (await rig.backend.create_customer(form, "new-caller-c-7-B Smith")).id != billy
        assert rig.stored(billy) == before, "name, phones, emails and external id as they were"
        assert rig.stored(billy)["name"] == "Billy Smith"
        assert rig.stored(billy)["phones"] == [BILLY_PHONE]


@every_backend
async def test_a_caller_made_a_minute_ago_pops_on_calling_back_and_is_made_once(kind: str, tmp_path: Path) -> None:
    """Zendesk's search indexes a new user minutes later; the callback still pops, and neither the
    wrap-up's sender nor the form sent again makes the caller a second time."""
    async with crm_rig(kind, tmp_path) as rig:
        form = NewCustomer(name="Ana Diaz", phones=["(415) 555-0142"])
        made = await rig.backend.create_customer(form, "new-caller-c-000100-Ana Diaz")
        rig.advance(60)
        if rig.search_lag_s > 60:  # the vendor's index has not caught up: by name, another desk finds nobody yet
            other = rig.restarted()
            assert await other.search_customers("Ana Diaz") == []
            calling = await other.lookup("+14155550142")  # Yet it pops there too, read by the number
            assert [c.id for c in calling.customers] == [made.id]
        back = await rig.backend.lookup("+14155550142")
        assert [c.id for c in back.customers] == [made.id]
        assert back.record is not None
        outbox = Outbox(tmp_path / "outbox.db")
        entry = enqueue_wrap_up(
            outbox,
            ended_chat("c-000101", "+1 415 555 0142"),
            "agent-001",
            "Resolved",
            "Called back.",
            None,
            limits=rig.backend.limits,
        )
        assert await OutboxSender(outbox, rig.backend).send_due() == 1
        assert present(outbox.get(entry.key)).state is EntryState.SENT
        outbox.close()
        assert (await rig.backend.create_customer(form, "new-caller-c-000100-Ana Diaz")).id == made.id
        assert rig.with_phone("4155550142") == [made.id], "one customer with that number"
        history = await rig.backend.list_interactions(made.id)
        assert [i.contact_id for i in history] == ["c-000101"]


@every_backend
async def test_a_shared_line_gives_every_match_and_no_record(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        first = await rig.backend.create_customer(NewCustomer(name="Kai Lee", phones=["+1 808 555 0079"]), "new-1")
        again = await rig.backend.create_customer(NewCustomer(name="Kai Lee", phones=["+1 808 555 0079"]), "new-1")
        assert again.id == first.id, "stored once, in E.164"
        assert first.phones == ["+18085550079"], "stored once, in E.164"
        second = await rig.backend.create_customer(NewCustomer(name="Noa Lee", phones=["808-555-0079"]))
        assert second.id != first.id
        found = await rig.backend.lookup("(808) 555-0079")
        assert (found.matched_on, [c.id for c in found.customers], found.record) == (
            "phone",
            [first.id, second.id],
            None,
        )


@every_backend
async def test_a_new_caller_matches_nobody_and_an_unreadable_address_is_refused(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        nobody = await rig.backend.lookup("+1 212 555 0042")
        assert (nobody.matched_on, nobody.customers, nobody.record) == (None, [], None)
        assert (await rig.backend.lookup("nobody@example.org")).customers == []
        if rig.expected.unreadable_address is not None:
            bad = await refused(rig.backend.lookup("not an address"))
            assert (bad.message, bad.retryable) == (rig.expected.unreadable_address, False)
        else:  # read by the backend as neither a phone nor an email: no match, and nothing sent to ask
            transport = of_kind(rig, ZendeskRig).transport
            sent = len(transport.exchanges)
            unreadable = await rig.backend.lookup("not an address")
            assert (unreadable.matched_on, unreadable.customers, len(transport.exchanges)) == (None, [], sent)
        missing = await refused(rig.backend.customer_record(rig.expected.unknown))
        assert (missing.message, missing.status, missing.retryable) == (rig.expected.no_customer, 404, False)


@every_backend
async def test_a_case_is_opened_once_across_a_retry_and_a_contact_linked_to_it(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        billy = rig.expected.billy
        request = CaseCreate(customer_id=billy, subject="Duplicate charge", priority="high", contact_id="c-000042")
        case = await rig.backend.create_case(request, "case-1")
        assert (case.status, case.priority, case.contact_ids, case.customer_id) == ("open", "high", ["c-000042"], billy)
        assert (await rig.backend.create_case(request, "case-1")).id == case.id
        linked = await rig.backend.link_case(case.id, "c-000043", "link-1")
        assert linked.contact_ids == ["c-000042", "c-000043"]
        cases = (await rig.backend.customer_record(billy)).cases
        assert cases[0].id == case.id, "the newest open case first, once"
        assert [c.id for c in cases].count(case.id) == 1, "the newest open case first, once"
        stranger = CaseCreate(customer_id=rig.expected.unknown, subject="x")
        refusal = await refused(rig.backend.create_case(stranger, "case-2"))
        assert (refusal.status, refusal.retryable) == (rig.expected.case_for_stranger, False)


@every_backend
async def test_a_wrap_up_is_written_once_across_a_retry_with_the_same_key(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        billy = rig.expected.billy
        written = await rig.backend.log_interaction(wrap_up(billy), "wrap-1")
        retried = await rig.backend.log_interaction(wrap_up(billy), "wrap-1")
        assert retried == written
        assert len(rig.written("c-000042")) == 1
        assert (written.disposition, written.customer_id, written.contact_id) == ("Refund issued", billy, "c-000042")
        history = await rig.backend.list_interactions(billy)
        assert [i.id for i in history if i.contact_id == "c-000042"] == [written.id]
        assert history[0].id == written.id, "lists give a transcript's length only"
        assert history[0].transcript == [], "lists give a transcript's length only"
        whole = await rig.backend.interaction(written.id)
        if rig.backend.capabilities.history_transcripts:  # kept as items to open
            assert (written.transcript_count, written.private_notes) == (1, ["checked the ledger"])
            assert [line.text for line in whole.transcript] == ["Charged twice"]
        else:  # written into the text an agent reads in the CRM (Zendesk: the private comment's body)
            assert "Billy (customer): Charged twice" in (whole.notes or "")
            assert "- checked the ledger" in (whole.notes or "")
        assert "Refunded the duplicate charge." in (whole.notes or "")
        other_body = await refused(rig.backend.log_interaction(wrap_up(billy, "Something else"), "wrap-1"))
        assert other_body.message == "422 Idempotency-Key 'wrap-1' was already used with a different body or endpoint"
        assert len(rig.written("c-000042")) == 1
        note = await rig.backend.add_note(billy, "Prefers email.", "c-000042", "note-1")
        assert (await rig.backend.add_note(billy, "Prefers email.", "c-000042", "note-1")).id == note.id


@every_backend
async def test_who_ended_the_conversation_is_read_back_as_written(kind: str, tmp_path: Path) -> None:
    # The next agent reads in the history who ended it (the customer, not the agent): on every CRM, ticketing
    # systems' comments included (Request Tracker wrote and read none of it).
    async with crm_rig(kind, tmp_path) as rig:
        billy = rig.expected.billy
        written = await rig.backend.log_interaction(wrap_up(billy).model_copy(update={"ended_by": "customer"}), "w-e")
        assert written.ended_by == "customer"
        assert (await rig.backend.interaction(written.id)).ended_by == "customer"


@every_backend
async def test_a_supervision_record_goes_through_the_outbox_once_where_the_crm_keeps_them(
    kind: str, tmp_path: Path
) -> None:
    """The supervisor's desk records a silent monitor the agent's desk is never told of."""
    joined = SupervisionRecord(
        contact_id="c-000042",
        supervisor_id="supervisor",
        supervisor_name="Riley Chen",
        event="joined",
        mode=MonitorMode.MONITOR,
        at=AT,
        agent_id="agent-001",
        queue_id="billing",
        channel=Channel.CHAT,
    )
    left = joined.model_copy(update={"event": "left", "mode": None})
    async with crm_rig(kind, tmp_path) as rig:
        if not rig.backend.capabilities.supervision:  # the desk does not write them; a call is refused for good
            refusal = await refused(rig.backend.record_supervision(joined, "sup-1"))
            assert not refusal.retryable
            return
        # The supervisor's desk writes them with its own token; the agents' token may not.
        supervisors = HttpCrm(rig.url, DEMO_CRM_SUPERVISOR_TOKEN) if isinstance(rig, HttpCrmRig) else rig.backend
        if supervisors is not rig.backend:
            assert (await refused(rig.backend.record_supervision(joined, "sup-0"))).status == 403
        kept = await supervisors.record_supervision(joined, "sup-1")
        assert (await supervisors.record_supervision(joined, "sup-1")).id == kept.id, "a retry stores it once"
        assert kept.model_dump(exclude={"id", "created_at"}) == joined.model_dump()
        outbox = Outbox(tmp_path / "outbox.sqlite3")
        try:
            assert await asyncio.to_thread(enqueue_supervision, outbox, [left, left]) == 2
            assert await OutboxSender(outbox, supervisors).send_due() == 1, "the same leave seen twice: one entry"
            assert outbox.counts().sent == 0, "not the agent's write: not in their counts"
        finally:
            outbox.close()
            if supervisors is not rig.backend:
                await supervisors.aclose()
        with sqlite3.connect(rig.db_path) as db:
            rows = db.execute(
                "select event, mode from supervision where contact_id = 'c-000042' order by at, id"
            ).fetchall()
        assert rows == [("joined", "monitor"), ("left", None)]


@every_backend
async def test_a_wrap_up_is_written_once_across_a_restart_of_the_outbox(kind: str, tmp_path: Path) -> None:
    """The write lands, the desk dies before recording it; the desk restarted sends it again: one write."""
    async with crm_rig(kind, tmp_path) as rig:
        path = tmp_path / "outbox.db"
        outbox = Outbox(path)
        entry = enqueue_wrap_up(
            outbox,
            ended_chat("c-000077"),
            "agent-001",
            "Resolved",
            "Explained the bill.",
            rig.expected.billy,
            limits=rig.backend.limits,
        )
        with pytest.raises(Crashed):
            await OutboxSender(outbox, CrashAfterWrite(rig.backend)).send_due()  # type: ignore[arg-type]
        assert present(outbox.get(entry.key)).state is EntryState.PENDING
        assert len(rig.written("c-000077")) == 1
        outbox.close()

        restarted = Outbox(path)
        assert await OutboxSender(restarted, rig.restarted()).send_due() == 1
        assert present(restarted.get(entry.key)).state is EntryState.SENT
        assert len(rig.written("c-000077")) == 1, "sent twice, stored once"
        history = await rig.backend.list_interactions(rig.expected.billy)
        assert [i.disposition for i in history if i.contact_id == "c-000077"] == ["Resolved"]
        restarted.close()


@every_backend
async def test_a_server_error_is_retryable_and_the_retry_writes_once(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        billy = rig.expected.billy
        await rig.inject_faults(fail_status=503, count=1, methods=["POST"])
        failed = await refused(rig.backend.log_interaction(wrap_up(billy), "wrap-9"))
        assert (failed.status, failed.retryable) == (503, True)
        written = await rig.backend.log_interaction(wrap_up(billy), "wrap-9")
        assert [i.id for i in await rig.backend.list_interactions(billy) if i.contact_id == "c-000042"] == [written.id]
        assert len(rig.written("c-000042")) == 1
        await rig.inject_faults(fail_status=500, methods=["GET"])
        assert (await refused(rig.backend.lookup(BILLY_PHONE))).status == 500, "reads fail too while it lasts"
        await rig.inject_faults(methods=[])
        assert (await rig.backend.lookup(BILLY_PHONE)).customers


@every_backend
async def test_an_unattributed_wrap_up_is_stored_and_an_unknown_customer_is_refused(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        stored = await rig.backend.log_interaction(wrap_up(None), "wrap-anon")
        again = await rig.backend.log_interaction(wrap_up(None), "wrap-anon")
        assert stored.customer_id is None
        assert again.id == stored.id
        assert len(rig.written("c-000042")) == 1
        unknown = await refused(rig.backend.log_interaction(wrap_up(rig.expected.unknown), "wrap-x"))
        assert (unknown.message, unknown.retryable) == (rig.expected.unknown_on_write, False)


@pytest.mark.parametrize("kind", grouped(DOWN_KINDS))
async def test_a_server_down_delays_the_wrap_up_and_it_is_written_once_when_back(kind: str, tmp_path: Path) -> None:
    async with server_that_goes_down(kind, tmp_path) as (backend, server, written):
        assert (await backend.lookup(BILLY_PHONE)).customers
        server.stop()
        down = await refused(backend.lookup(BILLY_PHONE))
        assert down.retryable, down.message
        assert down.status is None, down.message
        assert "cannot reach" in down.message, down.message
        outbox = Outbox(tmp_path / "outbox.db")
        entry = enqueue_wrap_up(
            outbox, ended_chat("c-000088"), "agent-001", "Resolved", "Called back.", None, limits=backend.limits
        )
        # no customer id: the pop never answered; the sender finds the caller by address once the CRM is back
        sender = OutboxSender(outbox, backend, retry=Backoff(0.05, 0.2))
        await sender.send_due()
        pending = outbox.get(entry.key)
        assert present(pending).state is EntryState.PENDING
        assert "cannot reach" in (present(pending).last_error or "")

        server.start()  # the same port, the same data
        deadline = time.monotonic() + 10
        while present(outbox.get(entry.key)).state is EntryState.PENDING and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            await sender.send_due()
        assert present(outbox.get(entry.key)).state is EntryState.SENT
        assert len(written("c-000088")) == 1
        found = await backend.lookup(BILLY_PHONE)  # the pop's address found the caller: written on their record
        assert [i.contact_id for i in await backend.list_interactions(found.customers[0].id)].count("c-000088") == 1
        outbox.close()


@pytest.mark.parametrize("kind", SERVED_KINDS)  # in-process there is no HTTP client to wait anything out
async def test_a_rate_limit_is_waited_out_when_short_and_refused_retryable_when_long(kind: str, tmp_path: Path) -> None:
    async with crm_rig(kind, tmp_path) as rig:
        await rig.inject_faults(fail_status=429, retry_after_s=1, count=1, methods=["GET"])
        started = time.monotonic()
        assert [c.name for c in await rig.backend.search_customers("billy smith")] == ["Billy Smith"]
        waited = time.monotonic() - started
        assert rig.requests_met_by_faults() == 2, "429, Retry-After 1 s waited out, sent again"
        assert waited >= 0.95, "429, Retry-After 1 s waited out, sent again"

        await rig.inject_faults(fail_status=429, retry_after_s=30, count=1, methods=["POST"])
        impatient = rig.restarted(rate_limit_wait_s=2.0)  # Retry-After 30: longer than the backend waits
        started = time.monotonic()
        limited = await refused(impatient.log_interaction(wrap_up(rig.expected.billy), "wrap-429"))
        assert (limited.status, limited.retryable) == (429, True)
        assert "retry after 30 s" in limited.message
        assert time.monotonic() - started < 1.0, "nothing written, nothing waited"
        assert rig.written("c-000042") == [], "nothing written, nothing waited"
        assert (await impatient.log_interaction(wrap_up(rig.expected.billy), "wrap-429")).disposition == "Refund issued"
        assert len(rig.written("c-000042")) == 1, "the outbox's later send writes it once"


@every_backend
async def test_a_customer_who_opted_out_has_their_sms_consent_withdrawn_once_where_the_crm_keeps_it(
    kind: str, tmp_path: Path
) -> None:
    """What the desk writes when a CPaaS says the customer replied STOP (Twilio's 21610). Zendesk keeps consent in
    the account's checkbox user fields only; this rig names none, so there is nothing to write and the customer
    comes back as kept (tests/contract/zendesk/test_zendesk_consent.py clears a configured one)."""
    async with crm_rig(kind, tmp_path) as rig:
        crm = consent_withdrawals(rig.backend)
        assert crm is not None
        billy = rig.expected.billy
        first = await crm.withdraw_consent(billy, Channel.SMS, "opted out (Twilio error 21610)", "consent-1")
        again = await crm.withdraw_consent(billy, Channel.SMS, "opted out (Twilio error 21610)", "consent-1")
        if kind == "zendesk":
            assert first == again
            assert first.consent_sms is None
            return
        assert first == again
        assert first.consent_sms is False
        assert (await rig.backend.customer_record(billy)).customer.consent_sms is False
