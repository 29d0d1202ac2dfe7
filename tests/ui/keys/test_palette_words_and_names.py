"""Words a new agent types find their command, and the contacts list names the customer:
the palette found nothing for "break", "stats" or "supervisor", and the contacts list showed an address where
the CRM had matched a name.
"""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, screen_text


def offered(pilot: Pilot[None]) -> list[str]:
    found = pilot.app.screen.query_one(CommandList)
    return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]


@pytest.mark.parametrize(
    ("typed", "title"),
    [("break", "Not ready"), ("lunch", "Not ready"), ("stats", "Switch desk"), ("supervisor", "Switch desk")],
)
async def test_the_palette_finds_a_command_by_the_words_people_use(
    mocks: InProcessMocks, typed: str, title: str
) -> None:
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "available")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
        await pilot.press(*typed)
        await wait_until(pilot, lambda: pilot.app.screen.query_one(CommandInput).value == typed, "typed")
        await pilot.pause(0.3)  # the providers search
        await wait_until(
            pilot, lambda: any(o.startswith(title) for o in offered(pilot)), lambda: f"{title} in {offered(pilot)}"
        )
        assert sum(o.startswith(title) for o in offered(pilot)) == 1, "once"


async def test_the_contacts_list_names_the_customer_the_crm_found(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")  # the seeded caller with a history, found by number
        desk = agent_screen(pilot).desk
        (contact_id,) = desk.held
        name = present(present(desk.lookups.get(contact_id)).record).customer.name
        await wait_until(
            pilot,
            lambda: name[:15] in screen_text(pilot, "#contacts"),
            lambda: f"{name} in {screen_text(pilot, '#contacts')}",
        )
