"""The command palette asked for while it is open under something that came over it (a time-boxed wrap-up's time-out
notice): it comes back on top as it was, and the desk keeps running (a second palette stopped it: DuplicateIds)."""

from __future__ import annotations

from textual.command import CommandPalette

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, wait_until


async def test_ctrl_p_with_the_palette_under_a_time_out_notice_brings_it_back(mocks: InProcessMocks) -> None:
    rule = {"mode": "time_boxed", "timeout_s": 20, "extension_s": 0, "default_disposition": "Resolved"}
    await mocks.set_wrap_up_rule("billing", "voice", **rule)
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "wrap-up")
        await pilot.press("ctrl+p", *"hel")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
        palette = pilot.app.screen
        mocks.time.advance(21)  # the wrap-up's time box runs out: its notice comes over the palette
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TimedOutNotice", "the notice over it")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: pilot.app.screen is palette, "the palette back on top")
        assert pilot.app.return_code is None, "the desk stopped"
        names = [type(screen).__name__ for screen in pilot.app.screen_stack]
        assert names.count("CommandPalette") == 1, names
        assert "TimedOutNotice" in names, "the notice is still open, under the palette"
