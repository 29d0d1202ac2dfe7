"""`agent-desktop supervisor`: the supervisor's desk, opened once the contact center has accepted the token."""

from __future__ import annotations

import argparse
import asyncio
import sys

from agent_desktop.app.backend_factory import build_supervisor
from agent_desktop.app.commands import load, log_overrides
from agent_desktop.app.commands.desktop import open_desktop
from agent_desktop.app.config import ConfigError, Settings
from agent_desktop.domain.errors import BackendError


def supervisor(args: argparse.Namespace) -> int:
    try:
        settings = load(args.config, supervisor=True, **log_overrides(args))
        if args.token:
            settings = settings.model_copy(
                update={"supervisor": settings.supervisor.model_copy(update={"token": args.token})}
            )
        refusal = supervisor_refusal(settings)  # builds the console: a plug-in's bad section is a ConfigError
    except ConfigError as error:
        print(f"agent-desktop: config: {error}", file=sys.stderr)
        return 2
    if refusal is not None:
        print(f"agent-desktop: supervisor: {refusal}", file=sys.stderr)
        return 2
    return open_desktop(settings, desks=("supervisor",))


def supervisor_refusal(settings: Settings) -> str | None:
    """Why the contact center refuses this token supervisor mode (401/403), or None.

    An unreachable server is not a refusal: the screen opens and shows the link reconnecting.
    """

    async def check() -> str | None:
        console = build_supervisor(settings)
        try:
            await console.check_access()  # (part of the supervisor protocol)
        except BackendError as error:
            if error.status in (401, 403):
                return (
                    f"the contact center refused this token ({error.message}); supervisor.token must be a supervisor's"
                )
        finally:
            await console.aclose()
        return None

    return asyncio.run(check())
