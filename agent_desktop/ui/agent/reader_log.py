"""Reader mode's review region on the agent's screen: what changed without the agent's doing, one plain line each
in the order it happened (agent_desktop/agent_desk/said_aloud.py), kept where a screen reader can read it back.
Textual's `Log` draws text as it is: no markup, no colour carrying meaning."""

from __future__ import annotations

from textual.widgets import Log

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.said_aloud import SaidAloud

KEPT_LINES = 200


class ReaderLog(Log):
    def __init__(self) -> None:
        super().__init__(max_lines=KEPT_LINES, id="reader-log", auto_scroll=True)
        self.border_title = "Said"
        self.said = SaidAloud()

    def draw(self, desk: Desk, changes: DeskChanges) -> None:
        lines = self.said.lines(desk, changes)
        if lines:
            self.write_lines(lines)
