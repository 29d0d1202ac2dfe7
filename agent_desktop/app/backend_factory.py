"""Building the backends the configuration names: the one place that picks implementations (outside
`agent_desktop.domain`, so the backends never import the configuration).

Each backend kind is an entry point, one group per protocol (as harlequin finds its adapters): the
configuration's `kind` names one, and a package installed beside the desktop adds a kind by declaring its
own entry point, without a line changed here. An entry point is a factory `(config, settings) -> backend`:
`config` is the backend's section (a plug-in's own keys in `config.model_extra`), `settings` the whole
configuration (agent id, heartbeat timeout). The bundled kinds are registered the same way, in pyproject.toml.
"""

from __future__ import annotations

import functools
import sys
from importlib.metadata import EntryPoint, EntryPoints, entry_points
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from agent_desktop.adapters.xmpp.directory_file import load_directory_file
from agent_desktop.app.config import (
    BackendConfig,
    CcaasCapabilitiesConfig,
    ConfigError,
    HttpCcaasConfig,
    PluginBackendConfig,
    Settings,
    XmppPresenceConfig,
    ZendeskCrmConfig,
)
from agent_desktop.domain.capabilities import ALL_TARGETS, ChannelCapabilities, ContactCenterCapabilities
from agent_desktop.domain.models import Channel, TargetKind
from agent_desktop.domain.pci_masked import PciMaskedPresence
from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
from agent_desktop.outbox.store import Outbox, default_outbox_path
from agent_desktop.services import Backends
from agent_desktop.writing_aids.quick_responses import DEFAULT_PATH as DEFAULT_QUICK_RESPONSES
from agent_desktop.writing_aids.quick_responses import load_quick_responses

if TYPE_CHECKING:
    from agent_desktop.domain.supervisor_protocol import SupervisorConsole

CONTACT_CENTER_GROUP = "agent_desktop.contact_center"
CRM_GROUP = "agent_desktop.crm"
PRESENCE_GROUP = "agent_desktop.presence"
SUPERVISOR_GROUP = "agent_desktop.supervisor"  # keyed by the contact center's kind: its supervisor console


def _entry_points(group: str) -> EntryPoints:
    """The group's entry points. Every installed package's metadata is read once per import path, for all the
    groups at once: each read costs 10-15 ms (some 200 packages here), and start-up asks for three groups, each
    twice (checking the kinds, then building)."""
    return _entry_points_on(tuple(sys.path)).select(group=group)


if sys.version_info >= (3, 12):
    _AllEntryPoints = EntryPoints
else:  # Python 3.11 answers all the groups as SelectableGroups (gone in 3.12); both have `select`
    from importlib.metadata import SelectableGroups as _AllEntryPoints


@functools.cache
def _entry_points_on(_path: tuple[str, ...]) -> _AllEntryPoints:
    return entry_points()


def installed_kinds(group: str) -> list[str]:
    """The kinds installed for a protocol, by name."""
    return sorted({entry.name for entry in _entry_points(group)})


def _entry(group: str, kind: str, key: str) -> EntryPoint:
    found = _entry_points(group).select(name=kind)
    if not found:
        installed = ", ".join(installed_kinds(group)) or "none"
        raise ConfigError(f"{key}: no backend of kind {kind!r} is installed (installed: {installed})")
    return next(iter(found))


def _build(group: str, kind: str, key: str, config: Any, settings: Settings) -> Any:
    factory = _entry(group, kind, key).load()
    try:
        return factory(config, settings)
    except (ValueError, TypeError) as error:  # a plug-in refusing its section: one line, as a bad key is
        raise ConfigError(f"{key}: {error}") from None


def check_kinds(settings: Settings, *, supervisor: bool = False) -> None:
    """Raise ConfigError (one line naming the installed kinds) if a configured kind is not installed."""
    _entry(CONTACT_CENTER_GROUP, settings.ccaas.kind, "ccaas.kind")
    _entry(CRM_GROUP, settings.crm.kind, "crm.kind")
    _entry(PRESENCE_GROUP, settings.presence.kind, "presence.kind")
    if supervisor:
        _entry(SUPERVISOR_GROUP, settings.ccaas.kind, "ccaas.kind (supervisor mode)")


def build_contact_center(settings: Settings) -> ContactCenter:
    return _build(CONTACT_CENTER_GROUP, settings.ccaas.kind, "ccaas", settings.ccaas, settings)


def build_crm(settings: Settings) -> Crm:
    return _build(CRM_GROUP, settings.crm.kind, "crm", settings.crm, settings)


def supervisors_crm(settings: Settings) -> Settings:
    """A supervisor's desk talks to the mock CRM with the supervisor's own token (`[supervisor] crm_token`): the
    records of who monitored a contact are written and read with it only, never with the agents' token."""
    if isinstance(settings.crm, BackendConfig) and settings.crm.kind == "http":
        return settings.model_copy(
            update={"crm": settings.crm.model_copy(update={"token": settings.supervisor.crm_token})}
        )
    return settings


def build_presence(settings: Settings) -> PresenceDirectory:
    return _build(PRESENCE_GROUP, settings.presence.kind, "presence", settings.presence, settings)


def build_supervisor(settings: Settings) -> SupervisorConsole:
    """The supervisor's console on the configured contact center, with the supervisor token."""
    return _build(SUPERVISOR_GROUP, settings.ccaas.kind, "ccaas", settings.ccaas, settings)


def build_backends(settings: Settings, *, supervisor: bool = False) -> Backends:
    check_kinds(settings, supervisor=supervisor)
    return Backends(
        contact_center=build_contact_center(settings),
        crm=build_crm(supervisors_crm(settings) if supervisor else settings),
        # Messages to experts leave the desk here: masked whatever carries them.
        presence=PciMaskedPresence(build_presence(settings)),
        outbox=Outbox(settings.outbox_path or default_outbox_path()),
        supervisor=build_supervisor(settings) if supervisor else None,
        quick_responses=load_quick_responses(settings.quick_responses_path or DEFAULT_QUICK_RESPONSES),
    )


# --- the bundled kinds (registered in pyproject.toml under the groups above) ----------------------------


def narrowed(config: BackendConfig) -> ContactCenterCapabilities:
    """`[ccaas] capabilities` as the capabilities the mock contact center's clients declare (a plain
    BackendConfig, built in code rather than read, narrows nothing)."""
    wanted = config.capabilities if isinstance(config, HttpCcaasConfig) else CcaasCapabilitiesConfig()
    targets = ALL_TARGETS if wanted.transfer_to is None else frozenset(TargetKind(kind) for kind in wanted.transfer_to)
    channel = ChannelCapabilities(
        hold=wanted.hold,
        consult=wanted.consult,
        typing=wanted.typing,
        read_marks=wanted.read_marks,
        transfer_to=targets,
    )
    return ContactCenterCapabilities(
        offer_decision=wanted.offer_decision, native_next_state=wanted.native_next_state,
        queue_priority=wanted.queue_priority, monitor=wanted.monitor, flags=wanted.flags, broadcasts=wanted.broadcasts,
        channels=MappingProxyType({c: channel for c in Channel}),
    )  # fmt: skip


def _mock_ccaas_options(config: BackendConfig, settings: Settings) -> dict[str, Any]:
    """What both clients of the mock CCaaS's API (the agent's and the supervisor's) are made with, from the one
    `[ccaas]` section: how long they wait, and the capabilities they declare (`capabilities`, narrower than the
    mock's)."""
    return {
        "timeout_s": config.timeout_s, "heartbeat_timeout_s": settings.heartbeat_timeout_s, "capabilities": narrowed(config),
    }  # fmt: skip


def http_contact_center(config: BackendConfig, settings: Settings) -> ContactCenter:
    """`ccaas.kind = "http"`: the mock CCaaS's API."""
    from agent_desktop.adapters.http.contact_center import HttpContactCenter

    return HttpContactCenter(
        str(config.base_url), config.token, settings.agent_id, **_mock_ccaas_options(config, settings)
    )


def http_supervisor(config: BackendConfig, settings: Settings) -> SupervisorConsole:
    """The mock CCaaS's supervisor API, with the supervisor's token (only supervisors pay for the import)."""
    from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole

    return HttpSupervisorConsole(
        str(config.base_url), settings.supervisor.token, **_mock_ccaas_options(config, settings)
    )


def http_crm(config: BackendConfig, settings: Settings) -> Crm:
    """`crm.kind = "http"`: the mock CRM's API."""
    from agent_desktop.adapters.http.crm import HttpCrm

    return HttpCrm(
        str(config.base_url), config.token, timeout_s=config.timeout_s, write_timeout_s=config.write_timeout_s
    )


def zendesk_crm(config: ZendeskCrmConfig, settings: Settings) -> Crm:
    """`crm.kind = "zendesk"`: Zendesk Support (docs/backends.md)."""
    from agent_desktop.adapters.zendesk.crm import ZendeskCrm

    return ZendeskCrm(
        str(config.base_url),
        config.email,
        config.api_token,
        timeout_s=config.timeout_s,
        write_timeout_s=config.write_timeout_s,
        rate_limit_wait_s=config.rate_limit_wait_s,
        phone_region=config.phone_region,
    )


def http_presence(config: BackendConfig, settings: Settings) -> PresenceDirectory:
    """`presence.kind = "http"`: the mock presence service's API."""
    from agent_desktop.adapters.http.presence import HttpPresenceDirectory

    return HttpPresenceDirectory(
        str(config.base_url), config.token, timeout_s=config.timeout_s, heartbeat_timeout_s=settings.heartbeat_timeout_s
    )


def xmpp_presence(config: XmppPresenceConfig, settings: Settings) -> PresenceDirectory:
    """`presence.kind = "xmpp"`: a roster on an XMPP server (slixmpp is imported only when configured)."""
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


def _twilio_config(config: PluginBackendConfig) -> Any:
    """The `[ccaas]` section as `TwilioConfig`: a bad key is one line naming it."""
    from pydantic import ValidationError

    from agent_desktop.adapters.twilio.contact_center import TwilioConfig

    try:
        return TwilioConfig.model_validate(config.model_extra or {})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise ValueError(f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}") from None


def twilio_contact_center(config: PluginBackendConfig, settings: Settings) -> ContactCenter:
    """`ccaas.kind = "twilio"`: Twilio TaskRouter, events through the Twilio event relay (docs/backends.md)."""
    from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter

    return TwilioContactCenter(_twilio_config(config), heartbeat_timeout_s=settings.heartbeat_timeout_s)


def twilio_supervisor(config: PluginBackendConfig, settings: Settings) -> SupervisorConsole:
    """Supervisor mode on Twilio TaskRouter: its statistics endpoints, polled, with the same API key."""
    from agent_desktop.adapters.twilio.supervisor import TwilioSupervisorConsole

    return TwilioSupervisorConsole(_twilio_config(config))
