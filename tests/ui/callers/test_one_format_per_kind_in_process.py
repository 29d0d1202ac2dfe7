"""One written form per kind on the agent's desk. The caller's number reads the same on the offer,
the selected contact and the customer card, however the caller's network and the CRM wrote it (national form for
the desk's region: "(415) 555-0117"; never "+14155550117" beside it); the history's dates read as the orders'
do, with a four-digit year ("2026-08-02 21:00", not "26-08-02"). On the in-process backends."""

from __future__ import annotations

import re

import pytest
from textual.content import Content
from textual.widgets import Input

from agent_desktop.domain.models import Callback
from agent_desktop.ui.agent.contacts.journey_lines import callback_parts
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, go_available, loaded, receive_offer, scene_app
from tests.support.scenes.pilot_steps import card_text, customer_text, screen_text, type_burst, wait_until


async def test_the_callers_number_and_the_dates_each_read_one_way(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        who = await receive_offer(pilot, mocks)
        digits = who.phone_e164[2:]
        national = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
        offer, card = screen_text(pilot, "#offer"), customer_text(pilot)
        assert national in offer, (offer, card)
        assert national in card, (offer, card)
        for other in (who.phone_e164, f"+1 {digits[:3]}"):
            assert other not in offer, (other, offer, card)
            assert other not in card, (other, offer, card)
        await accept(pilot)
        assert national in screen_text(pilot, "#contact-detail")
        history = card_text(pilot, "history")
        dates = re.findall(r"\b\d{2,4}-\d{2}-\d{2}\b", history)
        assert dates, history
        assert all(re.fullmatch(r"20\d{2}-\d{2}-\d{2}", d) for d in dates), history


# Its name typed into the new caller's form was not found in the field within the wait in two full parallel runs at
# nice 19 (2026-11-27; it passes alone and under three spinners): run at the normal priority (exclusive). A likely
# cause was found: the caller's lookup answered again emptied the form the agent was typing in
# (tests/ui/callers/test_new_caller_typing_kept.py); it goes back among the others once full loaded runs agree.
@pytest.mark.heavy
async def test_a_new_callers_number_reads_the_same_on_the_offer_and_the_card(mocks: InProcessMocks) -> None:
    """A number no CRM record matches: the card's "New caller" line and its "Looking up" line read it as the offer
    does, not in the form the network sent it."""
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call("+18085550015", subject="Error when pairing a new device")
        await wait_until(pilot, lambda: "New caller" in customer_text(pilot), "the new caller's card")
        offer, card = screen_text(pilot, "#offer"), customer_text(pilot)
        assert "(808) 555-0015" in offer, (offer, card)
        assert "(808) 555-0015" in card, (offer, card)
        assert "+18085550015" not in card, card

        await pilot.press("p")  # the form under the card: its phone field reads as the line above it
        phone = pilot.app.screen.query_one("#new-phone", Input)
        await wait_until(pilot, lambda: phone.value != "", "the form filled in")
        assert phone.value == "(808) 555-0015", phone.value  # not "+18085550015" under "(808) 555-0015"
        name = pilot.app.screen.query_one("#new-name")
        await wait_until(pilot, lambda: pilot.app.focused is name, "the name field focused")  # (deferred under load)
        await type_burst(pilot, "Ada Lovelace")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Ada Lovelace" in customer_text(pilot), "the customer created")
        [created] = (await mocks.crm().lookup("+18085550015")).customers
        assert created.phones == ["+18085550015"], "the number is stored as the caller's network sent it"


def test_a_callbacks_number_reads_as_the_card_beside_it() -> None:
    """The Selected contact panel's callback line ("↻ Dialling… (212) 555-0101 · attempt 1 of 3") under the same
    number on the card: not "+12125550101" (screenshots/agent-callback-dialling.png showed both)."""
    for state in ("waiting", "dialling", "answered", "no_answer", "failed"):
        line = Content.assemble(*callback_parts(Callback(number="+12125550101", state=state, max_attempts=3))).plain
        assert "(212) 555-0101" in line, line
        assert "+1212" not in line, line
