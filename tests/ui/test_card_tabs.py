"""The customer card's tabs as one line-API widget: the tab in front only is laid out, a table's cursor moves by
key and enter selects its row, a moved cursor repaints its two lines and nothing else, the place in each tab is
kept, and backend text is literal. The card on the desk: tests/e2e/test_screen_pop.py, test_agent_flow.py."""

from __future__ import annotations

from textual.app import App, ComposeResult

from desktop.ui.widgets.card_tabs import CardTabs, Cell, Column, Tab

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred"


def tabs() -> list[Tab]:
    return [
        Tab("history", "2 History", (Column("When", 10), Column("Notes", 30)), zebra=True),
        Tab("profile", "5 Profile"),
    ]


def contents(rows: int = 50) -> dict[str, Tab]:
    return {
        "history": Tab("history", "", rows=[(Cell(f"2026-01-{n % 28 + 1:02d}"), Cell(f"note {n} {HOSTILE}")) for n in range(rows)]),
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


async def test_keys_move_the_cursor_and_enter_selects_the_row():
    async with CardApp().run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents())
        await pilot.pause()
        assert card.active == "history" and card.tabs["profile"].laid is None, "only the tab in front is laid out"
        await pilot.press("down", "down", "enter")
        assert card.cursor_row == 2 and pilot.app.selected == [("history", 2)]
        await pilot.press("end")
        assert card.cursor_row == 49 and card.scroll_y == card.max_scroll_y, "the cursor stays in view"
        card.show("profile")
        await pilot.pause()
        await pilot.press("pagedown")
        assert card.scroll_y > 0
        card.show("history")
        await pilot.pause()
        assert card.cursor_row == 49 and card.scroll_y == card.max_scroll_y, "each tab keeps its place"


async def test_a_moved_cursor_repaints_its_two_lines():
    async with CardApp().run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents())
        await pilot.pause()
        drawn: list[int] = []
        render_line = card.render_line
        card.render_line = lambda y: drawn.append(y) or render_line(y)  # type: ignore[method-assign]
        await pilot.press("down")
        await pilot.pause()
        assert sorted(set(drawn)) == [3, 4], "the old cursor line and the new one (under the tab bar and titles)"


async def test_text_is_literal():
    async with CardApp().run_test(size=(120, 30)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents(3))
        await pilot.pause()
        assert "[@click=app.quit]x[/] [31mred" in card.text("history")
        card.show("profile")
        await pilot.pause()
        profile = card.text("profile")
        assert "[@click=app.quit]x[/]" in profile and "\x1b" not in profile
        await pilot.click(CardTabs, offset=(20, 2))
        assert pilot.app.is_running


async def test_the_tab_bar_is_clicked():
    async with CardApp().run_test(size=(60, 20)) as pilot:
        card = pilot.app.query_one(CardTabs)
        card.fill(contents(3))
        await pilot.pause()
        await pilot.click(CardTabs, offset=(14, 0))  # " 2 History " is 11 cells: the second tab
        assert card.active == "profile"
