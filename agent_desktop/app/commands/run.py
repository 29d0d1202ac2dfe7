"""`agent-desktop run`: the agent's desk, opened once each backend has accepted the configuration."""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from agent_desktop.app.backend_factory import build_contact_center, build_crm, build_presence
from agent_desktop.app.commands import Access, load, log_overrides
from agent_desktop.app.config import ConfigError, Settings, XmppPresenceConfig
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Agent

T = TypeVar("T")


def run(args: argparse.Namespace) -> int:
    overrides = ({"agent_id": args.agent_id} if args.agent_id else {}) | log_overrides(args)
    try:
        settings = load(args.config, **overrides)
        access_check = agent_access_check(settings)
    except ConfigError as error:
        print(f"agent-desktop: config: {error}", file=sys.stderr)
        return 2
    # The access check (a round trip to each backend) runs in a thread while the desk's modules are imported;
    # the desk opens only once it has passed, with the agent's state it read.
    access = in_thread(access_check)
    from agent_desktop.app.commands import desktop  # imported now, not at the top: while the access check runs

    return desktop.open_desktop(settings, access=access)


def in_thread(function: Callable[..., T], *args: object) -> Future[T]:
    """`function(*args)` started in a thread of its own; a future of its result (or of what it raised)."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits on the future
            future.set_exception(error)

    threading.Thread(target=run, name="access-check", daemon=True).start()
    return future


def agent_access_check(settings: Settings) -> Callable[[], Access]:
    """The access check of the agent's backends, to run: it returns an `Access`, why a backend refuses this
    configuration (a token, the agent id), naming the key, or None, with the agent if the contact center's check
    read them. The backends are built now, so a plug-in's bad section is a ConfigError here, before anything runs.

    A backend that cannot be reached (refused, timed out) is not a refusal: retrying can help, so the
    desktop opens and its status line says what failed and where while it reconnects.
    """
    backends = [("ccaas", "contact center", build_contact_center(settings)), ("crm", "CRM", build_crm(settings))]
    if not isinstance(settings.presence, XmppPresenceConfig):  # XMPP says a refused login in its status
        backends.append(("presence", "presence service", build_presence(settings)))

    read: list[Agent] = []

    async def check(key: str, what: str, backend: Any) -> str | None:
        check_access = getattr(backend, "check_access", None)  # a plug-in may have no such check
        try:
            if check_access is not None:
                answer = await check_access()
                if key == "ccaas" and isinstance(answer, Agent):
                    read.append(answer)
        except BackendError as error:
            where = f"the {what} at {getattr(backend, 'base_url', '?')}"
            if error.status == 401:
                return f"{key}.token: {where} refused the token (401)"
            if key == "ccaas" and error.status == 403:
                return f"agent_id: {where} refused this token for {settings.agent_id} ({error.message})"
            if key == "ccaas" and error.status == 404:
                return f"agent_id: {where} has no agent {settings.agent_id} (404)"
            if error.status == 403:
                return f"{key}.token: {where} refused the token ({error.message})"
        finally:
            await backend.aclose()
        return None

    async def check_all() -> Access:
        refusals = await asyncio.gather(*(check(*backend) for backend in backends))
        refusal = next((refusal for refusal in refusals if refusal is not None), None)
        return Access(refusal, read[0] if read and refusal is None else None)

    return lambda: asyncio.run(check_all())
