"""The customer card's tabs as one line-API widget: the tab in front only is laid out, a table's cursor moves by
key and enter selects its row, a moved cursor repaints its two lines and nothing else, the place in each tab is
kept, and backend text is literal. The card on the desk: tests/e2e/customer_card/test_screen_pop.py, test_agent_flow.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.strip import Strip

from agent_desktop.ui.agent.callers.card_tab import Cell, Tab
from agent_desktop.ui.agent.callers.card_tabs import CardTabs
from agent_desktop.ui.lines import Column

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred"


def tabs() -> list[Tab]:
    return [
        Tab("history", "2 History", (Column("When", 10), Column("Notes", 30)), zebra=True),
        Tab("profile", "5 Profile"),
    ]


def contents(rows: int = 50) -> dict[str, Tab]:
    return {
        "history": Tab(
            "history", "", rows=[(Cell(f"2026-01-{n % 28 + 1:02d}"), Cell(f"note {n} {HOSTILE}")) for n in range(rows)]
        ),
        "profile": Tab("profile", "", fields=[("Name", HOSTILE), ("Notes", "word " * 400)]),
    }


class CardApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield CardTabs(tabs())

    def on_mount(self) -> None:
        self.set_focus(self.query_one(CardTabs))

    def on_card_tabs_row_selected(self, message: CardTabs.RowSelected) -> None:
        self.selected.append((message.tab, message.row))


async def test_keys_move_the_cursor_and_enter_selects_the_row() -> None:
    app = CardApp()
    async with app.run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents())
        await pilot.pause()
        assert card.active == "history", "only the tab in front is laid out"
        assert card.tabs["profile"].laid is None, "only the tab in front is laid out"
        await pilot.press("down", "down", "enter")
        assert card.cursor_row == 2
        assert app.selected == [("history", 2)]
        await pilot.press("end")
        assert card.cursor_row == 49, "the cursor stays in view"
        assert card.scroll_y == card.max_scroll_y, "the cursor stays in view"
        card.show("profile")
        await pilot.pause()
        await pilot.press("pagedown")
        assert card.scroll_y > 0
        card.show("history")
        await pilot.pause()
        assert card.cursor_row == 49, "each tab keeps its place"
        assert card.scroll_y == card.max_scroll_y, "each tab keeps its place"


async def test_a_moved_cursor_repaints_its_two_lines() -> None:
    async with CardApp().run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents())
        await pilot.pause()
        drawn: list[int] = []
        render_line = card.render_line

        def drawing(y: int) -> Strip:
            drawn.append(y)
            return render_line(y)

        card.render_line = drawing  # type: ignore[method-assign]  # the test counts the lines drawn
        await pilot.press("down")
        await pilot.pause()
        assert sorted(set(drawn)) == [3, 4], "the old cursor line and the new one (under the tab bar and titles)"


async def test_a_moved_cursor_repaints_its_two_lines_when_scrolled_too() -> None:
    async with CardApp().run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents())
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        drawn: list[int] = []
        render_line = card.render_line

        def drawing(y: int) -> Strip:
            drawn.append(y)
            return render_line(y)

        card.render_line = drawing  # type: ignore[method-assign]  # the test counts the lines drawn
        await pilot.press("up")
        await pilot.pause()
        bottom = card.size.height - 1
        assert sorted(set(drawn)) == [bottom - 1, bottom], "the two lines where the cursor was and is, on screen"


async def test_text_is_literal() -> None:
    async with CardApp().run_test(size=(120, 30)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents(3))
        await pilot.pause()
        assert "[@click=app.quit]x[/] [31mred" in card.text("history")
        card.show("profile")
        await pilot.pause()
        profile = card.text("profile")
        assert "[@click=app.quit]x[/]" in profile
        assert "\x1b" not in profile
        await pilot.click(CardTabs, offset=(20, 2))
        assert pilot.app.is_running


async def test_the_tab_bar_is_clicked() -> None:
    async with CardApp().run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents(3))
        await pilot.pause()
        await pilot.click(CardTabs, offset=(14, 0))  # " 2 History " is 11 cells: the second tab
        assert card.active == "profile"


async def test_only_the_tab_in_front_is_made_and_the_others_when_shown_or_read() -> None:
    made: list[str] = []

    def later(key: str) -> Callable[[], Tab]:
        def made_now() -> Tab:

            made.append(key)
            return contents()[key]

        return made_now

    async with CardApp().run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill({"history": later("history"), "profile": later("profile")}, front="history")
        await pilot.pause()
        assert made == ["history"], "a screen pop makes the rows of the tab in front only"
        assert "Notes" in card.text("profile"), "read: made then"
        assert made == ["history", "profile"], "read: made then"
        card.fill({"history": later("history"), "profile": later("profile")}, front="history")
        card.show("profile")
        await pilot.pause()
        assert made == ["history", "profile", "history", "profile"], "shown: made then, once"
        card.fill({})
        assert card.text("profile") == "", "a fill with nothing leaves nothing to make"
        assert card.empty, "a fill with nothing leaves nothing to make"


async def test_the_scrollbar_is_drawn_by_the_tabs_and_a_record_that_overflows_asks_for_no_layout() -> None:
    async with CardApp().run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents(3))
        await pilot.pause()
        last_column = {strip.text[-1] for strip in card.render_lines(card.region.reset_offset)[3:]}  # under the titles
        assert last_column == {" "}, "no scrollbar while the rows fit"
        assert not card.allow_vertical_scroll, "no scrollbar while the rows fit"
        layouts: list[bool] = []
        refresh = card.refresh

        def refreshing(*r: Any, **k: Any) -> Any:
            layouts.append(k.get("layout", False))
            return refresh(*r, **k)

        card.refresh = refreshing  # type: ignore[method-assign]  # the test counts the layouts asked for
        card.fill(contents(50))  # as a screen pop after a record that fitted
        await pilot.pause()
        assert not any(layouts), "no layout, no scrollbar widget"
        assert not pilot.app.screen.query("ScrollBar"), "no layout, no scrollbar widget"
        bar = [strip.text[-1] for strip in card.render_lines(card.region.reset_offset)]
        assert len(set(bar)) > 1, "the scrollbar in the last column: its thumb ends in a part block"
        await pilot.click(CardTabs, offset=(59, 15))  # below the thumb: a page down, as Textual's scrollbar
        await pilot.pause()
        assert card.scroll_y > 0
        assert card.allow_vertical_scroll, "the wheel scrolls it (Textual asks this before scrolling)"


async def test_a_card_filled_before_it_is_styled_lays_out_plain_instead_of_crashing() -> None:
    """A browser session closed while its desk starts: the card was filled and laid out before Textual styled it
    (its component classes unknown yet), and the desk stopped on a KeyError."""
    async with CardApp().run_test(size=(60, 20)):
        card = CardTabs(tabs())  # not mounted: never styled
        card.fill(contents(rows=3))
        assert card.plain_lines("profile")[0].startswith("Name")
        assert len(card.plain_lines("history")) == 4  # the column titles and three rows
