"""The outbox and its sender against the real CRM server: stored first, sent once, refusals kept visible."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import httpx
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.domain.models import Channel, Contact, ContactState
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.payloads import InteractionWrite
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, EntryState, Outbox, OutboxEntry
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.narrowing import of_kind

AUTH = {"Authorization": "Bearer demo-crm-token"}


def contact(contact_id: str, address: str) -> Contact:
    moment = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    return Contact(
        id=contact_id,
        channel=Channel.CHAT,
        queue_id="billing",
        queue_name="Billing",
        from_address=address,
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=moment,
        offered_at=moment,
        answered_at=moment,
        ended_at=moment,
    )


@given(st.integers(0, 60), st.floats(0, 1))
def test_backoff_grows_exponentially_with_jitter_and_is_capped(attempts: int, draw: float) -> None:
    wait = Backoff(base_s=0.5, cap_s=30.0).wait_s(attempts, draw=lambda: draw)
    step = min(30.0, 0.5 * 2**attempts)
    assert 0.1 * step <= wait <= step <= 30.0


def test_saving_the_same_wrap_up_twice_keeps_one_entry_with_masked_notes(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    first = enqueue_wrap_up(
        outbox, contact("c-1", "ann@example.com"), "agent-001", "Resolved", "card 4111111111111111", None
    )
    again = enqueue_wrap_up(outbox, contact("c-1", "ann@example.com"), "agent-001", "Resolved", "changed", None)
    assert again.key == first.key
    assert outbox.counts().pending == 1
    assert of_kind(first.payload, InteractionWrite).interaction.notes == "card •••• 1111", (
        "the card number never reaches the file"
    )
    assert "4111111111111111" not in (tmp_path / "outbox.db").read_bytes().decode("latin-1")
    outbox.close()


async def test_a_known_caller_an_unknown_caller_and_a_refused_write(
    tmp_path: Path, crm_url: str, mock_settings: MockSettings
) -> None:
    from agent_desktop_mocks.demo_people import callers

    known = callers(mock_settings.seed, mock_settings.customers)[2]
    outbox = Outbox(tmp_path / "outbox.db")
    crm = HttpCrm(crm_url, "demo-crm-token")
    changes = []
    sender = OutboxSender(outbox, crm, retry=Backoff(0.05, 0.2), on_change=lambda: changes.append(1))
    # The screen pop failed (no customer id): the sender finds the caller by address.
    enqueue_wrap_up(outbox, contact("c-known", known.email.upper()), "agent-001", "Resolved", "known", None)
    # Nobody has this number: the sender creates the customer (under a key, so once).
    enqueue_wrap_up(outbox, contact("c-new", "+1 312 555 0077"), "agent-001", "Resolved", "new", None)
    # The CRM refuses this one (no such customer): failed, not retried for ever.
    outbox.add(EntryKind.NOTE, {"customer_id": "cus-999999", "text": "x"}, contact_id="c-x", label="note")
    assert await sender.send_due() == 3
    states = {e.contact_id: e for e in outbox.recent()}
    assert states["c-known"].state is EntryState.SENT
    assert states["c-new"].state is EntryState.SENT
    assert states["c-x"].state is EntryState.FAILED
    assert "404" in (states["c-x"].last_error or "")
    assert len(changes) == 3
    assert await sender.send_due() == 0

    with httpx.Client(base_url=crm_url, headers=AUTH) as client:
        found = client.get("/v1/customers/lookup", params={"address": "3125550077"}).json()["customers"]
        assert [c["name"] for c in found] == ["New caller +1 312 555 0077"]
        assert [i["notes"] for i in client.get(f"/v1/customers/{found[0]['id']}/interactions").json()] == ["new"]
        known_history = client.get(f"/v1/customers/cus-{known.index + 1:06d}/interactions").json()
        assert [i["notes"] for i in known_history].count("known") == 1

    outbox.retry(states["c-x"].key)  # the agent asks again from the outbox view: refused again, still once
    assert outbox.counts().pending == 1
    await sender.send_due()
    assert outbox.counts().failed == 1
    assert outbox.counts().sent == 2
    await crm.aclose()
    outbox.close()


async def test_the_sender_retries_until_the_crm_answers(tmp_path: Path, crm_url: str) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    crm = HttpCrm(crm_url, "demo-crm-token")
    with httpx.Client(base_url=crm_url, headers=AUTH) as client:
        client.put("/v1/admin/faults", json={"fail_status": 503, "count": 4, "methods": ["POST"]})
        outbox.add(EntryKind.NOTE, {"customer_id": "cus-000001", "text": "after the outage"}, label="note")
        sender = OutboxSender(outbox, crm, retry=Backoff(0.02, 0.1))
        task = asyncio.create_task(sender.run())
        try:
            for _ in range(200):
                if outbox.counts().sent == 1:
                    break
                await asyncio.sleep(0.05)
        finally:
            task.cancel()
        assert outbox.recent()[0].attempts == 5
        assert [n["text"] for n in client.get("/v1/customers/cus-000001/notes").json()] == ["after the outage"]
    await crm.aclose()
    outbox.close()


async def test_a_refused_wrap_up_is_fixed_by_sending_it_unattributed_or_attached(tmp_path: Path, crm_url: str) -> None:
    from agent_desktop.outbox.fixes import Fix, fixed_payload, fixes_for

    outbox = Outbox(tmp_path / "outbox.db")
    crm = HttpCrm(crm_url, "demo-crm-token")
    refused: list[OutboxEntry] = []
    sender = OutboxSender(outbox, crm, on_refused=refused.append)
    # An internal extension: the CRM can neither look it up nor make a customer of it (422).
    for contact_id in ("c-ext-1", "c-ext-2"):
        enqueue_wrap_up(outbox, contact(contact_id, "1001"), "agent-001", "Resolved", f"notes {contact_id}", None)
    outbox.add(EntryKind.NOTE, {"customer_id": "cus-999999", "text": "x"}, contact_id="c-n", label="note")
    await sender.send_due()
    failed = {e.contact_id: e for e in outbox.recent() if e.state is EntryState.FAILED}
    assert set(failed) == {"c-ext-1", "c-ext-2", "c-n"}, "each refusal is told"
    assert len(refused) == 3, "each refusal is told"
    assert fixes_for(failed["c-ext-1"]) == [Fix.RESEND, Fix.ATTACH, Fix.UNATTRIBUTED]
    assert fixes_for(failed["c-n"]) == [Fix.RESEND, Fix.ATTACH], "a note belongs to a customer"
    assert fixes_for(dataclasses.replace(failed["c-n"], state=EntryState.SENT)) == [], "only a failed write is fixed"

    outbox.retry(failed["c-ext-1"].key, fixed_payload(failed["c-ext-1"], Fix.UNATTRIBUTED))
    outbox.retry(failed["c-ext-2"].key, fixed_payload(failed["c-ext-2"], Fix.ATTACH, "cus-000003"))
    outbox.retry(failed["c-n"].key, fixed_payload(failed["c-n"], Fix.ATTACH, "cus-000003"))
    assert await sender.send_due() == 3
    assert outbox.counts().sent == 3
    assert outbox.counts().failed == 0
    with httpx.Client(base_url=crm_url, headers=AUTH) as client:
        lone = client.get("/v1/interactions", params={"unattributed": "true"}).json()
        assert [(i["contact_id"], i["notes"]) for i in lone] == [("c-ext-1", "notes c-ext-1")]
        attached = client.get("/v1/customers/cus-000003/interactions").json()
        assert [i["notes"] for i in attached if i["contact_id"] == "c-ext-2"] == ["notes c-ext-2"]
        assert [n["text"] for n in client.get("/v1/customers/cus-000003/notes").json()] == ["x"]
    await crm.aclose()
    outbox.close()
