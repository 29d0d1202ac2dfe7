"""What only the Zendesk-shaped mock needs beside the shared MockSettings: its credentials, rate limits and search lag."""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_ZENDESK_PORT = 8704
DEMO_ZENDESK_EMAIL = "agent@example.com"
DEMO_ZENDESK_TOKEN = "demo-zendesk-token"


class ZendeskMockSettings(BaseModel):
    email: str = Field(DEMO_ZENDESK_EMAIL, description="the API user: basic auth is `{email}/token:{api_token}`")
    api_token: str = Field(DEMO_ZENDESK_TOKEN, min_length=1)
    rate_limit: int | None = Field(
        None, ge=1, description="requests allowed per window before 429 with Retry-After (None: no limit)"
    )
    rate_window_s: float = Field(60.0, gt=0, description="Zendesk counts per minute; tests shorten the window")
    search_lag_s: float = Field(
        120.0,
        ge=0,
        description="how long a user made through the API stays out of search results (Zendesk: "
        '"up to a few minutes"); direct reads see it at once',
    )
    ticket_updates_per_minute: int | None = Field(
        100,
        ge=1,
        description='Update Ticket per account ("100 requests per minute per account"; 300 with the High '
        "Volume API add-on); None: no such limit",
    )
    ticket_updates_per_ticket: int | None = Field(
        30, ge=1, description='Update Ticket per user per ticket ("30 updates per 10 minutes per user per ticket")'
    )
    ticket_update_window_s: float = Field(600.0, gt=0, description="the per-ticket window (Zendesk: 10 minutes)")
