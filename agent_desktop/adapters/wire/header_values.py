"""Values the desk puts in HTTP headers (an Idempotency-Key): printable ASCII, whatever they were made from.

httpx encodes a header value as ASCII and raises `UnicodeEncodeError` on anything else, which is not a
`BackendError` and once ended the desk (a new caller named "José García" went into the key). A key made
from a backend's id or a person's name that is not plain ASCII is sent as a digest of itself instead: the
same text gives the same key, so a resend is still stored once.
"""

from __future__ import annotations

import hashlib
import re

_PLAIN = re.compile(r"[!-~]{1,200}")  # visible ASCII, no space: what every server takes as a token


def header_value(value: str) -> str:
    """`value` if it is plain (visible ASCII, at most 200 characters), else `sha256-` and its digest."""
    if _PLAIN.fullmatch(value):
        return value
    return "sha256-" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
