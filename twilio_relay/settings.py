"""How a relay is run: where it listens, the account's auth token it checks signatures with, the URL Twilio
calls (behind a proxy, the one Twilio signs, not the one the relay sees) and the token its readers present."""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_RELAY_PORT = 8706


class RelaySettings(BaseModel):
    auth_token: str = Field(min_length=1, description="the Twilio account's auth token (signatures are made with it)")
    reader_token: str = Field(min_length=16, description="the bearer token desks present to read their worker's stream")
    public_url: str | None = Field(
        None, description="the Event Callback URL as configured in Twilio (default: the URL the request arrived at)"
    )
    keep: int = Field(1000, ge=10, le=1_000_000, description="events kept per worker for readers that resume")
    heartbeat_s: float = Field(15.0, gt=0, description="a comment line this often on every stream")
