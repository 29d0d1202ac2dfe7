"""A write the CRM refuses for its size does not stay in the outbox for ever: the agent cuts its transcript
(to half each time) or sends it without one, and the disposition and notes land once — under a key of the
reduced write's own, which a resend after a lost answer reuses. Against the real CRM server."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.domain.customers.crm_limits import MOCK_CRM_LIMITS
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import InteractionCreate, TranscriptLine
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.fit import is_marker, stands_for
from agent_desktop.outbox.fixes import Fix, fix_hint, fixed_payload, fixes_for
from agent_desktop.outbox.payloads import InteractionWrite
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from tests.e2e.outbox.test_outbox import contact
from tests.support.narrowing import of_kind, present

AUTH = {"Authorization": "Bearer demo-crm-token"}
# What a desktop told wrong believes: the CRM takes 8 MiB. It writes a 2.5 MB conversation whole.
TOLD_WRONG = dataclasses.replace(MOCK_CRM_LIMITS, max_body_bytes=8 << 20)


def conversation(count: int) -> list[TranscriptLine]:
    start = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    return [
        TranscriptLine(
            role="customer" if i % 2 else "agent",
            name="Dana",
            text=f"line {i}: " + "word " * 98,
            at=start + timedelta(seconds=i),
        )
        for i in range(count)
    ]


def written_for(crm_url: str, contact_id: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=crm_url, headers=AUTH, timeout=10) as client:
        found = client.get("/v1/interactions", params={"contact_id": contact_id}).json()
        return [client.get(f"/v1/interactions/{i['id']}").json() for i in found]


async def test_a_refused_write_is_cut_to_half_until_the_crm_takes_it_and_lands_once(
    tmp_path: Path, crm_url: str
) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    crm = HttpCrm(crm_url, "demo-crm-token", limits=TOLD_WRONG)
    sender = OutboxSender(outbox, crm)
    lines = conversation(5_000)
    enqueue_wrap_up(
        outbox,
        contact("c-big", "+1 312 555 0100"),
        "agent-001",
        "Resolved",
        "Refunded.",
        "cus-000001",
        transcript=lines,
        private_notes=["VIP"],
        limits=TOLD_WRONG,
    )
    await sender.send_due()
    (entry,) = outbox.recent()
    assert entry.state is EntryState.FAILED
    assert "413" in (entry.last_error or "")
    assert fixes_for(entry) == [Fix.RESEND, Fix.ATTACH, Fix.UNATTRIBUTED, Fix.CUT, Fix.NO_TRANSCRIPT]
    assert "c cuts the transcript to half · w sends it without the transcript" in fix_hint(entry)

    sent_with: list[str] = []
    for _ in range(4):  # 2.5 MB, then 1.25 MB (still over 1 MiB), then about 640 kB
        outbox.retry(entry.key, fixed_payload(entry, Fix.CUT, limits=TOLD_WRONG))
        payload = of_kind(present(outbox.get(entry.key)).payload, InteractionWrite)
        sent_with.append(present(payload.idempotency_key))
        await sender.send_due()
        entry = present(outbox.get(entry.key))
        if entry.state is EntryState.SENT:
            break
    assert entry.state is EntryState.SENT, "cut twice: refused once more, then taken"
    assert len(sent_with) == 2, "cut twice: refused once more, then taken"
    assert len(set(sent_with)) == 2
    assert all(key.startswith(f"{entry.key}:cut-") for key in sent_with)

    (stored,) = written_for(crm_url, "c-big")
    assert (stored["disposition"], stored["notes"], stored["private_notes"]) == ("Resolved", "Refunded.", ["VIP"])
    transcript = stored["transcript"]
    assert transcript[0]["text"] == lines[0].text
    assert transcript[-1]["text"] == lines[-1].text
    markers = [line for line in transcript if is_marker(line)]
    assert len(markers) == 1, "the second cut's marker counts the first cut's lines too"
    assert stands_for(markers[0])[0] + len(transcript) - 1 == 5_000
    await crm.aclose()
    outbox.close()


async def test_without_the_transcript_the_notes_land_once_even_when_the_answer_is_lost(
    tmp_path: Path, crm_url: str
) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    crm = HttpCrm(crm_url, "demo-crm-token", limits=TOLD_WRONG, write_timeout_s=0.5)
    sender = OutboxSender(outbox, crm, retry=Backoff(0.05, 0.2))
    enqueue_wrap_up(
        outbox,
        contact("c-big", "+1 312 555 0100"),
        "agent-001",
        "Resolved",
        "Refunded.",
        "cus-000001",
        transcript=conversation(5_000),
        limits=TOLD_WRONG,
    )
    await sender.send_due()
    (entry,) = outbox.recent()
    outbox.retry(entry.key, fixed_payload(entry, Fix.NO_TRANSCRIPT, limits=TOLD_WRONG))
    with httpx.Client(base_url=crm_url, headers=AUTH) as client:  # stored, and the answer comes too late
        client.put("/v1/admin/faults", json={"delay_s": 1.5, "delay_phase": "after", "count": 1, "methods": ["POST"]})
    for _ in range(100):
        await sender.send_due()
        if present(outbox.get(entry.key)).state is EntryState.SENT:
            break
        await asyncio.sleep(0.1)
    assert present(outbox.get(entry.key)).attempts >= 3, "refused, then sent twice: the first answer was lost"

    (stored,) = written_for(crm_url, "c-big")
    assert stored["notes"] == "Refunded."
    assert stored["disposition"] == "Resolved"
    assert [line["text"][:36] for line in stored["transcript"]] == ["[… 5,000 messages (2.4 MiB) not writ"]
    await crm.aclose()
    outbox.close()


async def test_a_write_over_the_declared_limit_is_refused_before_it_is_sent(crm_url: str) -> None:
    crm = HttpCrm(crm_url, "demo-crm-token", limits=dataclasses.replace(MOCK_CRM_LIMITS, max_body_bytes=10_000))
    interaction = InteractionCreate(
        customer_id="cus-000001",
        contact_id="c-x",
        channel="chat",
        agent_id="agent-001",
        queue_id="billing",
        disposition="Resolved",
        notes="n" * 20_000,
    )
    with pytest.raises(BackendError) as refused:  # not sent: it is over the CRM's declared limit
        await crm.log_interaction(interaction, "k-over")
    assert refused.value.status == 413
    assert not refused.value.retryable
    assert "not sent" in refused.value.message
    assert written_for(crm_url, "c-x") == []
    await crm.aclose()
