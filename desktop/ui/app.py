"""The Textual application: built from injected backends, it knows nothing of their transport."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from desktop.backends.factory import Backends
from desktop.text import strip_controls
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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers what the footer shows: each enabled action of the screen, with its key."""
        yield from super().get_system_commands(screen)
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.show:
                continue
            if screen.check_action(binding.action, ()) is not True:
                continue
            key = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip}  (key: {key})" if binding.tooltip else f"key: {key}",
                partial(screen.run_action, binding.action),
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Toasts here carry backend text (errors, addresses), so they are always literal.

        `markup` is ignored: widgets' `notify` passes True by default, and no toast of
        this app needs markup.
        """
        super().notify(
            strip_controls(message), title=strip_controls(title), severity=severity, timeout=timeout, markup=False
        )

    def on_mount(self) -> None:
        self.push_screen(AgentScreen(self.backends, self.clock))

    async def on_unmount(self) -> None:
        await self.backends.aclose()
