"""The agent's desk as the remote control drives it (agent_desktop/remote/): a command by its keymap id, carried out
as its key would be on the desk screen; keys handed to the app as the terminal hands them, so the attention's rules
route them (agent_desktop/ui/agent/front_of_desk.py); the desk's state as a script reads it."""

from __future__ import annotations

import asyncio
from typing import Any
from unicodedata import lookup as character_named

from textual import events
from textual.app import App

from agent_desktop.agent_desk.commands import COMMANDS, why_not
from agent_desktop.remote.desk_view import desk_state
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.agent.front_of_desk import as_overlay
from agent_desktop.ui.keys.key_display import key_named
from agent_desktop.ui.textual_compat import character_key

PRESS_WAIT_S = 10.0  # the longest a `press` waits for the desk to read its keys before it answers
OFFER_ANSWERS = {"desk.accept": "accept", "desk.reject": "reject"}


def key_event(key: str) -> events.Key:
    """A key as the terminal would send it, as a Pilot presses it: Textual's name ("question_mark", "enter", "ctrl+s")
    and the character it types, if any (the character's Unicode name: "space" types " "); a single character may be
    given as itself ("?")."""
    if len(key) == 1 and not key.isalnum():
        key = character_key(key)
    if len(key) == 1:
        return events.Key(key, key)
    try:
        return events.Key(key, character_named(key.replace("_", " ")))
    except KeyError:
        return events.Key(key, None)


class AgentRemoteDesk:
    def __init__(self, app: App[Any]) -> None:
        self.app = app

    @property
    def screen(self) -> AgentScreen:
        """The agent's screen, installed for as long as the app runs (the remote control starts once it is)."""
        screen = self.app.get_screen("agent")
        assert isinstance(screen, AgentScreen)
        return screen

    def _front(self) -> str:
        front = self.app.screen
        return "desk" if front is self.screen else as_overlay(front).name

    def state(self) -> dict[str, Any]:
        return desk_state(self.screen.desk, self._front())

    def commands(self) -> list[dict[str, Any]]:
        listed: dict[str, dict[str, Any]] = {}
        for command in COMMANDS:
            applies = self.screen.check_action(command.name, ()) is True
            row = listed.get(command.id)
            if row is None or (applies and not row["applies"]):
                listed[command.id] = {
                    "id": command.id,
                    "key": key_named(self.app, command.id, command.key),  # as a script presses it
                    "label": command.label,
                    "applies": applies,
                    "when": None if applies else (why_not(command.name, self.screen.desk) or command.when or None),
                }
        return list(listed.values())

    async def run(self, command: str) -> str | None:
        rows = [row for row in COMMANDS if row.id == command]
        if not rows:
            return f"no command {command!r}: `agent-desktop remote commands` lists them"
        desk = self.screen.desk
        if self.app.screen is not self.screen:
            if command in OFFER_ANSWERS and desk.offer is not None:  # the offer is answered over what is open
                self.screen.answer_offer(OFFER_ANSWERS[command])
                self.screen.drawn_in_turn()
                return None
            return f"not now: {self._front()} is open over the desk (`remote press escape` closes it)"
        for row in rows:
            if self.screen.check_action(row.name, ()) is True:
                await self.screen.run_action(row.action)
                self.screen.drawn_in_turn()
                return None
        return why_not(rows[0].name, desk) or f"{rows[0].label} does not apply now"

    async def press(self, keys: list[str]) -> str | None:
        """The keys handed to the desk as the terminal hands them, answered once the desk has read them: a script that
        waits for each answer can never queue more than one request's keys ahead of the desk (1,500 presses sent
        without waiting took the desk three minutes and 700 MiB to work through, and an offer was missed meanwhile)."""
        for key in keys:
            self.app.post_message(key_event(key))
        read = asyncio.Event()
        if not self.app.call_later(read.set):  # behind the keys in the app's queue
            return "the desk is closing"
        try:
            async with asyncio.timeout(PRESS_WAIT_S):
                await read.wait()
        except TimeoutError:
            return f"the desk has not read the keys after {PRESS_WAIT_S:g} s: it is busy, try again"
        return None
