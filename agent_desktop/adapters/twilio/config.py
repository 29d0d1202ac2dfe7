"""`[ccaas] kind = "twilio"`: the settings of the Twilio contact center (docs/backends.md says what to create in
Twilio), with the addresses of Twilio's APIs it talks to."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent_desktop.adapters.twilio.calls.voice import PHONE
from agent_desktop.adapters.twilio.chat.conversations import CONVERSATIONS_BASE_URL
from agent_desktop.adapters.twilio.transfer.flex_transfer import FLEX_BASE_URL

DEFAULT_DISPOSITIONS = ["Resolved", "Escalated", "Follow-up needed"]
TWILIO_BASE_URL = "https://taskrouter.twilio.com"
TWILIO_API_BASE_URL = "https://api.twilio.com"


class TwilioConfig(BaseModel):
    """`[ccaas] kind = "twilio"`: what to create in Twilio is in docs/backends.md."""

    model_config = ConfigDict(extra="forbid")

    account_sid: str = Field(pattern=r"^AC[0-9a-fA-F]{32}$")
    api_key_sid: str = Field(
        pattern=r"^SK[0-9a-fA-F]{32}$", description="an API key of the account (Console > API keys)"
    )
    api_key_secret: str = Field(min_length=1)
    workspace_sid: str = Field(pattern=r"^WS[0-9a-fA-F]{32}$")
    worker_sid: str = Field(pattern=r"^WK[0-9a-fA-F]{32}$", description="this agent's Worker")
    relay_url: str = Field(pattern=r"^https?://", description="the Twilio event relay the desk reads its events from")
    relay_token: str = Field(min_length=16, description="the relay's reader token")
    base_url: str = Field(TWILIO_BASE_URL, pattern=r"^https?://")
    api_base_url: str = Field(
        TWILIO_API_BASE_URL, pattern=r"^https?://", description="Twilio's REST API (Voice conferences: hold)"
    )
    flex_base_url: str = Field(FLEX_BASE_URL, pattern=r"^https?://", description="Flex's API (Interactions: transfers)")
    conversations_base_url: str = Field(
        CONVERSATIONS_BASE_URL, pattern=r"^https?://", description="Twilio Conversations (chat, SMS)"
    )
    voice_caller_id: str | None = Field(
        None,
        description="the caller ID TaskRouter dials the agent's leg of a call from (a Twilio number of the account, "
        "E.164); unset: the number the caller dialled (the task's `to`, as <Enqueue> writes it)",
    )
    conference_status_callback: str | None = Field(
        None,
        pattern=r"^https://",
        description="where Twilio posts the call conferences' events (start, end, join, leave, hold)",
    )
    live_transcription: bool = Field(
        False,
        description="start Twilio's real-time transcription on each call the desk bridges, its lines shown as they "
        "are heard (docs/vendors/twilio-voice.md, 'Real-time transcription'). Off by default: Twilio documents it as "
        "a public beta that is not PCI compliant, and a caller reading a card number out is heard by its engine "
        "(the relay and the desk mask what they keep and show, not what Twilio hears)",
    )
    transcription_callback_url: str | None = Field(
        None,
        pattern=r"^https?://",
        description="where Twilio posts the transcription's events: the relay's /twilio/events as Twilio reaches it "
        "(its --public-url); unset: relay_url + /twilio/events",
    )
    transcription_language: str | None = Field(
        None,
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        description="the language the transcription engine listens for (BCP-47, e.g. en-US); unset: Twilio's default",
    )
    messaging_from: str | None = Field(
        None,
        pattern=r"^\+[1-9][0-9]{6,14}$",
        description="the Twilio number follow-up SMS are sent from (E.164); unset: none",
    )
    messaging_status_callback: str | None = Field(
        None, pattern=r"^https://", description="where Twilio posts their status"
    )
    messaging_region: str = Field(
        "US",
        min_length=2,
        max_length=2,
        description="how a number without a country code is read before an SMS is sent to it (Twilio takes E.164 only)",
    )
    offline_activity: str = Field("Offline", description="the Activity that means offline")
    missed_activity: str = Field("Missed", description="the workflow's timeout Activity: shown as missed, not offered")
    dispositions: dict[str, list[str]] = Field(
        default_factory=dict, description="wrap-up codes by TaskQueue friendly name (TaskRouter keeps none)"
    )
    default_dispositions: list[str] = Field(default_factory=lambda: list(DEFAULT_DISPOSITIONS), min_length=1)
    acw_timeouts: dict[str, int] = Field(
        default_factory=dict,
        description="seconds of wrap-up before something of yours completes a wrapping task, by TaskQueue "
        "friendly name (TaskRouter keeps no wrap-up timer: without one the desk says 'no time limit')",
    )
    service_level_threshold_s: int = Field(
        20, ge=0, le=86_400, description="supervisor: answered within this is in service level"
    )
    service_level_target_pct: float = Field(80.0, gt=0, le=100, description="supervisor: the service level aimed at")
    supervisor_requests_per_minute: float = Field(
        120.0, ge=10, le=6000, description="supervisor: the poll's budget of requests to TaskRouter (docs/backends.md)"
    )
    timeout_s: float = Field(5.0, gt=0, le=120)
    rate_limit_wait_s: float = Field(4.0, ge=0, le=60, description="429s are retried with backoff up to this long")

    @field_validator("voice_caller_id")
    @classmethod
    def _e164(cls, value: str | None) -> str | None:
        if value is not None and not PHONE.match(value):
            raise ValueError(
                f"{value!r} is not a phone number in E.164 form: a Twilio number of the account, e.g. +14155550100"
            )
        return value
