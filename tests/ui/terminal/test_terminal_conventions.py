"""Terminal conventions on the in-process backends: Y copies the selected customer's id, account or case
number, phone or last message (through a picker, or by name from the palette) to the clipboard; the monochrome
theme draws the desk with no colour, and a theme from the palette changes both desks."""

from __future__ import annotations

import inspect
import re
from typing import Any

from rich.color import ColorSystem
from textual.app import App

from agent_desktop.ui.agent.callers.copy_picker import CopyPicker
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.palette import palette_commands
from agent_desktop.ui.shared.choice_picker import ChoicePicker
from agent_desktop.ui.textual_compat import render_strips
from agent_desktop.ui.themes import MONOCHROME
from tests.support.colour_escapes import colour_escapes
from tests.support.desk_app import desk_app as app_on
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    SIZE,
    accept,
    go_available,
    loaded,
    receive_offer,
    wait_until,
)
from tests.support.narrowing import present
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import agent_screen, in_front


def desk_app(
    mocks: InProcessMocks, theme: str = "textual-dark", desks: tuple[str, ...] = ("agent",)
) -> AgentDesktopApp:
    backends = mocks.backends(supervisor="supervisor" in desks)
    return app_on(backends, clock=mocks.clock.now, desks=desks, theme=theme)


def screen_ansi(app: App[Any]) -> str:
    """The screen's lines as the terminal gets them (truecolor), escape sequences and all."""
    return "".join(
        segment.style.render(segment.text, color_system=ColorSystem.TRUECOLOR) if segment.style else segment.text
        for strip in render_strips(app.screen)
        for segment in strip
    )


def svg_fills(svg: str) -> set[str]:
    """Every colour the SVG paints text or cells with."""
    return {fill.lower() for fill in re.findall(r"fill:\s*(#[0-9a-fA-F]{6})", svg)}


async def test_y_copies_the_customers_details_and_the_palette_names_each(mocks: InProcessMocks) -> None:
    async with desk_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert "Copy" not in palette_titles(pilot.app), "nothing selected: nothing to copy"
        await go_available(pilot)
        who = await receive_offer(pilot, mocks)
        await accept(pilot)
        await pilot.press("Y")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CopyPicker), "the copy picker")
        labels = [label for _, label in in_front(pilot, ChoicePicker).options]
        assert [label.split(":")[0] for label in labels][:2] == ["Customer id", "Account number"]
        phone = next(i for i, (choice, _) in enumerate(in_front(pilot, ChoicePicker).options) if choice.what == "phone")
        await pilot.press(*["down"] * phone, "enter")
        await wait_until(pilot, lambda: pilot.app.clipboard != "", "the copy")
        assert pilot.app.clipboard == present(agent_screen(pilot).desk.selected_contact()).from_address

        titles = palette_titles(pilot.app)
        assert {"Copy", "Copy customer id", "Copy account number", "Copy phone"} <= set(titles)
        by_name = next(c for c in palette_commands(pilot.app.screen) if c.title == "Copy customer id")
        ran = by_name.run()
        assert inspect.isawaitable(ran), ran  # the command's coroutine
        await ran
        record = present(agent_screen(pilot).desk.popped_lookup()).record
        assert present(record).customer.name == who.name
        assert pilot.app.clipboard == present(record).customer.id


async def test_the_monochrome_theme_draws_the_desk_without_colour(mocks: InProcessMocks) -> None:
    async with desk_app(mocks, theme=MONOCHROME).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await receive_offer(pilot, mocks)
        drawn = screen_ansi(pilot.app)
    assert "\x1b[" in drawn, "monochrome: bold, reverse, underline; no colour"
    assert colour_escapes(drawn) == [], "monochrome: bold, reverse, underline; no colour"


async def test_a_theme_from_the_palette_changes_both_desks(mocks: InProcessMocks) -> None:
    async with desk_app(mocks, desks=("agent", "supervisor")).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert "Theme" in palette_titles(pilot.app)  # Textual's own "Change theme" command
        before = svg_fills(pilot.app.export_screenshot())
        pilot.app.theme = "gruvbox"
        await pilot.pause()
        assert svg_fills(pilot.app.export_screenshot()) != before
        await pilot.press("f2")
        await pilot.pause()
        supervisor_gruvbox = svg_fills(pilot.app.export_screenshot())
        pilot.app.theme = MONOCHROME
        await pilot.pause()
        assert colour_escapes(screen_ansi(pilot.app)) == []
        assert len(supervisor_gruvbox) > 3
