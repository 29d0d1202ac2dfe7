"""An escape typed just before a character, read as the two keys they were.

A terminal sends escape as the byte ESC, and alt with a character as ESC followed by that character: the two are
told apart only by time. Textual reads ESC and a character within its `ESCDELAY` (0.1 s) as `alt+e`, and tmux merges
them itself within its `escape-time` (0.5 s unless set): an agent who closed a dialog with escape and pressed `e` at
once lost both keys. The desks bind no alt with a character (`alt+enter` is a named key's), so such a key, unless the
keymap gives it to a command, is escape and then the character.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from textual import events

from agent_desktop.ui.textual_compat import character_key

ESC = "\x1b"


def keymap_keys(keymap: Mapping[str, str]) -> frozenset[str]:
    """Every key the keymap gives a command (`"desk.accept" = "y,alt+y"`)."""
    return frozenset(key.strip() for keys in keymap.values() for key in keys.split(","))


def escape_then_key(event: events.Key, bound: Collection[str]) -> tuple[events.Key, events.Key] | None:
    """`event` (`alt+` and a printable character, no command's key in `bound`) as escape and then that character's
    key; None for any other key."""
    character = event.character
    if not event.key.startswith("alt+") or event.key in bound or character is None or len(character) != 1:
        return None
    if not character.isprintable():
        return None
    key = character if character.isalnum() else character_key(character)
    return events.Key("escape", ESC), events.Key(key, character)
