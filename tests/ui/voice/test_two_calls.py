"""Two calls in hand on the desk (docs/voice.md "Two calls in hand"), on the in-process mocks: a call placed with `D`,
held with `h`, a second placed with `D`; each is a contact with its own row. `h` on the first while the second talks
puts the second on hold first (one call talks at a time) and resumes the first; `D` is not offered while a call
talks; ending either leaves the other as it was; each is wrapped up and written to the CRM for its own customer."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.agent_desk.commands import Where, enabled
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.vocabulary import ContactState
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import agent_screen, screen_text, select_contact
from tests.ui.voice.test_dial_pad import dial_pad_open, open_dial_pad, written_for

FIRST, SECOND = 3, 4  # seeded callers with a record in the CRM: each call's card and its write-back


def state(desk: Desk, contact_id: str) -> ContactState:
    return desk.held[contact_id].contact.state


async def place(pilot: Pilot[None], desk: Desk, number: str) -> str:
    """`D`, the number, enter: the id of the call placed (a contact in hand, connected)."""
    before = set(desk.held)
    await open_dial_pad(pilot)
    await pilot.press(*["backspace"] * 20, *number, "enter")  # the card's number is there as it opens
    await wait_until(pilot, lambda: not dial_pad_open(pilot), "the call placed")
    await wait_until(pilot, lambda: len(set(desk.held) - before) == 1, "the call in hand")
    (contact_id,) = set(desk.held) - before
    await wait_until(pilot, lambda: state(desk, contact_id) is ContactState.CONNECTED, "connected")
    return contact_id


async def wrap_up(pilot: Pilot[None], desk: Desk, contact_id: str) -> None:
    await select_contact(pilot, contact_id)
    await pilot.press("e")
    await wait_until(pilot, lambda: state(desk, contact_id) is ContactState.AFTER_CONTACT_WORK, "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "ctrl+s")
    await wait_until(pilot, lambda: contact_id not in desk.held, "the call wrapped up")


async def test_a_second_call_placed_while_the_first_holds_and_h_switches_between_them(mocks: InProcessMocks) -> None:
    first_caller, second_caller = caller(mocks, FIRST), caller(mocks, SECOND)
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        desk = agent_screen(pilot).desk
        await pilot.press("n", "enter")  # signed in, Not ready: calls may be placed
        await wait_until(pilot, lambda: enabled(desk, Where())["dial"], "the dial key")
        first = await place(pilot, desk, first_caller.phone_e164)
        assert not enabled(desk, Where())["dial"], "no second call while the first talks"
        await pilot.press("h")
        await wait_until(pilot, lambda: state(desk, first) is ContactState.ON_HOLD, "the first on hold")
        await wait_until(pilot, lambda: enabled(desk, Where())["dial"], "the dial key with the first on hold")
        second = await place(pilot, desk, second_caller.phone_e164)
        assert state(desk, first) is ContactState.ON_HOLD, "the first still on hold"
        rows = screen_text(pilot, "#contacts")
        assert "On hold" in rows, rows
        assert "Connected" in rows, rows

        await select_contact(pilot, first)
        await pilot.press("h")  # resume the first: the second goes on hold first
        await wait_until(pilot, lambda: state(desk, first) is ContactState.CONNECTED, "the first resumed")
        assert state(desk, second) is ContactState.ON_HOLD, "the second put on hold before the first talks"
        engine = mocks.ccaas_app.state.engine
        talking = [c.id for c in engine.read.contacts_in_hand("agent-001") if c.state == "connected"]
        assert talking == [first], f"one call talks at the contact center: {talking}"

        await select_contact(pilot, second)
        await pilot.press("e")  # ending the held second leaves the first talking
        await wait_until(pilot, lambda: state(desk, second) is ContactState.AFTER_CONTACT_WORK, "the second ended")
        assert state(desk, first) is ContactState.CONNECTED, "the first as it was"
        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: second not in desk.held, "the second wrapped up")
        assert state(desk, first) is ContactState.CONNECTED
        await wrap_up(pilot, desk, first)

        for who, contact_id in ((first_caller, first), (second_caller, second)):
            customer_id = (await mocks.crm().search_customers(who.phone_e164))[0].id
            written = await written_for(mocks, pilot, customer_id, contact_id)
            assert [i.agent_id for i in written] == ["agent-001"], f"{contact_id} written back for {who.name}"
