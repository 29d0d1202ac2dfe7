"""An offer replaced by another (the first caller hung up, and the next in line is offered) says so (issue 43,
item 5): the card changed its caller without a word, and an agent about to greet "Martin" greeted someone else.

The replacing offer is the contact center's event, as its stream sends it: a second offer with no close of the
first (the in-process mock has no caller who hangs up while ringing).
"""

from __future__ import annotations

from agent_desktop.domain.models import OfferEvent
from agent_desktop.domain.phone_format import shown_phone
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen


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
