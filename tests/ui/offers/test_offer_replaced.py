"""An offer replaced by another (the first caller hung up, and the next in line is offered) says so:
the card changed its caller without a word, and an agent about to greet "Martin" greeted someone else.

The replacing offer is the contact center's event, as its stream sends it: a second offer with no close of the
first; or the mock's own: the offered customer gives up (its abandon route) and the next waiting is offered in the
same commit.
"""

from __future__ import annotations

from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import OfferEvent
from agent_desktop.ui.shared.help_screen import HelpScreen
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.api.routers import contacts as contact_routes
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, go_available, loaded, scene_app, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, offer_in_front


async def test_an_offer_replaced_by_another_says_the_caller_changed(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "offer")
        desk = agent_screen(pilot).desk
        first = desk.offer
        contact = present(first).contact.model_copy(update={"id": "c-next", "from_address": "+14155550999"})
        second = present(first).model_copy(update={"id": "o-next", "contact": contact})
        agent_screen(pilot).controller.receive(OfferEvent(event_id=(desk.last_event_id or 0) + 1, offer=second))
        card = pilot.app.screen.query_one("#offer")
        await wait_until(pilot, lambda: "hung up" in str(card.border_title), lambda: f"a word in {card.border_title!r}")
        assert shown_phone(present(first).contact.from_address) in str(card.border_title)
        said = [str(n.message) for n in notifications(pilot.app)]
        assert any("was withdrawn" in m and "(415) 555-0999" in m for m in said), said


async def test_the_offered_customer_giving_up_over_the_help_brings_the_next_offer_over_it(
    mocks: InProcessMocks,
) -> None:
    """The offer up over what is open (the help here), its customer gives up and the next waiting is
    offered in the same commit: the desk stopped on DuplicateIds as the next offer's box was mounted where the first
    one was still being removed. The search over such interleavings: tests/ui/attention/
    test_offers_replaced_over_what_is_open.py."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        desk = agent_screen(pilot).desk
        first = await mocks.place_call("first@example.com", channel="chat", subject="First")
        await wait_until(pilot, lambda: desk.offer is not None, "the first offer")
        second = await mocks.place_call("second@example.com", channel="chat", subject="Second")  # waits in the queue
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the help")
        await contact_routes.abandon(first.id, SUPERVISOR, mocks.engine, mocks.ccaas_app.state.scope)
        shown = lambda: (box := offer_in_front(pilot.app)) is not None and box.offer.contact.id == second.id  # noqa: E731
        await wait_until(pilot, shown, "the next offer over the help")
        assert pilot.app.is_running, f"the desk stopped (return code {pilot.app.return_code})"
        assert isinstance(pilot.app.screen, HelpScreen), "the help still open under the offer"
