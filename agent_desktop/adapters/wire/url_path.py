"""URL paths with ids in them: each id is exactly one path segment, whatever characters it holds; and a URL as it
may be shown, without what may be a secret in it.

Ids come from the backends. Put into a path as they are, `a/end?x=` or `..` would name another resource
or run another action; percent-encoded here, such an id names nothing the server has (404).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}  # not encoded by quote(), and removed by URL normalisation


def segment(value: str) -> str:
    """One path segment holding `value` literally."""
    quoted = quote(value, safe="")
    return _DOT_SEGMENTS.get(quoted, quoted)


def api_path(template: str, *ids: str) -> str:
    """`api_path("/v1/contacts/{}/end", contact_id)`: the template with each `{}` replaced by one segment."""
    return template.format(*(segment(i) for i in ids))


def public_url(url: object) -> str:
    """`url` without what may be a secret: its user and password, query and fragment (an API key rides there)."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
