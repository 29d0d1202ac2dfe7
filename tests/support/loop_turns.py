"""A redraw pacer's owner without Textual: its next turn is the event loop's next (in the app, the screen's message
queue), so a test drives the desk, its change feed and the one pacer (agent_desktop/ui/shared/redraw_pacer.py) as the
screen does, without a screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class LoopTurns:
    def call_later(self, callback: Callable[[], None]) -> bool:
        asyncio.get_running_loop().call_soon(callback)
        return True
