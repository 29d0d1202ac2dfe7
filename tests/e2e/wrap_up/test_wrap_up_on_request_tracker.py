"""A wrap-up written to a real Request Tracker 5 through the desk's outbox, its first answer lost (the desk's process
ends after RT kept the write, before the outbox recorded it) and sent again by the restarted desk: read back through
RT's own REST 2 API, not the backend, the ticket holds the comment once and the disposition."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import pytest

from agent_desktop.adapters.request_tracker.crm import RequestTrackerCrm
from agent_desktop.domain.models import Channel, Contact, ContactState, InteractionCreate
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from tests.support.narrowing import present
from tests.support.protocol_rigs.crm import REQUEST_TRACKER_GROUP
from tests.support.request_tracker import fresh_rt

pytestmark = REQUEST_TRACKER_GROUP  # the scenarios on RT share one worker's one RT

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
BILLY = "billy.smith3@example.com"  # seeded caller 3 of seed 7, +1 512 555 0100


class Crashed(BaseException):
    """The desk's process ending between RT's answer and the outbox marking the entry sent."""


class CrashAfterWrite:
    def __init__(self, backend: RequestTrackerCrm) -> None:
        self._backend = backend

    async def log_interaction(self, interaction: InteractionCreate, key: str) -> NoReturn:
        await self._backend.log_interaction(interaction, key)
        raise Crashed


def ended_call() -> Contact:
    return Contact(
        id="c-000777",
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address="+1 (512) 555-0100",
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=AT,
        offered_at=AT,
        answered_at=AT,
        ended_at=AT,
    )


async def test_a_wrap_up_whose_answer_was_lost_is_one_comment_and_its_disposition_in_rt(tmp_path: Path) -> None:
    with fresh_rt() as rt:
        outbox = Outbox(tmp_path / "outbox.db")
        first = RequestTrackerCrm(rt.url, rt.token)
        entry = enqueue_wrap_up(
            outbox,
            ended_call(),
            "agent-001",
            "Refund issued",
            "Refunded the duplicate charge.",
            BILLY,
            limits=first.limits,
        )
        with pytest.raises(Crashed):
            await OutboxSender(outbox, CrashAfterWrite(first)).send_due()  # type: ignore[arg-type]
        await first.aclose()
        assert present(outbox.get(entry.key)).state is EntryState.PENDING
        outbox.close()

        restarted = Outbox(tmp_path / "outbox.db")
        again = RequestTrackerCrm(rt.url, rt.token)
        try:
            assert await OutboxSender(restarted, again).send_due() == 1
            assert present(restarted.get(entry.key)).state is EntryState.SENT
        finally:
            await again.aclose()
            restarted.close()

        with rt.client() as api:  # RT's own API, as an RT user would read the ticket
            tickets = api.get(
                "/tickets", params={"query": f"Requestor.Name = '{BILLY}'", "fields": "Subject,CustomFields"}
            ).json()["items"]
            assert len(tickets) == 1, "one ticket for the contact"
            ticket = tickets[0]
            dispositions = [f["values"] for f in ticket["CustomFields"] if f["name"] == "Disposition"]
            assert dispositions == [["Refund issued"]]
            history = api.get(
                "/transactions",
                params={"query": f"ObjectType = 'RT::Ticket' AND ObjectId = {ticket['id']}", "fields": "Type"},
            ).json()["items"]
            written = [t["id"] for t in history if t["Type"] in ("Create", "Comment", "Correspond")]
            texts = api.get(
                "/attachments",
                params={
                    "query": json.dumps([{"field": "TransactionId", "value": written[0]}]),
                    "fields": "Content,ContentType",
                },
            ).json()["items"]
        assert len(written) == 1, "the wrap-up's text once, however often it was sent"
        assert any("Refunded the duplicate charge." in (t.get("Content") or "") for t in texts)
