"""The caller's summary on the customer card keeps a height set in lines, at least SUMMARY_LINES (a screen pop lays
nothing out when the summary fits the last caller's height, and the tabs under it stay put): it must still show every
line, whatever the width and the state before."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from agent_desktop.domain.models import Customer, CustomerRecord
from agent_desktop.ui.agent.callers.customer_card import SUMMARY_KEPT_LINES, SUMMARY_LINES, CustomerCard

RECORD = CustomerRecord(
    customer=Customer(
        id="cus-1",
        name="Dana Reyes",
        account_number="ACC-1",
        tier="Gold",
        language="en",
        segment="Small business",
        phones=["+15125550100", "+15125550199"],
        emails=["dana.reyes@example.com"],
        do_not_call=True,
    ),
    matched_on="phone",
)
SHORT = CustomerRecord(customer=Customer(id="cus-2", name="Lee Park", phones=["+15125550111"]), matched_on="phone")


class CardApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CustomerCard(id="customer")


def summary_shows_every_line(card: CustomerCard, record: CustomerRecord = RECORD) -> bool:
    summary = card.query_one("#customer-summary", Static)
    # a widget's styles, as Widget.get_content_height passes them (typed as the RulesMap they read like)
    height = card.summary_of(record, 1).get_height(summary.styles, summary.size.width)  # type: ignore[arg-type]
    lines = max(SUMMARY_LINES, height)

    return summary.size.height == lines or lines <= summary.size.height <= SUMMARY_KEPT_LINES


async def test_the_summary_shows_every_line_after_a_message_and_at_any_width() -> None:
    app = CardApp()
    async with app.run_test(size=(120, 30)) as pilot:
        card = app.query_one(CustomerCard)
        await pilot.pause()
        card.show_message("The caller's record appears here when a contact is offered.")
        card.show_record(RECORD)
        await pilot.pause()
        assert summary_shows_every_line(card)
        for width in (50, 34, 120):  # narrower: the lines wrap to more of them; wider again: fewer
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            await pilot.pause()
            assert summary_shows_every_line(card), width
        card.show_message("The caller's record appears here when a contact is offered.")
        await pilot.pause()
        assert "appears here" in str(card.query_one("#customer-summary", Static).render())
        assert card.tabs.empty


async def test_the_tabs_stay_where_they_are_from_a_short_record_to_a_longer_one() -> None:
    app = CardApp()
    async with app.run_test(size=(120, 30)) as pilot:
        card = app.query_one(CustomerCard)
        await pilot.pause()
        card.show_record(RECORD)
        await pilot.pause()
        tabs_at = card.tabs.region.y
        card.show_message("Looking up +15125550111 in the CRM…")
        card.show_record(SHORT)  # three lines: the card keeps the four-line floor
        await pilot.pause()
        assert summary_shows_every_line(card, SHORT)
        assert "Lee Park" in str(card.query_one("#customer-summary", Static).render())
        assert card.tabs.region.y == tabs_at


async def test_the_tabs_stay_where_they_are_after_a_six_line_record() -> None:
    """On the desk's card a record with a second phone, an account and "do not call" wraps to six lines; the
    next caller's shorter one kept the tabs where they were only up to five, so every such pair moved the tabs
    twice and laid the whole screen out twice (most of the offers that laid out in bench_attention)."""
    app = CardApp()
    async with app.run_test(size=(50, 30)) as pilot:
        card = app.query_one(CustomerCard)
        await pilot.pause()
        card.show_record(RECORD)
        await pilot.pause()
        assert card.query_one("#customer-summary", Static).size.height == 6, "six lines at this width"
        tabs_at = card.tabs.region.y
        card.show_message("Looking up +15125550111 in the CRM…")
        card.show_record(SHORT)
        await pilot.pause()
        assert summary_shows_every_line(card, SHORT)
        assert card.tabs.region.y == tabs_at
