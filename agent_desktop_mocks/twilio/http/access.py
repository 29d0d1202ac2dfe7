"""Basic auth as Twilio takes it: an API key SID and secret, or the account SID and auth token; and the
workspace in the path must be this account's."""

from __future__ import annotations

import base64
import binascii
import secrets

from fastapi import Request

from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.state import TwilioState

_UNAUTHORIZED = TwilioError(401, 20003, "Authenticate", headers={"WWW-Authenticate": 'Basic realm="Twilio API"'})


def _pairs(twilio: TwilioState) -> list[tuple[str, str]]:
    s = twilio.settings
    return [(s.api_key_sid, s.api_key_secret), (s.account_sid, s.auth_token)]


async def authorised(request: Request) -> None:
    twilio: TwilioState = request.app.state.twilio
    header = request.headers.get("authorization") or ""
    if not header.lower().startswith("basic "):
        raise _UNAUTHORIZED
    try:
        user, _, password = base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise _UNAUTHORIZED from None
    if not any(
        secrets.compare_digest(user.encode(), u.encode()) & secrets.compare_digest(password.encode(), p.encode())
        for u, p in _pairs(twilio)
    ):
        raise _UNAUTHORIZED
    workspace = request.path_params.get("WorkspaceSid")
    if workspace is not None and workspace != twilio.settings.workspace_sid:
        raise not_found(request.url.path)
