"""Copying the selected contact's details to the clipboard: Y (shift+y, "yank") opens a small picker of what there is to
copy (agent_desktop/agent_desk/callers/copy_choices.py), the palette offers each one by name ("Copy phone"). Textual's
`App.copy_to_clipboard` writes it to the terminal as OSC 52, which reaches the clipboard over SSH and through
tmux (`set -g set-clipboard on`)."""

from __future__ import annotations

from typing import Any

from textual.app import App

from agent_desktop.agent_desk.callers.copy_choices import CopyChoice, copy_choices
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.formats.text import one_line
from agent_desktop.ui import agent as agent_ui
from agent_desktop.ui.plain_text import plain, toast


def copy_from_desk(app: App[Any], desk: Desk, what: str = "") -> None:
    """Copy `what` (a key of COPY_WHAT) of the selected contact; without `what`, ask which."""
    choices = copy_choices(desk)
    if not what:
        if not choices:
            toast(app, plain("Nothing to copy: select a contact"), title="Copy", timeout=4)
            return

        app.push_screen(agent_ui.CopyPicker(choices), lambda chosen: _copy(app, chosen))
        return
    _copy(app, next((choice for choice in choices if choice.what == what), None))


def _copy(app: App[Any], choice: CopyChoice | None) -> None:
    if choice is None:
        return
    app.copy_to_clipboard(choice.text)
    toast(app, plain(f"{choice.label}: {one_line(choice.text, 60)}"), title="Copied to the clipboard", timeout=3)
