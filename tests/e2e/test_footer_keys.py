"""The footer shows only the keys that apply, and is never recomposed on an event: each key widget is made
once, then shown or hidden (Textual 8.2's Footer rebuilt all its keys on every change, three times per
offer, and leaked the watchers of the keys it removed)."""

from __future__ import annotations

from desktop.ui.textual_compat import FooterKey
from tests.support.scenes.scenes import SIZE, accept, end_and_fill_wrap_up, go_available, receive_offer, scene_app, scene_servers, screen_text, wait_until


def shown_keys(pilot) -> list[str]:
    return [key.key for key in pilot.app.screen.query(FooterKey) if key.display]


def key_widgets(pilot) -> set[int]:
    return {id(key) for key in pilot.app.screen.query(FooterKey)}


async def take_one_contact(pilot, servers) -> None:
    await receive_offer(pilot, servers)
    assert {"a", "r"} <= set(shown_keys(pilot)) and "e" not in shown_keys(pilot)
    await accept(pilot)
    assert "e" in shown_keys(pilot) and "a" not in shown_keys(pilot)
    await end_and_fill_wrap_up(pilot, "Footer test.")
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
    await wait_until(pilot, lambda: "ctrl+s" not in shown_keys(pilot), "the wrap-up keys gone")


async def test_the_footer_shows_what_applies_without_being_rebuilt(tmp_path):
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await take_one_contact(pilot, servers)
            made = key_widgets(pilot)
            await take_one_contact(pilot, servers)
            assert key_widgets(pilot) == made, "the second contact reused the same key widgets"
