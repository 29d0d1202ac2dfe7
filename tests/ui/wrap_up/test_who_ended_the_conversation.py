"""Who ended the conversation: the contact center records it on the contact (the agent's `e`, the
customer leaving, the system's inactivity timeout), the wrap-up writes it to the CRM with the interaction, and the
customer's history says it on the next contact's card."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.domain.models import Interaction
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    caller,
    go_available,
    loaded,
    scene_app,
    scene_mocks,
    take,
    wait_until,
)
from tests.support.scenes.conversation_scenes import SPEED
from tests.support.scenes.pilot_steps import agent_screen, card_text, screen_text

CUSTOMER = 3  # a seeded customer, known to the CRM by their email


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks", speed=SPEED)
    try:
        yield running
    finally:
        await running.aclose()


async def wrapped_up(pilot: Pilot[None]) -> None:
    """The wrap-up in front once the contact is in after-contact work: a disposition, then saved."""
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "ctrl+s")
    await wait_until(pilot, lambda: not agent_screen(pilot).desk.held, "the contact wrapped up")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_chat_the_inactivity_timeout_ended_is_recorded_as_ended_by_the_system(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    await mocks.set_inactivity_timeout("billing", "chat", 30)
    email = caller(mocks, CUSTOMER).email
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, email, "chat", "Charged twice this month")
        desk = agent_screen(pilot).desk
        await wait_until(
            pilot,
            lambda: contact_id in desk.held and desk.held[contact_id].contact.ended_by == "system",
            "the chat ended by its inactivity timeout",
            mocks=mocks,
            step_s=5,
        )
        await wrapped_up(pilot)
        crm = mocks.crm()
        customer_id = (await crm.search_customers(email))[0].id
        written: list[Interaction] = []
        for _ in range(200):  # the outbox sends it in the background: bounded
            written = [i for i in await crm.list_interactions(customer_id) if i.contact_id == contact_id]
            if written:
                break
            await pilot.pause(0.05)
        assert [i.ended_by for i in written] == ["system"], "written to the CRM with the wrap-up"

        await mocks.place_call(email, channel="chat", subject="Me again")  # the customer writes again
        await wait_until(pilot, lambda: desk.offer is not None, "the next offer")
        await pilot.press("a", "escape", "2")
        await wait_until(
            pilot,
            lambda: "closed by the inactivity timeout" in card_text(pilot, "history"),
            lambda: f"the history says who ended it: {card_text(pilot, 'history')}",
        )
