"""A key decided in its own turn: a key bound on the screen in front runs its binding as the app reads it, before
the next key is read, unless the widget with the focus reads that key itself (a letter in a text box).

Textual hands a key to the focused widget and runs a (non-priority) binding only once the key has bubbled back up
to the app, by which time the app has handed the keys behind it to the same widget: `tab` then `23:50` typed at
once put the time into the field the tab was leaving, and a `ctrl+s` that moved the focus came too late for the
`n` behind it. Run as the key is read, the binding has moved the focus (or opened its dialog) before the next key
looks for where to go."""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from agent_desktop.ui.textual_compat import SelectOverlay, check_bindings


def takes_typing(widget: Widget | None) -> bool:
    """The widget reads letters itself: a text box, or a select's open list (type-to-search)."""
    return isinstance(widget, Input | TextArea | SelectOverlay)


def reads_itself(screen: Screen, event: events.Key) -> bool:
    """The key is read by the focused widget's (or the screen's) own key handler before any binding: text typed
    into a box, a list's type-to-search, what a screen says it reads now (`reads_key`)."""
    focused = screen.focused
    if takes_typing(focused) and event.is_printable:
        return True
    if isinstance(focused, TextArea):  # a text area reads enter too, and tab where it indents
        if event.key == "enter" or (focused.tab_behavior == "indent" and event.key in ("tab", "escape")):
            return True
    reads = getattr(screen, "reads_key", None)
    return bool(reads(event)) if callable(reads) else False


async def bind_now(app: App, event: events.Key) -> bool:
    """Run the binding of a key from the terminal now, as Textual would once it bubbled up (priority bindings
    first); False if none applies or the focused widget reads the key itself (Textual then goes its own way)."""
    if reads_itself(app.screen, event):
        return False
    return await check_bindings(app, event.key, priority=True) or await check_bindings(app, event.key)
