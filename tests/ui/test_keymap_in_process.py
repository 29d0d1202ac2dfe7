"""A remapped key (`[keymap]`, by binding id) runs its command, and the footer, the palette and the help show
the new key, not the old one (which does nothing any more), on the in-process backends."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette

from desktop.ui.app import AgentDesktopApp
from desktop.ui.key_help import help_sections
from desktop.ui.palette import palette_commands
from desktop.ui.shared.footer import KeyFooter
from desktop.ui.shared.help_view import HelpView
from mock_backends.common.settings import MockSettings
from mock_backends.demo_people import callers
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import routable, screen_text, wait_until

SIZE = (120, 40)
KEYMAP = {"desk.go_available": "g", "desk.accept": "y", "app.help": "f3"}


def footer(pilot) -> dict[str, str]:
    """Each key the footer shows, as shown, with its label."""
    return {key.key_display: key.description for key in pilot.app.screen.query_one(KeyFooter).shown()}


def palette_help(pilot, title: str) -> str:
    return next(c.help.plain for c in palette_commands(pilot.app.screen) if c.title == title)


def help_keys(pilot, label: str) -> str:
    return next(r.keys for s in help_sections(pilot.app.screen) for r in s.rows if r.label == label)


async def test_a_remapped_key_runs_its_command_and_the_footer_shows_it(tmp_path):
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True))
    try:
        app = AgentDesktopApp(mocks.backends(), clock=mocks.clock.now, keymap=KEYMAP)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent, Offline")
            await wait_until(pilot, lambda: footer(pilot).get("g") == "Available", "g Available in the footer")
            assert "v" not in footer(pilot) and footer(pilot).get("f3") == "Help"
            assert palette_help(pilot, "Available").endswith("(key: g)")
            assert help_keys(pilot, "Available") == "g"
            await pilot.press("f3")  # the help, opened by its new key, shows the new keys on screen
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen", "the help")
            lines = pilot.app.screen.query_one(HelpView).plain_lines()
            assert any(line.split()[:2] == ["g", "Available"] for line in lines), lines
            await pilot.press("escape")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the desk")

            await pilot.press("v")  # the old key does nothing now
            await pilot.pause(0.2)
            assert not routable(pilot)
            await pilot.press("g")
            await wait_until(pilot, lambda: routable(pilot), "Available by g")

            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            await mocks.place_call(caller.email, channel="chat", subject="Remapped")
            await wait_until(pilot, lambda: "Remapped" in screen_text(pilot, "#offer"), "the offer")
            await wait_until(pilot, lambda: footer(pilot).get("y") == "Accept", "y Accept in the footer")
            assert "a" not in footer(pilot)
            assert palette_help(pilot, "Accept").endswith("(key: y)")
            await pilot.press("a")
            await pilot.pause(0.2)
            assert "Remapped" in screen_text(pilot, "#offer"), "a does not accept any more"
            await pilot.press("y")
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "accepted by y")
    finally:
        await mocks.aclose()


async def test_the_palette_lists_the_tables_commands_with_their_keys_and_runs_them(tmp_path):
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True))
    try:
        async with AgentDesktopApp(mocks.backends(), clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent, Offline")
            commands = {c.title: c for c in palette_commands(pilot.app.screen)}
            # What the footer shows (shown, and applying now), with the key the footer shows
            assert {"Available", "Not ready", "Find expert", "Outbox"} <= set(commands)
            assert not {"Accept", "Hold", "Next state"} & set(commands), "only what applies now"
            assert commands["Available"].help.plain.endswith("(key: v)")
            assert commands["Find expert"].help.plain.endswith("(key: /)")
            # Run through the palette, as typed
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
            pilot.app.screen.query_one(CommandInput).value = "Available"
            command_list = pilot.app.screen.query_one(CommandList)

            def first() -> str:
                return str(command_list.get_option_at_index(0).prompt) if command_list.option_count else ""

            await wait_until(pilot, lambda: first().startswith("Available"), "the palette to offer Available first")
            assert "(key: v)" in first()
            await pilot.press("enter")
            await wait_until(pilot, lambda: routable(pilot), "Available from the palette")
    finally:
        await mocks.aclose()
