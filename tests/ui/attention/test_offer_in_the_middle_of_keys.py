"""A second contact offered in the middle of the agent's keys (a busy floor offers the next chat while they end
or wrap up the first) comes up over what they have open at once, and takes none of the keys of the run of typing
it came up in: the key meant for what they had open still does what it was for, under the offer.

Seen in the tmux demo test on a demo floor (5 of 11 full runs): `y` on "End while the customer waits?" came
31 ms after the offer's dialog had come up over it and was lost (the chat never ended); and a disposition list the
agent was picking from was closed by the offer under their Down and Enter. The keys are stamped with the times a
person typed them (tests/support/typist.py), so the run is the same on a busy machine as on an idle one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from agent_desktop.ui.agent.conversations.end_conversation_dialog import EndConversationDialog
from agent_desktop.ui.agent.offers.offer_over import OfferOver
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, scene_mocks, take, wait_until
from tests.support.narrowing import present
from tests.support.scenes.conversation_scenes import SPEED
from tests.support.scenes.pilot_steps import agent_screen, offer_in_front
from tests.support.typist import Typist


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks", speed=SPEED)
    try:
        yield running
    finally:
        await running.aclose()


async def a_second_chat_is_offered_over(pilot: Pilot[None], mocks: InProcessMocks) -> OfferOver:
    """The next chat offered, as the floor would, in the middle of the agent's keys: it comes up over what is open."""
    await mocks.place_call("erin@example.com", channel="chat", subject="Second in line")
    await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over what was open")
    return present(offer_in_front(pilot.app))


async def dispositions_open(pilot: Pilot[None], mocks: InProcessMocks, typist: Typist) -> Select[str]:
    """A chat taken and ended (`e`, ctrl+e), its wrap-up's dispositions list opened by keys (`w`, enter)."""
    await loaded(pilot)
    await go_available(pilot)
    await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, EndConversationDialog), "the question")
    await pilot.press("ctrl+e")
    select: Select[str] = pilot.app.screen.query_one("#disposition", Select)
    await wait_until(pilot, lambda: not select.disabled and len(select._options) > 1, "the wrap-up")
    typist.press("w", "enter")
    await wait_until(pilot, lambda: select.expanded, "the list open")
    return select


async def test_ctrl_e_on_end_while_the_customer_waits_ends_the_chat_though_an_offer_came_as_it_was_pressed(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
        desk = agent_screen(pilot).desk
        typist = Typist(pilot)
        typist.press("e")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EndConversationDialog), "the question")
        await a_second_chat_is_offered_over(pilot, mocks)
        typist.press("ctrl+e")  # the same run of keys: the question's
        await wait_until(pilot, lambda: desk.held[contact_id].phase.wrapping_up, "the chat ended")
        assert offer_in_front(pilot.app) is not None, "the offer still up, in front"
        assert desk.offer is not None
        assert not any(isinstance(s, EndConversationDialog) for s in pilot.app.screen_stack)


async def test_a_disposition_picked_as_an_offer_comes_is_picked(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        typist = Typist(pilot)
        select = await dispositions_open(pilot, mocks, typist)
        await a_second_chat_is_offered_over(pilot, mocks)
        typist.press("down", "enter")  # the same run: for the list
        await wait_until(pilot, lambda: select.value is not Select.NULL, "the disposition picked")
        assert offer_in_front(pilot.app) is not None, "the offer still up, in front"


async def test_a_list_left_open_stays_open_under_the_offer_and_escape_returns_to_it(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        typist = Typist(pilot)
        select = await dispositions_open(pilot, mocks, typist)
        dialog = await a_second_chat_is_offered_over(pilot, mocks)
        assert select.expanded, "the list as the agent left it, under the offer"
        await typist.sees(dialog)
        typist.press("escape")
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is None, "back to what was open")
        assert select.expanded
        assert pilot.app.screen.focused is not None
        typist.press("down", "enter")
        await wait_until(pilot, lambda: select.value is not Select.NULL, "the disposition picked")
