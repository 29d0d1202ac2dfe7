"""The running summary under the card, on the in-process mocks and the mock model's own engine, at 120×40 and 80×24:
after a few lines of a chat and a pause it shows under the card, remade as the chat goes on; a burst of lines asks
once; the transfer's note and the wrap-up's notes start from it; without a model there is none and nothing is asked."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop_mocks.model.settings import ModelMockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.model import InProcessModel
from tests.support.in_process.scenes import go_available, loaded, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen, screen_text, type_burst

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


def assisted(mocks: InProcessMocks, pause_s: float, **model_settings: Any) -> tuple[AgentDesktopApp, InProcessModel]:
    model = InProcessModel(ModelMockSettings(first_token_s=0.02, token_s=0.005, **model_settings))
    app = desk_app(
        mocks.backends(assist=model),
        clock=mocks.clock.now,
        assist_summary_every_lines=3,
        assist_summary_pause_s=pause_s,
    )
    return app, model


async def chat_in_hand(pilot: Pilot[None], mocks: InProcessMocks, address: str) -> str:
    await loaded(pilot)
    await go_available(pilot)
    return await take(pilot, mocks, address, "chat", "Charged twice this month")


def summaries_asked(model: InProcessModel) -> list[str]:
    return [body for body in model.bodies() if "Write the wrap-up's two lines" in body]


def shown(pilot: Pilot[None]) -> str:
    view = pilot.app.screen.query_one("#running-summary")
    return screen_text(pilot, "#running-summary") if view.display else ""


async def card_pane(pilot: Pilot[None]) -> None:
    """At 80×24 one pane shows at a time: the card's, where the summary is (f6 steps to it)."""
    for _ in range(5):
        if pilot.app.screen.query_one("#customer").display and pilot.app.screen.query_one("#customer").region:
            return
        await pilot.press("f6")


@pytest.mark.parametrize("size", SIZES)
async def test_the_summary_shows_under_the_card_and_is_remade_as_the_chat_goes_on(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    app, model = assisted(mocks, pause_s=0.05)
    async with app.run_test(size=size) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "sum@example.com")
        desk = agent_screen(pilot).desk
        await mocks.customer_says(contact_id, "I was charged twice for my broadband this month")
        await mocks.customer_says(contact_id, "Both payments were taken on the 3rd")
        await mocks.customer_says(contact_id, "From the same card")
        await card_pane(pilot)
        await wait_until(pilot, lambda: "charged twice" in shown(pilot).lower(), "the first summary under the card")
        first = desk.summaries[contact_id]
        assert "Running summary" in shown(pilot)
        covered = first.lines
        await mocks.customer_says(contact_id, "Can you refund the duplicate payment please")
        await mocks.customer_says(contact_id, "It was a direct debit")
        await mocks.customer_says(contact_id, "Thanks for looking")
        await wait_until(pilot, lambda: desk.summaries[contact_id].lines >= covered + 3, "remade with the new lines")
        await wait_until(pilot, lambda: f"{desk.summaries[contact_id].lines} lines" in shown(pilot), "drawn")
        assert len(summaries_asked(model)) == 2


@pytest.mark.parametrize("size", SIZES)
async def test_a_burst_of_lines_asks_once_and_the_transfer_and_wrap_up_start_from_it(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    app, model = assisted(mocks, pause_s=1.0)
    async with app.run_test(size=size) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "burst@example.com")
        desk = agent_screen(pilot).desk
        for text in ["I was charged twice", "for the same order", "on my card", "and again today", "please help", "ok"]:
            await mocks.customer_says(contact_id, text)  # six lines in one burst: two summaries' worth
        await wait_until(pilot, lambda: contact_id in desk.summaries and desk.summaries[contact_id].text, "summary")
        await pilot.pause(0.2)
        assert len(summaries_asked(model)) == 1, "the burst asked once"
        summary = desk.summaries[contact_id].text

        note = await agent_screen(pilot).controller.model_handover_note(contact_id)
        assert note is not None
        assert note[0] == summary, "the transfer's note is the summary, not a new request"
        assert len(summaries_asked(model)) == 1

        model.server.settings.failure_rate = 1.0  # the model goes down: the wrap-up keeps the summary it had
        await pilot.press("e")  # the customer wrote last: the desk asks first, ctrl+e ends it
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "asked first")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: desk.wrap_up() is not None, "in wrap-up")
        notes = pilot.app.screen.query_one("#notes", TextArea)
        await wait_until(pilot, lambda: "Drafted by rules" in screen_text(pilot, "#wrap-up-status"), "the model down")
        assert notes.text == summary, "the wrap-up's notes are the running summary"
        assert desk.wrap_ups[contact_id].notes == summary


async def test_without_a_model_there_is_no_summary_and_nothing_is_asked(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now, assist_summary_pause_s=0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "off@example.com")
        for text in ["one line", "two lines", "three lines", "four lines"]:
            await mocks.customer_says(contact_id, text)
        await pilot.press("i")
        await type_burst(pilot, "Hello")
        await pilot.pause(0.3)
        assert not shown(pilot)
        controller = agent_screen(pilot).controller
        assert "running_summaries" not in controller.__dict__
        assert "suggestions" not in controller.__dict__
        assert not controller.desk.summaries
