"""A remapped key (`[keymap]`, by binding id, also from a config.toml) runs its command, and the footer, the palette
and the help show the new key, not the old one (which does nothing any more), on the in-process backends."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot

from agent_desktop.agent_desk.attention import TYPING_RUN_S
from agent_desktop.app.commands import load as _load
from agent_desktop.ui.keys.key_help import help_sections
from agent_desktop.ui.palette import palette_commands
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.help_view import HelpView
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import offer_in_front, routable, screen_text, wait_until

SIZE = (120, 40)
KEYMAP = {"desk.go_available": "g", "desk.accept": "y", "app.help": "f3"}


def footer(pilot: Pilot[None]) -> dict[str, str]:
    """Each key the footer shows, as shown, with its label."""
    return {key.key_display: key.description for key in pilot.app.screen.query_one(KeyFooter).shown()}


def palette_help(pilot: Pilot[None], title: str) -> str:
    return next(c.help.plain for c in palette_commands(pilot.app.screen) if c.title == title)


def help_keys(pilot: Pilot[None], label: str) -> str:
    return next(r.keys for s in help_sections(pilot.app.screen) for r in s.rows if r.label == label)


def palette_first(pilot: Pilot[None]) -> str:
    """The first command the open palette offers, as shown (its title and help)."""
    found = pilot.app.screen.query_one(CommandList)
    return str(found.get_option_at_index(0).prompt) if found.option_count else ""


async def accepts_only_by(pilot: Pilot[None], key: str, subject: str) -> None:
    """The offer of `subject` stays on `a`, the default key, and is accepted by `key`."""
    await pilot.press("a")
    await pilot.pause(0.2)
    assert subject in screen_text(pilot, "#offer"), "a does not accept any more"
    await pilot.press(key)
    await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), f"accepted by {key}")


async def test_a_remapped_key_runs_its_command_and_the_footer_shows_it(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        app = desk_app(mocks.backends(), clock=mocks.clock.now, keymap=KEYMAP)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent, Offline")
            await wait_until(pilot, lambda: footer(pilot).get("g") == "Available", "g Available in the footer")
            assert "v" not in footer(pilot)
            assert footer(pilot).get("f3") == "Help"
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
            await accepts_only_by(pilot, "y", "Remapped")
    finally:
        await mocks.aclose()


async def test_the_palette_lists_the_tables_commands_with_their_keys_and_runs_them(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        async with desk_app(mocks.backends(), clock=mocks.clock.now).run_test(size=SIZE) as pilot:
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
            await wait_until(
                pilot, lambda: palette_first(pilot).startswith("Available"), "the palette to offer Available first"
            )
            assert "(key: v)" in palette_first(pilot)
            await pilot.press("enter")
            await wait_until(pilot, lambda: routable(pilot), "Available from the palette")
    finally:
        await mocks.aclose()


async def test_accept_moved_in_config_toml_accepts_by_the_new_key_and_the_footer_and_palette_show_it(
    tmp_path: Path,
) -> None:
    """`[keymap]` in a config.toml, read as `agent-desktop run` reads and checks its configuration; the real
    command palette (ctrl+p, "accept" typed) is looked at, not only the commands it is given."""
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ndesk.accept = "y"  # as a user writes it: a dotted key, unquoted\n', encoding="utf-8")
    settings = _load(config)  # the configuration as the desktop's `run` loads and checks it
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        app = desk_app(mocks.backends(), clock=mocks.clock.now, keymap=settings.keymap)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent, Offline")
            await pilot.press("v")
            await wait_until(pilot, lambda: routable(pilot), "Available")
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            await mocks.place_call(caller.email, channel="chat", subject="Keymap")
            await wait_until(pilot, lambda: "Keymap" in screen_text(pilot, "#offer"), "the offer")
            await wait_until(pilot, lambda: footer(pilot).get("y") == "Accept", lambda: f"y Accept in {footer(pilot)}")
            assert "a" not in footer(pilot)

            await pilot.press("ctrl+p")  # the offer pending comes over the palette (attention rule 1)
            await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the palette")
            await pilot.pause(TYPING_RUN_S)  # a look at it, then escape: the offer back to its card
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
            await pilot.press(*"accept")
            assert pilot.app.screen.query_one(CommandInput).value == "accept"
            await wait_until(
                pilot,
                lambda: palette_first(pilot).startswith("Accept"),
                lambda: f"Accept first: {palette_first(pilot)!r}",
            )
            assert "(key: y)" in palette_first(pilot)
            assert "(key: a)" not in palette_first(pilot)
            await pilot.press("escape")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the desk")

            await accepts_only_by(pilot, "y", "Keymap")
    finally:
        await mocks.aclose()
