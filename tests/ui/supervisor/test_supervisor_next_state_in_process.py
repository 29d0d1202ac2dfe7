"""A supervisor and a busy agent, on the in-process backends over the mock's engine.

The mock refuses to set the state of an agent with a contact in hand (409 "request a next state instead"):
`t` on such an agent offers the state they take after it, `o` logs them out after it, and a set that
races the agent's next contact turns into that offer. No notification shows a bare HTTP status.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from agent_desktop.domain.models import AgentState
from agent_desktop.ui.shared.choice_picker import ChoicePicker
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.supervisor_pickers import set_agent_state
from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import go_available, shows_connected, supervisor_screen, wait_until

SIZE = (120, 40)
AGENT = "agent-001"
RAW_STATUS = re.compile(r"(^|[\s:(])[1-5]\d\d\s")


def said(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in notifications(pilot.app)]


async def busy_agent_on_the_supervisor_screen(pilot: Pilot[None], mocks: InProcessMocks) -> SupervisorScreen:
    """The agent's desk takes a call; f2 opens the supervisor's screen, the cursor on that agent."""
    await go_available(pilot)
    await mocks.place_call("(512) 555-0100")
    await wait_until(pilot, lambda: "555-0100" in str(pilot.app.screen.query_one("#offer").render()), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
    await pilot.press("f2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor screen")
    screen = supervisor_screen(pilot)
    agents = screen.query_one("#agents", AgentTable)
    agents.focus()
    await wait_until(
        pilot, lambda: AGENT in screen.desk.floor.in_hand and screen.desk.floor.in_hand[AGENT], "the call on the floor"
    )
    agents.move_cursor(agents.keys.index(AGENT))
    await pilot.pause(0.1)
    return screen


def picker(pilot: Pilot[None]) -> ChoicePicker[Any]:
    assert isinstance(pilot.app.screen, ChoicePicker), type(pilot.app.screen).__name__
    return pilot.app.screen


async def pick(pilot: Pilot[None], label: str) -> None:
    options = picker(pilot).options
    index = next(i for i, (_, text) in enumerate(options) if label in str(text))
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")


def mocks_for(tmp_path: Path) -> InProcessMocks:
    return InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )


async def test_t_on_a_busy_agent_offers_the_state_after_the_contact(tmp_path: Path) -> None:
    mocks = mocks_for(tmp_path)
    try:
        app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await busy_agent_on_the_supervisor_screen(pilot, mocks)
            await pilot.press("t")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker), "the picker")
            assert "after this contact" in picker(pilot).title_text, picker(pilot).title_text
            await pick(pilot, "Lunch")
            engine = mocks.engine
            await wait_until(pilot, lambda: engine.read.agent(AGENT).next_state is not None, "the next state")
            requested = engine.read.agent(AGENT).next_state
            assert (requested.state.value, requested.reason) == ("not_ready", "Lunch")
            await wait_until(pilot, lambda: any("after their current contact" in s for s in said(pilot)), "the words")
            assert not [s for s in said(pilot) if RAW_STATUS.search(s)], said(pilot)

            await pilot.press("o")  # log out: after the contact too
            await wait_until(
                pilot, lambda: engine.read.agent(AGENT).next_state.state.value == "offline", "log out after"
            )
            assert not [n for n in notifications(pilot.app) if n.severity == "error"], said(pilot)
    finally:
        await mocks.aclose()


async def test_a_set_that_meets_a_contact_in_hand_offers_the_next_state_in_words(tmp_path: Path) -> None:
    """The floor had not yet shown the contact when the supervisor chose: the 409 becomes the offer."""
    mocks = mocks_for(tmp_path)
    try:
        app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            screen = await busy_agent_on_the_supervisor_screen(pilot, mocks)
            set_agent_state(screen, screen.controller, AGENT, AgentState.NOT_READY, "Lunch")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker), "the next-state picker")
            assert "after this contact" in picker(pilot).title_text
            assert said(pilot), said(pilot)
            assert not [s for s in said(pilot) if RAW_STATUS.search(s)], said(pilot)
    finally:
        await mocks.aclose()
