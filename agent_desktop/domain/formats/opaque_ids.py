"""What no person reads: a vendor's SIDs (Twilio's Worker `WK` and 32 hex digits) stand for people the screen names,
and an API's method and path (`PUT /v1/contacts/{id}/monitoring`) in a backend's sentence is cut from it."""

from __future__ import annotations

import re
from collections.abc import Mapping

SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")
_SID_IN_TEXT = re.compile(r"\b[A-Z]{2}[0-9a-fA-F]{32}\b")
_METHOD_PATH = re.compile(r"\s*\(?\b(?:GET|PUT|POST|PATCH|DELETE|HEAD|OPTIONS)\s+/\S*\)?")
_PATH = re.compile(r"\s*(?<![\w.])/(?:v\d+|api)/\S*")


def without_addresses(text: str) -> str:
    """`text` with any method and path, or API path, cut and a SID said as "…": `join the contact first` for
    `join the contact first (PUT /v1/contacts/{id}/monitoring)`."""
    return _SID_IN_TEXT.sub("…", _PATH.sub("", _METHOD_PATH.sub("", text)))


def is_opaque(value: str) -> bool:
    """A vendor's SID, not a name or an id a person chose (`agent-001`, `alice`)."""
    return bool(SID.fullmatch(value.strip()))


def agent_called(agent_id: str, names: Mapping[str, str]) -> str:
    """Who `agent_id` is, as a person knows them: an id a person chose (`agent-001`) as it is, a SID by the name the
    desk knows it by, or "a colleague" where it knows none."""
    if not is_opaque(agent_id):
        return agent_id
    name = names.get(agent_id, "")
    return name if name.strip() and not is_opaque(name) else "a colleague"
