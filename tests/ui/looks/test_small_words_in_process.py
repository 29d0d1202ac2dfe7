"""Smaller words: an expert's menu does not say "Available — Available"; a supervisor's queue
drill-down does not call an email being answered "talking"."""

from __future__ import annotations

from textual.app import App
from textual.widgets import DataTable

from agent_desktop.domain.models import Availability
from agent_desktop.ui.agent.callers.card_tabs import CardTabs
from agent_desktop.ui.agent.experts.expert_actions import ExpertActions
from agent_desktop.ui.supervisor.queue_table import QueueTable
from tests.support.experts_panel_host import expert
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import go_available, loaded, scene_app, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen


async def test_the_expert_menu_says_the_presence_once() -> None:
    free = expert("p1", "Robert Hatfield", ["tech_support"], Availability.AVAILABLE)
    free = free.model_copy(update={"presence": free.presence.model_copy(update={"activity": "Available"})})
    app = App[None]()
    async with app.run_test() as pilot:
        await app.push_screen(ExpertActions(free, None, None))
        await pilot.pause()
        who = str(app.screen.query_one("#expert-actions-who").render())
        assert "Robert Hatfield" in who, who
        assert who.count("Available") == 1, who


async def test_an_email_in_progress_is_not_talking_in_the_queue_drill_down(mocks: InProcessMocks) -> None:
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await take(pilot, mocks, "dana@example.com", "email", "Refund for order 1042")
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        queues = pilot.app.screen.query_one("#queues", QueueTable)
        await wait_until(pilot, lambda: "billing" in queues.keys, "the queues")
        queues.focus()
        queues.move_cursor(queues.keys.index("billing"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "QueueDrilldown", "the drill-down")
        table = pilot.app.screen.query_one("#waiting-table", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0, "the contacts")
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        email = next(r for r in rows if "Refund for order" in r)
        assert "talking" not in email, rows
        assert "in progress" in email, rows


async def test_the_orders_status_is_read_whole_on_the_card(mocks: InProcessMocks) -> None:
    """The Orders tab's "Status" was the sixth column, cut to "plac" at the card's edge with room to spare."""
    from tests.support.in_process.scenes import receive_offer

    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await receive_offer(pilot, mocks)
        await pilot.press("3")
        tabs = pilot.app.screen.query_one("#customer-tabs", CardTabs)
        await pilot.pause()
        shown = [tabs.render_line(y).text for y in range(tabs.size.height)]
        rows = tabs.tabs["orders"].rows
        assert rows, "the caller has orders"
        known = {"placed", "shipped", "delivered", "returned", "cancelled"}
        statuses = {cell.text for row in rows for cell in row if cell.text in known}
        assert statuses, rows
        visible = "\n".join(shown)
        assert any(f" {status} " in visible for status in statuses), visible


async def test_an_offer_beside_the_card_of_the_contact_in_hand_says_whose_card_it_is(mocks: InProcessMocks) -> None:
    """The previous customer's card beside a new offer's "Looking up the caller…" read as the caller's."""
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await take(pilot, mocks, "dana@example.com", "chat", "Late fee")
        card = pilot.app.screen.query_one("#customer")
        assert str(card.border_title) == "Customer"
        await mocks.place_call("lee@example.com", channel="chat", subject="Second chat")
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.offer is not None, "the second offer")
        await wait_until(pilot, lambda: "not the caller offered" in str(card.border_title), "the card's title")
