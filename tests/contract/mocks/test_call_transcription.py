"""Live transcription of calls on the mock CCaaS: while a voice call is connected the simulated caller and
agent speak their intent's lines, each heard first as interim words then final, on the agent's stream and the stream
of a supervisor monitoring the call; hold pauses it; a card number read out is never published, nor stored, whole.

On the in-process mock (its real engine and scheduler), time stepped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from agent_desktop_mocks.ccaas.api.routers import contacts
from agent_desktop_mocks.ccaas.core.wire.requests import ContactCreate
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, AttachedData
from agent_desktop_mocks.ccaas.monitoring.service import monitor_topic
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from agent_desktop_mocks.common.http.auth import Principal
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks

Published = list[tuple[list[str], dict[str, Any]]]


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    yield mocks
    await mocks.aclose()


async def connected_call(mocks: InProcessMocks, intent: str) -> str:
    mocks.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
    body = ContactCreate(
        queue_id="billing", channel="voice", from_address="+15550100123", attached=AttachedData(intent=intent)
    )
    contact = await contacts.create(body, SUPERVISOR, mocks.engine, mocks.ccaas_app.state.scope)
    await mocks.connect_offer()
    return contact.id


def heard(mocks: InProcessMocks) -> Published:
    published: Published = []
    mocks.ccaas_app.state.event_log.add_listener(
        lambda topics, type_, data: published.append((topics, data)) if type_ == "transcription" else None
    )
    return published


async def test_a_connected_call_is_heard_line_by_line_interim_then_final(mocks: InProcessMocks) -> None:
    published = heard(mocks)
    contact_id = await connected_call(mocks, "billing_inquiry")
    mocks.time.advance(60)
    lines = [data["line"] for _, data in published]
    finals = [line for line in lines if line["final"]]
    assert [line["role"] for line in finals[:4]] == ["agent", "customer", "agent", "customer"]
    assert finals[0]["text"].startswith("Thank you for calling, my name is Alex.")
    assert finals[0]["display_name"] == "Alex Morgan"
    assert finals[1]["display_name"] == "Caller"
    assert "charged twice" in finals[1]["text"]
    first = [line for line in lines if line["id"] == finals[0]["id"]]
    assert not first[0]["final"], "interim words before the final line"
    assert first[-1]["final"]
    assert len(first[0]["text"]) < len(first[-1]["text"])
    assert all(topics == [f"agent:{DEMO_AGENT_ID}"] for topics, _ in published)
    assert all(line["contact_id"] == contact_id for line in lines)


async def test_hold_pauses_the_speaking_and_a_monitoring_supervisor_hears_it(mocks: InProcessMocks) -> None:
    published = heard(mocks)
    contact_id = await connected_call(mocks, "billing_inquiry")
    monitoring = mocks.ccaas_app.state.monitoring
    monitoring.join(contact_id, Principal("demo-supervisor-token", "supervisor", "supervisor"), "monitor")
    mocks.time.advance(4)
    assert published
    assert all(monitor_topic("supervisor") in topics for topics, _ in published)
    mocks.engine.contacts.hold(contact_id)
    count = len(published)
    mocks.time.advance(30)
    assert len(published) == count, "nobody is heard while the caller is on hold"
    mocks.engine.contacts.resume(contact_id)
    mocks.time.advance(10)
    assert len(published) > count


async def test_a_card_number_read_out_is_never_published_nor_stored_whole(mocks: InProcessMocks) -> None:
    published = heard(mocks)
    await connected_call(mocks, "payment")
    mocks.time.advance(60)
    texts = [data["line"]["text"] for _, data in published]
    said = [t for t in texts if "my card is" in t]
    assert said, texts
    assert any("1111" in t and "•" in t for t in said), said
    for text in texts:
        assert "one one one one one" not in text, text
    stored = [
        row[0] for row in mocks.ccaas_app.state.db.execute("select data from events where type = 'transcription'")
    ]
    assert stored
    assert all("one one one one one" not in row for row in stored)
    assert len(stored) == sum(1 for _, data in published if data["line"]["final"]), "only final lines are kept"
