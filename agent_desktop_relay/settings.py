"""How a relay is run: the account's auth token (and any SharedKeys) it checks signatures with, the URL Twilio
calls (behind a proxy, the one Twilio signs, not the one the relay sees), the secret each desk's token is derived
from, where it keeps its state (its own SQLite file, or a Redis several relays share), and the limits it holds a public endpoint to (docs/backends.md, "The relay")."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import BaseModel, Field

DEFAULT_RELAY_PORT = 8706
# The relay's heartbeat; the Twilio desk counts its link lost after 3 missed (agent_desktop/adapters/twilio/contact_center.py,
# RELAY_HEARTBEAT_TIMEOUT_S = 12 s), well before the shortest offer could expire unseen (the demo floor's 20 s).
DEFAULT_HEARTBEAT_S = 4.0


class RelaySettings(BaseModel):
    auth_token: str = Field(min_length=1, description="the Twilio account's auth token (signatures are made with it)")
    secret: str = Field(min_length=32, description="RELAY_SECRET: each desk's reader token is derived from it")
    shared_keys: dict[str, str] = Field(
        default_factory=dict,
        description="SharedKey id → secret, for callbacks a Webhook Setting signs with a SharedKey",
    )
    public_url: str | None = Field(
        None,
        description="the Event Callback URL as configured in Twilio, which every signature is checked against "
        "(default: the URL the request arrived at, taken only from a loopback Host)",
    )
    store_path: Path | None = Field(None, description="the SQLite database (None: in memory, lost on exit: tests only)")
    redis_url: str | None = Field(
        None, description="RELAY_REDIS_URL: several relays share their state in this Redis (store_path is then unused)"
    )
    redis_prefix: str = Field("relay:", description="the prefix of every key the relays keep in Redis")
    keep: int = Field(1000, ge=10, le=1_000_000, description="events kept per worker for readers that resume")
    heartbeat_s: float = Field(DEFAULT_HEARTBEAT_S, gt=0, description="a comment line this often on every stream")
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="a callback larger than this is refused (413) unread")
    body_timeout_s: float = Field(10.0, gt=0, description="a callback's body must arrive within this (408)")
    replay_window_s: float = Field(6 * 3600, gt=0, description="a request taken again within this is dropped")
    synchronous: str = Field(
        "FULL", pattern="^(FULL|NORMAL)$", description="SQLite's synchronous: FULL survives a power cut"
    )


def is_loopback(host: str | None) -> bool:
    """Whether `host` (a name or an address, IPv6 with or without brackets) is this machine's loopback."""
    if not host:
        return False
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
