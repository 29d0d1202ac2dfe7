"""The key footer draws the keys that apply on one line: a change of them repaints it and lays nothing out, the keys
that do not fit are left out but the help and palette keys stay, a disabled key is drawn dimmed, and a click presses
the key under the pointer."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding

from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.textual_compat import layout_pending


class Desk(App[None]):
    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("r", "reject", "Reject"),
        Binding("v", "available", "Available"),
        Binding("x", "long", "A very long description that takes room"),
        Binding("question_mark", "help", "Help"),
    ]
    offered = False
    accepted = 0

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "reject"):
            return self.offered
        if action == "available":
            return not self.offered
        return True

    def action_accept(self) -> None:
        self.accepted += 1

    def action_help(self) -> None:
        pass


def keys(app: App[Any]) -> list[str]:
    return [entry.key for entry in app.screen.query_one(KeyFooter).shown()]


async def test_an_offer_changes_the_keys_and_lays_nothing_out() -> None:
    app = Desk()
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        assert keys(app) == ["v", "x", "question_mark", "ctrl+p"]
        footer = app.screen.query_one(KeyFooter)
        app.offered = True
        app.refresh_bindings()
        footer._sync()  # what the bindings' signal runs after the next refresh
        assert not layout_pending(footer)
        assert not layout_pending(app.screen)
        await pilot.pause()
        assert keys(app) == ["a", "r", "x", "question_mark", "ctrl+p"]
        assert footer.size.height == 1


async def test_keys_that_do_not_fit_are_left_out_but_help_and_the_palette_stay() -> None:
    app = Desk()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert keys(app) == ["v", "question_mark", "ctrl+p"]
        assert "x" in [entry.key for entry in footer.applying()]
        line = footer.render().plain
        assert line.startswith(" v Available ")
        assert line.rstrip().endswith("^p palette")
        assert len(line) == 40


async def test_a_click_presses_the_key_under_the_pointer() -> None:
    app = Desk()
    app.offered = True
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        await pilot.click(KeyFooter, offset=(2, 0))  # " a Accept " starts the line
        assert app.accepted == 1
