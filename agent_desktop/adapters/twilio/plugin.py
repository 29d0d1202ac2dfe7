"""Twilio as a plug-in: the entry points (pyproject.toml, groups `agent_desktop.contact_center` and
`.supervisor`, kind "twilio") that build TaskRouter's clients from the `[ccaas]` section's own keys
(`TwilioConfig`). The clients' modules are imported only when built."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from agent_desktop.domain.plugins import DeskSettings

if TYPE_CHECKING:
    from agent_desktop.adapters.twilio.contact_center import TwilioConfig
    from agent_desktop.domain.protocols import ContactCenter
    from agent_desktop.domain.supervisor.protocol import SupervisorConsole


class PluginSection(Protocol):
    """A section of a kind the desk does not know: its keys as written, for the plug-in to validate."""

    @property
    def model_extra(self) -> Mapping[str, Any] | None: ...


def _twilio_config(config: PluginSection) -> TwilioConfig:
    """The `[ccaas]` section as `TwilioConfig`: a bad key is one line naming it."""
    from agent_desktop.adapters.twilio.contact_center import TwilioConfig

    try:
        return TwilioConfig.model_validate(config.model_extra or {})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise ValueError(f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}") from None


def contact_center(config: PluginSection, settings: DeskSettings) -> ContactCenter:
    """`ccaas.kind = "twilio"`: Twilio TaskRouter, events through the Twilio event relay (docs/backends.md)."""
    from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter

    return TwilioContactCenter(_twilio_config(config), heartbeat_timeout_s=settings.heartbeat_timeout_s)


def supervisor(config: PluginSection, settings: DeskSettings) -> SupervisorConsole:
    """Supervisor mode on Twilio TaskRouter: its statistics endpoints, polled, with the same API key."""
    from agent_desktop.adapters.twilio.supervisor import TwilioSupervisorConsole

    return TwilioSupervisorConsole(_twilio_config(config))
