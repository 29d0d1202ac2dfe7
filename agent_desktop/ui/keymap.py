"""The user's keymap (`[keymap]` in the configuration): binding ids to keys, checked before the desk opens.

Every command of the desks' tables has a binding id (`desk.accept`, `supervisor.sort`, `app.help`: the ids are
the table's, agent_desktop/agent_desk/commands.py); the app hands the keymap to Textual (`App.set_keymap`), which moves
the bindings with those ids to the keys given, so the footer, the help and the palette show the new key.
A bad entry stops the desk with one line naming it (exit code 2, as any bad setting): an id no command has,
a key Textual would never deliver, or a key another command of the same screen already has.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character
from textual.screen import Screen

from agent_desktop.agent_desk.commands import COMMANDS
from agent_desktop.supervisor_desk.commands import SUPERVISOR_COMMANDS
from agent_desktop.ui.agent.offers.offer_over import OfferOver
from agent_desktop.ui.keys.command_bindings import (
    AGENT_DRILLDOWN_BINDINGS,
    APP_BINDINGS,
    QUEUE_DRILLDOWN_BINDINGS,
    desk_bindings,
    drilldown_keys,
    supervisor_bindings,
)
from agent_desktop.ui.textual_compat import normalize_keys

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Named keys Textual delivers: its `Keys` without modifiers, and the names it gives punctuation ("slash").
NAMED_KEYS = frozenset(
    name
    for name in (
        *(key.value.rpartition("+")[2] for key in Keys),
        *KEY_NAME_REPLACEMENTS.values(),
    )
    if not name.startswith("<")
)


@dataclass(frozen=True)
class KeymapEntry:
    id: str
    key: str  # the default key(s), as Textual writes them
    label: str
    screen: str  # where the command is: "agent", "supervisor", "every"


def _entries() -> dict[str, KeymapEntry]:
    entries: dict[str, KeymapEntry] = {}
    for binding in APP_BINDINGS:
        entries.setdefault(binding.id or "", KeymapEntry(binding.id or "", binding.key, binding.description, "every"))
    for command in COMMANDS:
        entries.setdefault(command.id, KeymapEntry(command.id, command.key, command.label, "agent"))
    for supervisor_command in SUPERVISOR_COMMANDS:
        entries.setdefault(
            supervisor_command.id,
            KeymapEntry(supervisor_command.id, supervisor_command.key, supervisor_command.label, "supervisor"),
        )
    for where, bindings in (
        ("agent drill-down", AGENT_DRILLDOWN_BINDINGS),
        ("queue drill-down", QUEUE_DRILLDOWN_BINDINGS),
    ):
        for binding in bindings:
            entries.setdefault(binding.id or "", KeymapEntry(binding.id or "", binding.key, binding.description, where))
    return entries


KEYMAP_IDS: dict[str, KeymapEntry] = _entries()


def _bad_key(key: str) -> str | None:
    """Why Textual would never deliver `key` (one key of a comma-separated list), or None."""
    if not key:
        return "an empty key"
    if (
        not key.isprintable()
    ):  # ESC, CSI (U+009B), bidi overrides: raw in the footer and the help, they drive the terminal
        return f"{key!r} holds a control character (keys are written by name: escape, ctrl+a)"
    if any(ch.isspace() for ch in key) and key != " ":
        return f"{key!r} has a space in it (keys are written as ctrl+a, f6, question_mark)"
    *modifiers, base = key.split("+") if key not in ("+",) else ["+"]
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown or not base:
        return f"{key!r} is not a key (modifiers are {', '.join(sorted(MODIFIERS))}, then one key: ctrl+a)"
    if len(base) == 1 or base in NAMED_KEYS or key_to_character(base) is not None:
        return None
    close = difflib.get_close_matches(base.lower(), sorted(NAMED_KEYS), n=1)
    hint = f" (did you mean {close[0]}?)" if close else " (a character, or a name such as f6, pageup, question_mark)"
    return f"{key!r} is not a key{hint}"


def _textual_bindings(cls: type) -> list[Binding]:
    """The bindings Textual itself gives every `cls` (its own classes' BINDINGS: tab, ctrl+q, ctrl+c)."""
    found: list[Binding] = []
    for klass in cls.__mro__:
        if klass.__module__.startswith("textual."):
            found += Binding.make_bindings(klass.__dict__.get("BINDINGS", []))
    return found


def _screens() -> dict[str, list[Binding]]:
    """Each screen a keymap entry acts on, with every binding active there by default (the keys a focused
    widget takes are not known here: its own keys act first, as they always did)."""
    everywhere = [
        *APP_BINDINGS,
        *_textual_bindings(App),
        Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "Palette"),
    ]
    screen = _textual_bindings(Screen)
    return {
        "the agent screen": [*desk_bindings(), *screen, *everywhere],
        "the supervisor screen": [*supervisor_bindings(), *screen, *everywhere],
        "the offer over what is open": [*Binding.make_bindings(OfferOver.BINDINGS), *screen, *everywhere],
        "an agent's drill-down": [*drilldown_keys(AGENT_DRILLDOWN_BINDINGS), *screen, *everywhere],
        "a queue's drill-down": [*drilldown_keys(QUEUE_DRILLDOWN_BINDINGS), *screen, *everywhere],
    }


def _owner(binding: Binding) -> str:
    return binding.id or f"Textual's {binding.description or binding.action}"


def _clash(keymap: Mapping[str, str]) -> str | None:
    """The first key two commands of one screen would share once `keymap` is applied, as one line."""
    for where, bindings in _screens().items():
        owners: dict[str, list[str]] = {}
        for binding in bindings:
            keys = (
                keymap[binding.id] if binding.id is not None and binding.id in keymap else normalize_keys(binding.key)
            )
            for key in keys.split(","):
                owners.setdefault(key, [])
                if _owner(binding) not in owners[key]:
                    owners[key].append(_owner(binding))
        for key, on_key in owners.items():
            moved = [owner for owner in on_key if owner in keymap]
            if len(on_key) > 1 and moved:  # Textual's own ctrl+c (copy, or quit's hint) is not the user's doing
                other = next(owner for owner in on_key if owner != moved[0])
                return f"keymap.{moved[0]}: {key} is already the key of {other} on {where}"
    return None


def keymap_problem(keymap: Mapping[str, str]) -> str | None:
    """What is wrong with the first bad entry of `keymap`, in one line naming it; None if it can be used."""
    if not keymap:
        return None  # (nothing to check: start-up does not import the screens' bindings for it)
    for entry_id, keys in keymap.items():
        if entry_id not in KEYMAP_IDS:
            close = difflib.get_close_matches(entry_id, KEYMAP_IDS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else " (README.md lists them)"
            return f"keymap.{entry_id}: no command has this id{hint}"
        if not isinstance(keys, str):
            return f'keymap.{entry_id}: the keys must be a string, such as "ctrl+a" or "y,ctrl+y"'
        for key in keys.split(","):
            why = _bad_key(key.strip())
            if why is not None:
                return f"keymap.{entry_id}: {why}"
    return _clash(normalized(keymap))


def normalized(keymap: Mapping[str, str]) -> dict[str, str]:
    """The keymap as Textual stores it: long key names ("question_mark"), no spaces around commas."""
    return {entry_id: normalize_keys(keys) for entry_id, keys in keymap.items()}


def ids_table(entries: Iterable[KeymapEntry] | None = None) -> list[tuple[str, str, str, str]]:
    """(id, default key, label, screen) for each remappable command (docs, tests)."""
    return [(e.id, e.key, e.label, e.screen) for e in (entries or KEYMAP_IDS.values())]
