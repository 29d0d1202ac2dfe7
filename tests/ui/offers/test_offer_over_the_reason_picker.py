"""The offer over the "Not ready — why?" picker: its box showed "20 s left" frozen while the
desk's card behind the picker ran down, and the card behind showed where the box's countdown should have been.

What a terminal shows is built here from what the app sends it (tests/support/terminal_grid.py): Pilot's own render
composes the screen afresh and showed the box counting down all along. The desk's screen under the picker ticks
each second and hands its changed regions up to the picker's screen; Textual drew those and dropped the box's
own update of the same frame (docs/textual-patches.md, 5)."""

from __future__ import annotations

import re

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.agent.offers.offer_card import BAR_WIDTH
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import agent_flow_until, scene_app, wait_until
from tests.support.scenes.pilot_steps import offer_in_front
from tests.support.terminal_grid import TerminalGrid

LEFT = re.compile(r"(\d+) s left")


def box_lines(pilot: Pilot[None], grid: TerminalGrid) -> list[str]:
    """The box's lines as the terminal shows them (its cells only)."""
    box = offer_in_front(pilot.app)
    assert box is not None, "the offer is no longer over the picker"
    region = box.region
    return [line[region.x : region.right] for line in grid.lines()[region.y : region.bottom]]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_offer_over_the_reason_picker_counts_down_on_the_terminal(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    async with scene_app(mocks).run_test(size=size) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        grid = TerminalGrid(pilot.app)
        pilot.app.screen.refresh()  # the first frame from here is a whole one
        await pilot.press("v", "n")  # in one go, as the trial typed them
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reason picker")
        await mocks.place_call("+15125550101", subject="Upgrade prices")
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the picker")
        await wait_until(pilot, lambda: any(LEFT.search(line) for line in box_lines(pilot, grid)), "the countdown")
        shown: list[int] = []
        for _ in range(5):  # five seconds of the desk's ticks, its clock moving with them
            mocks.time.advance(1.0)
            await pilot.pause(0.3)
            lines = box_lines(pilot, grid)
            counts = [int(found.group(1)) for line in lines if (found := LEFT.search(line))]
            assert len(counts) == 1, "the box shows one countdown, nothing of the card behind it:\n" + "\n".join(lines)
            shown.append(counts[0])
            bar = next(line for line in lines if LEFT.search(line)).count("█")
            assert abs(bar - BAR_WIDTH * counts[0] / 20) <= 1.5, (
                f"the box's bar ({bar} of {BAR_WIDTH}) says {counts[0]} s"
            )
            assert box_lines(pilot, grid)[0].lstrip().startswith("┏"), "the box's border is whole"
        assert shown == sorted(shown, reverse=True), f"the box's countdown read {shown}"
        assert shown[0] > shown[-1], f"the box's countdown read {shown}"
        assert shown[-1] <= 16, f"five seconds on, the box still reads {shown[-1]} s left"
