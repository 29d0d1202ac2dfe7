"""A key decided in its own turn: a key bound on the screen in front runs its binding as the app reads it, before
the next key is read, unless the widget with the focus reads that key itself (a letter in a text box).

Textual hands a key to the focused widget and runs a (non-priority) binding only once the key has bubbled back up
to the app, by which time the app has handed the keys behind it to the same widget: `tab` then `23:50` typed at
once put the time into the field the tab was leaving, and a `ctrl+s` that moved the focus came too late for the
`n` behind it. Run as the key is read, the binding has moved the focus (or opened its dialog) before the next key
looks for where to go."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from agent_desktop.ui.textual_compat import SelectOverlay, check_bindings, close_select_list, select_list_of


class PickingSelect(Select[str]):
    """A Select told (`then`, by its owner) where the cursor goes once an option is picked from its open list
    (`enter`, in the key's turn): the wrap-up's disposition sends it into the notes, as a pick in its disposition
    picker does, so the way on is the same whichever key opened the list. Textual leaves it on the Select."""

    then: Callable[[], object] | None = None

    def picked(self) -> None:
        """An option was picked from the list (the cursor is on the Select): on to where `then` puts it."""
        if self.then is not None:
            self.then()


def takes_typing(widget: Widget | None) -> bool:
    """The widget reads letters itself: a text box, or a select's open list (type-to-search)."""
    return isinstance(widget, Input | TextArea | SelectOverlay)


# Keys a text box reads itself besides the printable ones (its own bindings): they edit or move within its text.
EDITING_KEYS = frozenset({"backspace", "delete", "left", "right", "up", "down", "home", "end"})


def typed_into(screen: Screen[Any], event: events.Key | events.Paste) -> Widget | None:
    """The widget with the focus if it reads `event` as typing: a letter for a text box or an open select list's
    search, an edit of a text box's own (backspace, the arrows: `reads_itself`), a paste into a text box. Handed to
    it, the key waits in its queue behind those typed before it and moves no cursor, so the next key typed into the
    same widget needs no wait (key_turns.py). None for any other key."""
    focused = screen.focused
    if isinstance(event, events.Key) and event.is_printable:
        return focused if takes_typing(focused) else None
    if not isinstance(focused, Input | TextArea):
        return None
    if isinstance(event, events.Paste) or (event.key in EDITING_KEYS and own_binding(focused, event.key)):
        return focused
    return None


def edit_in_order(widget: Widget, event: events.Key | events.Paste) -> bool:
    """A text box's own editing key (backspace, delete, the arrows: `typed_into` it) run by the box in its queue,
    behind the letters typed before it and before those typed after it; False for any other key. Textual runs such a
    key's binding only once the key has bubbled from the box up to the app, turns after the letters behind it were
    typed: `Hix⌫ there.` in one read gave "Hix there" (the backspace took the '.'), and `refnd ← ← u` "refndu"."""
    if not isinstance(event, events.Key) or event.is_printable or typed_into(widget.screen, event) is not widget:
        return False
    action = own_binding(widget, event.key, below=ScrollView)
    if action is None:
        return False  # (a scroll its container would skip, so the key goes on to the screen: Textual's way)
    widget.call_later(widget.run_action, action)
    return True


def own_binding(widget: Widget, key: str, *, below: type | None = None) -> str | None:
    """The action `widget` binds `key` to itself (its class's BINDINGS and its bases', those `below` a class only), if
    it does."""
    for cls in type(widget).__mro__:
        if cls is below:
            break
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            if binding.key == key:
                return binding.action
    return None


def reads_itself(screen: Screen[Any], event: events.Key) -> bool:
    """The key is read by the focused widget's (or the screen's) own key handler before any binding: text typed
    into a box, a list's type-to-search, what a screen says it reads now (`reads_key`). A text box's own keys
    (enter submits, backspace, the arrows) too: Textual hands them over behind the letters already on their way to
    it, where run now they came first (`refund` then enter searched for nothing)."""
    focused = screen.focused
    if takes_typing(focused) and event.is_printable:
        return True
    if isinstance(focused, Input | TextArea) and own_binding(focused, event.key):  # (a select's list: in turn)
        return True
    if isinstance(focused, TextArea) and (  # a text area reads enter too, and tab where it indents
        event.key == "enter" or (focused.tab_behavior == "indent" and event.key in ("tab", "escape"))
    ):
        return True
    reads = getattr(screen, "reads_key", None)
    return bool(reads(event)) if callable(reads) else False


async def bind_now(app: App[Any], event: events.Key) -> bool:
    """Run the binding of a key from the terminal now, as Textual would once it bubbled up (priority bindings
    first); False if none applies or the focused widget reads the key itself (Textual then goes its own way).
    A Select's list is opened, answered and closed in the key's turn too, the focus with it."""
    screen = app.screen
    if isinstance(screen.focused, SelectOverlay) and event.key in ("enter", "escape"):
        select = screen.focused.parent
        if close_select_list(screen.focused, choose=event.key == "enter") and isinstance(select, PickingSelect):
            select.picked()
        return True
    if reads_itself(screen, event):
        return False
    ran = await check_bindings(app, event.key, priority=True) or await check_bindings(app, event.key)
    focused = app.screen.focused
    if ran and isinstance(focused, Select) and focused.expanded:  # (Textual focuses its list later)
        app.screen.set_focus(select_list_of(focused), scroll_visible=False)
    return ran


class KeyTurnScreen(Screen[Any]):
    """A screen on which a Select's list, answered and closed in its key's turn (`bind_now`), is not focused again
    by Textual's own focus of it, which comes later (deferred behind the keys already read): a closed list takes no
    focus, so the keys after it are not typed into a list nobody sees."""

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        select = widget.parent if isinstance(widget, SelectOverlay) else None
        if isinstance(select, Select) and not select.expanded:
            return
        super().set_focus(widget, scroll_visible, from_app_focus)
