"""The HTTP adapters as plug-ins: the entry points (pyproject.toml, groups `agent_desktop.contact_center`,
`.supervisor`, `.crm`, `.presence`, kind "http") that build the mock contact center's, CRM's and presence
service's clients from the configuration's section. Each client's module is imported only when it is built."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from agent_desktop.domain.capabilities import ALL_TARGETS, ChannelCapabilities, ContactCenterCapabilities
from agent_desktop.domain.models import Channel, TargetKind
from agent_desktop.domain.plugins import DeskSettings

if TYPE_CHECKING:
    from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
    from agent_desktop.domain.supervisor.protocol import SupervisorConsole


class CapabilitiesSection(Protocol):
    """`[ccaas] capabilities`: less than the mock contact center can do (docs/backends.md)."""

    @property
    def offer_decision(self) -> bool: ...
    @property
    def native_next_state(self) -> bool: ...
    @property
    def queue_priority(self) -> bool: ...
    @property
    def monitor(self) -> bool: ...
    @property
    def flags(self) -> bool: ...
    @property
    def broadcasts(self) -> bool: ...
    @property
    def quality(self) -> bool: ...
    @property
    def softphone_contact(self) -> bool: ...
    @property
    def conversation_waits(self) -> bool: ...
    @property
    def recording_pause(self) -> bool: ...
    @property
    def place_calls(self) -> bool: ...
    @property
    def internal_calls(self) -> bool: ...
    @property
    def voicemail_audio(self) -> bool: ...
    @property
    def hold(self) -> bool: ...
    @property
    def consult(self) -> bool: ...
    @property
    def typing(self) -> bool: ...
    @property
    def read_marks(self) -> bool: ...
    @property
    def transfer_to(self) -> Iterable[str] | None: ...


@dataclass(frozen=True)
class EveryCapability:
    """A section without `capabilities` (one built in code) narrows nothing: all the mock serves."""

    offer_decision: bool = True
    native_next_state: bool = True
    queue_priority: bool = True
    monitor: bool = True
    flags: bool = True
    broadcasts: bool = True
    quality: bool = True
    softphone_contact: bool = True
    conversation_waits: bool = True
    recording_pause: bool = True
    place_calls: bool = True
    internal_calls: bool = True
    voicemail_audio: bool = True
    hold: bool = True
    consult: bool = True
    typing: bool = True
    read_marks: bool = True
    transfer_to: Iterable[str] | None = None


class HttpSection(Protocol):
    """What an HTTP backend's section says: where, with which token, and how long to wait."""

    @property
    def base_url(self) -> object: ...
    @property
    def token(self) -> str: ...
    @property
    def timeout_s(self) -> float: ...
    @property
    def write_timeout_s(self) -> float: ...


def narrowed(wanted: CapabilitiesSection) -> ContactCenterCapabilities:
    """`[ccaas] capabilities` as the capabilities the mock contact center's clients declare."""
    targets = ALL_TARGETS if wanted.transfer_to is None else frozenset(TargetKind(kind) for kind in wanted.transfer_to)
    channel = ChannelCapabilities(
        hold=wanted.hold,
        consult=wanted.consult,
        typing=wanted.typing,
        read_marks=wanted.read_marks,
        transfer_to=targets,
    )
    return ContactCenterCapabilities(
        offer_decision=wanted.offer_decision,
        native_next_state=wanted.native_next_state,
        queue_priority=wanted.queue_priority,
        monitor=wanted.monitor,
        flags=wanted.flags,
        broadcasts=wanted.broadcasts,
        quality=wanted.quality,
        softphone_contact=wanted.softphone_contact,
        conversation_waits=wanted.conversation_waits,
        recording_pause=wanted.recording_pause,
        place_calls=wanted.place_calls,
        internal_calls=wanted.internal_calls,
        voicemail_audio=wanted.voicemail_audio,
        channels=MappingProxyType(dict.fromkeys(Channel, channel)),
    )


def _mock_ccaas_options(config: HttpSection, settings: DeskSettings) -> dict[str, Any]:
    """What both clients of the mock CCaaS's API (the agent's and the supervisor's) are made with, from the one
    `[ccaas]` section: how long they wait, and the capabilities they declare (`capabilities`, narrower than the
    mock's)."""
    return {
        "timeout_s": config.timeout_s,
        "heartbeat_timeout_s": settings.heartbeat_timeout_s,
        "capabilities": narrowed(getattr(config, "capabilities", None) or EveryCapability()),
    }


def contact_center(config: HttpSection, settings: DeskSettings) -> ContactCenter:
    """`ccaas.kind = "http"`: the mock CCaaS's API."""
    from agent_desktop.adapters.http.contact_center import HttpContactCenter

    return HttpContactCenter(
        str(config.base_url), config.token, settings.agent_id, **_mock_ccaas_options(config, settings)
    )


def supervisor(config: HttpSection, settings: DeskSettings) -> SupervisorConsole:
    """The mock CCaaS's supervisor API, with the supervisor's token (only supervisors pay for the import)."""
    from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole

    return HttpSupervisorConsole(
        str(config.base_url), settings.supervisor.token, **_mock_ccaas_options(config, settings)
    )


def crm(config: HttpSection, settings: DeskSettings) -> Crm:
    """`crm.kind = "http"`: the mock CRM's API."""
    from agent_desktop.adapters.http.crm import HttpCrm

    return HttpCrm(
        str(config.base_url), config.token, timeout_s=config.timeout_s, write_timeout_s=config.write_timeout_s
    )


def presence(config: HttpSection, settings: DeskSettings) -> PresenceDirectory:
    """`presence.kind = "http"`: the mock presence service's API."""
    from agent_desktop.adapters.http.presence import HttpPresenceDirectory

    return HttpPresenceDirectory(
        str(config.base_url), config.token, timeout_s=config.timeout_s, heartbeat_timeout_s=settings.heartbeat_timeout_s
    )
