"""More wrap-up time on request, within the queue's rule: ctrl+g grants the rule's extension each time,
the form says the last one is the last (the key then leaves the footer), and the supervisor is told of each in a
notice. A state asked for during the wrap-up (`n`, a break) is queued as the next state: the wrap-up stays open and
the contact in after-contact work until it is saved, then the break is taken."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from agent_desktop.domain.vocabulary import AgentState, ContactState
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, wait_until
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import agent_screen, screen_text
from tests.ui.conversations.test_sla_and_timed_wrap_up_in_process import call_in_wrap_up

SMALL = (80, 24)


def said(pilot: Pilot[None]) -> list[str]:
    return [f"{n.title}: {n.message}" for n in notifications(pilot.app)]


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_more_time_twice_the_last_said_and_the_supervisor_told(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    await mocks.set_wrap_up_rule(
        "billing",
        "voice",
        mode="time_boxed",
        timeout_s=20,
        extension_s=30,
        max_extensions=2,
        default_disposition="Resolved",
    )
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("f2")  # the supervisor's desk follows the floor from now on
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "back to the agent")
        await go_available(pilot)
        contact_id, _ = await call_in_wrap_up(pilot, mocks)

        def status() -> str:
            return screen_text(pilot, "#wrap-up-status")

        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: status() == "0:30 more granted.", lambda: f"the first: {status()!r}")
        await pilot.press("ctrl+g")
        await wait_until(
            pilot,
            lambda: status() == "0:30 more granted: the last the queue allows.",
            lambda: f"the last, said: {status()!r}",
        )
        assert "More time" not in palette_titles(pilot.app)
        assert mocks.engine.read.contact(contact_id).acw_extensions == 2

        await pilot.press("f2")  # the supervisor's desk was told of each
        await wait_until(
            pilot,
            lambda: sum("Wrap-up extended" in line for line in said(pilot)) == 2,
            lambda: f"two notices: {said(pilot)}",
        )
        (last,) = [line for line in said(pilot) if "(2 of 2)" in line]
        assert "the last the queue allows" in last, said(pilot)
        assert f"+0:30 wrap-up on {contact_id} (Billing)" in last


async def test_a_break_asked_for_during_the_wrap_up_waits_for_it_to_be_saved(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id, _ = await call_in_wrap_up(pilot, mocks)
        desk = agent_screen(pilot).desk
        await pilot.press("escape", "n")  # out of the notes; the next state, on a contact
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reasons, for `n`")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                (agent := mocks.engine.read.agent("agent-001")).next_state is not None
                and agent.next_state.state == AgentState.NOT_READY
            ),
            "the break queued as the next state",
        )
        assert mocks.engine.read.contact(contact_id).state == ContactState.AFTER_CONTACT_WORK, "the wrap-up goes on"
        assert contact_id in desk.held
        assert "Wrap-up" in screen_text(pilot, "#contacts")
        await wait_until(
            pilot, lambda: "next: Not ready" in screen_text(pilot, "#agent-status"), "shown as the next state"
        )

        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: not desk.held, "saved")
        await wait_until(pilot, lambda: desk.agent_state() is AgentState.NOT_READY, "the break taken then")
        assert mocks.engine.read.contact(contact_id).state == ContactState.COMPLETED
