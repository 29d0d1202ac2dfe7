"""An agent whose machine keeps another time than the contact center's: the offer's countdown still starts at its
whole timeout and runs down (ten minutes ahead it said "0 s left" for the whole of a live offer; ten minutes
behind, the bar ran past the card's edge)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_desktop.ui.agent.offers.offer_card import BAR_WIDTH
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, wait_until
from tests.support.scenes.pilot_steps import screen_text


@pytest.mark.parametrize("skew", [timedelta(minutes=10), -timedelta(minutes=10)], ids=["ahead", "behind"])
async def test_the_countdown_starts_whole_and_runs_down_whatever_the_desk_clock_says(
    mocks: InProcessMocks, skew: timedelta
) -> None:
    desk_clock = lambda: mocks.clock.now() + skew  # noqa: E731
    async with desk_app(mocks.backends(), clock=desk_clock).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call("+14155550999", subject="Next in line")
        await wait_until(pilot, lambda: "s left" in screen_text(pilot, "#offer"), "the offer's countdown")
        card = screen_text(pilot, "#offer")
        assert "20 s left" in card, card
        assert "█" * BAR_WIDTH in card, card
        assert "█" * (BAR_WIDTH + 1) not in card, card
        mocks.time.advance(5)
        await wait_until(pilot, lambda: "15 s left" in screen_text(pilot, "#offer"), "5 s later", mocks=mocks)


@pytest.mark.parametrize("skew", [timedelta(minutes=10), -timedelta(minutes=10)], ids=["ahead", "behind"])
async def test_the_wrap_up_time_box_shows_its_real_time_left_whatever_the_desk_clock_says(
    mocks: InProcessMocks, skew: timedelta
) -> None:
    """The billing queue closes a voice wrap-up 60 s after the call ends, on the contact center's clock: the desk
    shows a minute left, not nothing (ahead) nor eleven minutes (behind), and counts it down."""
    desk_clock = lambda: mocks.clock.now() + skew  # noqa: E731
    async with desk_app(mocks.backends(), clock=desk_clock).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call("+14155550999", subject="Next in line")
        await wait_until(pilot, lambda: "s left" in screen_text(pilot, "#offer"), "the offer")
        await pilot.press("a")
        await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "the call taken")
        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        assert "Wrap-up 1:00" in screen_text(pilot, "#contacts"), screen_text(pilot, "#contacts")
        mocks.time.advance(15)
        await wait_until(pilot, lambda: "Wrap-up 0:45" in screen_text(pilot, "#contacts"), "15 s later", mocks=mocks)
        assert "After-contact work 00:45 left" in screen_text(pilot, "#contact-detail")
