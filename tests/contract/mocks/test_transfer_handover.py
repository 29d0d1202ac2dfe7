"""What travels with a transfer on the mock CCaaS: the agent's note, card data masked, on the contact itself
(`handover`, on every channel: the next agent reads it on the offer, before answering), and on a call the lines said
so far, sent to the agent who takes it over before the first line they hear.

Over HTTP on a real server (the note), and on the in-process mock with its engine and speaker, time stepped (a call's
lines)."""

from __future__ import annotations

from typing import Any

import httpx

from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Target
from tests.contract.mocks.test_call_transcription import connected_call, heard, mocks  # noqa: F401 (mocks: a fixture)
from tests.support.conversation_rig import (  # noqa: F401 (url, agent, supervisor are fixtures)
    agent,
    contact_in_hand,
    supervisor,
    url,
)
from tests.support.in_process.mocks import InProcessMocks

NOTE = "Charged twice; I read back card 4111 1111 1111 1111 and promised a refund by Friday."


def test_a_transfer_note_travels_on_the_contact_masked_and_named(agent: httpx.Client, supervisor: httpx.Client) -> None:  # noqa: F811
    contact = contact_in_hand(agent, supervisor)
    moved = agent.post(
        f"/v1/contacts/{contact['id']}/transfer", json={"target": {"kind": "queue", "id": "sales"}, "note": NOTE}
    )
    assert moved.status_code == 200, moved.text
    handover = supervisor.get(f"/v1/contacts/{contact['id']}").json()["handover"]
    assert handover["by"] == "Alex Morgan"
    assert "4111 1111" not in handover["note"]
    assert handover["note"].startswith("Charged twice; I read back card ")
    assert "1111 and promised a refund by Friday." in handover["note"]


def test_a_transfer_without_a_note_carries_none_and_a_long_note_is_refused(
    agent: httpx.Client,  # noqa: F811
    supervisor: httpx.Client,  # noqa: F811
) -> None:
    contact = contact_in_hand(agent, supervisor)
    path = f"/v1/contacts/{contact['id']}/transfer"
    refused = agent.post(path, json={"target": {"kind": "queue", "id": "sales"}, "note": "x" * 1001})
    assert refused.status_code == 422, refused.text
    assert supervisor.get(f"/v1/contacts/{contact['id']}").json()["handover"] is None, "refused: nothing kept"
    moved = agent.post(path, json={"target": {"kind": "queue", "id": "sales"}})
    assert moved.status_code == 200, moved.text
    assert moved.json()["handover"] is None


async def test_the_agent_taking_a_call_over_is_sent_what_was_said_before_they_joined(mocks: InProcessMocks) -> None:  # noqa: F811
    published = heard(mocks)
    contact_id = await connected_call(mocks, "billing_inquiry")
    mocks.time.advance(20)
    said_before = [data["line"] for _, data in published if data["line"]["final"]]
    assert len(said_before) >= 2, said_before
    mocks.engine.agents.set_agent_state("agent-002", AgentState.AVAILABLE)
    mocks.engine.transfers.transfer(contact_id, Target(kind="agent", id="agent-002"), note="Wants the refund")
    await mocks.connect_offer("agent-002")
    count = len(published)
    mocks.time.advance(15)

    to_next: list[dict[str, Any]] = [
        data["line"] for topics, data in published[count:] if topics == ["agent:agent-002"]
    ]
    replayed = [line for line in to_next if line["id"] in {said["id"] for said in said_before}]
    assert [line["text"] for line in replayed] == [line["text"] for line in said_before[: len(replayed)]]
    assert len(replayed) >= len(said_before), "every final line said before the transfer"
    assert to_next[: len(replayed)] == replayed, "what was said first, then what is heard"
    assert any(line["index"] > said_before[-1]["index"] for line in to_next), "the call goes on"
    assert all(topics != ["agent:agent-001"] for topics, _ in published[count:]), "the first agent hears no more"
    contact = mocks.engine.read.contact(contact_id)
    assert contact.handover is not None
    assert (contact.handover.note, contact.handover.by) == ("Wants the refund", "Alex Morgan")
