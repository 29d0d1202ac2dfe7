"""The desk's app in a test, built as the command line builds it (agent_desktop/app/commands/desktop.py): the runtime over the
backends given (in-process mocks, recorded replays or HTTP clients of real servers), and the app that draws it.

`desk_app(backends, clock=..., desks=(...))` takes the runtime's options (`DeskOptions`: the clock, the desks, the
quit state, the outbox's backoff, the disk retry...) and the app's own (theme, keymap, notices, driver, status
clock) by name, so a test says what it changes and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, overload

from textual.driver import Driver

from agent_desktop.app.runtime import DeskOptions, DeskRuntime
from agent_desktop.domain.models import Agent
from agent_desktop.services import Backends
from agent_desktop.ui.app import AgentDesktopApp, ScreenOptions
from agent_desktop.ui.notices.desktop_notifier import NoticeSettings
from agent_desktop.ui.themes import DEFAULT_THEME

App = TypeVar("App", bound=AgentDesktopApp)


# The app's class: the desk's own, or a test's subclass of it (and the call then returns that class).
@overload
def desk_app(
    backends: Backends,
    *,
    app_class: type[App],
    agent: Agent | None = None,
    theme: str = DEFAULT_THEME,
    keymap: Mapping[str, str] | None = None,
    notifications: NoticeSettings | None = None,
    driver_class: type[Driver] | None = None,
    status_clock_s: float = 0.5,
    reader: bool = False,
    **options: Any,
) -> App: ...


@overload
def desk_app(
    backends: Backends,
    *,
    agent: Agent | None = None,
    theme: str = DEFAULT_THEME,
    keymap: Mapping[str, str] | None = None,
    notifications: NoticeSettings | None = None,
    driver_class: type[Driver] | None = None,
    status_clock_s: float = 0.5,
    reader: bool = False,
    **options: Any,
) -> AgentDesktopApp: ...


def desk_app(
    backends: Backends,
    *,
    app_class: type[AgentDesktopApp] = AgentDesktopApp,
    agent: Agent | None = None,
    theme: str = DEFAULT_THEME,
    keymap: Mapping[str, str] | None = None,
    notifications: NoticeSettings | None = None,
    driver_class: type[Driver] | None = None,
    status_clock_s: float = 0.5,
    reader: bool = False,
    **options: Any,
) -> AgentDesktopApp:
    """The app over a `DeskRuntime` of `backends`; `options` are `DeskOptions`' fields (`desks` as any sequence)."""
    if "desks" in options:
        options["desks"] = tuple(options["desks"])
    runtime = DeskRuntime(backends, DeskOptions(**options), agent=agent)
    looks = ScreenOptions(
        status_clock_s=status_clock_s,
        keymap=keymap or {},
        notifications=notifications or NoticeSettings(),
        theme=theme,
        reader=reader,
    )
    return app_class(runtime, looks, driver_class=driver_class)
