"""How a binding's key is shown once the app's keymap (`[keymap]`) is applied: the footer's words, for the palette,
the help and the lines that name a key ("sending in 3 s — ^z undo")."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding


def key_shown(app: App[Any], binding_id: str, key: str, key_display: str | None = None) -> str:
    """How the footer shows the key of `binding_id` once the app's keymap is applied (Textual drops the
    default's `key_display` for a remapped key, and so does this)."""
    keymap: dict[str, str] = getattr(app, "keymap", {})
    remapped = keymap.get(binding_id)
    keys = remapped.split(",") if remapped else [key]
    return " ".join(app.get_key_display(Binding(k, "", key_display=None if remapped else key_display)) for k in keys)


def key_named(app: App[Any], binding_id: str, key: str) -> str:
    """The key of `binding_id` once the app's keymap is applied, by the name a script presses it with
    (`shift+pageup`, as `agent-desktop remote press` takes it), not as the footer shows it."""
    keymap: dict[str, str] = getattr(app, "keymap", {})
    return keymap.get(binding_id) or key
