"""Basic auth with an API token (`{email}/token:{token}`) and the account's rate limit (429 + Retry-After).

One dependency for both, as Zendesk counts every authenticated request against the account's limit.
"""

from __future__ import annotations

import base64
import binascii
import math
import secrets

from fastapi import Request

from agent_desktop_mocks.zendesk.errors import ZendeskError
from agent_desktop_mocks.zendesk.state import ZendeskState

_UNAUTHORIZED = ZendeskError(
    401,
    "Couldn't authenticate you",
    "Couldn't authenticate you",
    headers={"WWW-Authenticate": 'Basic realm="Web Password"'},
)


class RateWindow:
    """A fixed window of `limit` requests per `window_s` seconds, on the clock's monotonic time."""

    def __init__(self, limit: int | None, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._started = -math.inf
        self._used = 0

    def take(self, now: float) -> int | None:
        """None when the request may go, else the seconds to wait (whole, at least 1)."""
        if self.limit is None:
            return None
        if now - self._started >= self.window_s:
            self._started, self._used = now, 0
        if self._used >= self.limit:
            return max(1, math.ceil(self._started + self.window_s - now))
        self._used += 1
        return None


def _credentials_match(header: str | None, email: str, token: str) -> bool:
    if not header or not header.lower().startswith("basic "):
        return False
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, _, password = decoded.partition(":")
    return secrets.compare_digest(user.encode(), f"{email}/token".encode()) and secrets.compare_digest(
        password.encode(), token.encode()
    )


async def authorised(request: Request) -> None:
    zendesk: ZendeskState = request.app.state.zendesk
    if not _credentials_match(request.headers.get("authorization"), zendesk.settings.email, zendesk.settings.api_token):
        raise _UNAUTHORIZED
    wait = request.app.state.zendesk_rate.take(zendesk.clock.monotonic())
    if wait is not None:
        raise ZendeskError(429, "TooManyRequests", "Rate limit exceeded", headers={"Retry-After": str(wait)})
