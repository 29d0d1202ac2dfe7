"""A user's `[keymap]` in `config.toml`, read as `agent-desktop run` reads its configuration, moves `accept` to
another key: the key accepts an offer, the old one does not, and the footer and the real command palette (ctrl+p,
"accept" typed) show the new key. On the in-process backends."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette

from desktop.cli import _load
from desktop.ui.app import AgentDesktopApp
from desktop.ui.shared.footer import KeyFooter
from mock_backends.common.settings import MockSettings
from mock_backends.demo_people import callers
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import routable, screen_text, wait_until

SIZE = (120, 40)


def footer(pilot) -> dict[str, str]:
    return {key.key_display: key.description for key in pilot.app.screen.query_one(KeyFooter).shown()}


async def test_accept_moved_in_config_toml_accepts_by_the_new_key_and_the_footer_and_palette_show_it(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ndesk.accept = "y"  # as a user writes it: a dotted key, unquoted\n', encoding="utf-8")
    settings = _load(config)  # the configuration as the desktop's `run` loads and checks it
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True))
    try:
        app = AgentDesktopApp(mocks.backends(), clock=mocks.clock.now, keymap=settings.keymap)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent, Offline")
            await pilot.press("v")
            await wait_until(pilot, lambda: routable(pilot), "Available")
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            await mocks.place_call(caller.email, channel="chat", subject="Keymap")
            await wait_until(pilot, lambda: "Keymap" in screen_text(pilot, "#offer"), "the offer")
            await wait_until(pilot, lambda: footer(pilot).get("y") == "Accept", lambda: f"y Accept in {footer(pilot)}")
            assert "a" not in footer(pilot)

            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
            await pilot.press(*"accept")
            palette = pilot.app.screen
            assert palette.query_one(CommandInput).value == "accept"
            found = palette.query_one(CommandList)

            def first() -> str:
                return str(found.get_option_at_index(0).prompt) if found.option_count else ""

            await wait_until(pilot, lambda: first().startswith("Accept"), lambda: f"Accept first in the palette: {first()!r}")
            assert "(key: y)" in first() and "(key: a)" not in first()
            await pilot.press("escape")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the desk")

            await pilot.press("a")
            await pilot.pause(0.2)
            assert "Keymap" in screen_text(pilot, "#offer"), "a does not accept any more"
            await pilot.press("y")
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "accepted by y")
    finally:
        await mocks.aclose()
