"""The key pressed just after saving a wrap-up is the desk's, and a break asked for then is taken:
`ctrl+s` then `n` 0.3-1 s later did nothing (the `n` was typed into the notes of a form about to
close), and the agent went Available and took the next offer instead of a break. And a key that nothing takes
says so, enter included (an email reply's enter was lost, silently, as an offer's dialog came up under it).
"""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.pilot import Pilot

from agent_desktop.domain.models import Agent
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.contact_center import InProcessContactCenter
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, take, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, offer_in_front
from tests.support.typist import Typist


def press_now(pilot: Pilot[None], key: str) -> None:
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(pilot.app)
    pilot.app.post_message(event)


@pytest.mark.parametrize("pause_s", [0.0, 0.05])
async def test_n_right_after_ctrl_s_takes_a_break_not_the_next_offer(mocks: InProcessMocks, pause_s: float) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "wrap-up")
        desk = agent_screen(pilot).desk
        assert present(pilot.app.focused).id == "notes"
        press_now(pilot, "ctrl+s")  # as the terminal sends them: no wait for the app to be idle in between
        if pause_s:
            await pilot.pause(pause_s)
        press_now(pilot, "n")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reasons, for `n`")
        await wait_until(pilot, lambda: not desk.held, "the contact saved and done")
        await pilot.press("enter")  # the first reason
        await wait_until(pilot, lambda: desk.agent_state() is AgentState.NOT_READY, "Not ready, not Available")


@pytest.mark.parametrize(("answer", "next_state_delay_s"), [("a reason", 0.0), ("escape", 0.0), ("a reason", 0.3)])
async def test_no_call_is_offered_while_the_agent_reads_the_reasons_after_ctrl_s_n(
    mocks: InProcessMocks, monkeypatch: pytest.MonkeyPatch, answer: str, next_state_delay_s: float
) -> None:
    """Seen in the demo, a call waiting: ctrl+s then `n`, and while the agent read the reasons the contact was
    saved, the agent went Available and the waiting call was offered over the picker. `n` on a contact asks for
    the break at once (the first reason); the reason picked replaces it, escape takes it back. And the contact
    is completed only once the contact center has the break (a slow answer to it: the call was offered first,
    as a fresh clone's run under load saw)."""
    if next_state_delay_s:
        slow = InProcessContactCenter.set_next_state

        async def set_next_state_slowly(
            self: InProcessContactCenter, state: AgentState | None, reason: str | None = None
        ) -> Agent:
            await asyncio.sleep(next_state_delay_s)
            return await slow(self, state, reason)

        monkeypatch.setattr(InProcessContactCenter, "set_next_state", set_next_state_slowly)
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "wrap-up")
        desk = agent_screen(pilot).desk
        await mocks.place_call("+14155550999", channel="voice", subject="Waiting behind the first")
        press_now(pilot, "ctrl+s")
        press_now(pilot, "n")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reasons, for `n`")
        await wait_until(pilot, lambda: not desk.held, "the contact saved and done")
        await wait_until(pilot, lambda: desk.agent_state() is AgentState.NOT_READY, "Not ready while reading")
        assert desk.offer is None, "the waiting call was offered while the agent read the reasons"
        if answer == "escape":
            await pilot.press("escape")
            await wait_until(pilot, lambda: desk.offer is not None, "back to Available: the waiting call offered")
            return
        await pilot.press("down", "enter")  # the second reason
        second = present(desk.agent).not_ready_reasons[1]
        await wait_until(pilot, lambda: present(desk.agent).reason == second, f"Not ready for {second}")
        assert desk.agent_state() is AgentState.NOT_READY
        assert desk.offer is None


async def test_an_enter_that_lands_on_an_offer_over_the_composer_says_so(
    mocks: InProcessMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The offer came up over an email reply, and the agent, after a pause, pressed enter: the key is the offer's,
    where enter does nothing, and says so (the text is still in the composer, unsent)."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        await take(pilot, mocks, "dana@example.com", "email", "Charged twice this month")
        await pilot.press("i", *"Refunded")
        await mocks.place_call("erin@example.com", channel="chat", subject="Second in line")
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the composer")
        typist = Typist(pilot)
        await typist.sees(offer_in_front(pilot.app))
        typist.press("enter")

        def said() -> list[str]:
            return [n.message for n in notifications(pilot.app)]

        await wait_until(
            pilot, lambda: any("enter does nothing" in str(m) for m in said()), lambda: f"a word in {said()}"
        )
