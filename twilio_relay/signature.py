"""Checking `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the account's auth token, over the URL
Twilio called followed by each POST parameter's name and value, sorted by name (Twilio's "Webhooks
security"; the `twilio` library's `RequestValidator` computes the same, which a test checks)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping


def expected(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def valid(auth_token: str, url: str, params: Mapping[str, str], signature: str | None) -> bool:
    if not signature:
        return False
    return hmac.compare_digest(expected(auth_token, url, params).encode(), signature.encode())
