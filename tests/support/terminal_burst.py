"""Keys as a terminal delivers them in one read: the bytes a fast typist's burst or a paste sends, parsed by
Textual's own input parser (the Linux driver's `XTermParser`) and posted to the app as the driver posts each event it
parsed (`Driver.process_message`: the app as sender, then `App.post_message`), all of them before the app has read the
first. Pilot's `press` waits for the app to be idle after every key, so its "burst" is keys at a person's pace and
never shows what a terminal's read does (tests/e2e/attention/test_wrap_up_burst_in_tmux.py sees the same in tmux).

Each event keeps the time the parser made it (`Message.time`), as the driver's do: the desk judges runs of typing by
it (agent_desktop/agent_desk/attention.py)."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App

from agent_desktop.ui.textual_compat import XTermParser

# What a terminal (xterm, tmux) sends for the keys a test names; any other one-character key is itself.
KEY_BYTES = {
    "enter": "\r",
    "tab": "\t",
    "escape": "\x1b",
    "backspace": "\x7f",
    "space": " ",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "question_mark": "?",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
}


def key_bytes(key: str) -> str:
    """The bytes of one key by name: "enter", "down", "ctrl+o" (a control character), "e"."""
    if key in KEY_BYTES:
        return KEY_BYTES[key]
    if key.startswith("ctrl+") and len(key) == len("ctrl+x"):
        return chr(ord(key[-1].lower()) - ord("a") + 1)
    if len(key) == 1:
        return key
    raise ValueError(f"no terminal bytes for the key {key!r}")


def terminal_bytes(*keys: str, text: str = "") -> str:
    """The bytes of `keys` (by name), then `text` typed as it is."""
    return "".join(key_bytes(key) for key in keys) + text


def parsed(data: str) -> list[events.Key]:
    """The keys Textual's parser reads in `data`, as one read of the terminal: an escape at its end is a key of its
    own (the driver's parser says so once its short timeout passes), as it is at the end of a read."""
    parser = XTermParser()
    found = [*parser.feed(data), *parser.feed("")]
    return [event for event in found if isinstance(event, events.Key)]


def send_read(app: App[Any], data: str) -> list[events.Key]:
    """`data` as one read of the terminal: every key in it posted to `app` at once, as the driver posts them, before
    the app handles the first. The keys posted, in order."""
    keys = parsed(data)
    for key in keys:
        key.set_sender(app)
        app.post_message(key)
    return keys
