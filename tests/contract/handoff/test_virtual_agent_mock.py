"""The mock contact center's virtual agent on a queue's chat entry: it answers the customer from
the knowledge base through the contact center's model (the mock model), and hands over to a person on a rule — the
customer asks for one, two answers without an article, a mood that falls, the model failing — the chat contact then
queued carrying its transcript, reason, intent and mood, on the offer (its REST shape and the `offer` event) and as
the start of the conversation's transcript. Contained, escalated and failed counted per queue.

In-process: the contact center's own routes over ASGI, its knowledge search the CRM's, its model the mock model's."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from agent_desktop_mocks.ccaas.virtual_agent.service import HANDING_OVER
from tests.support.in_process.mocks import InProcessMocks
from tests.support.pci_cards import gives_away
from tests.support.virtual_agent import billing_counts, bot_on, crm_knowledge, customer, model_app, received

CHARGED_TWICE = "I was charged twice for my bill this month, can you refund the double charge?"


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    yield mocks
    await mocks.aclose()


async def _chat(web: httpx.AsyncClient, *texts: str, queue_id: str = "billing") -> dict[str, Any]:
    opened = await web.post(
        "/v1/virtual-agent/chats", json={"queue_id": queue_id, "from_address": "pat@example.net", "text": texts[0]}
    )
    assert opened.status_code == 201, opened.text
    chat: dict[str, Any] = opened.json()
    for text in texts[1:]:
        answered = await web.post(f"/v1/virtual-agent/chats/{chat['id']}/messages", json={"text": text})
        assert answered.status_code == 200, answered.text
        chat = answered.json()
    return chat


async def test_the_bot_answers_from_a_customer_article_and_a_customer_who_leaves_is_contained(
    mocks: InProcessMocks,
) -> None:
    model = model_app()
    bot_on(mocks, model)
    async with customer(mocks) as web:
        chat = await _chat(web, CHARGED_TWICE)
        assert chat["outcome"] == "talking"
        bot_line = chat["transcript"][-1]
        assert bot_line["role"] == "virtual_agent"
        assert "refund" in bot_line["text"].lower(), bot_line  # a sentence of the help page, not a shrug
        assert chat["intent"] == "billing_dispute"
        left = await web.post(f"/v1/virtual-agent/chats/{chat['id']}/leave")
        assert left.json()["outcome"] == "contained"
        assert await billing_counts(web) == {
            "queue_id": "billing",
            "contained": 1,
            "escalated": 0,
            "failed": 0,
            "talking": 0,
        }
        stats = {row["queue_id"]: row for row in (await web.get("/v1/queues/stats")).json()}
        assert stats["billing"]["virtual_agent_contained"] == 1, "the queue's figures carry it, as pushed"
        assert stats["sales"]["virtual_agent_contained"] is None, "no virtual agent on Sales"
        assert [c for c in mocks.engine.read.contacts() if c.from_address == "pat@example.net"] == [], "no person"
    read_to_customer = re.findall(r"<<<passage (kb-\d+) \|", received(model)[-1])
    assert read_to_customer, "the answer was grounded in articles"
    knowledge = crm_knowledge(mocks.crm_app)
    async with knowledge._client as crm:
        for article_id in read_to_customer:  # only articles written for customers are read to one
            assert (await crm.get(f"/v1/knowledge/articles/{article_id}")).json()["audience"] == "customer"


async def test_asking_for_a_person_queues_the_chat_with_what_the_bot_heard_on_the_offer(
    mocks: InProcessMocks,
) -> None:
    bot_on(mocks, model_app())
    mocks.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
    async with customer(mocks) as web:
        chat = await _chat(web, CHARGED_TWICE, "This is useless, let me talk to a human please")
        assert chat["outcome"] == "escalated"
        assert chat["reason"] == "asked_for_person"
        handoff = chat["contact"]["handoff"]
        assert handoff["reason"] == "asked_for_person"
        assert handoff["intent"] == "billing_dispute"
        assert handoff["mood"] == "negative"
        assert [line["role"] for line in handoff["transcript"]] == [
            "customer",
            "virtual_agent",
            "customer",
            "virtual_agent",
        ]
        assert handoff["transcript"][-1]["text"] == HANDING_OVER
        offer = (await web.get(f"/v1/agents/{DEMO_AGENT_ID}/offers")).json()
        assert len(offer) == 1, offer
        assert offer[0]["contact"]["handoff"] == handoff, "the offer's REST shape carries it"
        assert await billing_counts(web) == {
            "queue_id": "billing",
            "contained": 0,
            "escalated": 1,
            "failed": 0,
            "talking": 0,
        }


async def test_the_offer_event_carries_the_handoff_and_the_transcript_starts_with_the_bots_lines(
    mocks: InProcessMocks,
) -> None:
    published: list[tuple[str, Any]] = []
    mocks.ccaas_app.state.event_log.add_listener(
        lambda topics, kind, data: published.append((kind, json.loads(data) if isinstance(data, str) else data))
    )
    bot_on(mocks, model_app())
    mocks.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
    async with customer(mocks) as web:
        chat = await _chat(web, CHARGED_TWICE, "get me a real agent")
        offers = [data for kind, data in published if kind == "offer"]
        assert offers, "the agent was offered the chat"
        assert offers[-1]["offer"]["contact"]["handoff"]["reason"] == "asked_for_person"
        contact = await mocks.connect_offer()
        page = (await web.get(f"/v1/contacts/{contact.id}/messages")).json()["items"]
        bot_said = [item for item in page if item["participant_id"] == "virtual-agent"]
        assert [item["display_name"] for item in bot_said] == ["Virtual agent", "Virtual agent"]
        said = [item["text"] for item in page if item["kind"] == "message"]
        assert said[:4] == [line["text"] for line in chat["contact"]["handoff"]["transcript"]]


@pytest.mark.parametrize(
    ("texts", "reason"),
    [
        (("zxqv blorf quux", "florp wibble zonk"), "no_article_twice"),
        ((CHARGED_TWICE, "That is wrong and ridiculous, the refund is useless"), "mood_falling"),
    ],
)
async def test_each_rule_hands_over_with_its_reason(mocks: InProcessMocks, texts: tuple[str, ...], reason: str) -> None:
    bot_on(mocks, model_app())
    async with customer(mocks) as web:
        first = await _chat(web, texts[0])
        assert first["outcome"] == "talking", "one answer is not yet a rule"
        chat = await _chat(web, *texts)
        assert (chat["outcome"], chat["reason"]) == ("escalated", reason)
        assert chat["contact"]["state"] == "queued"


async def test_a_failing_model_hands_over_at_once_and_is_counted_failed(mocks: InProcessMocks) -> None:
    bot_on(mocks, model_app(failure_rate=1.0))
    async with customer(mocks) as web:
        chat = await _chat(web, CHARGED_TWICE)
        assert (chat["outcome"], chat["reason"]) == ("failed", "model_failed")
        assert chat["contact"]["handoff"]["transcript"][-1]["text"] == HANDING_OVER
        assert (await billing_counts(web))["failed"] == 1


async def test_the_bot_is_off_on_a_queue_not_configured(mocks: InProcessMocks) -> None:
    bot_on(mocks, model_app(), queues=())
    async with customer(mocks) as web:
        refused = await web.post(
            "/v1/virtual-agent/chats", json={"queue_id": "billing", "from_address": "p@example.net", "text": "hi"}
        )
        assert refused.status_code == 422, refused.text


async def test_a_card_number_is_masked_in_what_the_model_gets_and_on_the_handoff(mocks: InProcessMocks) -> None:
    model = model_app()
    bot_on(mocks, model)
    async with customer(mocks) as web:
        chat = await _chat(web, "I was charged twice on 4111 1111", "1111 1111, talk to a person")
    for body in received(model):
        assert not gives_away("4111111111111111", body), body
    shown = [line["text"] for line in chat["contact"]["handoff"]["transcript"]]
    assert not gives_away("4111111111111111", *shown), shown
