"""What only the Zendesk-shaped mock needs beside the shared MockSettings: its credentials, rate limit and search lag."""

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
