"""What the remote control asks of the desk it drives: the screen implements this (agent_desktop/ui/remote/remote_desk.py),
so the server knows no terminal."""

from __future__ import annotations

from typing import Any, Protocol


class RemoteHands(Protocol):
    def state(self) -> dict[str, Any]:
        """The desk now (agent_desktop/remote/desk_view.py)."""
        ...

    def commands(self) -> list[dict[str, Any]]:
        """Every command of the desk's table: id, key, label, whether it applies now and, if not, when it would."""
        ...

    async def run(self, command: str) -> str | None:
        """Carry out `command` (an id of the keymap: "desk.accept") as its key would, in this turn; None when it was
        carried out, else why not, in the words the help screen uses."""
        ...

    async def press(self, keys: list[str]) -> str | None:
        """Hand `keys` (Textual's names: "a", "enter", "ctrl+s") to the desk as typed, in order; None, or why not."""
        ...
