"""A CRM's front end answering `200 OK` with an HTML maintenance page: on Zendesk and on the mock CRM's
HTTP client, the desk says so in words, the outbox keeps the write and sends it again later, and nothing crashes.

Zendesk's side is searched (hypothesis): which of the desk's requests meet the page, and whether Zendesk had
done the request before its front end's page came back instead of the answer (a write made, its answer lost).
The page is answered between the backend and the contract transport, so every request that reaches the
Zendesk-shaped mock and every answer it gives are still checked against the fragment.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.wire.written_marker import marker_of
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Channel, Contact, ContactState, InteractionCreate
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, EntryState, Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.crm.faults import MAINTENANCE_PAGE
from agent_desktop_mocks.zendesk.app import create_app
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, ZendeskMockSettings
from tests.contract.zendesk_contract import ContractTransport
from tests.support.hypothesis_profiles import examples
from tests.support.protocol_rigs.crm import crm_rig
from tests.support.protocol_rigs.refusals import refused
from tests.support.stepped_clock import SteppedClock

ZENDESK_SAYS = "Zendesk answered an HTML page, not JSON: maintenance?"
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
BILLY, BILLY_PHONE = "4", "+15125550100"  # seeded caller 3 of seed 7 (Zendesk's user 4)


class MaintenancePage(httpx.AsyncBaseTransport):
    """Answers the chosen requests (by their number, from 0) with the maintenance page: `before` ones never
    reach Zendesk, `after` ones do, and their answer is replaced by the page."""

    def __init__(self, inner: httpx.AsyncBaseTransport, before: set[int], after: set[int]) -> None:
        self.inner, self.before, self.after = inner, before, after
        self.sent = 0
        self.pages = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        number, self.sent = self.sent, self.sent + 1
        if number not in self.before:
            answer = await self.inner.handle_async_request(request)
            if number not in self.after:
                return answer
        self.pages += 1
        return httpx.Response(
            200, headers={"Content-Type": "text/html; charset=utf-8"}, content=MAINTENANCE_PAGE.encode()
        )


def _keys_written(db_path: Path) -> list[str]:
    """The outbox keys on the comments the desk wrote, read from the mock's own database."""
    with sqlite3.connect(db_path) as db:
        markers = [marker_of(row[0]) for row in db.execute("select body from zendesk_comments")]
    return sorted(m["key"] for m in markers if "key" in m)


def wrap_up(customer_id: str) -> InteractionCreate:
    return InteractionCreate(
        customer_id=customer_id,
        contact_id="c-000042",
        channel=Channel.VOICE,
        agent_id="agent-001",
        queue_id="billing",
        answered_at=AT,
        ended_at=AT,
        disposition="Resolved",
        notes="Refunded.",
    )


def ended_call(contact_id: str) -> Contact:
    return Contact(
        id=contact_id,
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address=BILLY_PHONE,
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=AT,
        offered_at=AT,
        answered_at=AT,
        ended_at=AT,
    )


async def _wrap_up_and_note_through_a_maintenance_window(folder: Path, before: set[int], after: set[int]) -> None:
    clock = SteppedClock()
    app = create_app(
        MockSettings(data_dir=folder, seed=7, customers=30, simulator=False, fresh=True),
        ZendeskMockSettings(),
        clock=clock,
    )
    page = MaintenancePage(ContractTransport(httpx.ASGITransport(app=app)), before, after)
    crm = ZendeskCrm("http://zendesk.test", DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=page)
    outbox = Outbox(folder / "outbox.db")
    try:
        try:  # the desk's start-up check meets the page too: refused in words, never an exception of another kind
            await crm.check_access()
        except BackendError as error:
            assert error.message == ZENDESK_SAYS
            assert error.retryable
        # The caller not yet known (the pop never answered): the sender looks them up first, then writes.
        wrap = enqueue_wrap_up(
            outbox, ended_call("c-41"), "agent-001", "Resolved", "Refunded.", None, limits=crm.limits
        )
        note = outbox.add(
            EntryKind.NOTE, {"customer_id": BILLY, "text": "Call back Friday.", "contact_id": "c-41"}, contact_id="c-41"
        )
        sender = OutboxSender(outbox, crm, retry=Backoff(1.0, 1.0), clock=clock.time)
        for _ in range(len(before | after) + 2):  # each page fails one attempt at most
            pages = page.pages
            await sender.send_due()  # raises nothing: a page is a BackendError the sender keeps the entry for
            for entry in (outbox.get(wrap.key), outbox.get(note.key)):
                assert entry is not None, "the entry is still in the outbox"
                assert entry.state is not EntryState.FAILED, entry.last_error
                if entry.state is EntryState.PENDING and entry.attempts:
                    assert entry.last_error == ZENDESK_SAYS, "kept, with the reason shown"
            if page.pages == pages and all(outbox.get(k).state is EntryState.SENT for k in (wrap.key, note.key)):  # type: ignore[union-attr]
                break
            clock.step(5)
        assert [outbox.get(k).state for k in (wrap.key, note.key)] == [EntryState.SENT] * 2  # type: ignore[union-attr]
        assert _keys_written(folder / "crm.db") == sorted([wrap.key, note.key]), (
            "each written once, whatever pages met it"
        )
    finally:
        outbox.close()
        await crm.aclose()


@settings(max_examples=examples(20))
@given(
    st.sets(st.integers(0, 14), max_size=6),
    st.sets(st.integers(0, 14), max_size=3),
)
def test_a_zendesk_maintenance_page_is_said_kept_and_sent_once_it_ends(before: set[int], after: set[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_wrap_up_and_note_through_a_maintenance_window(Path(folder), before, after - before))


async def test_every_zendesk_read_and_write_meets_the_page_as_words(tmp_path: Path) -> None:
    always = MaintenancePage(
        httpx.MockTransport(lambda request: httpx.Response(500)), before=set(range(100)), after=set()
    )
    crm = ZendeskCrm("http://zendesk.test", DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=always)
    calls: list[Callable[[], Awaitable[object]]] = [
        crm.check_access,
        lambda: crm.lookup(BILLY_PHONE),
        lambda: crm.search_customers("billy"),
        lambda: crm.customer_record(BILLY),
        lambda: crm.list_interactions(BILLY),
        lambda: crm.interaction("1:c1"),
        lambda: crm.log_interaction(wrap_up(BILLY), "wrap-1"),
    ]
    for call in calls:
        error = await refused(call())
        assert (error.message, error.retryable) == (ZENDESK_SAYS, True)
    await crm.aclose()


async def test_the_mock_crms_maintenance_page_is_said_kept_and_sent_once_it_ends(tmp_path: Path) -> None:
    async with crm_rig("http", tmp_path) as rig:
        crm = rig.backend
        assert isinstance(crm, HttpCrm)
        await rig.inject_faults(maintenance_page=True, methods=["GET", "POST"])
        calls: list[Callable[[], Awaitable[object]]] = [
            crm.check_access,
            lambda: crm.lookup(BILLY_PHONE),
            lambda: crm.log_interaction(wrap_up(rig.expected.billy), "wrap-1"),
        ]
        for call in calls:
            error = await refused(call())
            assert (error.message, error.retryable) == ("CRM answered an HTML page, not JSON: maintenance?", True)

        outbox = Outbox(tmp_path / "outbox.db")
        entry = enqueue_wrap_up(
            outbox, ended_call("c-000041"), "agent-001", "Resolved", "Refunded.", rig.expected.billy
        )
        clock = SteppedClock()
        sender = OutboxSender(outbox, crm, retry=Backoff(1.0, 1.0), clock=clock.time)
        await sender.send_due()
        kept = outbox.get(entry.key)
        assert kept is not None
        assert kept.state is EntryState.PENDING
        assert kept.last_error == "CRM answered an HTML page, not JSON: maintenance?"
        await rig.inject_faults(methods=[])
        clock.step(5)
        await sender.send_due()
        assert outbox.get(entry.key).state is EntryState.SENT  # type: ignore[union-attr]
        assert len(rig.written("c-000041")) == 1
        outbox.close()
