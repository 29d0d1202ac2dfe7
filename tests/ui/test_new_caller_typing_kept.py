"""What the agent types into the new caller's form stays when the card is drawn again for the same caller.

The caller's lookup is asked again by itself (a resync after the stream's silence, as a loaded machine has) and
comes back "no record" again: the card drew the new caller again and emptied the form, so a name typed meanwhile
was gone without a word. Suspected cause of the new caller's typing test failing only in loaded full runs
(tests/ui/test_one_format_per_kind_in_process.py)."""

from __future__ import annotations

from agent_desktop.domain.models import LookupResult
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import customer_text, type_burst


async def test_a_name_typed_in_the_new_caller_form_survives_the_lookup_answering_again(mocks):
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call("+18085550016", subject="New line")
        await wait_until(pilot, lambda: "New caller" in customer_text(pilot), "the new caller's card")
        await pilot.press("p")
        name = pilot.app.screen.query_one("#new-name")
        await wait_until(pilot, lambda: pilot.app.focused is name, "the name field focused")
        await type_burst(pilot, "Ada Love")
        desk = pilot.app.screen.desk
        contact_id = desk.popped_contact_id()
        desk.lookups.found(contact_id, LookupResult(customers=[]), None)  # the CRM answers again: no record
        await wait_until(
            pilot,
            lambda: desk.lookups[contact_id].version == pilot.app.screen.customer_card._shown_lookup[1],
            "drawn again",
        )
        await type_burst(pilot, "lace")
        assert name.value == "Ada Lovelace", name.value
        assert pilot.app.focused is name
