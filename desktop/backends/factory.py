"""Building the backends the configuration names: the one place that picks implementations."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.backends.ccaas_http import HttpContactCenter
from desktop.backends.crm_http import HttpCrm
from desktop.backends.presence_http import HttpPresenceDirectory
from desktop.backends.protocols import ContactCenter, Crm, PresenceDirectory
from desktop.config import Settings
from desktop.outbox.store import Outbox, default_outbox_path


@dataclass
class Backends:
    """What the app is given: one object per backend kind, seen only through its protocol."""

    contact_center: ContactCenter
    crm: Crm
    presence: PresenceDirectory
    # CRM writes wait here (a local SQLite file) until the CRM has them.
    outbox: Outbox = field(default_factory=lambda: Outbox(default_outbox_path()))

    async def aclose(self) -> None:
        for backend in (self.contact_center, self.crm, self.presence):
            await backend.aclose()
        self.outbox.close()


def build_backends(settings: Settings) -> Backends:
    # Only "http" exists today; a new kind adds a branch here and a module beside the others.
    return Backends(
        contact_center=HttpContactCenter(
            str(settings.ccaas.base_url),
            settings.ccaas.token,
            settings.agent_id,
            timeout_s=settings.ccaas.timeout_s,
            heartbeat_timeout_s=settings.heartbeat_timeout_s,
        ),
        crm=HttpCrm(
            str(settings.crm.base_url),
            settings.crm.token,
            timeout_s=settings.crm.timeout_s,
            write_timeout_s=settings.crm.write_timeout_s,
        ),
        presence=HttpPresenceDirectory(
            str(settings.presence.base_url),
            settings.presence.token,
            timeout_s=settings.presence.timeout_s,
            heartbeat_timeout_s=settings.heartbeat_timeout_s,
        ),
        outbox=Outbox(settings.outbox_path or default_outbox_path()),
    )
