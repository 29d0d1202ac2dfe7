"""The app's remote control (docs/remote.md): started after the first frame when the runtime names a socket, told
of every change of the agent's desk and every notice, stopped with the app. The server and the desk's hands are
imported when it starts, so a desk that is never scripted pays nothing at start-up."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from agent_desktop.local.paths import LocalPathError
from agent_desktop.local.places import remote_socket_file

if TYPE_CHECKING:
    from agent_desktop.remote.server import RemoteServer

log = logging.getLogger(__name__)


class RemoteControl:
    def __init__(self, path: Path | None) -> None:
        """`path`: the socket (None: no remote control). Its folder is the desk's own when it is the default one's
        (tightened to 0700 if wider); a folder the configuration named is the user's: refused if others can enter it,
        never chmod-ed (a socket named in /tmp must not close /tmp to every user)."""
        self.path = path
        self._own_folder = path is not None and path.parent == remote_socket_file().parent
        self.server: RemoteServer | None = None

    async def start(self, app: App[Any]) -> None:
        if self.path is None or not app.is_screen_installed("agent"):
            return
        from agent_desktop.remote.server import RemoteServer, SocketTaken
        from agent_desktop.ui.remote.remote_desk import AgentRemoteDesk

        server = RemoteServer(AgentRemoteDesk(app), self.path, own_folder=self._own_folder)
        try:
            await server.start()
        except SocketTaken as taken:  # another desk of this user's (a second window): scripts drive that one
            log.info("remote control: not started: %s", taken)
            return
        except (LocalPathError, OSError) as error:  # a place others could reach, or none at all: said
            log.warning("remote control: not started: %s", error)
            app.notify(str(error), title="No remote control", severity="warning", timeout=10)
            return
        if not app.is_running:  # the desk closed while the socket was made (a browser tab closed as the desk started)
            await server.aclose()
            return
        self.server = server
        # What is in front is part of the state a script reads: a dialog opened or closed is an event too.
        app.screen_change_signal.subscribe(app, lambda _: self.changed())

    def changed(self) -> None:
        if self.server is not None:
            self.server.changed()

    def said(self, title: str, text: str, severity: str) -> None:
        if self.server is not None:
            self.server.said(title, text, severity)

    async def aclose(self) -> None:
        if self.server is not None:
            await self.server.aclose()
            self.server = None
