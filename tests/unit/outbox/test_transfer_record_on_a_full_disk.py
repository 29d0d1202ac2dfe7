"""A blind transfer's record on a disk that refuses it: the contact leaves the agent's
hands, so nothing else on the desk would hold what the agent typed for the next agent. As a wrap-up does (the
outbox first, then the contact center), the record is written to the outbox first, held, and the transfer asked
for after: a disk that refuses the record leaves the contact with the agent, said in words, and the transfer is
made by itself when the disk has room, recorded once. A restart meanwhile loses nothing (the contact is still the
agent's). The disk is a fault-injecting layer under the real outbox: SQLite's own SQLITE_FULL while it is "full"."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent_desktop.domain.errors import BackendError
from agent_desktop.outbox.payloads import InteractionWrite
from agent_desktop.outbox.store import EntryKind, EntryState
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from tests.support.narrowing import of_kind
from tests.support.write_back_search import (
    SALES,
    Disk,
    Handle,
    Plan,
    Restart,
    WriteBackRun,
    Written,
    check,
    until,
)

TRANSFER = Handle(transfer=True, flag=False, callback=False, follow_up=False, evaluated=False)


def transfer_records(run: WriteBackRun, contact_id: str) -> int:
    return run.stored(Written("transfer record", contact_id))


async def test_a_transfer_on_a_full_disk_waits_with_the_agent_then_is_made_and_recorded_once(tmp_path: Path) -> None:
    run = WriteBackRun(tmp_path, Plan(0.0, []))
    run.customers = [c for c in await run.mocks.crm().search_customers("a") if c.consent_sms and c.phones]
    run.desk = running = run.start_desk()
    try:
        desk, controller = running.desk, running.controller
        await until(lambda: desk.agent is not None, "the agent's state")
        run.disk_full = run.outbox.full = True
        await run.handle(TRANSFER)
        [written] = run.ledger.writes
        running.take_notices()
        [said] = [text for text in run.ledger.said if "Sales" in text]
        assert "Not transferred to Sales yet" in said, said
        assert "disk full" in said, said
        assert "The contact stays with you" in said
        assert written.contact_id in desk.held  # still the agent's: nothing has left their hands unrecorded
        await asyncio.sleep(0.1)  # tried again meanwhile (every 0.02 s), refused again: said once, not once a try
        running.take_notices()
        assert [text for text in run.ledger.said if "Sales" in text] == [said]

        run.disk_full = run.outbox.full = False
        await until(lambda: written.contact_id not in desk.held, "transferred once the disk has room")
        await until(lambda: transfer_records(run, written.contact_id) == 1, "the record in the CRM")
        running.take_notices()
        assert any("The disk has room again: transferred to Sales" in text for text in run.ledger.said)
        await asyncio.sleep(0.1)
        assert transfer_records(run, written.contact_id) == 1
        assert controller.wrap_up.transfers_waiting_for_disk == {}
        assert run.outbox.held() == []
        entries = [e for e in run.outbox.recent() if e.kind is EntryKind.INTERACTION]
        assert [e.contact_id for e in entries] == [written.contact_id]
        assert (
            "Note for the next agent: Note transfer1" in of_kind(entries[0].payload, InteractionWrite).interaction.notes
        )
        crm = run.mocks.crm_app.state.crm.db.conn
        said = "select ended_by from interactions where contact_id = ? and disposition = 'Transferred'"
        assert crm.execute(said, [written.contact_id]).fetchall() == [("transfer",)], "its history: ended by a transfer"
    finally:
        await running.stop()
        run.outbox.close()
        await run.close()


async def test_a_transfer_refused_by_a_full_disk_then_a_restart_loses_no_record(tmp_path: Path) -> None:
    """Was lost before: the transfer was made, its record waited in memory, the restart dropped it."""
    run = WriteBackRun(tmp_path, Plan(0.0, [Disk(full=True), TRANSFER, Restart()]))
    try:
        check(run, await run.play())
        [written] = run.ledger.writes
        assert transfer_records(run, written.contact_id) == 1
    finally:
        await run.close()


async def test_a_record_held_by_a_desk_that_stopped_is_sent_if_the_transfer_was_made(tmp_path: Path) -> None:
    """A desk killed between the transfer and settling its record: at the next start the contact center says
    whether it was made (the contact is no longer the agent's: the record is sent) or not (still theirs: dropped)."""
    run = WriteBackRun(tmp_path, Plan(0.0, []))
    customers = [c for c in await run.mocks.crm().search_customers("a") if c.consent_sms and c.phones]
    run.desk = running = run.start_desk()
    try:
        desk, controller = running.desk, running.controller
        await until(lambda: desk.agent is not None, "the agent's state")
        await controller.go_available()
        mine = await run.mocks.place_call(customers[0].phones[0], queue_id="billing", subject="Still mine")
        await until(lambda: desk.offer is not None and desk.offer.contact.id == mine.id, "the offer")
        await controller.accept()
        await until(lambda: mine.id in desk.held, "the call in hand")
        given_away = await run.mocks.place_call(customers[1].phones[0], queue_id="sales", subject="Given away")
        for contact in (desk.held[mine.id].contact, given_away):  # what a desk killed mid-transfer leaves
            await asyncio.to_thread(
                enqueue_wrap_up,
                run.outbox,
                contact,
                "agent",
                "Transferred",
                "Transferred to Sales.",
                None,
                dedupe=f"transfer:{contact.id}:0",
                held=True,
            )
        await running.stop()
        run.outbox.close()

        run.desk = run.start_desk()
        await until(lambda: run.outbox.held() == [], "the held records settled at start")
        await until(lambda: transfer_records(run, given_away.id) == 1, "the transfer made: its record sent")
        assert transfer_records(run, mine.id) == 0

        def unsent() -> list[str | None]:
            return [e.contact_id for e in run.outbox.recent(500) if e.state is not EntryState.SENT]

        await until(lambda: unsent() == [], "the released record marked sent (the CRM has it already)")
    finally:
        await run.desk.stop()
        run.outbox.close()
        await run.close()


async def test_a_transfer_pressed_again_while_the_first_is_under_way_keeps_its_record(tmp_path: Path) -> None:
    """The disk-retry loop makes a waiting transfer as the agent presses transfer again (what the write-back search
    found): both shared one held record, and the second's refusal (409: the contact was on its way out) discarded
    the record of the first, which was then made. One transfer at a time per contact; the record written once.
    The first transfer's answer is held back until the second has been tried; the second is refused as the
    contact center refuses a contact it is moving."""
    run = WriteBackRun(tmp_path, Plan(0.0, []))
    run.customers = [c for c in await run.mocks.crm().search_customers("a") if c.consent_sms and c.phones]
    run.desk = running = run.start_desk()
    try:
        desk, controller = running.desk, running.controller
        await until(lambda: desk.agent is not None, "the agent's state")
        await controller.go_available()
        call = await run.mocks.place_call(run.customers[0].phones[0], queue_id="billing", subject="Twice")
        await until(lambda: desk.offer is not None and desk.offer.contact.id == call.id, "the offer")
        await controller.accept()
        await until(lambda: call.id in desk.held, "the call in hand")
        center = controller.contact_center
        original, gate, calls = center.transfer_contact, asyncio.Event(), []

        async def transfer_contact(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(args)
            if len(calls) > 1:
                raise BackendError("contact center", "409 contact is transferring", 409, "transferring")
            await gate.wait()
            return await original(*args, **kwargs)

        center.transfer_contact = transfer_contact  # type: ignore[method-assign]
        wrap_up = controller.wrap_up
        first = asyncio.create_task(wrap_up.transfer_away(call.id, SALES, "twice"))
        await until(lambda: len(calls) == 1, "the first transfer asked for")
        await wrap_up.transfer_away(call.id, SALES, "twice")  # pressed again meanwhile
        gate.set()
        await first
        await until(lambda: call.id not in desk.held, "transferred")
        await until(lambda: transfer_records(run, call.id) == 1, "the transfer's record in the CRM")
        assert run.outbox.held() == []
        assert len(calls) == 1
        running.take_notices()
        assert any("A transfer of this contact is under way" in text for text in run.ledger.said)
    finally:
        await running.stop()
        run.outbox.close()
        await run.close()


async def test_a_transfer_whose_answer_was_lost_keeps_its_record_if_it_was_made(tmp_path: Path) -> None:
    """The contact center made the transfer, and its answer never came (a timeout): the record was discarded with
    the transfer taken as not made, and the contact left the desk unrecorded. The desk now asks the contact center
    whose the contact is before it decides."""
    run = WriteBackRun(tmp_path, Plan(0.0, []))
    run.customers = [c for c in await run.mocks.crm().search_customers("a") if c.consent_sms and c.phones]
    run.desk = running = run.start_desk()
    try:
        desk, controller = running.desk, running.controller
        await until(lambda: desk.agent is not None, "the agent's state")
        await controller.go_available()
        call = await run.mocks.place_call(run.customers[0].phones[0], queue_id="billing", subject="Lost answer")
        await until(lambda: desk.offer is not None and desk.offer.contact.id == call.id, "the offer")
        await controller.accept()
        await until(lambda: call.id in desk.held, "the call in hand")
        center = controller.contact_center
        original = center.transfer_contact

        async def transfer_contact(*args, **kwargs):  # type: ignore[no-untyped-def]
            await original(*args, **kwargs)  # made; the answer is lost on the way back, as write_back_faults loses one
            raise BackendError("contact center", "cannot reach contact center (timed out)")

        center.transfer_contact = transfer_contact  # type: ignore[method-assign]
        desk.selected_id = call.id
        await controller.transfer(SALES, note="lost answer")
        await until(lambda: call.id not in desk.held, "transferred")
        await until(lambda: transfer_records(run, call.id) == 1, "the transfer's record in the CRM")
        assert run.outbox.held() == []
    finally:
        await running.stop()
        run.outbox.close()
        await run.close()
