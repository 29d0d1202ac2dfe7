"""What the help screen lists, and what a key pressed in vain says: every key the screen in front answers,
whether it applies now and, if not, why not.

The keys are the bindings Textual itself tries, in its order: the focused widget's and its containers', the
screen's, then the app's (`modal_binding_chain`, which also leaves out the keys a focused text box
types). Whether one applies is the binding's `check_action`; why not is the screen's `why_not(action)`: the
agent screen reads it from the desk's command table, so the help, the footer and the palette cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import actions
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from agent_desktop.ui.textual_compat import modal_binding_chain

NOT_NOW = "not here now"


@dataclass(frozen=True)
class HelpRow:
    keys: str  # as the footer shows them, several keys for one command joined: "] ^pgdn"
    label: str
    description: str
    applies: bool
    why_not: str = ""  # when it does not apply: "only when a contact is offered"


@dataclass(frozen=True)
class HelpSection:
    title: str
    rows: tuple[HelpRow, ...]


def _target(app: App[Any], namespace: DOMNode, action: str) -> tuple[DOMNode, str, tuple[object, ...]]:
    destination, name, parameters = actions.parse(action)
    targets = {"app": app, "screen": app.screen, "focused": app.focused}
    target = targets.get(destination) if destination else namespace
    return target or namespace, name, parameters


def _state(app: App[Any], namespace: DOMNode, binding: Binding) -> tuple[bool, str]:
    """Whether the binding applies now, and if not, why not (in words a user reads)."""
    target, name, parameters = _target(app, namespace, binding.action)
    if target.check_action(name, parameters):
        return True, ""
    why = getattr(target, "why_not", None)
    reason = why(name) if callable(why) else None
    return False, reason or NOT_NOW


def _section_title(namespace: DOMNode, screen: Screen[Any]) -> str:
    if isinstance(namespace, App):
        return "Everywhere"
    if namespace is screen:
        return "This screen"
    title = getattr(namespace, "border_title", None)
    name = getattr(title, "plain", title) or namespace.id or type(namespace).__name__
    return f"{name} (where the cursor is)"


def help_sections(screen: Screen[Any]) -> list[HelpSection]:
    """Every key of `screen` now: the screen's own commands first, then the focused widget's (its cursor keys),
    then the app's."""
    app = screen.app
    sections: list[tuple[int, HelpSection]] = []
    for namespace, bindings in modal_binding_chain(screen):
        # One row per action: its keys together ("]" and ctrl+pagedown both switch contacts).
        by_action: dict[str, list[Binding]] = {}
        for _, binding in bindings:
            if not binding.system:
                by_action.setdefault(binding.action, []).append(binding)
        rows: list[HelpRow] = []
        generic: list[HelpRow] = []
        shown_names: set[str] = set()  # actions with a row shown in the footer ("1-5" for the card's tabs)
        for action, same in by_action.items():
            name = actions.parse(action)[1]
            if name in shown_names and not any(b.show for b in same):
                continue  # card tabs 2-5: the shown "1-5" row already says them (up and down both get a row)
            if any(b.show for b in same):
                shown_names.add(name)
            first = same[0]
            keys = " ".join(dict.fromkeys(app.get_key_display(b) for b in same))
            applies, why_not = _state(app, namespace, first)
            row = HelpRow(keys, first.description or name.replace("_", " "), first.tooltip or "", applies, why_not)
            rows.append(row)
            if "." in action.split("(", 1)[0]:
                generic.append(row)
        # Textual's own keys every screen has (tab, copy: actions aimed at the app or screen) after the screen's.
        rows.sort(key=lambda row: row in generic)
        if rows:
            order = 0 if namespace is screen else 2 if isinstance(namespace, App) else 1
            sections.append((order, HelpSection(_section_title(namespace, screen), tuple(rows))))
    return [section for _, section in sorted(sections, key=lambda pair: pair[0])]


def vain_key_message(screen: Screen[Any], key: str, character: str | None) -> str:
    """What to say when `key` did nothing: the commands it would run and when, or that nothing uses it."""
    app = screen.app
    where = "Its keys are in the footer." if screen.is_modal else "? or F1 lists every key."
    waiting: list[str] = []
    for namespace, bindings in modal_binding_chain(screen):
        for binding in bindings.key_to_bindings.get(key, ()):
            applies, why_not = _state(app, namespace, binding)
            if not applies:
                waiting.append(f"{app.get_key_display(binding)} {binding.description}: {why_not}.")
    if waiting:
        return " ".join([*waiting, where])
    shown = character if character and character.isprintable() else key
    return f"{shown} does nothing {'in this dialog' if screen.is_modal else 'here'}. {where}"
