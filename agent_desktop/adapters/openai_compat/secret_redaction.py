"""What the model client says in an error never holds a secret: servers quote the request's key in their error
bodies (OpenAI quotes part of a wrong key, a proxy may echo the `Authorization` header, a 500 may dump the request),
and those words reach the agent's screen ("No suggestion: …", "Drafted by rules: …").

`Redactor` removes the configured key and the secrets of the base URL (its user, password and query values) wherever
they appear, as written or percent-encoded (either case of hex) or JSON-escaped character by character, and anything
that looks like a key whatever it is: `Bearer …`, `Basic …`, `sk-…`. It runs before a text is cut to one line, so a
key that straddles the cut leaves no start of itself behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from agent_desktop.domain.formats.text import one_line, strip_controls

REDACTED = "[redacted]"
_LOOKS_LIKE_A_KEY = re.compile(
    r"(?i)\b(?:bearer|basic)\s+[^\s\"',;)}\]]+"  # an Authorization header's value, whoever's it is
    r"|(?<![A-Za-z0-9])sk-[A-Za-z0-9_\-.*]{3,}"  # OpenAI's keys (sk-…, sk-proj-…), whole or starred as OpenAI quotes them
)


def _char_forms(char: str) -> str:
    """A pattern for one character of a secret: as written, percent-encoded (its UTF-8 bytes), JSON-escaped."""
    forms = [re.escape(char), "".join(f"%{byte:02x}" for byte in char.encode("utf-8", "surrogatepass"))]
    if ord(char) < 0x10000:
        forms.append(re.escape(f"\\u{ord(char):04x}"))
    if char == "/":
        forms.append(re.escape("\\/"))
    if char == " ":
        forms.append(r"\+")
    return "(?:" + "|".join(forms) + ")"


def url_secrets(url: str) -> list[str]:
    """What may be a secret in a base URL: its user, its password and its query's values."""
    parts = urlsplit(url)
    found = [unquote(part) for part in (parts.username, parts.password) if part]
    found += [value for _, value in parse_qsl(parts.query, keep_blank_values=False)]
    return found


class Redactor:
    """Removes `secrets` (and anything that looks like a key) from a text."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        kept = sorted({secret for secret in secrets if secret}, key=len, reverse=True)  # the longest first
        self._secrets = (
            re.compile("|".join("".join(_char_forms(c) for c in secret) for secret in kept), re.IGNORECASE)
            if kept
            else None
        )

    def __call__(self, text: str) -> str:
        if self._secrets is not None:
            text = self._secrets.sub(REDACTED, text)
        return _LOOKS_LIKE_A_KEY.sub(REDACTED, text)

    def line(self, text: str, limit: int = 200) -> str:
        """`text` as one line of at most `limit` characters, redacted before it is cut (and after its invisible
        characters are gone: a key split by a zero-width space would be whole again on screen)."""
        return one_line(self(strip_controls(text)), limit)
