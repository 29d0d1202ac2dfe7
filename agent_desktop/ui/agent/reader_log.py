"""Reader mode's review region on the agent's screen: what changed without the agent's doing, one plain line each
in the order it happened (agent_desktop/agent_desk/said_aloud.py), kept where a screen reader can read it back.
Textual's `RichLog`, handed `Text` (never markup), folding a long line at the region's width rather than cutting it:
a line a reader cannot reach the end of says half of what happened."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import RichLog

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.said_aloud import SaidAloud

KEPT_LINES = 200


class ReaderLog(RichLog):
    def __init__(self) -> None:
        super().__init__(max_lines=KEPT_LINES, wrap=True, markup=False, highlight=False, id="reader-log")
        self.border_title = "Said"
        self.said = SaidAloud()
        self.lines_said: list[str] = []  # as said, unfolded (what a test or a copy reads)

    def draw(self, desk: Desk, changes: DeskChanges) -> None:
        for line in self.said.lines(desk, changes):
            self.lines_said.append(line)
            self.write(Text(line), expand=True)  # folded at the region's width, not at a console's 80
        del self.lines_said[:-KEPT_LINES]
