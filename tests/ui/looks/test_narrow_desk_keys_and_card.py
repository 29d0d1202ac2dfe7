"""80×24, the default of most terminals: during a call the footer kept `v` and `n` and
dropped `t` (transfer) and `f6`, the only way to the other panes there; and an offered caller's card showed its
tab names with nothing under them ("No contact selected" took the rows). The keys of a contact in progress go
first now, and with nothing in hand the card has those rows.
"""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.ui.shared.footer import KeyFooter
from tests.support.hostile_screen import screen_lines
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import agent_flow_until, scene_app

NARROW = (80, 24)


def footer_keys(pilot: Pilot[None]) -> list[str]:
    return [entry.key for entry in pilot.app.screen.query_one(KeyFooter).shown()]


async def test_during_a_call_at_80_columns_the_footer_keeps_transfer_and_the_pane_key(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=NARROW) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        await pilot.pause()
        shown = footer_keys(pilot)
        assert {"e", "h", "t", "f6"} <= set(shown), shown
        assert shown[-1] == "ctrl+p"
        assert "question_mark" in shown


async def test_an_offered_callers_card_at_80x24_shows_rows_under_its_tabs(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=NARROW) as pilot:
        await agent_flow_until(pilot, mocks, "offer")  # the seeded caller with a history
        await pilot.pause()
        lines = screen_lines(pilot).splitlines()
        header = next(i for i, line in enumerate(lines) if "When" in line and "Via" in line)
        under = lines[header + 2]  # the newest item, under the consent line
        assert any(ch.isdigit() for ch in under), f"nothing under the tabs:\n{screen_lines(pilot)}"
