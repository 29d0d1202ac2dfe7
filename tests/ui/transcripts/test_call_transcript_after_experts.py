"""From the second call on, the call's live transcript never showed at 120×40 once `/` (the experts)
had been used on the first call, and no key brought it back. `/` puts the experts where the selected contact's
conversation or call was; that choice was kept for good, so every later call's transcript stayed under the experts.
It is the contact's: the next contact selected shows its own conversation or call again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import agent_screen, go_available, screen_text, shows_connected, wait_until
from tests.ui.transcripts.test_call_transcript_in_process import call_area, heard, step_until


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    yield mocks
    await mocks.aclose()


async def call_answered(pilot: Pilot[None], mocks: InProcessMocks, index: int) -> None:
    """The seeded caller `index` rings and `a` answers, until something is heard on the call."""
    desk = agent_screen(pilot).desk
    await mocks.place_call(callers(mocks.settings.seed, mocks.settings.customers)[index].phone_e164)
    await wait_until(pilot, lambda: desk.offer is not None, "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
    await step_until(pilot, mocks, lambda: "hearing…" in heard(pilot), "a line heard on the call")


def shown(pilot: Pilot[None], selector: str) -> bool:
    """On the screen: displayed, with room on it."""
    widget = pilot.app.screen.query_one(selector)
    return widget.display and widget.region.height > 0


async def test_the_second_calls_transcript_shows_after_the_experts_were_searched_on_the_first(
    mocks: InProcessMocks,
) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_available(pilot)
        await call_answered(pilot, mocks, 3)
        assert shown(pilot, "#call"), "the first call's transcript in the experts' place"
        await pilot.press("slash")  # the experts, searched while on the first call
        await wait_until(pilot, lambda: shown(pilot, "#experts"), "the experts over the call")
        assert not shown(pilot, "#call")
        await pilot.press("escape")
        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-call work")
        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: not desk.held, "the first call wrapped up")
        await pilot.press("v")
        await call_answered(pilot, mocks, 4)
        await pilot.pause()
        assert shown(pilot, "#call"), "the second call's transcript hidden under the experts"
        assert not shown(pilot, "#experts")
        assert "Call · " in str(call_area(pilot).border_title)
