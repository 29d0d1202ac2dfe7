"""What the agent types into the new caller's form stays when the card is drawn again for the same caller.

The caller's lookup is asked again by itself (a resync after the stream's silence, as a loaded machine has) and
comes back "no record" again: the card drew the new caller again and emptied the form, so a name typed meanwhile
was gone without a word. Suspected cause of the new caller's typing test failing only in loaded full runs
(tests/ui/callers/test_one_format_per_kind_in_process.py)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from agent_desktop.agent_desk.attention import TYPING_RUN_S
from agent_desktop.domain.models import LookupResult
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, customer_text, offer_in_front, type_burst


async def new_caller_form(pilot: Pilot[None], mocks: InProcessMocks, number: str) -> Input:
    """A call from `number`, no CRM record, still offered: `p` into the new caller's form; its name field."""
    await loaded(pilot)
    await go_available(pilot)
    await mocks.place_call(number, subject="New line")
    await wait_until(pilot, lambda: "New caller" in customer_text(pilot), "the new caller's card")
    await pilot.press("p")
    name = pilot.app.screen.query_one("#new-name", Input)
    await wait_until(pilot, lambda: pilot.app.focused is name, "the name field focused")
    return name


async def test_a_name_typed_in_the_new_caller_form_survives_the_lookup_answering_again(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        name = await new_caller_form(pilot, mocks, "+18085550016")
        await type_burst(pilot, "Ada Love")
        desk = agent_screen(pilot).desk
        contact_id = present(desk.popped_contact_id())
        desk.lookups.found(contact_id, LookupResult(customers=[]), None)  # the CRM answers again: no record
        await wait_until(
            pilot,
            lambda: desk.lookups[contact_id].version == present(agent_screen(pilot).customer_card._shown_lookup)[1],
            "drawn again",
        )
        await type_burst(pilot, "lace")
        assert name.value == "Ada Lovelace", name.value
        assert pilot.app.focused is name


async def test_a_name_with_an_a_typed_after_a_pause_does_not_accept_the_offer(mocks: InProcessMocks) -> None:
    """Seen in CI (2026-11-27), both new-caller tests under load: the offer came up over the new caller's form (a
    field being typed in), the agent paused longer than a run of typing, and the `a` of "Ada" accepted the call. The
    form is part of answering that offer: the offer stays on the desk's card beside it, the letters go in the name."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        name = await new_caller_form(pilot, mocks, "+18085550017")
        await pilot.pause(TYPING_RUN_S * 2)  # the agent listens to the caller spell it
        await type_burst(pilot, "Ada")
        desk = agent_screen(pilot).desk
        assert name.value == "Ada", (name.value, desk.offer)
        assert desk.offer is not None, (name.value, desk.offer)
        assert offer_in_front(pilot.app) is None, "the offer stays on the desk's card, beside the form"
