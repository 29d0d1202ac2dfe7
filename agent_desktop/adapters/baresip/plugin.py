"""baresip as a plug-in: the entry point (pyproject.toml, group `agent_desktop.softphone`, kind "baresip") that
builds the softphone from its configuration section. The desk does not read a `[softphone]` section yet
(docs/voice.md: what comes next); the factory has the shape the other groups' have."""

from __future__ import annotations

from typing import Protocol

from agent_desktop.domain.plugins import DeskSettings
from agent_desktop.domain.softphone_protocol import Softphone


class SoftphoneSection(Protocol):
    """What a softphone's section says: where its `ctrl_tcp` listens (loopback only: it has no authentication)."""

    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def softphone(section: SoftphoneSection, settings: DeskSettings) -> Softphone:
    from agent_desktop.adapters.baresip.softphone import BaresipSoftphone

    if section.host not in LOOPBACK:
        raise ValueError(f"baresip's ctrl_tcp has no authentication: host must be loopback, not {section.host!r}")
    return BaresipSoftphone(section.host, section.port)
