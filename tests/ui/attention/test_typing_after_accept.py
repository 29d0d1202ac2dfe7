"""Typing a greeting right after accepting a chat never runs the desk's keys.

On a fresh clone the focus stayed on the contacts list after `a`, so `hey` held the chat (`h`), asked to end
it (`e`) and answered yes (`y`): the customer's chat ended unanswered within two seconds. Now the agent lands in
the conversation's composer, keys typed before it is there go into it, and no letter ends a conversation.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop.ui.agent.contacts.desk_contacts import DeskContacts
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.agent.conversations.end_conversation_dialog import EndConversationDialog
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, scene_mocks, take, wait_until
from tests.support.narrowing import present
from tests.support.scenes.conversation_scenes import SPEED
from tests.support.scenes.pilot_steps import agent_screen


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks", speed=SPEED)
    try:
        yield running
    finally:
        await running.aclose()


def composer_text(pilot: Pilot[None]) -> str:
    return pilot.app.screen.query_one("#composer", Composer).text


async def offered(
    pilot: Pilot[None], mocks: InProcessMocks, channel: str = "chat", address: str = "dana@example.com"
) -> Desk:
    """The desk loaded and Available, a contact from `address` on `channel` offered to it; the desk."""
    await loaded(pilot)
    await go_available(pilot)
    desk = agent_screen(pilot).desk
    await mocks.place_call(address, channel=channel, subject="Charged twice this month")
    await wait_until(pilot, lambda: desk.offer is not None, "the offer")
    return desk


@pytest.mark.parametrize("channel", ["chat", "sms", "email"])
async def test_a_greeting_typed_at_once_after_accepting_goes_into_the_composer(
    mocks: InProcessMocks, channel: str
) -> None:
    """A burst: `a` then `hey` in the same moment, before the contact is even in hand."""
    address = "+14155550199" if channel == "sms" else "dana@example.com"
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        desk = await offered(pilot, mocks, channel, address)
        await pilot.press("a", *"hey")
        await wait_until(
            pilot, lambda: bool(desk.held) and present(pilot.app.screen.focused).id == "composer", "the composer"
        )
        await wait_until(pilot, lambda: composer_text(pilot) == "hey", lambda: f"hey in {composer_text(pilot)!r}")
        (held,) = desk.held.values()
        assert held.contact.state is ContactState.CONNECTED, "not held by `h`"
        assert held.phase is Phase.TALKING, "not ended by `e`"
        assert not isinstance(pilot.app.screen, EndConversationDialog)


async def test_a_greeting_typed_at_a_persons_pace_after_accepting_goes_into_the_composer(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        desk = await offered(pilot, mocks)
        await pilot.press("a")
        await wait_until(pilot, lambda: bool(desk.held), "the chat in hand")
        (contact_id,) = desk.held
        for key in "hey":
            await pilot.press(key)
            await pilot.pause(0.15)
        assert composer_text(pilot) == "hey"
        held = desk.held[contact_id]
        assert held.contact.state is ContactState.CONNECTED
        assert held.phase is Phase.TALKING


async def test_keys_sent_to_the_list_as_the_composer_took_the_focus_go_into_it(mocks: InProcessMocks) -> None:
    """A burst's keys are handed to the focused widget as the app reads them: read before the chat was in hand,
    they went to the contacts list and reached the screen after the focus had moved to the composer, when
    nothing held them any more — lost, each with a "key does nothing" notice (a full run, tmux, at load)."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        desk = await offered(pilot, mocks)
        contacts = pilot.app.screen.query_one("#contacts", DeskContacts)
        await pilot.press("a")
        await wait_until(
            pilot, lambda: bool(desk.held) and present(pilot.app.screen.focused).id == "composer", "the composer"
        )
        for key in "hey":  # as the app forwarded them to the list, focused when it read them
            forwarded = events.Key(key, key)
            forwarded._set_forwarded()  # (a key that bubbles back to the app is then not forwarded again)
            contacts.post_message(forwarded)
        await wait_until(pilot, lambda: composer_text(pilot) == "hey", lambda: f"hey in {composer_text(pilot)!r}")
        assert not [n for n in notifications(pilot.app) if n.title == "Key"], "no key was said to do nothing"


async def test_no_letter_ends_a_conversation_whose_customer_waits(mocks: InProcessMocks) -> None:
    """`e` from the contacts list asks; `y` (once yes) keeps the question open and says which keys answer;
    ctrl+e ends it."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
        desk = agent_screen(pilot).desk
        await pilot.press("e")  # (`take` went back to the contacts list)
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EndConversationDialog), "the question")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, EndConversationDialog), "y does not answer it"
        assert "y does nothing here" in str(pilot.app.screen.query_one("#end-keys").render())
        assert desk.held[contact_id].phase is Phase.TALKING
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: desk.held[contact_id].phase.wrapping_up, "the chat ended by ctrl+e")


async def test_escape_before_the_chat_arrives_leaves_the_agent_on_the_contacts(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        desk = await offered(pilot, mocks)
        await pilot.press("a", "escape")
        await wait_until(pilot, lambda: bool(desk.held), "the chat in hand")
        await pilot.pause()
        assert present(pilot.app.screen.focused).id == "contacts"
