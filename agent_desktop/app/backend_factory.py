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
from typing import TYPE_CHECKING, Any, cast

from agent_desktop.app.config import (
    AssistConfig,
    BackendConfig,
    ConfigError,
    HttpCcaasConfig,
    PluginBackendConfig,
    RequestTrackerCrmConfig,
    Settings,
    SoftphoneConfig,
    XmppPresenceConfig,
    ZendeskCrmConfig,
)
from agent_desktop.domain.assist.protocol import NoAssist, assist_model
from agent_desktop.domain.calls.softphone import NoSoftphone, Softphone
from agent_desktop.domain.pci_masked import PciMaskedPresence
from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
from agent_desktop.outbox.store import Outbox, default_outbox_path
from agent_desktop.services import Backends
from agent_desktop.writing_aids.quick_responses import DEFAULT_PATH as DEFAULT_QUICK_RESPONSES
from agent_desktop.writing_aids.quick_responses import load_quick_responses

if TYPE_CHECKING:
    from agent_desktop.domain.assist.protocol import AssistModel
    from agent_desktop.domain.supervisor.protocol import SupervisorConsole

CONTACT_CENTER_GROUP = "agent_desktop.contact_center"
CRM_GROUP = "agent_desktop.crm"
PRESENCE_GROUP = "agent_desktop.presence"
SUPERVISOR_GROUP = "agent_desktop.supervisor"  # keyed by the contact center's kind: its supervisor console
ASSIST_GROUP = "agent_desktop.assist"  # the assistant's model, keyed by `[assist] kind`
SOFTPHONE_GROUP = "agent_desktop.softphone"  # the softphone that carries calls' sound, keyed by `[softphone] kind`


def _entry_points(group: str) -> EntryPoints:
    """The group's entry points. Every installed package's metadata is read once per import path, for all the
    groups at once: each read walks every installed distribution, and start-up asks for three groups, each twice
    (checking the kinds, then building; `desktop_start_to_interactive`, bench_desktop)."""
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


# A plug-in's factory is found by name at run time: what it builds is only known as its group's protocol, which
# the build_* functions below cast to (nothing checks a protocol's methods before they are called).
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
    if settings.softphone is not None:
        _entry(SOFTPHONE_GROUP, settings.softphone.kind, "softphone.kind")


def build_contact_center(settings: Settings) -> ContactCenter:
    return cast("ContactCenter", _build(CONTACT_CENTER_GROUP, settings.ccaas.kind, "ccaas", settings.ccaas, settings))


def build_crm(settings: Settings) -> Crm:
    return cast("Crm", _build(CRM_GROUP, settings.crm.kind, "crm", settings.crm, settings))


def supervisors_crm(settings: Settings) -> Settings:
    """A supervisor's desk talks to the mock CRM with the supervisor's own token (`[supervisor] crm_token`): the
    records of who monitored a contact are written and read with it only, never with the agents' token."""
    if isinstance(settings.crm, BackendConfig) and settings.crm.kind == "http":
        return settings.model_copy(
            update={"crm": settings.crm.model_copy(update={"token": settings.supervisor.crm_token})}
        )
    return settings


def build_presence(settings: Settings) -> PresenceDirectory:
    return cast(
        "PresenceDirectory", _build(PRESENCE_GROUP, settings.presence.kind, "presence", settings.presence, settings)
    )


def build_supervisor(settings: Settings) -> SupervisorConsole:
    """The supervisor's console on the configured contact center, with the supervisor token."""
    return cast("SupervisorConsole", _build(SUPERVISOR_GROUP, settings.ccaas.kind, "ccaas", settings.ccaas, settings))


def build_assist(settings: Settings) -> AssistModel:
    """The assistant's model `[assist]` names, or the stand-in that refuses every call where none is configured (the
    desk works the same without one). Nothing of it is imported until a desk asks for it."""
    if not settings.assist.configured:
        return NoAssist()
    return assist_model(_build(ASSIST_GROUP, settings.assist.kind, "assist", settings.assist, settings))


def build_softphone(settings: Settings, *, supervisor: bool = False) -> Softphone:
    """The softphone `[softphone]` names, or the stand-in that carries no sound where none is configured (the desk
    works as without one, and says once how to get sound). Nothing is started here: the softphone the desk starts
    itself is started as its link is first opened."""
    if settings.softphone is None:
        return NoSoftphone()
    section = settings.softphone.for_supervisor() if supervisor else settings.softphone
    return cast("Softphone", _build(SOFTPHONE_GROUP, section.kind, "softphone", section, settings))


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
        assist=build_assist(settings),
        softphone=build_softphone(settings),  # (started only by an agent's desk, as it first opens its link)
        # the supervisor's own (a baresip of its own where the desk starts one), opened as their desk starts
        supervisor_softphone=build_softphone(settings, supervisor=True) if supervisor else NoSoftphone(),
    )


# --- the bundled kinds: each adapter's `plugin.py`, registered in pyproject.toml under the groups above -----------

if TYPE_CHECKING:  # mypy checks that each bundled factory takes the section and the settings it is handed
    from collections.abc import Callable

    from agent_desktop.adapters.baresip import plugin as baresip_plugin
    from agent_desktop.adapters.http import plugin as http_plugin
    from agent_desktop.adapters.openai_compat import plugin as openai_compat_plugin
    from agent_desktop.adapters.request_tracker import plugin as request_tracker_plugin
    from agent_desktop.adapters.twilio import plugin as twilio_plugin
    from agent_desktop.adapters.xmpp import plugin as xmpp_plugin
    from agent_desktop.adapters.zendesk import plugin as zendesk_plugin

    _contact_centers: list[Callable[[HttpCcaasConfig, Settings], ContactCenter]] = [http_plugin.contact_center]
    _plugin_contact_centers: list[Callable[[PluginBackendConfig, Settings], ContactCenter]] = [
        twilio_plugin.contact_center
    ]
    _supervisors: list[Callable[[HttpCcaasConfig, Settings], SupervisorConsole]] = [http_plugin.supervisor]
    _plugin_supervisors: list[Callable[[PluginBackendConfig, Settings], SupervisorConsole]] = [twilio_plugin.supervisor]
    _crms: list[Callable[[BackendConfig, Settings], Crm]] = [http_plugin.crm]
    _zendesk_crms: list[Callable[[ZendeskCrmConfig, Settings], Crm]] = [zendesk_plugin.crm]
    _rt_crms: list[Callable[[RequestTrackerCrmConfig, Settings], Crm]] = [request_tracker_plugin.crm]
    _presences: list[Callable[[BackendConfig, Settings], PresenceDirectory]] = [http_plugin.presence]
    _xmpp_presences: list[Callable[[XmppPresenceConfig, Settings], PresenceDirectory]] = [xmpp_plugin.presence]
    _assists: list[Callable[[AssistConfig, Settings], AssistModel]] = [openai_compat_plugin.assist]
    _softphones: list[Callable[[SoftphoneConfig, Settings], Softphone]] = [baresip_plugin.softphone]
