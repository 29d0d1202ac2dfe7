"""The help screen (? and F1) and a key pressed in vain, on both desks, against the real mock servers.

Help lists every command of the desk's table with its key and, for one that does not apply, when it would;
it scrolls by keyboard and escape closes it. `?` is typed in a text box (the composer), where F1 opens help.
A key that does nothing says so, and says when it would do something. The footer always keeps the help key.
Its snapshots at 120×40 and 80×24, replayed from recordings: tests/ui/looks/test_help_snapshots.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.agent_desk.commands import COMMANDS
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.help_screen import HelpScreen
from agent_desktop.ui.shared.help_view import HelpView
from agent_desktop.ui.textual_compat import notifications
from tests.support.scenes.conversation_scenes import SPEED, conversation_flow_until, scene_app_in
from tests.support.scenes.help_scenes import SMALL, open_help, supervisor_help
from tests.support.scenes.pilot_steps import wait_until
from tests.support.scenes.scenes import SIZE, agent_flow_until, receive_offer, scene_app, scene_servers
from tests.support.scenes.supervisor_scene import SteadyFloor, frozen_clock, supervisor_app


def help_text(pilot: Pilot[None]) -> str:
    """The help's lines as a user reads them, scrolling through it."""
    return "\n".join(pilot.app.screen.query_one(HelpView).plain_lines())


def columns(line: str) -> list[str]:
    """A line's columns (keys, command, what it does), as the eye splits them: at two spaces or more."""
    return re.split(r" {2,}", line.strip())


def labels(text: str) -> set[str]:
    return {cell for line in text.splitlines() for cell in columns(line)}


def row_of(text: str, label: str) -> str:
    """The help's row of a command: its line and the lines under it (the rest of its description, "Not now: …")
    up to the next command's."""
    lines = text.splitlines()
    at = next(number for number, line in enumerate(lines) if label in columns(line)[:2])
    end = next((n for n in range(at + 1, len(lines)) if not lines[n].startswith(" ")), len(lines))
    return " | ".join(line.strip() for line in lines[at:end])


def toasts(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in notifications(pilot.app)]


async def test_help_lists_every_command_and_says_when_the_others_apply(tmp_path: Path) -> None:
    with scene_servers(tmp_path) as servers:
        async with scene_app(servers).run_test(size=SIZE) as pilot:
            await agent_flow_until(pilot, servers, "available")
            await open_help(pilot)
            text = help_text(pilot)
            for command in COMMANDS:
                if command.show or command.name not in ("customer_tab",):
                    assert command.label in labels(text), f"{command.label} is not in help"
            # Available, no offer: accept says when it would; find expert applies.
            assert "Not now: only when a contact is offered." in row_of(text, "Accept")
            assert "Not now" not in row_of(text, "Find expert")
            await pilot.press("pagedown", "end", "home")  # scrolls by keyboard
            await pilot.press("escape")
            assert type(pilot.app.screen).__name__ == "AgentScreen"

            await receive_offer(pilot, servers)
            await open_help(pilot, "f1", offer_pending=True)
            assert "Not now" not in row_of(help_text(pilot), "Accept"), "with an offer, accept applies"
            await pilot.press("f1")  # pressed again, help closes
            assert type(pilot.app.screen).__name__ == "AgentScreen"


async def test_a_key_that_does_nothing_says_so_and_when_it_would(tmp_path: Path) -> None:
    with scene_servers(tmp_path) as servers:
        async with scene_app(servers).run_test(size=SIZE) as pilot:
            await agent_flow_until(pilot, servers, "available")
            await pilot.press("a")
            await wait_until(
                pilot, lambda: any("only when a contact is offered" in t for t in toasts(pilot)), "a word on a"
            )
            await pilot.press("q")  # bound to nothing on the agent's desk (z was, until it snoozed a chat)
            await wait_until(
                pilot, lambda: any(t.startswith("q does nothing here") for t in toasts(pilot)), "a word on q"
            )


async def test_question_mark_is_typed_in_the_composer_where_f1_opens_help(tmp_path: Path) -> None:
    with scene_servers(tmp_path, speed=SPEED) as servers:
        async with scene_app_in(servers, tmp_path).run_test(size=SIZE) as pilot:
            await conversation_flow_until(pilot, servers, "chat")
            composer = pilot.app.screen.query_one("#composer", Composer)
            assert pilot.app.focused is composer
            before = composer.text
            await pilot.press("question_mark")
            await pilot.pause(0.1)
            assert composer.text == before + "?"
            assert not isinstance(pilot.app.screen, HelpScreen)
            await open_help(pilot, "f1")
            assert "Send" in labels(help_text(pilot))  # the composer's keys apply there
            await pilot.press("escape")
            assert pilot.app.focused is composer, "closing help gives the keyboard back to the composer"


async def test_the_footer_keeps_the_help_key_when_keys_do_not_fit(tmp_path: Path) -> None:
    with scene_servers(tmp_path) as servers:
        async with scene_app(servers).run_test(size=SMALL) as pilot:
            await agent_flow_until(pilot, servers, "connected")
            await pilot.pause(0.3)
            footer = pilot.app.screen.query_one(KeyFooter)
            shown = [key.key for key in footer.shown()]
            hidden = [key.key for key in footer.applying() if key.key not in shown]
            assert hidden, "at 80 columns on a call, some keys do not fit"
            assert shown[-2:] == ["question_mark", "ctrl+p"]


async def test_the_footer_keeps_the_way_out_of_the_composer_when_short_of_room(tmp_path: Path) -> None:
    """In a chat's composer the footer keeps `esc Leave`, the only way back to the desk's keys: at 80 columns in the
    demo (its `f2`) it was pushed out by `^f Send later`, and the tmux demo test then typed `e` into the reply.
    66 columns here stand for that line's lack of room (this scene has no `f2`)."""
    with scene_servers(tmp_path, speed=SPEED) as servers:
        async with scene_app_in(servers, tmp_path).run_test(size=(66, 24)) as pilot:
            await conversation_flow_until(pilot, servers, "chat")
            assert isinstance(pilot.app.focused, Composer)
            await pilot.pause(0.3)
            shown = [key.key for key in pilot.app.screen.query_one(KeyFooter).shown()]
            assert "escape" in shown, shown


async def test_supervisor_help(tmp_path: Path) -> None:
    with SteadyFloor(tmp_path) as servers:
        async with supervisor_app(servers, clock=frozen_clock).run_test(size=SIZE) as pilot:
            await supervisor_help(pilot)
            text = help_text(pilot)
            for label in ("Details", "Sort agents", "Filter", "Set state", "Log out", "Priority +1", "Priority −1"):
                assert label in labels(text)
            assert "Not now: only with the cursor on an agent in the Agents table" in row_of(text, "Set state")
            await pilot.press("escape")
            assert type(pilot.app.screen).__name__ == "SupervisorScreen"
