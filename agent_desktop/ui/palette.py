"""The command palette's desk commands: a `Provider` over the desks' command tables (agent_desktop/agent_desk/commands.py).

It offers what the footer shows: each command of the screen in front that applies now, with its key as the
keymap left it (`[keymap]`), and runs it on that screen. Textual's own commands (Quit, Keys, Theme…) and the
app's (Help, Switch desk) come from `App.get_system_commands`, as Textual's palette always shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import actions
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from agent_desktop import ui
from agent_desktop.agent_desk.callers.copy_choices import PALETTE_TITLES, copy_choices
from agent_desktop.agent_desk.commands import COMMANDS, Command
from agent_desktop.supervisor_desk.commands import SUPERVISOR_COMMANDS, SupervisorCommand
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.keys.key_display import key_shown
from agent_desktop.ui.plain_text import literal_title, palette_help

if TYPE_CHECKING:
    from textual.fuzzy import Matcher


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: Content  # literal: the palette parses a str as markup (a key shown as `[` would be a tag)
    run: Callable[[], object]
    words: tuple[str, ...] = ()  # found by these too ("break" finds Not ready)


# The app's own commands (Textual's system commands, matched on their titles alone): the words that find them too,
# offered by `DeskCommands` when the title itself does not match ("supervisor" finds Switch desk).
APP_COMMAND_WORDS: dict[str, tuple[str, ...]] = {
    "Switch desk": ("supervisor", "agent desk", "floor", "queues", "stats", "statistics", "team", "wallboard"),
    "Help": ("keys", "shortcuts", "keyboard", "how"),
}


def match_score(matcher: Matcher, command: PaletteCommand) -> float:
    """How well `matcher`'s query finds `command`: by its title, else by one of its words (a little lower)."""
    score = matcher.match(command.title)
    if score > 0:
        return score
    return max((matcher.match(word) * 0.9 for word in command.words), default=0.0)


def table_of(screen: Screen[Any]) -> Sequence[Command | SupervisorCommand]:
    """The command table of `screen`: the agent's or the supervisor's; none for a dialog."""
    if isinstance(screen, AgentScreen):
        return COMMANDS
    if isinstance(screen, ui.SupervisorScreen):
        return SUPERVISOR_COMMANDS
    return ()


def palette_commands(screen: Screen[Any]) -> Iterator[PaletteCommand]:
    """The table's commands that the footer would show on `screen` now (shown, and applying), each once; on a
    dialog, its own keys."""
    app = screen.app
    seen: set[str] = set()
    table = table_of(screen)
    if not table:
        yield from _dialog_commands(screen)
    for command in table:
        if not (command.show or getattr(command, "palette", False)) or command.action in seen:
            continue
        _, name, parameters = actions.parse(command.action)
        if screen.check_action(name, parameters) is not True:
            continue
        seen.add(command.action)
        key = key_shown(app, command.id, command.key, command.key_display)
        yield PaletteCommand(
            command.label,
            literal_title(f"{command.description}  (key: {key})"),
            partial(screen.run_action, command.action),
            getattr(command, "words", ()),  # (the supervisor's table has none yet)
        )
        if command.action == "copy":  # and each thing there is to copy, by name
            yield from _copy_commands(screen, key)


def _copy_commands(screen: Screen[Any], key: str) -> Iterator[PaletteCommand]:
    """ "Copy phone" and the like: what the agent screen's copy picker would offer now."""
    for choice in copy_choices(screen.desk):  # type: ignore[attr-defined]  # (the agent screen's: table_of)
        yield PaletteCommand(
            PALETTE_TITLES[choice.what],
            literal_title(f"To the clipboard (OSC 52)  (key: {key}, then pick)"),
            partial(screen.run_action, f"copy({choice.what!r})"),
            ("clipboard", "yank"),
        )


def _dialog_commands(screen: Screen[Any]) -> Iterator[PaletteCommand]:
    """A dialog has no table: its own keys the footer shows (Textual's view of them, the keymap applied)."""
    seen: set[str] = set()
    for namespace, binding, enabled, tooltip in screen.active_bindings.values():
        if namespace is not screen or not binding.show or not enabled or binding.action in seen:
            continue
        seen.add(binding.action)
        key = screen.app.get_key_display(binding)
        help_text = f"{tooltip}  (key: {key})" if tooltip else f"key: {key}"
        yield PaletteCommand(binding.description, literal_title(help_text), partial(screen.run_action, binding.action))


class DeskCommands(Provider):
    """The palette's commands of the desk in front (the screen the palette was opened on)."""

    async def discover(self) -> Hits:
        for command in sorted(palette_commands(self.screen), key=lambda c: c.title):
            yield DiscoveryHit(Content(command.title), command.run, help=palette_help(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in palette_commands(self.screen):
            if (score := match_score(matcher, command)) > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    command.run,
                    text=command.title,
                    help=palette_help(command.help),
                )
        # The app's commands that Textual's own provider does not find by their title: by their words.
        for system in self.app.get_system_commands(self.screen):
            title = str(getattr(system.title, "plain", system.title))
            words = APP_COMMAND_WORDS.get(title, ())
            if not words or matcher.match(title) > 0:
                continue
            help_text = system.help if isinstance(system.help, Content) else literal_title(str(system.help))
            found = PaletteCommand(title, help_text, system.callback, words)
            if (score := match_score(matcher, found)) > 0:
                yield Hit(score, Content(title), system.callback, text=title, help=palette_help(found.help))
