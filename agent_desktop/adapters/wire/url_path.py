"""URL paths with ids in them: each id is exactly one path segment, whatever characters it holds.

Ids come from the backends. Put into a path as they are, `a/end?x=` or `..` would name another resource
or run another action; percent-encoded here, such an id names nothing the server has (404).
"""

from __future__ import annotations

from urllib.parse import quote

_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}  # not encoded by quote(), and removed by URL normalisation


def segment(value: str) -> str:
    """One path segment holding `value` literally."""
    quoted = quote(value, safe="")
    return _DOT_SEGMENTS.get(quoted, quoted)


def api_path(template: str, *ids: str) -> str:
    """`api_path("/v1/contacts/{}/end", contact_id)`: the template with each `{}` replaced by one segment."""
    return template.format(*(segment(i) for i in ids))
