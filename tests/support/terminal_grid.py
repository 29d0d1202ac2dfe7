"""What a terminal shows of a Textual app, built only from what the app writes to it (whole frames and the partial
ones that repaint a few regions), as a headless Pilot run never builds it: `render_strips` composes the screen
afresh, so a change the app never sends is seen only here."""

from __future__ import annotations

import re
from typing import Any

from textual.app import App

from agent_desktop.ui.textual_compat import on_display

# An escape sequence (its parameters and command), another escape, or a run of text between them.
_PIECES = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\x1b[^\[]|([^\x1b]+)")


class TerminalGrid:
    """The cells of a terminal of the app's size, written by every frame the app sends from now on."""

    def __init__(self, app: App[Any]) -> None:
        width, height = app.size
        self.rows = [[" "] * width for _ in range(height)]
        self._x = self._y = 0
        on_display(app, self._write)

    def _write(self, sequence: str) -> None:
        for piece in _PIECES.finditer(sequence):
            params, command, text = piece.group(1), piece.group(2), piece.group(3)
            if command == "H":  # the cursor moved to a cell (1-based)
                row, _, column = (params or "1;1").partition(";")
                self._y, self._x = int(row or 1) - 1, int(column or 1) - 1
            elif text:
                self._put(text)

    def _put(self, text: str) -> None:
        for char in text:
            if char in "\r\n":
                self._x, self._y = 0, self._y + (char == "\n")
                continue
            if 0 <= self._y < len(self.rows) and 0 <= self._x < len(self.rows[0]):
                self.rows[self._y][self._x] = char
            self._x += 1

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.rows]
