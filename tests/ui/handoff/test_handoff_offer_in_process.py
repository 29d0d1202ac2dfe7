"""A chat the contact center's virtual agent hands on, on the agent's desk at 120×40 and 80×24: the
offer says why the bot handed the customer on, what they came for and their mood BEFORE the agent accepts, and once
accepted the bot's conversation is the start of the transcript, its lines marked as the virtual agent's. The
customer's hostile words (markup that would be an action) are shown as written and do nothing.

In-process: the mock contact center's bot answering through the mock model from the CRM's knowledge base, the
customer writing through the contact center's own routes."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.shared.transcript_view import BOT_MARK
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import agent_flow_until, scene_app, wait_until
from tests.support.scenes.conversation_scenes import transcript_lines
from tests.support.scenes.pilot_steps import agent_screen, back_to_contacts
from tests.support.virtual_agent import bot_on, customer, model_app

CHARGED_TWICE = "I was charged twice for my bill this month, can you refund the double charge?"
HOSTILE = "[@click=app.quit]this[/] is useless, let me talk to a human"


async def _handed_on(mocks: InProcessMocks, *texts: str) -> str:
    async with customer(mocks) as web:
        opened = await web.post(
            "/v1/virtual-agent/chats", json={"queue_id": "billing", "from_address": "pat@example.net", "text": texts[0]}
        )
        chat = opened.json()
        for text in texts[1:]:
            chat = (await web.post(f"/v1/virtual-agent/chats/{chat['id']}/messages", json={"text": text})).json()
    assert chat["outcome"] == "escalated", chat
    contact_id: str = chat["contact"]["id"]
    return contact_id


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_offer_says_why_the_bot_handed_on_before_accept_and_its_lines_open_the_chat(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    bot_on(mocks, model_app())
    async with scene_app(mocks).run_test(size=size) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        contact_id = await _handed_on(mocks, CHARGED_TWICE, HOSTILE)
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.offer is not None and desk.offer.contact.id == contact_id, "the offer")
        offer = pilot.app.screen.query_one("#offer")
        await pilot.pause()
        shown = str(offer.render())
        assert "Bot › wants a person · billing dispute · upset" in shown, shown
        assert contact_id not in desk.held, "all of it read before accepting"

        await pilot.press("a")
        await wait_until(pilot, lambda: contact_id in desk.held, "the chat in hand")
        await back_to_contacts(pilot)
        await wait_until(pilot, lambda: _bot_lines(pilot) >= 2, "the bot's lines in the transcript")
        lines = transcript_lines(pilot)
        assert "Virtual agent" in lines
        assert "refund" in lines.lower(), "the bot's answer from the help page"
        assert "[@click=app.quit]this[/]" in lines, "the customer's words as written, never markup"
        assert pilot.app.is_running


def _bot_lines(pilot: Pilot[None]) -> int:
    return transcript_lines(pilot).count(BOT_MARK.strip())


async def test_an_offer_without_a_handoff_shows_no_bot_line(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        await mocks.place_call("web:dana", channel="chat", subject="Charged twice")
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.offer is not None, "the offer")
        assert "Bot ›" not in str(pilot.app.screen.query_one("#offer").render())
