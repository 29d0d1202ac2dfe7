"""A call the contact center's virtual agent answered first and hands on, on the agent's desk at 120×40 and 80×24: the offer
card says it is a call, why the bot handed the caller on, what they came for and their mood BEFORE the agent
accepts, as a chat's handoff does, with no change to the desk; and the agent takes it, the call's area (in the
experts' place, though nothing is heard on the call yet) keeping the same line and what the caller and the bot said (a
chat's handoff starts its transcript; a call's lines are only what is heard from now on).

In-process: the mock contact center's bot on `billing`'s calls answering through the mock model from the CRM's
knowledge base, the caller's lines (as recognised) given through the contact center's own routes."""

from __future__ import annotations

import pytest

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import agent_flow_until, scene_app, wait_until
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.virtual_agent import bot_on, customer, model_app

SAID = [
    "I was charged twice for my bill this month, can you refund the double charge?",
    "This is useless, let me talk to a human please",
]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_call_the_bot_hands_on_says_why_on_the_offer_before_accept(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    bot_on(mocks, model_app(), queues=(), call_queues=("billing",))
    async with scene_app(mocks).run_test(size=size) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        async with customer(mocks) as web:
            answered = await web.post(
                "/v1/virtual-agent/calls", json={"queue_id": "billing", "from_address": "+15550100", "said": SAID}
            )
        call = answered.json()
        assert call["outcome"] == "escalated", call
        contact_id = call["contact"]["id"]
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.offer is not None and desk.offer.contact.id == contact_id, "the offer")
        await pilot.pause()
        shown = str(pilot.app.screen.query_one("#offer").render())
        assert "Bot › wants a person · billing dispute · upset" in shown, shown
        assert shown.startswith("☎ Voice"), "the call itself, not a chat"
        assert contact_id not in desk.held, "all of it read before accepting"

        await pilot.press("a")
        await wait_until(pilot, lambda: contact_id in desk.held, "the call in hand")
        area = pilot.app.screen.query_one("#call-handover")
        await wait_until(
            pilot, lambda: area.display and "Bot › " in str(area.render()), "the bot's handoff on the call"
        )
        said = str(area.render())
        assert "Bot › wants a person" in said, said
        assert "Caller  This is useless, let me talk to a human please" in said, "the caller's last words, whole"
        assert "Bot  If you were charged twice" in said, "the bot's answers, one line each"
        assert said.count("\n") <= 5, "the note's six lines, no more"
        assert pilot.app.is_running
