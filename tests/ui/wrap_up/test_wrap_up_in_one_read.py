"""A wrap-up typed in one burst through its disposition list, as the terminal delivers it: every key in one read,
all of them queued before the desk has handled the first (tests/support/terminal_burst.py feeds the bytes through
Textual's own parser). Seen in tmux: `e ctrl+o escal enter Notes typed fast` lost the enter and
put the notes in the list's search ("escalNotes typed fast"); `e enter resol enter Notes…` picked a disposition,
then `o` opened the outbox, `t` a transfer dialog, and "End contact: 409 contact is after_contact_work" showed.
Nothing reached the CRM. A key is read once the key before it has done what it does (agent_desktop/ui/keys/key_turns.py):
the list it opened is up with the cursor in its search, the pick it made has closed the list and put the cursor in
the notes (docs/architecture.md, the attention rules 7 and 8)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Contact
from agent_desktop.ui.agent.wrap_up.disposition_picker import DispositionPicker
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.keys import key_turns
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, caller, scene_app, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, describe
from tests.support.scenes.scenes import OFFER_CALLER
from tests.support.terminal_burst import send_read, terminal_bytes

NOTES = "Notes typed fast"

# the desk's words for the 503 the tests below answer the end with (agent_desk/refusals.py)
FAILED_WORDS = "The contact center failed on its side: try again in a moment, and tell your supervisor if it goes on."


def notifications_said(app: App[Any]) -> list[str]:
    """What the desk's notices say now (a key refused, a request refused)."""
    return [f"{n.title}: {n.message}" for n in notifications(app)]


async def crm_wrap_ups(pilot: Pilot[None], mocks: InProcessMocks, timeout_s: float = 10.0) -> list[tuple[str, str]]:
    """The wrap-ups the agent wrote to the caller's CRM record (disposition, notes), once one has arrived (the
    outbox sends it in the background); the deadline only bounds a broken run."""
    customer = f"cus-{caller(mocks, OFFER_CALLER).index + 1:06d}"
    deadline = time.monotonic() + timeout_s
    while True:
        written = [
            (i.disposition or "", i.notes or "")
            for i in await mocks.crm().list_interactions(customer)
            if i.agent_id == "agent-001"
        ]
        if written or time.monotonic() > deadline:
            return written
        await pilot.pause()


@pytest.mark.parametrize(
    ("opening", "search", "disposition"),
    [(("ctrl+o",), "escal", "Escalated"), (("enter",), "resol", "Resolved")],
    ids=["ctrl+o's list", "enter on the disposition"],
)
async def test_a_wrap_up_in_one_read_reaches_the_crm(
    mocks: InProcessMocks, opening: tuple[str, ...], search: str, disposition: str
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        send_read(pilot.app, terminal_bytes("e", *opening, text=search) + terminal_bytes("enter", text=NOTES))
        form = agent_screen(pilot).wrap_up_form
        await wait_until(pilot, lambda: NOTES in form.notes.text or notifications_said(pilot.app), "the notes")
        said = notifications_said(pilot.app)
        assert form.notes.text == NOTES, f"the notes hold {form.notes.text!r}; said {said}\n{describe(pilot)}"
        assert form.disposition.value == disposition, said
        assert pilot.app.screen is agent_screen(pilot), "the list closed with the pick; nothing else opened"
        assert said == [], "every key went where the cursor was"
        send_read(pilot.app, terminal_bytes("ctrl+s"))
        assert await crm_wrap_ups(pilot, mocks) == [(disposition, NOTES)]


async def test_a_pick_from_the_disposition_field_leaves_the_cursor_in_the_notes(mocks: InProcessMocks) -> None:
    # As ctrl+o's picker does. At a person's pace (a key at a time, each once the desk is idle), the pick left the
    # cursor on the field: `o` of the notes opened the outbox, `t` a transfer dialog.
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        await pilot.press("e", "enter", *"resol", "enter")
        await pilot.press(*"Noted")
        form = agent_screen(pilot).wrap_up_form
        await wait_until(pilot, lambda: form.notes.text or notifications_said(pilot.app), "the notes")
        assert form.notes.text == "Noted", notifications_said(pilot.app)
        assert form.disposition.value == "Resolved"


async def test_tab_right_after_a_pick_keeps_the_cursor_in_the_notes(mocks: InProcessMocks) -> None:
    # The way to the notes before a pick took the cursor there: `tab` behind the pick, in the same read.
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        send_read(pilot.app, terminal_bytes("e", "ctrl+o", text="refund") + terminal_bytes("enter", "tab", text=NOTES))
        form = agent_screen(pilot).wrap_up_form
        await wait_until(pilot, lambda: NOTES in form.notes.text or notifications_said(pilot.app), "the notes")
        assert form.notes.text == NOTES, notifications_said(pilot.app)
        assert notifications_said(pilot.app) == []


async def test_keys_typed_before_an_answer_came_are_read_before_it(mocks: InProcessMocks) -> None:
    # The end refused at once, while the rest of the read was still to be read: the wrap-up typed behind `e` in the
    # same read is the wrap-up's, kept for the next `e`, as it is when the refusal comes later. When every key waited
    # for the one before it to settle, the refusal overtook them (`make test-loaded`: a refusal after 0.3 s did, with
    # the cores busy): `w` was refused, `tab` and the notes went to the contacts list and `o` opened the outbox.
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        screen = agent_screen(pilot)
        center = screen.controller.contact_center
        ends = center.end_contact

        async def refused(contact_id: str) -> Contact:
            raise BackendError("contact center", "503 the call could not be ended", 503)

        center.end_contact = refused  # type: ignore[method-assign]  # the contact center refuses the end, at once
        send_read(pilot.app, terminal_bytes("e", "w", "tab", text="kept note"))
        await wait_until(pilot, lambda: notifications_said(pilot.app), "the refusal said")
        app = pilot.app
        assert isinstance(app, AgentDesktopApp)
        await wait_until(pilot, lambda: not app.key_turns.busy, "every key of the read read")
        assert notifications_said(pilot.app) == [f"End contact: {FAILED_WORDS}"]
        assert pilot.app.screen is screen, "nothing opened"
        center.end_contact = ends  # type: ignore[method-assign]  # and the agent ends it again
        await pilot.press("e")
        desk = screen.desk
        await wait_until(pilot, lambda: present(desk.selected_contact()).state.value == "after_contact_work", "ended")
        assert screen.wrap_up_form.notes.text == "kept note", "what was typed behind the refused e waits for it"


async def test_notes_the_box_has_read_wait_for_the_next_e_when_a_refusal_closes_it_first(mocks: InProcessMocks) -> None:
    # The moment the test above comes to, made to happen: the notes' box has read the letters typed into it, but the
    # desk hears of them only through messages that bubble a turn or two behind (the box's `Changed`, the form's
    # `DraftChanged`), and the refusal's redraw closed the wrap-up between the two. The pacer draws a turn sooner than
    # the redraw before it did, and came there first every time: the notes were gone at the next `e`.
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        screen = agent_screen(pilot)
        desk, form = screen.desk, screen.wrap_up_form
        center = screen.controller.contact_center
        ends = center.end_contact
        answer: asyncio.Future[Contact] = asyncio.get_running_loop().create_future()

        async def not_answered_yet(contact_id: str) -> Contact:
            return await answer

        center.end_contact = not_answered_yet  # type: ignore[method-assign]
        await pilot.press("e", "tab")
        assert screen.focused is form.notes, describe(pilot)
        contact_id = present(desk.selected_id)
        form.notes.insert("kept note")  # what the box does with the letters it reads: its `Changed` is queued
        desk.end_refused(contact_id)  # and the refusal is applied and drawn now, before that reaches the desk
        screen.drawn_in_turn()
        assert desk.wrap_up() is None, "the call is talked on"
        answer.set_exception(BackendError("contact center", "503 the call could not be ended", 503))
        await wait_until(pilot, lambda: notifications_said(pilot.app), "the refusal said")
        center.end_contact = ends  # type: ignore[method-assign]  # and the agent ends it again
        await pilot.press("e")
        await wait_until(pilot, lambda: present(desk.selected_contact()).state.value == "after_contact_work", "ended")
        assert form.notes.text == "kept note", "what was typed behind the refused e waits for it"


async def test_a_starved_desk_reads_the_burst_late_and_in_order(mocks: InProcessMocks, monkeypatch: Any) -> None:
    # `make test` on a clean clone (the UI tier at `nice 19` beside the real model and the recogniser): the process got
    # no CPU for longer than the keys' bound while the list opened, and the bound let the search go before the list
    # was up: the list stayed open over a search of "efund", the notes in it, nothing picked. A desk that gets no CPU
    # for a while is late, never wrong: here the list's mount holds the loop past the bound, as starvation does.
    app = scene_app(mocks)
    app.key_turns.limit_s = 0.2
    mounted = DispositionPicker.on_mount

    def starved_mount(picker: DispositionPicker) -> None:
        time.sleep(0.6)  # the event loop gets no turn for three times the bound
        mounted(picker)

    monkeypatch.setattr(DispositionPicker, "on_mount", starved_mount)
    async with app.run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        send_read(pilot.app, terminal_bytes("e", "ctrl+o", text="refund") + terminal_bytes("enter", text=NOTES))
        form = agent_screen(pilot).wrap_up_form
        await wait_until(pilot, lambda: NOTES in form.notes.text or notifications_said(pilot.app), "the notes")
        assert form.notes.text == NOTES, f"said {notifications_said(pilot.app)}\n{describe(pilot)}"
        assert form.disposition.value == "Refund issued"
        assert app.key_turns.let_go == 0, app.key_turns.let_go_why


async def test_a_list_that_never_comes_up_lets_the_keys_behind_it_go(mocks: InProcessMocks, monkeypatch: Any) -> None:
    # The other side of the bound: the list's mount awaits something that never comes while the loop is free (the app
    # waits for the mount, its own queue with it). The keys behind it are let go once the loop was free for the bound,
    # not once the list is up: a look on the app's own timer came only then.
    app = scene_app(mocks)
    app.key_turns.limit_s = 0.3
    released = asyncio.Event()  # let go at the end, for the app to close

    async def never_mounted(picker: DispositionPicker) -> None:
        await released.wait()

    monkeypatch.setattr(DispositionPicker, "on_mount", never_mounted)
    async with app.run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        send_read(pilot.app, terminal_bytes("e", "ctrl+o", text="refund"))
        deadline = time.monotonic() + 10.0  # (not the pilot's pauses: they wait for every widget to be idle)
        try:
            while not app.key_turns.let_go:
                assert time.monotonic() < deadline, f"the key still waits: {app.key_turns.let_go_why}"
                await asyncio.sleep(0.05)
        finally:
            released.set()
        assert "DispositionPicker" in app.key_turns.let_go_why[0], app.key_turns.let_go_why


async def test_a_preempted_desk_holds_the_keys_behind_a_list_still_coming_up(
    mocks: InProcessMocks, monkeypatch: Any
) -> None:
    # The clean-clone suite: the UI tier at `nice 19` beside the real model is preempted every few milliseconds, and
    # a look that came on time still counted 100 ms as "the loop was free" though the desk had waited for the CPU:
    # the search typed behind ctrl+o was let go before the list was up. Here the kernel takes the CPU from the desk
    # before every look (its involuntary context switches always grow) while the list's mount waits: nothing counts
    # towards the bound, and the keys wait for the list, however long it takes.
    app = scene_app(mocks)
    app.key_turns.limit_s = 0.3
    released = asyncio.Event()
    switches = iter(range(1_000_000))
    monkeypatch.setattr(key_turns, "preemptions", lambda: next(switches))
    mounted = DispositionPicker.on_mount

    async def late_mount(picker: DispositionPicker) -> None:
        await released.wait()
        mounted(picker)

    monkeypatch.setattr(DispositionPicker, "on_mount", late_mount)
    async with app.run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        form = agent_screen(pilot).wrap_up_form
        send_read(pilot.app, terminal_bytes("e", "ctrl+o", text="refund") + terminal_bytes("enter", text=NOTES))
        deadline = time.monotonic() + 1.5  # five times the bound, the loop free all along
        try:
            while time.monotonic() < deadline:
                assert not app.key_turns.let_go, app.key_turns.let_go_why
                await asyncio.sleep(0.05)
        finally:
            released.set()  # (the app closes only once the list's mount has ended)
        await wait_until(pilot, lambda: NOTES in form.notes.text or notifications_said(pilot.app), "the notes")
        assert form.notes.text == NOTES, f"said {notifications_said(pilot.app)}\n{describe(pilot)}"
        assert form.disposition.value == "Refund issued"
        assert app.key_turns.let_go == 0, app.key_turns.let_go_why
