"""ESC and a character in one read (alt and the character, to a terminal's reader) are the escape and the key the
agent pressed, unless the keymap gives that alt key to a command."""

from __future__ import annotations

from textual import events

from agent_desktop.ui.keys.escape_then_key import escape_then_key, keymap_keys


def keys(key: events.Key, bound: frozenset[str] = frozenset()) -> list[tuple[str, str | None]] | None:
    split = escape_then_key(key, bound)
    return None if split is None else [(k.key, k.character) for k in split]


def test_alt_and_a_character_is_escape_then_that_key() -> None:
    assert keys(events.Key("alt+e", "e")) == [("escape", "\x1b"), ("e", "e")]
    assert keys(events.Key("alt+shift+c", "C")) == [("escape", "\x1b"), ("C", "C")]
    assert keys(events.Key("alt+slash", "/")) == [("escape", "\x1b"), ("slash", "/")]
    assert keys(events.Key("alt+question_mark", "?")) == [("escape", "\x1b"), ("question_mark", "?")]


def test_other_keys_and_an_alt_key_of_the_keymap_are_left_alone() -> None:
    assert keys(events.Key("e", "e")) is None
    assert keys(events.Key("alt+enter", None)) is None
    assert keys(events.Key("alt+o", "o"), keymap_keys({"desk.outbox": "o, alt+o"})) is None
    assert keys(events.Key("escape", "\x1b")) is None
