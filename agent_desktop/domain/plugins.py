"""What a backend plug-in's factory is handed besides its own section: the desk's settings it may read. An
entry point of a protocol's group (`agent_desktop.contact_center`, `.crm`, `.presence`, `.supervisor`) is a
factory `(section, settings) -> backend`; the bundled adapters' are in each adapter's `plugin.py`."""

from __future__ import annotations

from typing import Protocol


class SupervisorSettings(Protocol):
    @property
    def token(self) -> str: ...  # a supervisor's token for the contact center


class DeskSettings(Protocol):
    """The configuration as a plug-in reads it (agent_desktop/app/config.py's `Settings`)."""

    @property
    def agent_id(self) -> str: ...
    @property
    def heartbeat_timeout_s(self) -> float: ...  # a stream silent this long counts as lost
    @property
    def supervisor(self) -> SupervisorSettings: ...
