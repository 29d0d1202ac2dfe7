"""Calls the agent places, on the desk (docs/voice.md "Calls the agent places"): `D` opens the dial
pad with the number kept or the card's; a number the desk cannot dial (letters, escapes) or the contact center
refuses is said there and stays typed, escape keeps it for next time; a number written as the agent's region writes
it is dialled in E.164 from the caller ID chosen (↓: the queue's second), and the call is a contact in hand with its
own row, wrapped up and written to the CRM as an inbound call is. A contact center that places no calls never offers
the key, and the help says why."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from textual.pilot import Pilot

from agent_desktop.agent_desk.commands import Where, enabled, why_not
from agent_desktop.agent_desk.voice.placed_calls import CallerIdChoice
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import Interaction
from agent_desktop.domain.models.events import ContactCenterEvent, ContactEvent
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.ui.agent.conversations.dial_pad import DialPad
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import agent_screen, customer_text, screen_text

CUSTOMER = 3  # a seeded caller with a record in the CRM: the call's card and its write-back


def dial_pad_open(pilot: Pilot[None]) -> bool:
    return isinstance(pilot.app.screen, DialPad)


def dial_pad(pilot: Pilot[None]) -> DialPad:
    assert isinstance(pilot.app.screen, DialPad), pilot.app.screen
    return pilot.app.screen


async def open_dial_pad(pilot: Pilot[None]) -> None:
    await pilot.press("D")
    await wait_until(pilot, lambda: dial_pad_open(pilot), "the dial pad")
    await wait_until(pilot, lambda: dial_pad(pilot).chosen() is not None, "the caller IDs")
    assert dial_pad(pilot).chosen() == CallerIdChoice("billing", "Billing", "+15125550100"), "billing's first"


async def written_for(
    mocks: InProcessMocks, pilot: Pilot[None], customer_id: str, contact_id: str
) -> list[Interaction]:
    written: list[Interaction] = []
    for _ in range(200):  # the outbox sends it in the background: bounded
        written = [i for i in await mocks.crm().list_interactions(customer_id) if i.contact_id == contact_id]
        if written:
            break
        await pilot.pause(0.05)
    return written


async def test_d_places_a_call_from_the_chosen_caller_id_and_it_wraps_up_as_any_call(mocks: InProcessMocks) -> None:
    who = caller(mocks, CUSTOMER)
    digits = who.phone_e164[2:]  # a US number of the seed, typed as people there write it
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        desk = agent_screen(pilot).desk
        assert not enabled(desk, Where())["dial"], "offline: no call is placed"
        await pilot.press("n", "enter")  # signed in, Not ready: a call may be placed
        await wait_until(pilot, lambda: enabled(desk, Where())["dial"], "the dial key")
        await open_dial_pad(pilot)
        await pilot.press(*"512CALLNOW", "enter")
        await wait_until(pilot, lambda: "no letters" in screen_text(pilot, "#dial-error"), "the refusal")
        assert desk.held == {}, "nothing was dialled"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not dial_pad_open(pilot), "the dial pad to close")
        await open_dial_pad(pilot)
        assert dial_pad(pilot).typed() == "512CALLNOW", "the number typed, kept"
        await pilot.press(*["backspace"] * 10, *f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", "down", "enter")
        await wait_until(pilot, lambda: not dial_pad_open(pilot), "the call placed")
        await wait_until(pilot, lambda: len(desk.held) == 1, "the call in hand")
        ((contact_id, held),) = desk.held.items()
        assert held.contact.from_address == who.phone_e164, "dialled in E.164, read in the desk's region"
        assert held.contact.caller_id == "+18005550100", "the caller ID chosen: billing's second"
        assert held.contact.direction == "outbound"
        await wait_until(pilot, lambda: who.name in customer_text(pilot), "the call's card")
        assert "Connected" in screen_text(pilot, "#contacts")
        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: not desk.held, "the call wrapped up")
        customer_id = (await mocks.crm().search_customers(who.phone_e164))[0].id
        written = await written_for(mocks, pilot, customer_id, contact_id)
        assert [i.agent_id for i in written] == ["agent-001"], "written to the CRM with its wrap-up"


async def test_a_number_the_contact_center_refuses_is_said_and_kept(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("n", "enter")
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: enabled(desk, Where())["dial"], "the dial key")
        await open_dial_pad(pilot)
        await pilot.press(*"+1234567", "enter")
        await wait_until(pilot, lambda: "No country dials" in screen_text(pilot, "#dial-error"), "the desk's refusal")
        mocks.ccaas_app.state.engine.agents.set_agent_state("agent-001", AgentState.OFFLINE)  # signed out elsewhere
        await pilot.press(*["backspace"] * 8, *"+44 20 7946 0958", "enter")
        await wait_until(pilot, lambda: "sign in first" in screen_text(pilot, "#dial-error"), "the contact center's")
        assert dial_pad_open(pilot)
        assert dial_pad(pilot).typed() == "+44 20 7946 0958", "the number stays typed"
        assert desk.held == {}


async def test_a_contact_center_that_places_no_calls_offers_no_key_and_says_why(mocks: InProcessMocks) -> None:
    narrower = ContactCenterCapabilities(flags=True, broadcasts=True, quality=True, place_calls=False)
    app: AgentDesktopApp = desk_app(mocks.backends(capabilities=narrower), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("n", "enter")
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: "Not ready" in screen_text(pilot, "#agent-status"), "Not ready")
        assert not enabled(desk, Where())["dial"]
        assert why_not("dial", desk) == "this contact center does not place calls for the agent"
        await pilot.press("D")
        await pilot.pause()
        assert not dial_pad_open(pilot)


async def test_a_placed_call_is_in_hand_from_the_answer_before_its_event(mocks: InProcessMocks) -> None:
    # The softphone dials the agent's leg once the contact center answered the placement; a leg that rang before the
    # contact's event reached the desk matched no contact and stayed unmatched (no hold, no hang-up on it). The
    # answer carries the contact: it is in hand from there, whenever its event comes.
    backends = mocks.backends()
    center = backends.contact_center
    released = asyncio.Event()
    stream = center.events

    async def outbound_held_back() -> AsyncIterator[ContactCenterEvent | LinkStatus]:
        async for event in stream():
            if isinstance(event, ContactEvent) and event.contact.direction == "outbound":
                await released.wait()  # the stream is slow: every event behind this one waits too
            yield event

    center.events = outbound_held_back  # type: ignore[method-assign]
    who = caller(mocks, CUSTOMER)
    app = desk_app(backends, clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await loaded(pilot)
            desk = agent_screen(pilot).desk
            await pilot.press("n", "enter")
            await wait_until(pilot, lambda: enabled(desk, Where())["dial"], "the dial key")
            await open_dial_pad(pilot)
            await pilot.press(*["backspace"] * 20, *who.phone_e164, "enter")
            await wait_until(pilot, lambda: not dial_pad_open(pilot), "the call placed")
            await wait_until(pilot, lambda: len(desk.held) == 1, "the call in hand, from the answer")
            ((held,),) = [list(desk.held.values())]
            assert (held.contact.direction, held.contact.from_address) == ("outbound", who.phone_e164)
            assert not released.is_set(), "its event has not come"
        finally:
            released.set()
