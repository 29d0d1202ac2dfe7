"""Zendesk Support as a plug-in: the entry point (pyproject.toml, group `agent_desktop.crm`, kind "zendesk")
that builds the CRM from the configuration's `[crm]` section. The client's module is imported only when built."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.domain.plugins import DeskSettings

if TYPE_CHECKING:
    from agent_desktop.domain.protocols import Crm


class ZendeskSection(Protocol):
    """`[crm]` with `kind = "zendesk"` (docs/backends.md)."""

    @property
    def base_url(self) -> object: ...
    @property
    def email(self) -> str: ...
    @property
    def api_token(self) -> str: ...
    @property
    def timeout_s(self) -> float: ...
    @property
    def write_timeout_s(self) -> float: ...
    @property
    def rate_limit_wait_s(self) -> float: ...
    @property
    def phone_region(self) -> str: ...
    @property
    def consent_marketing_field(self) -> str | None: ...
    @property
    def consent_sms_field(self) -> str | None: ...
    @property
    def consent_recording_field(self) -> str | None: ...


def crm(config: ZendeskSection, settings: DeskSettings) -> Crm:
    """`crm.kind = "zendesk"`: Zendesk Support (docs/backends.md)."""
    from agent_desktop.adapters.zendesk.consent import ConsentFields
    from agent_desktop.adapters.zendesk.crm import ZendeskCrm

    return ZendeskCrm(
        str(config.base_url),
        config.email,
        config.api_token,
        timeout_s=config.timeout_s,
        write_timeout_s=config.write_timeout_s,
        rate_limit_wait_s=config.rate_limit_wait_s,
        phone_region=config.phone_region,
        consent_fields=ConsentFields(
            marketing=config.consent_marketing_field,
            sms=config.consent_sms_field,
            recording=config.consent_recording_field,
        ),
    )
