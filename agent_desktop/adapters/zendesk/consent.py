"""A customer's consent on Zendesk Support: Zendesk users have no consent of their own, so it is kept in checkbox
user fields the account defines (Users: "user_fields: Values of custom fields in the user's profile"; User Fields:
type "checkbox"), whose keys the configuration names (`[crm] consent_sms_field = "sms_opt_in"`).

A consent whose field is not configured is kept nowhere: the customer's record says so (`consent_unkept`, naming the
setting), and the desk says "this CRM keeps no SMS consent: configure crm.consent_sms_field" instead of naming a
field of its own. An opt-out is written back as the checkbox set to false (Update User)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CONSENTS = ("consent_marketing", "consent_sms", "consent_recording")


@dataclass(frozen=True)
class ConsentFields:
    """The user field key holding each consent (None: the account keeps that consent nowhere)."""

    marketing: str | None = None
    sms: str | None = None
    recording: str | None = None

    def key_of(self, consent: str) -> str | None:
        return getattr(self, consent.removeprefix("consent_"), None) if consent in CONSENTS else None

    def read(self, user_fields: dict[str, Any] | None) -> dict[str, Any]:
        """The Customer's consent fields from the user's `user_fields`: true or false where the checkbox says so,
        None where it holds anything else (never set); `consent_unkept` for those no field is configured for."""
        fields = user_fields or {}
        values: dict[str, Any] = {}
        unkept: dict[str, str] = {}
        for consent in CONSENTS:
            key = self.key_of(consent)
            if key is None:
                unkept[consent] = setting_of(consent)
            else:
                value = fields.get(key)
                values[consent] = value if isinstance(value, bool) else None
        return {**values, "consent_unkept": unkept}


def setting_of(consent: str) -> str:
    """The configuration key that names the user field of `consent` (`crm.consent_sms_field`)."""
    return f"crm.{consent}_field"


def opt_out_body(key: str) -> dict[str, Any]:
    """Update User's body clearing one checkbox: nothing else of the user is sent, so nothing else changes."""
    return {"user": {"user_fields": {key: False}}}
