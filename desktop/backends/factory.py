"""Building the backends the configuration names: the one place that picks implementations."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.backends.ccaas_http import HttpContactCenter
from desktop.backends.crm_http import HttpCrm
from desktop.backends.presence_http import HttpPresenceDirectory
from desktop.backends.protocols import ContactCenter, Crm, PresenceDirectory
from desktop.backends.supervisor_http import HttpSupervisorConsole
from desktop.backends.supervisor_protocol import SupervisorConsole
from desktop.config import Settings


@dataclass
class Backends:
    """What the app is given: one object per backend kind, seen only through its protocol."""

    contact_center: ContactCenter
    crm: Crm
    presence: PresenceDirectory
    # Supervisor mode (`agent-desktop supervisor`, or the demo): None for an agent's desktop.
    supervisor: SupervisorConsole | None = None

    async def aclose(self) -> None:
        for backend in (self.contact_center, self.crm, self.presence, self.supervisor):
            if backend is not None:
                await backend.aclose()


def build_supervisor(settings: Settings) -> SupervisorConsole:
    """The supervisor's console on the configured contact center, with the supervisor token."""
    return HttpSupervisorConsole(
        str(settings.ccaas.base_url),
        settings.supervisor.token,
        timeout_s=settings.ccaas.timeout_s,
        heartbeat_timeout_s=settings.heartbeat_timeout_s,
    )


def build_backends(settings: Settings, *, supervisor: bool = False) -> Backends:
    # Only "http" exists today; a new kind adds a branch here and a module beside the others.
    return Backends(
        contact_center=HttpContactCenter(
            str(settings.ccaas.base_url),
            settings.ccaas.token,
            settings.agent_id,
            timeout_s=settings.ccaas.timeout_s,
            heartbeat_timeout_s=settings.heartbeat_timeout_s,
        ),
        crm=HttpCrm(str(settings.crm.base_url), settings.crm.token, timeout_s=settings.crm.timeout_s),
        presence=HttpPresenceDirectory(
            str(settings.presence.base_url),
            settings.presence.token,
            timeout_s=settings.presence.timeout_s,
            heartbeat_timeout_s=settings.heartbeat_timeout_s,
        ),
        supervisor=build_supervisor(settings) if supervisor else None,
    )
