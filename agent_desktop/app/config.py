"""The desktop's configuration: a TOML file plus DESKTOP_* environment variables.

Precedence, highest first: explicit values, environment (`DESKTOP_CCAAS__BASE_URL`),
the TOML file (`--config`, else `config.toml` in the user config folder), defaults.
The defaults point at the mock servers on their documented ports.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    HttpUrl,
    PrivateAttr,
    SecretStr,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from agent_desktop.local.paths import CONFIG_BYTES, DocumentError, LocalPathError, read_toml
from agent_desktop.local.places import default_config_file, remote_socket_file

# The configuration file's content, read once by the local paths' rule (agent_desktop/local/paths.py) and handed to
# pydantic-settings as a source: its own TOML source would open the file again, by name, with no checks.
_config_file: ContextVar[dict[str, Any] | None] = ContextVar("config_file", default=None)


class ConfigError(Exception):
    """Configuration the desktop cannot start with; the message is one line naming the key."""


class BackendConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["http"] = Field("http", description="which implementation talks to this backend")
    base_url: HttpUrl
    token: str = Field(min_length=1)
    timeout_s: float = Field(5.0, gt=0, le=120)
    write_timeout_s: float = Field(
        30.0, gt=0, le=300, description="background writes (the CRM outbox) may wait this long for an answer"
    )


class CcaasCapabilitiesConfig(BaseModel):
    """Less than the mock contact center can do, to show the desk as it is on a platform without some of it
    (docs/backends.md): `[ccaas] capabilities = {typing = false, hold = false}`. The channel keys apply to
    every channel. The mock itself still serves everything; the desk just never asks. Read as the backend's
    `ContactCenterCapabilities` by agent_desktop/app/backend_factory.py."""

    model_config = ConfigDict(extra="forbid")

    offer_decision: bool = Field(True, description="a / r on offers (off: the platform connects them itself)")
    native_next_state: bool = True
    queue_priority: bool = True
    monitor: bool = Field(True, description="supervisors monitor, whisper and barge")
    flags: bool = Field(True, description="agents raise flags, supervisors answer them")
    broadcasts: bool = Field(True, description="supervisors broadcast to a team's or a queue's agents")
    quality: bool = Field(True, description="supervisors evaluate finished contacts, agents acknowledge")
    softphone_contact: bool = Field(True, description="the desk registers its softphone: calls ring it with sound")
    conversation_waits: bool = Field(True, description="z snoozes a chat, ctrl+f sends a reply later")
    recording_pause: bool = Field(True, description="P pauses a call's recording (card data read out)")
    place_calls: bool = Field(True, description="D places a call: a number typed or the card's, a caller ID per queue")
    internal_calls: bool = Field(True, description="C in the experts list calls a free colleague at their softphone")
    voicemail_audio: bool = Field(True, description="L plays the voicemail in hand through the softphone")
    hold: bool = True
    consult: bool = True
    typing: bool = True
    read_marks: bool = True
    transfer_to: list[Literal["queue", "agent", "address"]] | None = Field(
        None, description="the transfer targets offered (none: all; an empty list: no transfer)"
    )


class HttpCcaasConfig(BackendConfig):
    """`ccaas.kind = "http"`: the mock contact center's API, optionally with narrower capabilities."""

    capabilities: CcaasCapabilitiesConfig = Field(default_factory=CcaasCapabilitiesConfig)


class PluginBackendConfig(BaseModel):
    """A backend of a kind another package registers (an entry point, agent_desktop/app/backend_factory.py): its keys
    are its own, handed to its factory as they are written (`model_extra`), for it to validate."""

    model_config = ConfigDict(extra="allow")

    kind: str = Field(min_length=1, description="the name the backend's package registers it under")


class SupervisorConfig(BaseModel):
    """Supervisor mode: it talks to the contact center (`ccaas.base_url`) with its own token."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field("demo-supervisor-token", min_length=1, description="a supervisor's CCaaS token")
    crm_token: str = Field(
        "demo-crm-supervisor-token",
        min_length=1,
        description='a supervisor\'s token for the mock CRM (`crm.kind = "http"`): it alone writes and reads the records of '
        "who monitored a contact, which the agents' CRM token may not read",
    )
    longest_wait_alert_s: float = Field(60.0, gt=0, description="alert when a queue's longest wait passes this")
    service_level_alert_min_contacts: int = Field(
        10, ge=1, description="alert on a queue's service level only once this many contacts left it in the window"
    )
    max_occupancy_pct: float | None = Field(
        None, gt=0, le=100, description="staffing advice also keeps occupancy at or under this"
    )


class DeskConfig(BaseModel):
    """`[desk]`: how the agent's desk behaves."""

    model_config = ConfigDict(extra="forbid")

    undo_send_s: float = Field(
        5.0,
        ge=0,
        le=60,
        description="how long an email or SMS waits before it leaves, with an undo (ctrl+z); 0: at once; chat is instant",
    )
    phone_region: str = Field(
        "US",
        min_length=2,
        max_length=2,
        pattern="^[A-Za-z]{2}$",
        description="the desk's region: its phone numbers shown in the national form, others in the international",
    )


class AssistConfig(BaseModel):
    """`[assist]`: the assistant's model (docs/assist.md). Off unless `base_url` and `model` are set; the key comes
    from `DESKTOP_ASSIST__API_KEY` (or the file), is never printed, and a local server (Ollama) needs none."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    kind: str = Field("openai", pattern=r"^[a-z][a-z0-9_]*$", description="the model backend: an OpenAI-compatible API")
    base_url: HttpUrl | None = Field(None, description="the API's base, e.g. http://localhost:11434/v1 (Ollama)")
    model: str | None = Field(None, min_length=1, max_length=200, description="the model's name on that server")
    api_key: SecretStr | None = Field(None, description="the API key; set DESKTOP_ASSIST__API_KEY rather than the file")
    first_token_s: float = Field(20.0, gt=0, le=120, description="the longest wait for the answer's first piece")
    answer_s: float = Field(60.0, gt=0, le=600, description="the longest a whole answer may take")
    daily_token_limit: int = Field(200_000, ge=1, description="tokens this desk may spend a day; then it asks no more")
    structured_output: Literal["json_schema", "json_object_schema", "none"] = Field(
        "json_schema",
        description="how the server is asked to hold a wrap-up to its shape: OpenAI's json_schema (OpenAI, Ollama, vLLM, "
        "llama-server), json_object_schema (llama-cpp-python's server), none (read strictly as it comes)",
    )
    mask_contact_details: bool = Field(
        False, description="also mask email addresses and phone numbers before a text leaves for the model"
    )
    summary_every_lines: int = Field(
        3, ge=1, le=100, description="the running summary is remade after this many new lines of the conversation"
    )
    agent_language: str = Field(
        "en",
        pattern=r"^[a-z]{2}$",
        description="the agent's language: a customer writing in another is translated both ways (docs/assist.md)",
    )
    summary_pause_s: float = Field(
        3.0, ge=0, le=120, description="and once the conversation has paused this long (a burst asks once)"
    )

    @model_validator(mode="after")
    def _model_with_base_url(self) -> AssistConfig:
        if self.base_url is not None and self.model is None:
            raise ValueError("base_url is set but model is not: name the model to ask (e.g. llama3.1)")
        return self

    @property
    def configured(self) -> bool:
        return self.base_url is not None and self.model is not None

    def api_key_value(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key is not None else None


_LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
_AUDIO = r"^(|[a-z_]+(,[^\x00-\x1f\x7f]{1,200})?)$"  # "module,device" on one line ("" for none)
# The ringer: a player module of Debian's baresip-core ("" for the headset's); a device on one line.
_RINGER = r"^(|(alsa|jack|oss|portaudio|sndio)(,[^\x00-\x1f\x7f]{1,200})?)$"


class SoftphoneConfig(BaseModel):
    """`[softphone]`: the softphone that carries a call's sound (docs/voice.md). Off unless the section is there;
    `control` names one already running, `start = true` has the desk start its own (and stop it when it ends)."""

    model_config = ConfigDict(extra="forbid")
    _owner: str = PrivateAttr("agent")  # "supervisor" for the supervisor's desk's own (`for_supervisor`)

    kind: str = Field("baresip", pattern=r"^[a-z][a-z0-9_]*$", description="the softphone: baresip over ctrl_tcp")
    control: str | None = Field(
        None, description='the running softphone\'s control link, "127.0.0.1:4444" (loopback only: it has no password)'
    )
    start: bool = Field(
        False, description="the desk starts its own softphone, in a folder of the user's runtime folder"
    )
    sip_port: int = Field(
        0, ge=0, le=65534, description="start = true: its SIP port on 127.0.0.1 (0: one that is free)"
    )
    audio_source: str = Field(
        "alsa,default", pattern=_AUDIO, description='start = true: the microphone, "module,device" ("" for none)'
    )
    audio_player: str = Field(
        "alsa,default", pattern=_AUDIO, description='start = true: the speaker, "module,device" ("" for none)'
    )
    ringer: str = Field(
        "",
        pattern=_RINGER,
        description="start = true: where calls ring and the auto-accept chime plays, apart from the headset, "
        '"alsa,hw:1" ("": the first player, the headset\'s)',
    )
    answer_s: float = Field(5.0, gt=0, le=60, description="the longest the softphone may take to answer a command")
    contact_uri: str | None = Field(
        None,
        pattern=r"^sips?:[!-~]{1,250}$",
        description='control: where a contact center rings that softphone, "sip:agent@127.0.0.1:5060" (start = true: '
        "the desk knows its own)",
    )

    @field_validator("control")
    @classmethod
    def _loopback(cls, control: str | None) -> str | None:
        if control is None:
            return None
        host, _, port = control.rpartition(":")
        host = host.strip("[]")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f'write it as "127.0.0.1:PORT", not {control[:60]!r}')
        if host not in _LOOPBACK_HOSTS:
            raise ValueError(
                f"the softphone's control link has no password: its host must be loopback, not {host[:60]!r}"
            )
        return control

    @model_validator(mode="after")
    def _one_way(self) -> SoftphoneConfig:
        if (self.control is None) == (not self.start):
            raise ValueError('say either control = "127.0.0.1:PORT" (one already running) or start = true, not both')
        return self

    @property
    def host(self) -> str:
        return (self.control or "127.0.0.1:0").rpartition(":")[0].strip("[]")

    @property
    def port(self) -> int:
        return int((self.control or "127.0.0.1:0").rpartition(":")[2])

    @property
    def user(self) -> str:
        """Whose softphone: the agent's, or the supervisor's desk's own (`for_supervisor`)."""
        return self._owner

    def for_supervisor(self) -> SoftphoneConfig:
        """The same section for the supervisor's desk: its own baresip (its own folder and SIP user) where the desk
        starts one, so an agent's desk in the same app keeps its own."""
        section = self.model_copy()
        section._owner = "supervisor"
        return section

    @property
    def folder(self) -> Path:
        """Where the desk's own softphone keeps its config: beside the remote control's socket, in the user's runtime
        folder (the supervisor's in a folder of its own)."""
        return remote_socket_file().parent / ("baresip" if self._owner == "agent" else f"baresip-{self._owner}")


class OutboxRetryConfig(BaseModel):
    """The backoff between failed sends of the CRM outbox (full jitter, agent_desktop/outbox/sender.py)."""

    model_config = ConfigDict(extra="forbid")

    base_s: float = Field(0.5, gt=0, le=60, description="the first wait; each failure doubles it")
    cap_s: float = Field(30.0, gt=0, le=3600, description="the longest wait between two sends")


class XmppPresenceConfig(BaseModel):
    """The presence directory from an XMPP server's roster (`presence.kind = "xmpp"`)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["xmpp"]
    jid: str = Field(pattern=r"^[^@/\s]+@[^@/\s]+(/.+)?$", description="the desktop's own account, user@domain")
    password: str = Field(min_length=1)
    host: str | None = Field(None, min_length=1, description="server to connect to (default: the JID's domain)")
    port: int = Field(5222, ge=1, le=65535)
    tls: Literal["starttls", "direct", "none"] = Field(
        "starttls", description="'none' only for a server on loopback (plain-text login)"
    )
    directory_file: Path | None = Field(None, description="TOML or JSON: skills, departments, titles by JID")
    timeout_s: float = Field(5.0, gt=0, le=120)

    @field_validator("directory_file")
    @classmethod
    def _directory_file_loads(cls, path: Path | None) -> Path | None:
        if path is not None:  # the file's reader (and its models) imported only for an XMPP desk that names one
            from agent_desktop.adapters.xmpp.directory_file import load_directory_file

            load_directory_file(path)  # a bad file stops the desktop now, with one line
        return path

    @property
    def server_host(self) -> str:
        return self.host or self.jid.split("@", 1)[1].split("/", 1)[0]


class ZendeskCrmConfig(BaseModel):
    """The CRM on Zendesk Support (`crm.kind = "zendesk"`): an agent's email and an API token."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["zendesk"]
    base_url: HttpUrl = Field(description="https://{subdomain}.zendesk.com")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", description="the Zendesk user the API token acts as")
    api_token: str = Field(min_length=1, description="Admin Center > Apps and integrations > Zendesk API")
    timeout_s: float = Field(5.0, gt=0, le=120)
    write_timeout_s: float = Field(30.0, gt=0, le=300, description="background writes (the CRM outbox)")
    rate_limit_wait_s: float = Field(
        2.0,
        ge=0,
        le=60,
        description="a 429 whose Retry-After is at most this is waited out once; longer fails the call (the outbox "
        "holds its writes for the Retry-After, a screen pop says it waits and asks again)",
    )
    phone_region: str = Field(
        "US", min_length=2, max_length=2, description="how a number without a country code is read"
    )
    # Zendesk users keep no consent: an account defines checkbox user fields for it, named here by key.
    consent_marketing_field: str | None = Field(
        None, min_length=1, max_length=64, description="the user field (checkbox) holding marketing/email consent"
    )
    consent_sms_field: str | None = Field(
        None, min_length=1, max_length=64, description="the user field (checkbox) holding SMS consent"
    )
    consent_recording_field: str | None = Field(
        None, min_length=1, max_length=64, description="the user field (checkbox) holding call-recording consent"
    )


class RequestTrackerCrmConfig(BaseModel):
    """The CRM on Request Tracker 5 (`crm.kind = "rt"`): REST 2.0 with an auth token (docs/vendors/request-tracker.md)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["rt"]
    base_url: HttpUrl = Field(description="RT's web address (WebURL), REST 2 under /REST/2.0/")
    token: str = Field(min_length=1, description="an auth token of RT's (Settings > Auth Tokens): `1-27-…`")
    queue: str = Field("General", min_length=1, max_length=200, description="the queue new tickets go to")
    knowledge_class: str = Field("Knowledge base", min_length=1, max_length=200, description="the articles' class")
    timeout_s: float = Field(10.0, gt=0, le=120)
    write_timeout_s: float = Field(30.0, gt=0, le=300, description="background writes (the CRM outbox)")
    phone_region: str = Field(
        "US", min_length=2, max_length=2, description="how a number without a country code is read"
    )


class NotificationsConfig(BaseModel):
    """`[notifications]`: desktop notifications while the terminal is not in front (agent_desktop/ui/notices/desktop_notifier.py).
    `style` is the terminal's escape sequence; "auto" guesses it from TERM_PROGRAM, TERM and the like."""

    model_config = ConfigDict(extra="forbid")

    style: Literal["auto", "osc9", "osc777", "osc99", "bell", "off"] = "auto"
    offer: bool = True
    flag_answer: bool = True
    breach: bool = True
    broadcast: bool = True


class RemoteConfig(BaseModel):
    """`[remote]`: scripts drive the agent's desk over a private Unix socket (docs/remote.md)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(True, description="false: the desk opens no socket (--no-remote for one run)")
    socket: Path | None = Field(
        None,
        description="the socket's path (default: desk.sock in $XDG_RUNTIME_DIR/agent-desktop, else in a folder of "
        "yours under the temporary folder); its folder must be yours and closed to everyone else",
    )

    def socket_file(self) -> Path:
        return self.socket or remote_socket_file()


def _kind_tag(bundled: tuple[str, ...]) -> Any:
    """The discriminator of a backend section: a bundled kind's own model, else a plug-in's free section (an
    unknown kind is said, naming the installed ones, once the configuration is read: `check_kinds`)."""

    def tag(value: Any) -> str:
        kind = value.get("kind", "http") if isinstance(value, dict) else getattr(value, "kind", "http")
        return kind if kind in bundled else "plugin"

    return tag


# The one list of each backend section's bundled kinds, with the model of each: the sections' types, the keys
# known to the environment's check and the tags left out of an error's key are all read from it.
BUNDLED_KINDS: dict[str, dict[str, type[BaseModel]]] = {
    "ccaas": {"http": HttpCcaasConfig},
    "crm": {"http": BackendConfig, "zendesk": ZendeskCrmConfig, "rt": RequestTrackerCrmConfig},
    "presence": {"http": BackendConfig, "xmpp": XmppPresenceConfig},
}


def _backend_section(kinds: dict[str, type[BaseModel]]) -> Any:
    """A backend section's type: the union of its bundled kinds' models and a plug-in's free section, told
    apart by `kind` (absent: "http")."""
    members = [Annotated[model, Tag(kind)] for kind, model in kinds.items()]
    return Annotated[
        Union[(*members, Annotated[PluginBackendConfig, Tag("plugin")])], Discriminator(_kind_tag(tuple(kinds)))
    ]


if TYPE_CHECKING:  # the same unions, spelt out for mypy (pydantic builds them from BUNDLED_KINDS, in step)
    CcaasConfig = HttpCcaasConfig | PluginBackendConfig
    CrmConfig = BackendConfig | ZendeskCrmConfig | PluginBackendConfig
    PresenceConfig = BackendConfig | XmppPresenceConfig | PluginBackendConfig
else:
    CcaasConfig = _backend_section(BUNDLED_KINDS["ccaas"])
    CrmConfig = _backend_section(BUNDLED_KINDS["crm"])
    PresenceConfig = _backend_section(BUNDLED_KINDS["presence"])
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)

# What each backend's mock HTTP kind gets by default (the demo's ports and tokens).
_MOCK_HTTP_DEFAULTS = {
    "ccaas": {"base_url": "http://127.0.0.1:8701", "token": "demo-agent-token"},
    "crm": {"base_url": "http://127.0.0.1:8702", "token": "demo-crm-token"},
    "presence": {"base_url": "http://127.0.0.1:8703", "token": "demo-presence-token"},
}

# The lowest-priority source (sources deep-merge). The backends' defaults are filled in by Settings'
# `_mock_http_defaults` validator, for the mock HTTP kind only: deep-merging them here would hand an XMPP, Zendesk
# or plug-in configuration keys it does not have.
DEFAULTS: dict[str, object] = {}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKTOP_", env_nested_delimiter="__", extra="forbid")

    agent_id: str = Field("agent-001", min_length=1)
    ccaas: CcaasConfig = Field(default_factory=dict, validate_default=True)
    crm: CrmConfig = Field(default_factory=dict, validate_default=True)
    presence: PresenceConfig = Field(default_factory=dict, validate_default=True)
    supervisor: SupervisorConfig = Field(default_factory=SupervisorConfig)
    desk: DeskConfig = Field(default_factory=DeskConfig)
    assist: AssistConfig = Field(default_factory=AssistConfig)
    softphone: SoftphoneConfig | None = Field(
        None, description="the softphone that carries calls' sound (docs/voice.md)"
    )
    heartbeat_timeout_s: float = Field(35.0, gt=0, description="a stream silent this long counts as lost")
    outbox_retry: OutboxRetryConfig = Field(default_factory=OutboxRetryConfig)
    status_clock_s: float = Field(
        0.5, gt=0, le=5, description="how often the agent screen redraws its clock and countdowns"
    )
    outbox_path: Path | None = Field(
        None, description="SQLite file of CRM writes not yet sent (default: outbox.db in the user data folder)"
    )
    quick_responses_path: Path | None = Field(
        None,
        description="TOML file of the team's quick responses (default: the shipped one, agent_desktop/writing_aids/)",
    )
    log_file: Path | None = Field(
        None, description="the desk's log (default: desk.log in the user log folder; the demo's: its own folder)"
    )
    log_level: LogLevel = Field("INFO", description="what goes to the log: DEBUG, INFO, WARNING or ERROR")
    quit_state: Literal["offline", "not_ready"] = Field(
        "offline", description="the state quitting leaves the agent in (next state, with contacts in hand)"
    )
    quit_reason: str | None = Field(
        None, min_length=1, validate_default=True, description="the not-ready reason for quit_state = not_ready"
    )

    notifications: NotificationsConfig = Field(default_factory=NotificationsConfig)
    remote: RemoteConfig = Field(default_factory=RemoteConfig)
    theme: str | None = Field(
        None,
        min_length=1,
        description='the desk\'s colours: one of Textual\'s themes ("nord", "gruvbox", ...) or "monochrome" (no colour); '
        "default: textual-dark, or monochrome when NO_COLOR is set (checked by agent_desktop/ui/themes.py)",
    )
    mouse: bool = Field(
        True, description="false: the desk leaves the mouse to the terminal (select and paste as usual)"
    )
    reader: bool = Field(
        False,
        description="reader mode for screen readers and braille displays: the terminal's cursor on the focused row, "
        "what changes said in a review region, no animation (--reader; docs/accessibility.md)",
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description='keys by binding id, e.g. "desk.accept" = "y" (README.md lists the ids; checked by agent_desktop/ui/keymap.py)',
    )

    @field_validator("keymap", mode="before")
    @classmethod
    def _flat_keymap(cls, value: Any) -> Any:
        """`desk.accept = "y"` unquoted in TOML is a table `desk` holding `accept`: the id is the dotted path."""
        if not isinstance(value, dict):
            return value
        flat: dict[str, Any] = {}

        def walk(prefix: str, table: dict[str, Any]) -> None:
            for name, item in table.items():
                path = f"{prefix}.{name}" if prefix else str(name)
                if isinstance(item, dict):
                    walk(path, item)
                else:
                    flat[path] = item

        walk("", value)
        return flat

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_capitals(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("quit_reason")
    @classmethod
    def _reason_for_not_ready(cls, reason: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("quit_state") == "not_ready" and reason is None:
            raise ValueError("quit_state = not_ready needs a reason the contact center knows (e.g. Break)")
        return reason

    @field_validator("ccaas", "crm", "presence", mode="before")
    @classmethod
    def _mock_http_defaults(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None and isinstance(value, dict) and value.get("kind", "http") == "http":
            return _MOCK_HTTP_DEFAULTS[info.field_name] | value
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        from_file = _config_file.get()
        if from_file is not None:
            sources.append(InitSettingsSource(settings_cls, init_kwargs=from_file))
        sources.append(InitSettingsSource(settings_cls, init_kwargs=DEFAULTS))
        return tuple(sources)


ENV_PREFIX = "DESKTOP_"


def _known_keys() -> dict[str, set[str]]:
    """Top-level keys, each with the keys one level below (empty for a plain value)."""
    nested: dict[str, type[BaseModel] | tuple[type[BaseModel], ...]] = {
        section: tuple(kinds.values()) for section, kinds in BUNDLED_KINDS.items()
    }
    for name, field in Settings.model_fields.items():  # every section, read from the settings themselves
        found = [
            kind
            for kind in (field.annotation, *get_args(field.annotation))  # (an optional section: `X | None`)
            if isinstance(kind, type) and issubclass(kind, BaseModel)
        ]
        if found:
            nested.setdefault(name, found[0])
    known: dict[str, set[str]] = {}
    for name in Settings.model_fields:
        models = nested.get(name, ())
        models = models if isinstance(models, tuple) else (models,)
        known[name] = {field for model in models for field in model.model_fields}
    return known


def unknown_environment_variables(environ: Mapping[str, str]) -> list[str]:
    """DESKTOP_* variables that name no setting (pydantic-settings would ignore them without a word)."""
    known = _known_keys()
    unknown = []
    for name in environ:
        if not name.upper().startswith(ENV_PREFIX):
            continue
        top, _, rest = name[len(ENV_PREFIX) :].lower().partition("__")
        if top not in known or (rest and (not known[top] or rest not in known[top])):
            unknown.append(name)
    return sorted(unknown)


def unknown_variables_message(unknown: list[str]) -> str:
    """One line naming the DESKTOP_* variables that name no setting, with the setting each may have meant."""
    names = [
        f"{ENV_PREFIX}{top.upper()}" + (f"__{field.upper()}" if field else "")
        for top, fields in _known_keys().items()
        for field in ("", *sorted(fields))
    ]
    parts = []
    for variable in unknown:
        close = difflib.get_close_matches(variable.upper(), names, n=1, cutoff=0.8)
        parts.append(f"{variable} (did you mean {close[0]}?)" if close else variable)
    return f"{', '.join(parts)}: no such setting (agent-desktop run --help lists them)"


def _unparsable_variable(error: SettingsError) -> str:
    """One line for a DESKTOP_X that should hold JSON (a whole section) and does not."""
    found = re.search(r'field "([^"]+)"', str(error))
    if found is None:
        return f"settings: {error}"
    key = found.group(1)
    variable = f"{ENV_PREFIX}{key.upper()}"
    return f"{key}: {variable} must be a JSON object (or set one key, e.g. {variable}__<KEY>); it could not be read"


def default_config_path() -> Path:
    return default_config_file()


def load_settings(config_path: Path | None = None, **overrides: Any) -> Settings:
    """Read the settings, or raise ConfigError with one line that names the bad key."""
    path = config_path if config_path is not None else default_config_path()
    from_file = None
    if config_path is not None or os.path.lexists(path):  # the default file is optional; a named one is not
        try:
            from_file = read_toml(path, limit=CONFIG_BYTES)
        except LocalPathError as error:
            raise ConfigError(f"config file {path}: {error.reason}") from None
        except DocumentError as error:
            raise ConfigError(f"config file {path}: {error}") from None
    token = _config_file.set(from_file)
    try:
        return Settings(**overrides)
    except SettingsError as error:
        raise ConfigError(_unparsable_variable(error)) from None
    except ValidationError as error:
        first = error.errors()[0]
        loc = [str(part) for part in first["loc"]]
        if len(loc) > 1 and loc[0] in BUNDLED_KINDS and loc[1] in (*BUNDLED_KINDS[loc[0]], "plugin"):
            del loc[1]  # the union's tag, not a key the user wrote
        key = ".".join(loc) or "settings"
        variable = f"{ENV_PREFIX}{key.upper()}"
        if len(loc) == 1 and first["type"] in ("model_type", "dict_type") and variable in os.environ:
            # A whole backend section from one variable that is not a JSON object (a union of kinds says
            # only "not a valid dictionary", pydantic-settings' own parse error says which variable).
            raise ConfigError(
                f"{key}: {variable} must be a JSON object (or set one key, e.g. {variable}__<KEY>)"
            ) from None
        raise ConfigError(f"{key}: {first['msg']}") from None
    finally:
        _config_file.reset(token)
