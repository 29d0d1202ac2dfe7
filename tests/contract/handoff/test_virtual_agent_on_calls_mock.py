"""The mock contact center's virtual agent on a queue's calls: a call there is answered by the bot first, the caller's
lines (their script's, as the mock hears a simulated call, or as recognised) its customer's messages, through the same
engine as the chat entry (knowledge search, masked requests to the model, the escalation rules). A caller served
hangs up contained; one escalated is queued as a voice contact carrying the handoff on the offer's REST shape and
event, as a chat's. Calls and chats counted together per queue.

In-process: the contact center's own routes over ASGI, its knowledge search the CRM's, its model the mock model's."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, DEMO_AGENT_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.virtual_agent.service import HANDING_OVER_CALL
from tests.support.hypothesis_profiles import examples
from tests.support.in_process.mocks import InProcessMocks
from tests.support.pci_cards import gives_away, split_card
from tests.support.virtual_agent import billing_counts, bot_on, customer, model_app, received

CALLER = "+15550100"
NONCE = re.compile(r"[0-9a-f]{12}(?=>>>)")  # a fence's nonce: random hex, not the caller's digits


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    yield mocks
    await mocks.aclose()


async def _call(web: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    answered = await web.post("/v1/virtual-agent/calls", json={"queue_id": "billing", "from_address": CALLER, **body})
    assert answered.status_code == 201, answered.text
    call: dict[str, Any] = answered.json()
    return call


async def test_a_caller_the_bot_serves_from_their_script_hangs_up_contained_and_is_counted(
    mocks: InProcessMocks,
) -> None:
    bot_on(mocks, model_app(), queues=(), call_queues=("billing",))
    async with customer(mocks) as web:
        call = await _call(web, subject="A charge I do not recognise")
        assert (call["channel"], call["outcome"]) == ("voice", "contained")
        said = [line["text"] for line in call["transcript"] if line["role"] == "customer"]
        assert said[0] == "Hi. I have a question about my bill, there is a charge on it I do not recognise."
        answers = [line["text"] for line in call["transcript"] if line["role"] == "virtual_agent"]
        assert len(answers) == len(said), "each line the caller said was answered"
        assert "add-on" in answers[0], "a sentence of the help page, not a shrug"
        assert await billing_counts(web) == {
            "queue_id": "billing",
            "contained": 1,
            "escalated": 0,
            "failed": 0,
            "talking": 0,
        }
        stats = {row["queue_id"]: row for row in (await web.get("/v1/queues/stats")).json()}
        assert stats["billing"]["virtual_agent_contained"] == 1, "the floor's figures count the call"
        assert [c for c in mocks.engine.read.contacts() if c.from_address == CALLER] == [], "no person"


async def test_a_caller_who_asks_for_a_person_is_offered_as_a_call_with_the_handoff(mocks: InProcessMocks) -> None:
    published: list[tuple[str, Any]] = []
    mocks.ccaas_app.state.event_log.add_listener(
        lambda topics, kind, data: published.append((kind, json.loads(data) if isinstance(data, str) else data))
    )
    bot_on(mocks, model_app(), queues=(), call_queues=("billing",))
    mocks.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
    async with customer(mocks) as web:
        call = await _call(
            web,
            said=[
                "I was charged twice for my bill this month, can you refund the double charge?",
                "This is useless, let me talk to a human please",
                "Hello?",
            ],
        )
        assert (call["outcome"], call["reason"]) == ("escalated", "asked_for_person")
        assert call["contact"]["channel"] == "voice", "the call itself is queued, not a chat"
        handoff = call["contact"]["handoff"]
        assert (handoff["reason"], handoff["intent"], handoff["mood"]) == (
            "asked_for_person",
            "billing_dispute",
            "negative",
        )
        assert [line["role"] for line in handoff["transcript"]] == ["customer", "virtual_agent"] * 2
        assert handoff["transcript"][-1]["text"] == HANDING_OVER_CALL, "the caller is told to stay on the line"
        offer = (await web.get(f"/v1/agents/{DEMO_AGENT_ID}/offers")).json()
        assert [o["contact"]["channel"] for o in offer] == ["voice"], offer
        assert offer[0]["contact"]["handoff"] == handoff, "the offer's REST shape carries it"
        offers = [data for kind, data in published if kind == "offer"]
        assert offers[-1]["offer"]["contact"]["handoff"] == handoff, "and the offer event"
        assert await billing_counts(web) == {
            "queue_id": "billing",
            "contained": 0,
            "escalated": 1,
            "failed": 0,
            "talking": 0,
        }


async def test_a_scripted_card_payment_escalates_with_the_card_masked_to_the_model_and_the_agent(
    mocks: InProcessMocks,
) -> None:
    model = model_app()
    bot_on(mocks, model, queues=(), call_queues=("billing",))
    async with customer(mocks) as web:
        call = await _call(web, subject="Pay my outstanding balance")
    assert (call["outcome"], call["reason"]) == ("escalated", "no_article_twice")
    shown = [line["text"] for line in call["contact"]["handoff"]["transcript"]]
    assert any("1111" in text for text in shown), "the card line is there, masked"
    assert not gives_away("4111111111111111", *shown), shown
    for body in received(model):
        assert "four one one" not in body
        assert not gives_away("4111111111111111", body), body


async def test_a_failing_model_hands_the_call_over_at_once_counted_failed(mocks: InProcessMocks) -> None:
    bot_on(mocks, model_app(failure_rate=1.0), call_queues=("billing",))
    async with customer(mocks) as web:
        chat = await web.post(
            "/v1/virtual-agent/chats", json={"queue_id": "billing", "from_address": "p@example.net", "text": "hi"}
        )
        call = await _call(web, subject="A charge I do not recognise")
        assert (call["outcome"], call["reason"]) == ("failed", "model_failed")
        assert len(call["transcript"]) == 2, "one line said, then handed over"
        assert chat.json()["outcome"] == "failed"
        assert (await billing_counts(web))["failed"] == 2, "the chat's and the call's"


async def test_the_bot_answers_no_call_on_a_queue_not_configured_for_calls(mocks: InProcessMocks) -> None:
    bot_on(mocks, model_app(), queues=("billing",))
    async with customer(mocks) as web:
        refused = await web.post("/v1/virtual-agent/calls", json={"queue_id": "billing", "from_address": CALLER})
        assert refused.status_code == 422, "the chat entry's bot does not take the queue's calls"


def test_no_request_of_a_calls_bot_holds_the_card_the_caller_reads_out(tmp_path: Path) -> None:
    """The masking property of the bot's requests, over a call's lines: a card number read out over one to three
    lines (digits in any form, or their words), then a security code said in words, reaches neither the model nor
    the handoff the agent reads. One contact center for all the calls (each is a new caller)."""
    model = model_app()

    async def start() -> InProcessMocks:
        mocks = InProcessMocks(
            MockSettings(data_dir=tmp_path, seed=42, customers=5, experts=5, simulator=False, fresh=True)
        )
        bot_on(mocks, model, queues=(), call_queues=("billing",))
        return mocks

    with asyncio.Runner() as runner:
        mocks = runner.run(start())

        @settings(max_examples=examples(60), deadline=None)
        @given(card=split_card(), code=st.sampled_from(["the security code is one two three", "cvv: seven, four, one"]))
        def each_call(card: tuple[str, list[str]], code: str) -> None:
            digits, pieces = card
            said = [f"I want to pay my balance, my card is {pieces[0]}", *pieces[1:], code, "get me an agent"]

            async def call() -> dict[str, Any]:
                async with customer(mocks) as web:
                    return await _call(web, said=said)

            model.state.server.received.clear()
            answered = runner.run(call())
            bodies = received(model)
            assert answered["outcome"] == "escalated"
            assert bodies, "the caller's lines went to the model"
            for body in bodies:
                assert not gives_away(digits, NONCE.sub("", body)), body
                assert "one two three" not in body, body
                assert "seven, four, one" not in body, body
            shown = [line["text"] for line in answered["contact"]["handoff"]["transcript"]]
            assert not gives_away(digits, *shown), shown

        try:
            each_call()
        finally:
            runner.run(mocks.aclose())


async def test_a_queue_named_for_calls_in_the_settings_has_the_bot_answer_them(tmp_path: Path) -> None:
    """As `--virtual-agent-call-queue billing` configures it: without a model (none named), the bot cannot answer
    and puts the caller through at once, counted failed."""
    mocks = InProcessMocks(
        MockSettings(
            data_dir=tmp_path,
            seed=42,
            customers=5,
            experts=5,
            simulator=False,
            fresh=True,
            virtual_agent_call_queues=["billing"],
        )
    )
    try:
        async with customer(mocks) as web:
            call = await _call(web)
            assert (call["outcome"], call["contact"]["channel"]) == ("failed", "voice")
            assert (await billing_counts(web))["failed"] == 1
    finally:
        await mocks.aclose()


@pytest.mark.skipif(shutil.which("baresip") is None, reason="the real voice path needs baresip installed")
async def test_a_real_call_whose_caller_cannot_be_put_on_the_line_is_heard_as_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """On the real voice path (a softphone registered, calls' speech recognised) the call is answered at once as
    talking; when the caller's side cannot be made (here its folder: a file stands where it goes), the bot hears the
    caller's script as text instead, said in the log, and the call ends as on the text path."""
    mocks = InProcessMocks(
        MockSettings(
            data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True, call_transcripts=True
        )
    )
    model = model_app()
    try:
        bot_on(mocks, model, queues=(), call_queues=("billing",))
        (tmp_path / "voice").mkdir(exist_ok=True)
        (tmp_path / "voice" / "bot_calls").write_text("not a folder")
        async with (
            customer(mocks) as web,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=mocks.ccaas_app),
                base_url="http://ccaas.in-process",
                headers={"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"},
            ) as desk,
        ):
            registered = await desk.put(
                f"/v1/agents/{DEMO_AGENT_ID}/softphone", json={"contact_uri": "sip:agent@127.0.0.1:5999"}
            )
            assert registered.status_code == 200, registered.text
            call = await _call(web, subject="A charge I do not recognise")
            assert call["outcome"] == "talking", "a real call is answered at once"
            calls = mocks.ccaas_app.state.bot_calls
            async with asyncio.timeout(60):
                while call["id"] in calls.under_way:
                    await asyncio.sleep(0.1)
            counts = await billing_counts(web)
    finally:
        await mocks.aclose()
    assert (counts["contained"], counts["talking"]) == (1, 0), counts
    assert any("a question about my bill" in body for body in received(model)), "the caller's script went unheard"
    assert any("hears the caller's script as text" in record.getMessage() for record in caplog.records)
