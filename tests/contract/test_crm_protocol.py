"""The `Crm` protocol suite: every scenario on the HTTP client (real mock CRM on loopback) and on the
in-process backend over the CRM's store, asserting the same answers from both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.backends.models import CaseCreate, Channel, InteractionCreate, NewCustomer, TranscriptLine
from tests.support.protocol_rigs.contact_center import KINDS
from tests.support.protocol_rigs.crm import crm_rig
from tests.support.protocol_rigs.refusals import refused

pytestmark = pytest.mark.parametrize("kind", KINDS)

BILLY = "cus-000004"  # seeded caller 3 of seed 7: Billy Smith, +1 512 555 0100, billy.smith3@example.com
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)



def wrap_up(notes: str = "Refunded the duplicate charge.", customer_id: str | None = BILLY) -> InteractionCreate:
    return InteractionCreate(
        customer_id=customer_id, contact_id="c-000042", channel=Channel.CHAT, agent_id="agent-001", queue_id="billing",
        answered_at=AT, ended_at=AT, disposition="Refund issued", notes=notes,
        transcript=[TranscriptLine(role="customer", name="Billy", text="Charged twice", at=AT)],
        private_notes=["checked the ledger"],
    )


async def test_a_caller_is_found_by_phone_in_any_written_form_and_by_email(kind, tmp_path):
    async with crm_rig(kind, tmp_path) as rig:
        for written in ("+15125550100", "(512) 555-0100", "512.555.0100", "+1 512 555 0100", "5125550100"):
            found = await rig.backend.lookup(written)
            assert (found.matched_on, [c.id for c in found.customers]) == ("phone", [BILLY]), written
            assert found.record is not None and found.record.customer.name == "Billy Smith"
            assert found.record.matched_on == "phone" and found.record.account is not None
        by_email = await rig.backend.lookup("Billy.Smith3@Example.COM")
        assert (by_email.matched_on, [c.id for c in by_email.customers]) == ("email", [BILLY])
        record = await rig.backend.customer_record(BILLY)
        assert record.matched_on is None and record.customer.phones == ["+15125550100"]
        assert [c.id for c in await rig.backend.search_customers("billy smith")] == [BILLY]


async def test_a_shared_line_gives_every_match_and_no_record(kind, tmp_path):
    async with crm_rig(kind, tmp_path) as rig:
        first = await rig.backend.create_customer(NewCustomer(name="Kai Lee", phones=["+1 808 555 0079"]), "new-1")
        again = await rig.backend.create_customer(NewCustomer(name="Kai Lee", phones=["+1 808 555 0079"]), "new-1")
        assert again.id == first.id and first.phones == ["+18085550079"], "stored once, in E.164"
        second = await rig.backend.create_customer(NewCustomer(name="Noa Lee", phones=["808-555-0079"]))
        found = await rig.backend.lookup("(808) 555-0079")
        assert (found.matched_on, [c.id for c in found.customers], found.record) == ("phone", [first.id, second.id], None)


async def test_a_new_caller_matches_nobody_and_an_unreadable_address_is_refused(kind, tmp_path):
    async with crm_rig(kind, tmp_path) as rig:
        nobody = await rig.backend.lookup("+1 212 555 0042")
        assert (nobody.matched_on, nobody.customers, nobody.record) == (None, [], None)
        assert (await rig.backend.lookup("nobody@example.org")).customers == []
        bad = await refused(rig.backend.lookup("not an address"))
        assert bad.message == "422 address 'not an address' is neither a phone number nor an email address"
        assert (await refused(rig.backend.customer_record("cus-999999"))).message == "404 no customer cus-999999"


async def test_a_case_is_opened_once_across_a_retry_and_a_contact_linked_to_it(kind, tmp_path):
    async with crm_rig(kind, tmp_path) as rig:
        request = CaseCreate(customer_id=BILLY, subject="Duplicate charge", priority="high", contact_id="c-000042")
        case = await rig.backend.create_case(request, "case-1")
        assert (case.status, case.priority, case.contact_ids) == ("open", "high", ["c-000042"])
        assert (await rig.backend.create_case(request, "case-1")).id == case.id
        linked = await rig.backend.link_case(case.id, "c-000043", "link-1")
        assert linked.contact_ids == ["c-000042", "c-000043"]
        assert (await rig.backend.customer_record(BILLY)).cases[0].id == case.id, "open cases first"
        stranger = CaseCreate(customer_id="cus-999999", subject="x")
        assert (await refused(rig.backend.create_case(stranger, "case-2"))).status == 404


async def test_a_wrap_up_is_written_once_across_a_retry_with_the_same_key(kind, tmp_path):
    async with crm_rig(kind, tmp_path) as rig:
        written = await rig.backend.log_interaction(wrap_up(), "wrap-1")
        retried = await rig.backend.log_interaction(wrap_up(), "wrap-1")
        assert retried == written
        assert (written.transcript_count, written.disposition, written.private_notes) == (1, "Refund issued", ["checked the ledger"])
        history = await rig.backend.list_interactions(BILLY)
        assert [i.id for i in history if i.contact_id == "c-000042"] == [written.id]
        assert history[0].id == written.id and history[0].transcript == [], "lists give a transcript's length only"
        whole = await rig.backend.interaction(written.id)
        assert [line.text for line in whole.transcript] == ["Charged twice"]
        other_body = await refused(rig.backend.log_interaction(wrap_up("Something else"), "wrap-1"))
        assert other_body.message == "422 Idempotency-Key 'wrap-1' was already used with a different body or endpoint"
        note = await rig.backend.add_note(BILLY, "Prefers email.", "c-000042", "note-1")
        assert (await rig.backend.add_note(BILLY, "Prefers email.", "c-000042", "note-1")).id == note.id


async def test_a_server_error_is_retryable_and_the_retry_writes_once(kind, tmp_path):
    async with crm_rig(kind, tmp_path) as rig:
        await rig.inject_faults(fail_status=503, count=1, methods=["POST"])
        failed = await refused(rig.backend.log_interaction(wrap_up(), "wrap-9"))
        assert (failed.status, failed.retryable) == (503, True)
        written = await rig.backend.log_interaction(wrap_up(), "wrap-9")
        assert [i.id for i in await rig.backend.list_interactions(BILLY) if i.contact_id == "c-000042"] == [written.id]
        await rig.inject_faults(fail_status=500, methods=["GET"])
        assert (await refused(rig.backend.lookup("+15125550100"))).status == 500, "reads fail too while it lasts"
        await rig.inject_faults(methods=[])
        assert (await rig.backend.lookup("+15125550100")).customers


async def test_an_unattributed_wrap_up_is_stored_and_an_unknown_customer_is_refused(kind, tmp_path):
    async with crm_rig(kind, tmp_path) as rig:
        stored = await rig.backend.log_interaction(wrap_up(customer_id=None), "wrap-anon")
        assert stored.customer_id is None
        unknown = await refused(rig.backend.log_interaction(wrap_up(customer_id="cus-999999"), "wrap-x"))
        assert unknown.message == "404 no customer cus-999999"
