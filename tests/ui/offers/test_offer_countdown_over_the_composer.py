"""The offer's dialog counts down over an open composer: its text stayed at "20 s left" (or
"0 s left") and its bar was drawn half-updated while the desk's card counted down.

The composer underneath blinks its cursor every half second; the screen underneath then asks the dialog's
screen to repaint those regions, and Textual 8.2 repaints only them, dropping the card's own update in the same
frame (`Screen._on_timer_update` clears the dirty widgets for a screen-wide repaint). Here the composer blinks
as in a terminal (the scenes steady cursors for their captures), and what the dialog's screen draws over three
seconds of ticks must cover its countdown.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region

from agent_desktop.ui.agent.conversations.composer import Composer
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, take, wait_until
from tests.support.scenes.pilot_steps import offer_in_front


def covered(regions: list[Region], region: Region) -> bool:
    return all(
        any(r.contains(x, y) for r in regions)
        for y in range(region.y, region.bottom)
        for x in range(region.x, region.right)
    )


async def test_the_offer_dialog_over_the_composer_draws_its_countdown(
    mocks: InProcessMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        await take(pilot, mocks, "dana@example.com", "email", "Charged twice this month")
        await pilot.press("i", *"Refunded")
        await mocks.place_call("erin@example.com", channel="chat", subject="Second in line")
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the composer")
        dialog = desk_screen = pilot.app.screen  # the offer is a box on the screen in front: the composer's
        card = dialog.query_one("#offer-over")
        assert "  0 s left" not in str(card.render()), "the desk's time from the start, not 0 s"
        await pilot.pause(0.1)
        drawn: list[Region] = []
        render_update = dialog._compositor.render_update

        def counted(*a: Any, **k: Any) -> object:
            drawn.extend(dialog._compositor._dirty_regions)
            return render_update(*a, **k)

        monkeypatch.setattr(dialog._compositor, "render_update", counted)
        composer = desk_screen.query_one("#composer", Composer)
        composer.cursor_blink = True  # (the scenes steady it for captures) as a terminal has it
        for _ in range(6):  # three seconds of the desk's ticks, its clock moving with them
            mocks.time.advance(0.5)
            await pilot.pause(0.5)
        assert covered(drawn, card.region), f"the card {card.region} never drawn in 3 s; drawn: {drawn}"
