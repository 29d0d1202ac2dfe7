"""The help's keys as one line-API widget: every row readable at 80 columns (columns side by side, long text
wrapped inside its column), the reason a key does not apply under its description, text shown literally, and
scrolled by keyboard. What it lists is tests/e2e/keys/test_help_screen.py; its look, tests/ui/looks/test_help_snapshots.py."""

from __future__ import annotations

from textual.app import App, ComposeResult

from agent_desktop.ui.keys.key_help import HelpRow, HelpSection
from agent_desktop.ui.shared.help_view import HelpView

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred"
ROWS = tuple(
    HelpRow(
        f"k{n}",
        f"Command {n}",
        f"What command {n} does, said at some length so that it wraps at eighty columns",
        n % 2 == 0,
        "only when pigs fly",
    )
    for n in range(40)
)
SECTIONS = [
    HelpSection("This screen", ROWS),
    HelpSection("Everywhere", (HelpRow("^q", HOSTILE, HOSTILE, False, HOSTILE),)),
]


class HelpApp(App[None]):
    def compose(self) -> ComposeResult:
        yield HelpView(SECTIONS)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(HelpView))


async def test_rows_read_at_80_columns_and_scroll_by_keyboard() -> None:
    async with HelpApp().run_test(size=(80, 24)) as pilot:
        view = pilot.app.query_one(HelpView)
        lines = view.plain_lines()
        assert max(len(line) for line in lines) <= 80 - 1  # the scrollbar's column stays free
        first = lines.index(next(line for line in lines if "Command 1 " in line + " "))
        assert lines[first].startswith("k1")
        assert "What command 1 does" in lines[first]
        # the description wraps in its own column; the reason follows under it
        assert lines[first + 1].startswith(" ")
        assert "Not now: only when pigs fly." in " ".join(lines[first : first + 4])
        assert view.max_scroll_y > 0
        await pilot.press("pagedown")
        assert view.scroll_y > 0
        await pilot.press("end")
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home", "down")
        assert view.scroll_y == 1


async def test_text_is_literal() -> None:
    async with HelpApp().run_test(size=(120, 40)) as pilot:
        text = "\n".join(pilot.app.query_one(HelpView).plain_lines())
        assert "[@click=app.quit]x[/]" in text
        assert "\x1b" not in text
        await pilot.press("end")
        await pilot.pause()
        assert pilot.app.is_running  # nothing ran an action


async def test_the_help_lists_every_scrolling_key_of_the_focused_view() -> None:
    """Up and down (line(-1), line(1)) are one action with two parameters: each gets its row. Only keys the
    footer already says in one row ("1-5" for the card's tabs) are folded into it."""
    from agent_desktop.ui.keys.key_help import help_sections

    async with HelpApp().run_test(size=(80, 24)) as pilot:
        sections = help_sections(pilot.app.screen)
        [focused] = [section for section in sections if "(where the cursor is)" in section.title]
        assert {row.label for row in focused.rows} >= {"Up", "Down", "Page up", "Page down", "Top", "Bottom"}
