"""The desktop's configuration: a TOML file plus DESKTOP_* environment variables.

Precedence, highest first: explicit values, environment (`DESKTOP_CCAAS__BASE_URL`),
the TOML file (`--config`, else `config.toml` in the user config folder), defaults.
The defaults point at the mock servers on their documented ports.
"""

from __future__ import annotations

import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Literal

from platformdirs import user_config_path
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

_config_file: ContextVar[Path | None] = ContextVar("config_file", default=None)


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


# The lowest-priority source, so that setting one key of a backend (say only
# DESKTOP_CRM__TOKEN) keeps the defaults of its other keys: sources deep-merge.
DEFAULTS: dict[str, object] = {
    "ccaas": {"base_url": "http://127.0.0.1:8701", "token": "demo-agent-token"},
    "crm": {"base_url": "http://127.0.0.1:8702", "token": "demo-crm-token"},
    "presence": {"base_url": "http://127.0.0.1:8703", "token": "demo-presence-token"},
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKTOP_", env_nested_delimiter="__", extra="forbid")

    agent_id: str = Field("agent-001", min_length=1)
    ccaas: BackendConfig
    crm: BackendConfig
    presence: BackendConfig
    heartbeat_timeout_s: float = Field(35.0, gt=0, description="a stream silent this long counts as lost")
    outbox_path: Path | None = Field(
        None, description="SQLite file of CRM writes not yet sent (default: outbox.db in the user data folder)"
    )

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
        path = _config_file.get()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        sources.append(InitSettingsSource(settings_cls, init_kwargs=DEFAULTS))
        return tuple(sources)


def default_config_path() -> Path:
    return user_config_path("agent-desktop", appauthor=False) / "config.toml"


def load_settings(config_path: Path | None = None, **overrides: object) -> Settings:
    """Read the settings, or raise ConfigError with one line that names the bad key."""
    path = config_path if config_path is not None else default_config_path()
    if config_path is not None and not path.is_file():
        raise ConfigError(f"config file {path}: not found")
    if path.is_file():
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"config file {path}: {error}") from None
    token = _config_file.set(path if path.is_file() else None)
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "settings"
        raise ConfigError(f"{key}: {first['msg']}") from None
    finally:
        _config_file.reset(token)
