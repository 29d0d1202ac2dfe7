"""A wrap-up typed in one burst right after `e`, as an agent who knows the keys types it (seen in tmux, 2026-11-27:
`e`, then `w enter down enter tab` and the notes at a quick typist's pace left the dispositions' list open, no
disposition chosen and the notes empty, with nothing said; the `b` of the notes opened the Callback dialog). `e` is
decided in its turn (the wrap-up in front before the contact center answers) and a Select's list opens, answers
and closes in its key's turn (agent_desktop/ui/keys/key_turn.py). Every key is acted on where it was aimed, or a notice
says why (docs/architecture.md, the attention rules)."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Select

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Contact
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.typist import Typist

# the desk's words for the 503 the tests below answer the end with (agent_desk/refusals.py)
FAILED_WORDS = "The contact center failed on its side: try again in a moment, and tell your supervisor if it goes on."


async def test_e_then_the_wrap_up_typed_at_once_chooses_the_disposition_and_keeps_the_notes(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        typist = Typist(pilot)
        typist.press("e", "w", "enter", "down", "enter", "tab")
        typist.type("burst note")
        form = agent_screen(pilot).wrap_up_form
        await wait_until(pilot, lambda: "burst note" in form.notes.text or notifications(pilot.app), "the notes")
        said = [n.message for n in notifications(pilot.app)]
        assert form.notes.text == "burst note", (form.notes.text, said)
        assert form.disposition.value is not Select.NULL, said  # a disposition was picked
        desk = agent_screen(pilot).desk
        await wait_until(
            pilot, lambda: present(desk.selected_contact()).state.value == "after_contact_work", "the end answered"
        )
        await pilot.pause()
        assert pilot.app.screen.focused is form.notes, "the next key is typed where the cursor is: in the notes"


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
async def test_e_takes_the_cursor_into_the_wrap_up_so_enter_opens_the_dispositions(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    # Seen in tmux as a new agent, 2026-11-27: after `e` on a call the cursor stayed on the contacts list; `enter`
    # did nothing visible and the notes typed after `tab` ran the desk's keys (`d` opened My day), nothing saved.
    async with scene_app(mocks).run_test(size=size) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        typist = Typist(pilot)
        typist.press("e", "enter", "down", "enter", "tab")
        typist.type("did the thing")
        form = agent_screen(pilot).wrap_up_form
        await wait_until(pilot, lambda: "did the thing" in form.notes.text or notifications(pilot.app), "the notes")
        said = [n.message for n in notifications(pilot.app)]
        assert form.notes.text == "did the thing", (form.notes.text, said)
        assert form.disposition.value is not Select.NULL, said  # a disposition was picked
        assert pilot.app.screen.focused is form.notes


async def test_an_end_the_contact_center_refuses_gives_the_call_back_and_keeps_what_was_typed_behind_e(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        screen = agent_screen(pilot)
        center = screen.controller.contact_center
        ends = center.end_contact

        async def refused(contact_id: str) -> Contact:
            await asyncio.sleep(0.3)  # the agent types on meanwhile
            raise BackendError("contact center", "503 the call could not be ended", 503)

        center.end_contact = refused  # type: ignore[method-assign]  # the contact center refuses the end
        typist = Typist(pilot)
        typist.press("e", "w", "tab")
        typist.type("kept note")
        desk, form = screen.desk, screen.wrap_up_form
        await wait_until(pilot, lambda: notifications(pilot.app), "the refusal said")
        assert [n.message for n in notifications(pilot.app)] == [FAILED_WORDS]
        assert desk.wrap_up() is None, "the call is talked on"
        assert present(desk.selected()).phase.value == "talking", "the call is talked on"
        assert screen.focused is screen.contact_list, "the cursor leaves the wrap-up that is gone"
        center.end_contact = ends  # type: ignore[method-assign]  # and ends it again
        await pilot.press("e")
        await wait_until(pilot, lambda: present(desk.selected_contact()).state.value == "after_contact_work", "ended")
        assert form.notes.text == "kept note", "what was typed behind the refused e waits in its wrap-up"
