"""The line-API kit (agent_desktop/ui/lines) the tables, the card's tabs, the transcript and the help stand on:
keys move a cursor within its rows and the view scrolls the least that keeps it in sight, only lines in view are
drawn and a fixed header stays on top, text wraps within its width, and a column's cell fits its width exactly."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.strip import Strip

from agent_desktop.ui.lines import CursorView, LineView, cut_middle, fit, wrap
from agent_desktop.ui.textual_compat import render_strips

ROWS = 100
HEIGHT = 12  # the view's lines: 1 of header, 11 of rows


class Rows(CursorView, can_focus=True):
    DEFAULT_CSS = "Rows { height: 12; scrollbar-size: 0 0; }"

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
        self.cursor_row = 0
        self.drawn: list[int] = []
        self.selected: list[int] = []

    def on_mount(self) -> None:
        self.virtual_size = Size(20, self.rows + 1)

    @property
    def header_height(self) -> int:
        return 1

    @property
    def row_count(self) -> int:
        return self.rows

    def render_header_line(self, y: int) -> Strip:
        return Strip([Segment("header".ljust(self.line_width()))])

    def render_body_line(self, number: int, width: int) -> Strip:
        self.drawn.append(number)
        mark = ">" if number == self.cursor_row else " "
        text = f"{mark}row {number}" if number < self.rows else ""
        return Strip([Segment(text.ljust(width))], width)

    def action_select(self) -> None:
        self.selected.append(self.cursor_row)


class Prose(LineView, can_focus=True):
    DEFAULT_CSS = "Prose { height: 10; scrollbar-size: 0 0; }"

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines

    def on_mount(self) -> None:
        self.virtual_size = Size(20, self.lines)

    def render_body_line(self, number: int, width: int) -> Strip:
        return Strip([Segment(f"line {number}".ljust(width))], width)


class KitApp(App[None]):
    def __init__(self, view: LineView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield self.view

    def on_mount(self) -> None:
        self.set_focus(self.view)


def screen_lines(app: App[Any]) -> list[str]:
    return [strip.text.rstrip() for strip in render_strips(app.screen)]


async def test_keys_move_the_cursor_within_its_rows_and_it_stays_in_view() -> None:
    view = Rows(ROWS)
    async with KitApp(view).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        keys = ["down", "up", "pagedown", "pageup", "end", "home"]
        rng = random.Random(7)
        expected = 0
        page = HEIGHT - 1 - 1
        for key in [rng.choice(keys) for _ in range(80)]:
            await pilot.press(key)
            expected = {
                "down": expected + 1,
                "up": expected - 1,
                "pagedown": expected + page,
                "pageup": expected - page,
                "end": ROWS - 1,
                "home": 0,
            }[key]
            expected = max(0, min(ROWS - 1, expected))
            assert view.cursor_row == expected, key
            top = round(view.scroll_y)
            assert top <= view.cursor_row < top + HEIGHT - 1, "the cursor is in view after every key"
            await pilot.pause()
            lines = screen_lines(pilot.app)[:HEIGHT]
            assert lines[0] == "header", "the header stays on top, scrolled or not"
            assert f">row {expected}" in lines, "the cursor's line is repainted where it is now"
            assert sum(line.startswith(">") for line in lines) == 1, "the old cursor line is repainted too"


async def test_the_view_scrolls_the_least_that_keeps_the_cursor_in_sight() -> None:
    view = Rows(ROWS)
    async with KitApp(view).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * (HEIGHT - 2))
        assert view.cursor_row == HEIGHT - 2, "a cursor still in view scrolls nothing"
        assert view.scroll_y == 0, "a cursor still in view scrolls nothing"
        await pilot.press("down")
        assert view.scroll_y == 1, "one row past the bottom scrolls one row"
        await pilot.press("end", "up")
        assert view.scroll_y == view.max_scroll_y, "moving up within view does not scroll"


async def test_only_lines_in_view_are_drawn_and_enter_or_a_double_click_selects() -> None:
    view = Rows(ROWS)
    async with KitApp(view).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        assert view.drawn, "rows out of view are never drawn"
        assert max(view.drawn) < HEIGHT - 1, "rows out of view are never drawn"
        await pilot.press("down", "enter")
        assert view.selected == [1]
        await pilot.click(view, offset=(2, 4), times=2)
        assert view.cursor_row == 3, "a double click moves the cursor there and selects"
        assert view.selected == [1, 3], "a double click moves the cursor there and selects"
        await pilot.click(view, offset=(2, 0))
        assert view.cursor_row == 3, "a click on the header moves no cursor"


async def test_few_rows_keep_the_cursor_on_one_of_them() -> None:
    view = Rows(3)
    async with KitApp(view).run_test(size=(40, 20)) as pilot:
        await pilot.press("pagedown")
        assert view.cursor_row == 2
        view.rows = 0
        view.move_cursor(5)
        assert view.cursor_row == 0, "no rows: the cursor is on the first place"


async def test_without_a_cursor_keys_scroll_lines_and_pages() -> None:
    view = Prose(100)
    async with KitApp(view).run_test(size=(40, 20)) as pilot:
        await pilot.press("down", "down")
        assert view.scroll_y == 2
        await pilot.press("pagedown")
        assert view.scroll_y == 2 + 9, "a page is the view's height less a line"
        await pilot.press("end")
        assert view.scroll_y == view.max_scroll_y
        await pilot.pause()
        assert screen_lines(pilot.app)[9] == "line 99"
        await pilot.press("home")
        await pilot.pause()
        assert view.scroll_y == 0
        assert screen_lines(pilot.app)[0] == "line 0"


WORDS = st.sampled_from(["ab", "ab é漢😀"]).flatmap(  # ASCII alone takes a path of its own
    lambda alphabet: st.lists(st.text(st.sampled_from(alphabet), min_size=1, max_size=12), max_size=30).map(" ".join)
)


@given(text=WORDS, width=st.integers(2, 40))
def test_wrapped_lines_fit_their_width_and_keep_every_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", ""), "nothing is lost but the spaces broken at"


def test_wrapping_breaks_at_spaces() -> None:
    assert wrap("the quick brown fox", 10) == ["the quick", "brown fox"]
    assert wrap("abcdefghijkl", 5) == ["abcde", "fghij", "kl"], "a word longer than the line is cut"


@given(text=st.text(st.sampled_from("abc é漢—"), max_size=40), width=st.integers(0, 30))
def test_a_cell_fits_its_column_exactly(text: str, width: int) -> None:
    fitted = fit(text, width)
    assert cell_len(fitted) == width
    if cell_len(text) > width > 0:
        assert fitted.endswith("…"), "a cut value says it was cut"


def test_a_narrow_column_keeps_a_names_start_and_end_by_whole_words() -> None:
    name = Text("Technical support — Premium")
    assert cut_middle(name, 20).plain == "Technical… — Premium"
    assert cut_middle(name, 15).plain == "Techni. Premium", "no whole word fits: its first letters and a dot"
    assert cut_middle(name, 40).plain == name.plain, "a value that fits is left whole"
    assert cut_middle(Text("Fraud — Premium 2"), 12).plain == "F. Premium 2"
