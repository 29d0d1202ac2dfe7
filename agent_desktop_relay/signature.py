"""Checking a callback's signature with the `twilio` library's own `RequestValidator`, on the request as it came.

Twilio's "Webhooks security" (https://www.twilio.com/docs/usage/webhooks/webhooks-security): `X-Twilio-Signature`
is base64 of an HMAC of the URL Twilio called followed by each POST parameter's name and value, sorted (a
repeated parameter once per value); some callbacks are signed with the port (`:443`, `:80`) and some without
(the validator tries both); a JSON body is signed through the URL's `bodySHA256` query parameter (the body's
SHA-256, hex) with no parameters. A Webhook Setting with a SharedKey (webhook-shared-keys) signs with that key's
secret and says so in `X-Twilio-Webhooks-Signature-Settings: key=<id>,algorithm=HMAC_SHA256` (or HMAC_SHA1);
without that header the account's auth token and HMAC-SHA1.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, parse_qsl, urlparse

from starlette.datastructures import ImmutableMultiDict
from twilio.request_validator import RequestValidator, get_signature_algorithm


def settings_key(header: str | None) -> str | None:
    """The SharedKey's id the Signature-Settings header names (None: no header, or no key named)."""
    for part in (header or "").split(","):
        name, separator, value = part.partition("=")
        if separator and name.strip() == "key" and value.strip():
            return value.strip()
    return None


def check(
    url: str,
    body: bytes,
    is_json: bool,
    signature: str | None,
    settings_header: str | None,
    auth_token: str,
    shared_keys: Mapping[str, str],
) -> str | None:
    """Why the request is refused (None: it is signed as Twilio signs)."""
    if not signature:
        return "no X-Twilio-Signature"
    if settings_header:
        key = settings_key(settings_header)
        secret = shared_keys.get(key or "")
        if not secret:
            return f"signed with a SharedKey the relay does not hold ({key or 'none named'})"
    else:
        secret = auth_token
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return "a body that is not UTF-8"
    params: str | ImmutableMultiDict[str, str]
    if is_json:
        if "bodySHA256" not in parse_qs(urlparse(url).query):
            return "a JSON body without bodySHA256 in the URL"
        params = text
    else:
        params = ImmutableMultiDict(parse_qsl(text, keep_blank_values=True))
    try:
        valid = RequestValidator(secret).validate(url, params, signature, get_signature_algorithm(settings_header))
    except (TypeError, ValueError):
        valid = False
    return None if valid else "the signature does not match"
