"""Building the backends the configuration names: the one place that picks implementations (outside
`desktop.backends`, so the backends never import the configuration)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.backends.ccaas_http import HttpContactCenter
from desktop.backends.crm_http import HttpCrm
from desktop.backends.pci_masked import PciMaskedPresence
from desktop.backends.presence_http import HttpPresenceDirectory
from desktop.backends.container import Backends
from desktop.backends.protocols import Crm, PresenceDirectory
from desktop.config import Settings, XmppPresenceConfig, ZendeskCrmConfig
from desktop.conversations.quick_responses import DEFAULT_PATH as DEFAULT_QUICK_RESPONSES
from desktop.conversations.quick_responses import load_quick_responses
from desktop.outbox.store import Outbox, default_outbox_path
from desktop.presence_directory_file import load_directory_file

if TYPE_CHECKING:
    from desktop.backends.supervisor_protocol import SupervisorConsole


def build_supervisor(settings: Settings) -> SupervisorConsole:
    """The supervisor's console on the configured contact center, with the supervisor token."""
    # only supervisors pay for it
    from desktop.backends.supervisor_http import HttpSupervisorConsole

    return HttpSupervisorConsole(
        str(settings.ccaas.base_url),
        settings.supervisor.token,
        timeout_s=settings.ccaas.timeout_s,
        heartbeat_timeout_s=settings.heartbeat_timeout_s,
    )


def build_presence(settings: Settings) -> PresenceDirectory:
    config = settings.presence
    if isinstance(config, XmppPresenceConfig):
        # slixmpp: only when configured
        from desktop.backends.presence_xmpp import XmppPresenceDirectory

        return XmppPresenceDirectory(
            config.jid,
            config.password,
            host=config.server_host,
            port=config.port,
            tls=config.tls,
            directory=load_directory_file(config.directory_file) if config.directory_file else {},
            timeout_s=config.timeout_s,
        )
    return HttpPresenceDirectory(
        str(config.base_url),
        config.token,
        timeout_s=config.timeout_s,
        heartbeat_timeout_s=settings.heartbeat_timeout_s,
    )


def build_contact_center(settings: Settings) -> HttpContactCenter:
    return HttpContactCenter(
        str(settings.ccaas.base_url),
        settings.ccaas.token,
        settings.agent_id,
        timeout_s=settings.ccaas.timeout_s,
        heartbeat_timeout_s=settings.heartbeat_timeout_s,
    )


def build_crm(settings: Settings) -> Crm:
    config = settings.crm
    if isinstance(config, ZendeskCrmConfig):
        from desktop.backends.crm_zendesk import ZendeskCrm

        return ZendeskCrm(
            str(config.base_url),
            config.email,
            config.api_token,
            timeout_s=config.timeout_s,
            write_timeout_s=config.write_timeout_s,
            rate_limit_wait_s=config.rate_limit_wait_s,
            phone_region=config.phone_region,
        )
    return HttpCrm(
        str(config.base_url),
        config.token,
        timeout_s=config.timeout_s,
        write_timeout_s=config.write_timeout_s,
    )


def build_backends(settings: Settings, *, supervisor: bool = False) -> Backends:
    # A new kind adds a branch here (or in build_presence) and a module beside the others.
    return Backends(
        contact_center=build_contact_center(settings),
        crm=build_crm(settings),
        # Messages to experts leave the desk here: masked whatever carries them.
        presence=PciMaskedPresence(build_presence(settings)),
        outbox=Outbox(settings.outbox_path or default_outbox_path()),
        supervisor=build_supervisor(settings) if supervisor else None,
        quick_responses=load_quick_responses(settings.quick_responses_path or DEFAULT_QUICK_RESPONSES),
    )
