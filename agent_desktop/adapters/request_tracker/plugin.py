"""Request Tracker 5 as a plug-in: the entry point (pyproject.toml, group `agent_desktop.crm`, kind "rt") that builds
the CRM from the configuration's `[crm]` section. The client's module is imported only when built."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.domain.plugins import DeskSettings

if TYPE_CHECKING:
    from agent_desktop.domain.protocols import Crm


class RequestTrackerSection(Protocol):
    """`[crm]` with `kind = "rt"` (docs/backends.md)."""

    @property
    def base_url(self) -> object: ...
    @property
    def token(self) -> str: ...
    @property
    def queue(self) -> str: ...
    @property
    def knowledge_class(self) -> str: ...
    @property
    def timeout_s(self) -> float: ...
    @property
    def write_timeout_s(self) -> float: ...
    @property
    def phone_region(self) -> str: ...


def crm(config: RequestTrackerSection, settings: DeskSettings) -> Crm:
    """`crm.kind = "rt"`: Request Tracker 5 over REST 2.0 (docs/backends.md)."""
    from agent_desktop.adapters.request_tracker.crm import RequestTrackerCrm

    return RequestTrackerCrm(
        str(config.base_url),
        config.token,
        queue=config.queue,
        knowledge_class=config.knowledge_class,
        timeout_s=config.timeout_s,
        write_timeout_s=config.write_timeout_s,
        phone_region=config.phone_region,
    )
