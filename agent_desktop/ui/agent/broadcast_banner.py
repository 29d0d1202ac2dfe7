"""The supervisors' broadcasts on the agent's desk: a line each, above the offer, until it expires;
hidden when there is none. Redrawn only when the broadcasts shown change (one came, one expired)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.widgets import Static

from agent_desktop.domain.models import Broadcast
from agent_desktop.ui.plain_text import plain


def banner_text(broadcasts: list[Broadcast], now: datetime) -> str:
    lines = []
    for b in broadcasts:
        minutes = max(1, round((b.expires_at - now).total_seconds() / 60))
        lines.append(f"📣 {b.supervisor_name}: {b.text}  ({minutes} min)")
    return "\n".join(lines)


class BroadcastBanner(Static):
    def __init__(self, shown: Callable[[datetime], list[Broadcast]], **kwargs: object) -> None:
        """`shown`: the broadcasts not yet expired at a time (the desk's)."""
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._shown = shown
        self._drawn = ""
        self.display = False

    def tick(self, now: datetime) -> None:
        text = banner_text(self._shown(now), now)
        if text != self._drawn:
            self._drawn = text
            self.update(plain(text))
            self.display = bool(text)
