"""Which of the desk's commands apply now (agent_desktop/agent_desk/commands.py `enabled`), worked out once for each version
of the desk and place of the focus: the footer, the palette and every binding's `check_action` ask it many times
a frame, and the screen tells the footer only when the answer changed."""

from __future__ import annotations

from agent_desktop.agent_desk.commands import Where, enabled
from agent_desktop.agent_desk.desk import Desk


class DeskKeys:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._keys: tuple[object, dict[str, bool]] | None = None  # (what they were computed for, enabled)

    def enabled(self, where: Where) -> dict[str, bool]:
        basis = (self.desk.version, where)
        if self._keys is None or self._keys[0] != basis:
            self._keys = (basis, enabled(self.desk, where))
        return self._keys[1]

    def changed(self, where: Where) -> bool:
        """Whether what applies differs from what was last worked out."""
        before = self._keys[1] if self._keys else None
        return self.enabled(where) != before
