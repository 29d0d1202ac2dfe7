"""The wrap-up the agent's own `e` opens is in front of whatever view was open, as a user found in tmux: My day open,
a chat offered over it and accepted (My day stepped aside for its composer: rule 4), the agent back on the contacts
before the accept was answered, and `e` on the conversation in hand. The wrap-up came in front, then the accept's
answer brought My day back over it: the notes typed next went to My day ("m does nothing in this dialog") and the
wrap-up was saved without them. The view waits, whole, until the wrap-up is saved (docs/architecture.md, the
attention rule 4)."""

from __future__ import annotations

import asyncio
import time

from agent_desktop.agent_desk.attention import TYPING_RUN_S
from agent_desktop.domain.models import Contact
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, take, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import describe, offer_in_front
from tests.support.terminal_burst import send_read, terminal_bytes
from tests.ui.wrap_up.test_wrap_up_in_one_read import notifications_said

NOTES = "Card updated"


async def test_the_wrap_up_of_e_stays_in_front_of_a_view_that_stepped_aside(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AgentScreen)
        first = await take(pilot, mocks, "first@example.com", "chat", "First")
        await pilot.press("i", *"hi", "enter", "escape")  # answered: `e` ends it at once, without asking
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
        my_day = pilot.app.screen
        await mocks.place_call("second@example.com", channel="chat", subject="Second")
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over my day")
        box = present(offer_in_front(pilot.app))
        await wait_until(pilot, lambda: box.shown_at <= time.monotonic(), "the offer painted")
        await pilot.pause(TYPING_RUN_S)  # the agent reads it: `a` begins a run of its own (rule 2)
        center = screen.controller.contact_center
        accepts = center.accept_offer
        answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def answered_later(offer_id: str) -> Contact:
            await answered
            return await accepts(offer_id)

        center.accept_offer = answered_later  # type: ignore[method-assign]  # a contact center slow to answer
        send_read(pilot.app, terminal_bytes("a"))
        await wait_until(pilot, lambda: pilot.app.screen is screen, "my day stepped aside")
        send_read(pilot.app, terminal_bytes("escape"))  # not writing yet: back on the contacts, the first chat
        await wait_until(pilot, lambda: screen.focused is screen.contact_list, "the contacts")
        assert screen.desk.selected_id == first
        send_read(pilot.app, terminal_bytes("e"))
        form = screen.wrap_up_form
        await wait_until(pilot, lambda: screen.focused is form.disposition, "the wrap-up in front")
        answered.set_result(None)  # and the accept is answered now
        second = lambda: any(h.contact.from_address == "second@example.com" for h in screen.desk.held.values())  # noqa: E731
        await wait_until(pilot, second, "the second chat in hand")
        send_read(pilot.app, terminal_bytes("enter", text="resol") + terminal_bytes("enter", text=NOTES))
        await wait_until(pilot, lambda: NOTES in form.notes.text or notifications_said(pilot.app), "the notes")
        said = notifications_said(pilot.app)
        assert pilot.app.screen is screen, f"the wrap-up in front; {describe(pilot)}"
        assert NOTES in form.notes.text, f"the notes hold {form.notes.text!r}; {said}"
        assert form.disposition.value == "Resolved", said
        send_read(pilot.app, terminal_bytes("ctrl+s"))
        await wait_until(pilot, lambda: pilot.app.screen is my_day, "my day back once the wrap-up is saved")
        assert said == []
