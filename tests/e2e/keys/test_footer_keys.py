"""The footer shows only the keys that apply, as the contact goes from offer to wrap-up and the next offer; it is
one widget that draws them, so a change of keys repaints a line and lays nothing out (Textual 8.2's Footer rebuilt
all its keys on every change, three times per offer, and leaked the watchers of the keys it removed; a footer of
key widgets shown and hidden laid the whole screen out at every offer, while the caller's record was on its way)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.ui.shared.footer import KeyFooter
from tests.support.scenes.scenes import (
    SIZE,
    SceneServers,
    accept,
    end_and_fill_wrap_up,
    go_available,
    receive_offer,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)


def shown_keys(pilot: Pilot[None]) -> list[str]:
    return [key.key for key in pilot.app.screen.query_one(KeyFooter).shown()]


async def take_one_contact(pilot: Pilot[None], servers: SceneServers) -> None:
    await receive_offer(pilot, servers)
    assert {"a", "r"} <= set(shown_keys(pilot))
    assert "e" not in shown_keys(pilot)
    await accept(pilot)
    assert "e" in shown_keys(pilot)
    assert "a" not in shown_keys(pilot)
    await end_and_fill_wrap_up(pilot, "Footer test.")
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
    await wait_until(pilot, lambda: "ctrl+s" not in shown_keys(pilot), "the wrap-up keys gone")


async def test_the_footer_shows_what_applies_contact_after_contact(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await take_one_contact(pilot, servers)
            footer = pilot.app.screen.query_one(KeyFooter)
            await take_one_contact(pilot, servers)
            assert pilot.app.screen.query_one(KeyFooter) is footer
            assert shown_keys(pilot)[-2:] == ["question_mark", "ctrl+p"]
            assert "Help" in screen_text(pilot, "KeyFooter")
            assert "palette" in screen_text(pilot, "KeyFooter")
