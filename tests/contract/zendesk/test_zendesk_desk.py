"""The desk on the Zendesk-shaped mock where Zendesk's documented behaviour reaches the agent:

- a 429's Retry-After is tens of seconds on Zendesk ("Rate limits": wait the Retry-After interval): the outbox
  keeps every write, sends nothing during the wait, says "Zendesk rate limit: retrying in N s", and writes each
  entry once afterwards; a screen pop says it waits, then pops;
- a new-caller form naming an existing customer's email offers that customer to pick, changing nothing.

The mock runs in process on a clock the test steps: nothing waits a rate limit's minute for real.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop.adapters.zendesk.crm import ZENDESK_CAPABILITIES, ZendeskCrm
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import CaseCreate, Channel, Contact, ContactState, NewCustomer
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.zendesk.app import create_app
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, ZendeskMockSettings
from tests.contract.zendesk_contract import ContractTransport
from tests.support.desk_events import AGENT_ID, contact_event, offer_event
from tests.support.narrowing import present
from tests.support.stepped_clock import SteppedClock

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
BILLY = "4"  # seed 7's caller 3: Billy Smith, billy.smith3@example.com


class Zendesk:
    def __init__(self, tmp_path: Path, **options: Any) -> None:
        self.clock = SteppedClock()
        self.db_path = tmp_path / "crm.db"
        settings = MockSettings(data_dir=tmp_path, seed=7, customers=60, simulator=False, fresh=True)
        self.app = app = create_app(settings, ZendeskMockSettings(**options), clock=self.clock)
        self.transport = ContractTransport(httpx.ASGITransport(app=app))
        self.crm = ZendeskCrm("http://zendesk.test", DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=self.transport)

    def ticket_updates(self, ticket_id: str) -> int:
        """Update Ticket requests the mock let through for the ticket (what counts against its limits)."""
        updates: int = self.app.state.zendesk_ticket_updates.updates[int(ticket_id)]
        return updates

    def statuses(self) -> list[int]:
        return [status for _, _, status in self.transport.exchanges]

    def tickets_tagged(self, contact_id: str) -> int:
        with sqlite3.connect(self.db_path) as db:
            count: int = db.execute("select count(*) from case_contacts where contact_id = ?", [contact_id]).fetchone()[
                0
            ]
            return count


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[Zendesk]:
    zendesk = Zendesk(tmp_path, rate_limit=3)  # a Team plan's 200 a minute, shrunk to a test's size
    yield zendesk
    await zendesk.crm.aclose()


def ended_call(contact_id: str) -> Contact:
    return Contact(
        id=contact_id,
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address="+15125550100",
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=AT,
        offered_at=AT,
        answered_at=AT,
        ended_at=AT,
    )


async def test_a_long_retry_after_holds_the_outbox_and_every_write_lands_once(limited: Zendesk, tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    keys = [
        enqueue_wrap_up(
            outbox, ended_call(f"c-{n}"), AGENT_ID, "Resolved", f"Call {n}.", BILLY, limits=limited.crm.limits
        ).key
        for n in (1, 2, 3)
    ]
    sender = OutboxSender(outbox, limited.crm, clock=limited.clock.time)
    await sender.send_due()  # c-1 takes two requests, c-2 one more, then 429 on its ticket
    first, second, third = (outbox.get(key) for key in keys)
    assert present(first).state is EntryState.SENT
    assert present(second).state is EntryState.PENDING
    assert 429 in limited.statuses()
    said = re.fullmatch(r"Zendesk rate limit: retrying in (\d+) s", present(second).last_error or "")
    assert said, present(second).last_error
    assert 55 <= int(said[1]) <= 60, present(second).last_error
    assert present(second).next_attempt_at >= limited.clock.time() + 55, "not before Zendesk said"
    assert present(third).attempts == 0, "the rest wait too, untried"
    assert present(third).state is EntryState.PENDING, "the rest wait too, untried"

    sent = len(limited.statuses())
    assert await sender.send_due() == 0, "nothing sent while it lasts"
    assert len(limited.statuses()) == sent, "nothing sent while it lasts"
    for _ in range(3):  # each minute's three requests, then the next minute
        limited.clock.step(60)
        await sender.send_due()
    assert [present(outbox.get(key)).state for key in keys] == [EntryState.SENT] * 3
    assert [limited.tickets_tagged(f"c-{n}") for n in (1, 2, 3)] == [1, 1, 1], "each written once"
    outbox.close()


async def test_a_rate_limited_screen_pop_says_it_waits_then_pops(tmp_path: Path) -> None:
    # A new caller's pop is two requests (the search, then the number's user read directly): a minute of two.
    zendesk = Zendesk(tmp_path, rate_limit=2)
    await zendesk.crm.check_access()
    await zendesk.crm.check_access()  # the minute's requests, spent
    controller = DeskController(Desk(AGENT_ID), None, zendesk.crm, None, Outbox(tmp_path / "outbox.db"))  # type: ignore[arg-type]
    said: list[tuple[str | None, float]] = []

    async def wait(seconds: float) -> None:
        said.append((controller.desk.lookups["c-1"].waiting, seconds))
        zendesk.clock.step(seconds)

    controller.caller.sleep = wait  # type: ignore[assignment]  # one signature in place of asyncio.sleep's overloads
    controller.receive(offer_event("c-1", 1))
    for _ in range(200):
        if controller.desk.lookups["c-1"].done:
            break
        await asyncio.sleep(0.01)
    lookup = controller.desk.lookups["c-1"]
    assert len(said) == 1
    assert 55 <= said[0][1] <= 60
    assert said[0][0] == f"Zendesk rate limit: looking up again in {said[0][1]:.0f} s"
    assert lookup.done
    assert lookup.error is None
    assert lookup.waiting is None
    assert lookup.new_caller
    await controller.aclose()
    await zendesk.crm.aclose()


async def test_a_new_caller_form_with_a_customers_email_offers_them_and_changes_nothing(tmp_path: Path) -> None:
    zendesk = Zendesk(tmp_path)
    controller = DeskController(Desk(AGENT_ID), None, zendesk.crm, None, Outbox(tmp_path / "outbox.db"))  # type: ignore[arg-type]
    controller.receive(offer_event("c-1", 1))
    for _ in range(200):
        if controller.desk.lookups["c-1"].done:
            break
        await asyncio.sleep(0.01)
    assert controller.desk.lookups["c-1"].new_caller
    form = NewCustomer(name="B Smith", phones=["+1 212 555 0199"], emails=["billy.smith3@example.com"])
    said = await controller.caller.create_customer("c-1", form)
    assert (
        said == "Not created: 422 billy.smith3@example.com is already Billy Smith's email in Zendesk: pick them instead"
    )
    lookup = controller.desk.lookups["c-1"]
    assert [c.id for c in lookup.candidates] == [BILLY], "p picks Billy"
    assert lookup.needs_pick, "p picks Billy"
    billy = (await zendesk.crm.customer_record(BILLY)).customer
    assert (billy.name, billy.phones) == ("Billy Smith", ["+15125550100"])
    await controller.aclose()
    await zendesk.crm.aclose()


async def test_a_ticket_past_its_updates_holds_the_wrap_up_then_writes_it_once(tmp_path: Path) -> None:
    zendesk = Zendesk(tmp_path)
    outbox = Outbox(tmp_path / "outbox.db")
    case = await zendesk.crm.create_case(CaseCreate(customer_id=BILLY, subject="Refund", contact_id="c-9"), "case-1")
    for n in range(30):  # Zendesk's 30 updates per 10 minutes per user per ticket, spent on this one
        await zendesk.crm.link_case(case.id, "c-9", f"link-{n}")
    entry = enqueue_wrap_up(
        outbox, ended_call("c-9"), AGENT_ID, "Resolved", "Refunded.", BILLY, limits=zendesk.crm.limits
    )
    sender = OutboxSender(outbox, zendesk.crm, clock=zendesk.clock.time)
    waited = 0
    for _ in range(4):  # bounded: the desk waits at most RETRY_AFTER_MAX_S at a time, then asks again
        await sender.send_due()
        held = outbox.get(entry.key)
        if present(held).state is EntryState.SENT:
            break
        said = re.fullmatch(r"Zendesk rate limit: retrying in (\d+) s", present(held).last_error or "")
        assert said, present(held).last_error
        assert present(held).next_attempt_at >= zendesk.clock.time() + int(said[1]) - 1, present(held).last_error
        assert await sender.send_due() == 0, "nothing sent before the wait has passed"
        zendesk.clock.step(int(said[1]))
        waited += int(said[1])
    assert present(outbox.get(entry.key)).state is EntryState.SENT
    assert 580 <= waited <= 601, "sent once the ticket's 10 minutes were over, not before"
    notes = [i.notes for i in await zendesk.crm.list_interactions(BILLY) if i.contact_id == "c-9"]
    assert sum("Refunded." in (text or "") for text in notes) == 1, "written once"
    outbox.close()
    await zendesk.crm.aclose()


async def test_a_contact_linked_to_a_case_and_wrapped_up_is_one_ticket_update(tmp_path: Path) -> None:
    """Update Ticket's limits count every PUT (docs/vendors/zendesk.md): the case link's tag and the wrap-up's
    comment go in one (Tickets: a comment is added by including it in the ticket object of an update, beside
    `additional_tags`). Before, they were two, the tag at once and the comment at the wrap-up."""
    zendesk = Zendesk(tmp_path)
    outbox = Outbox(tmp_path / "outbox.db")
    case = await zendesk.crm.create_case(CaseCreate(customer_id=BILLY, subject="Refund", contact_id="c-0"), "case-1")
    desk = Desk(AGENT_ID, crm_capabilities=ZENDESK_CAPABILITIES)
    controller = DeskController(desk, None, zendesk.crm, None, outbox)  # type: ignore[arg-type]
    sender = OutboxSender(outbox, zendesk.crm, clock=zendesk.clock.time)
    try:
        controller.receive(contact_event("c-9", ContactState.CONNECTED))
        assert "c-9" in desk.held
        await controller.caller.link_case("c-9", case.id)
        await sender.send_due()
        assert zendesk.ticket_updates(case.id) == 0, "the link waits for the wrap-up"
        notices = [n.text for n in desk.take_changes().notices]
        assert any("written to the CRM with the wrap-up" in text for text in notices), notices

        entry = enqueue_wrap_up(outbox, ended_call("c-9"), AGENT_ID, "Resolved", "Refunded.", BILLY)
        assert await sender.send_due() == 1
        assert present(outbox.get(entry.key)).state is EntryState.SENT
        assert zendesk.ticket_updates(case.id) == 1, "the tag and the comment in one update"
        assert zendesk.tickets_tagged("c-9") == 1, "the contact linked to the case"
        linked = [i for i in await zendesk.crm.list_interactions(BILLY) if i.contact_id == "c-9"]
        assert [present(i.notes).count("Refunded.") for i in linked] == [1]
        assert outbox.counts().pending == 0
        assert outbox.held() == []
    finally:
        await controller.aclose()
        outbox.close()
        await zendesk.crm.aclose()
