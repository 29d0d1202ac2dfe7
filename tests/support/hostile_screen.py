"""Looking at the screen for hostile text (tests/support/hostile_models.py's payloads): it is shown as written,
never parsed into an action, and no control character reaches the terminal. Shared by the sweep over the
servers (tests/e2e/hostile/test_hostile_sweep.py) and the one that feeds models to the widgets (tests/ui/hostile/test_hostile_fed.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.segment import Segment
from textual.pilot import Pilot
from textual.screen import Screen

from agent_desktop.ui.textual_compat import render_strips, screenshot_text
from tests.support.hostile_models import CONTROL, visible
from tests.support.scenes.pilot_steps import wait_until


def screen_lines(pilot: Pilot[None]) -> str:
    return "\n".join(strip.text for strip in render_strips(pilot.app.screen))


def _segments(pilot: Pilot[None]) -> Iterator[Segment]:
    for strip in render_strips(pilot.app.screen):
        yield from strip


async def check(pilot: Pilot[None], payload: str, where: str, *, cut: int | None = None) -> None:
    """The desktop runs, shows the payload as written, and sends no control character to the terminal.

    `cut`: where every place is a narrow column, its first `cut` characters as written (then "…") will do.
    A payload shown literally in one place and parsed in another would pass the first test: so no cell
    on screen may carry the payload's `@click` action either.
    """
    await pilot.pause(0.05)
    assert pilot.app.is_running, f"{where}: the desktop quit"
    shown = screen_lines(pilot)
    assert visible(payload)[:cut] in shown, f"{where}: {visible(payload)!r} is not on screen:\n{shown}"
    clickable = {str(seg.style.meta.get("@click")) for seg in _segments(pilot) if seg.style and seg.style.meta}
    assert not [a for a in clickable if "quit" in a], f"{where}: backend text became a link: {clickable}"
    shot = screenshot_text(pilot.app)  # what export_screenshot() shows, without its SVG (~0.1 s of CPU a check)
    found = CONTROL.search(shot)
    assert found is None, f"{where}: control character {found.group()!r} reached the screenshot" if found else ""


async def through_dialog(pilot: Pilot[None], dialog: Screen[Any], payload: str, where: str, *keys: str) -> None:
    pilot.app.push_screen(dialog)
    await wait_until(pilot, lambda: pilot.app.screen is dialog, where)
    if keys:
        await pilot.press(*keys)
    await check(pilot, payload, where)
    pilot.app.pop_screen()
    await pilot.pause(0.05)
