"""The desk opened on its settings, as `run`, `supervisor` and `demo` open it: the backends, the desk's log, the
runtime over them and the app that draws it, run in the terminal."""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.cli import package_version
from agent_desktop.app.commands import Access, backend_line, log_file
from agent_desktop.app.config import ConfigError, Settings
from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.domain.formats.phone_format import set_region
from agent_desktop.local.desk_log import start_desk_log
from agent_desktop.outbox.store import OutboxUnavailable
from agent_desktop.ui.app import AgentDesktopApp, ScreenOptions
from agent_desktop.ui.notices.desktop_notifier import NoticeSettings
from agent_desktop.ui.terminal import terminal_loss
from agent_desktop.ui.themes import chosen_theme
from agent_desktop.writing_aids.quick_responses import QuickResponsesError

if TYPE_CHECKING:
    from concurrent.futures import Future


def open_desktop(settings: Settings, desks: tuple[str, ...] = ("agent",), access: Future[Access] | None = None) -> int:
    """The desk on `settings`; with `access` (a future of the access check), once that check has passed."""
    checked = access.result() if access is not None else None
    if checked is not None and checked.refusal is not None:
        print(f"agent-desktop: {checked.refusal}", file=sys.stderr)
        return 2
    try:
        backends = build_backends(settings, supervisor="supervisor" in desks)
    except ConfigError as error:
        print(f"agent-desktop: config: {error}", file=sys.stderr)
        return 2
    except OutboxUnavailable as error:
        print(f"agent-desktop: config: outbox_path: {error}", file=sys.stderr)
        return 2
    except QuickResponsesError as error:
        print(f"agent-desktop: config: quick_responses_path: {error}", file=sys.stderr)
        return 2
    log = log_file(settings)
    try:
        start_desk_log(log.parent, name=log.name, level=settings.log_level)
    except OSError as error:  # the log's folder or file: a link, someone else's, or not writable
        print(f"agent-desktop: config: log_file: {error}", file=sys.stderr)
        return 2
    set_region(settings.desk.phone_region)

    logging.getLogger("agent_desktop.app").info(
        "agent-desktop %s started (%s) for %s: contact center %s; CRM %s; presence %s",
        package_version(),
        " and ".join(desks),
        settings.agent_id,
        backend_line(settings.ccaas),
        backend_line(settings.crm),
        backend_line(settings.presence),
    )

    agent = checked.agent if checked is not None else None
    runtime = DeskRuntime.from_settings(settings, backends, desks=desks, agent=agent)  # type: ignore[arg-type]
    looks = ScreenOptions(
        status_clock_s=settings.status_clock_s,
        keymap=settings.keymap,
        notifications=NoticeSettings(**settings.notifications.model_dump()),
        theme=chosen_theme(settings.theme, os.environ),
        reader=settings.reader,
    )
    # A terminal that goes away ends the desk, SIGHUP or not.
    app = AgentDesktopApp(runtime, looks, driver_class=terminal_loss.driver_class())
    terminal_loss.install()  # and its writes that fail are dropped, not left to block the desk
    app.run(mouse=settings.mouse)
    return app.return_code or 0
