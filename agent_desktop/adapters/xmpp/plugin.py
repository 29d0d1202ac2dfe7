"""An XMPP roster as a plug-in: the entry point (pyproject.toml, group `agent_desktop.presence`, kind "xmpp")
that builds the presence directory from the `[presence]` section (slixmpp is imported only when built)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from agent_desktop.adapters.xmpp.directory_file import load_directory_file
from agent_desktop.domain.plugins import DeskSettings

if TYPE_CHECKING:
    from agent_desktop.domain.protocols import PresenceDirectory


class XmppSection(Protocol):
    """`[presence]` with `kind = "xmpp"` (docs/backends.md)."""

    @property
    def jid(self) -> str: ...
    @property
    def password(self) -> str: ...
    @property
    def server_host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def tls(self) -> Literal["starttls", "direct", "none"]: ...
    @property
    def directory_file(self) -> Path | None: ...
    @property
    def timeout_s(self) -> float: ...


def presence(config: XmppSection, settings: DeskSettings) -> PresenceDirectory:
    """`presence.kind = "xmpp"`: a roster on an XMPP server."""
    from agent_desktop.adapters.xmpp.presence import XmppPresenceDirectory

    return XmppPresenceDirectory(
        config.jid,
        config.password,
        host=config.server_host,
        port=config.port,
        tls=config.tls,
        directory=load_directory_file(config.directory_file) if config.directory_file else {},
        timeout_s=config.timeout_s,
    )
