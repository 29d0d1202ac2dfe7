"""The Textual application: built from injected backends, it knows nothing of their transport."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from textual.app import App

from desktop.backends.factory import Backends
from desktop.ui.screens.agent_screen import AgentScreen


def utc_now() -> datetime:
    return datetime.now(UTC)


class AgentDesktopApp(App[None]):
    """An agent desktop for one agent. Tests and screenshots pass a fixed `clock`."""

    CSS_PATH = "app.tcss"
    TITLE = "Agent desktop"

    def __init__(self, backends: Backends, *, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__()
        self.backends = backends
        self.clock = clock

    def on_mount(self) -> None:
        self.push_screen(AgentScreen(self.backends, self.clock))

    async def on_unmount(self) -> None:
        await self.backends.aclose()
