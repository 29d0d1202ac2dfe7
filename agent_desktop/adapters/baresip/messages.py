"""What a `ctrl_tcp` frame says: a command's answer, a call event the desk follows, or nothing it follows.

Read strictly: a frame that is not a JSON object of the shape baresip 1.0 sends (docs/voice.md) is refused with
`MessageError`, never half-read. The events the desk does not follow (RTCP reports, SDP, registrations) are skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind, EndedBy, SoftphoneError

# baresip's event types for the calls the desk follows.
EVENT_KINDS = {
    "CALL_RINGING": CallEventKind.RINGING,
    "CALL_INCOMING": CallEventKind.INCOMING,
    "CALL_ESTABLISHED": CallEventKind.ESTABLISHED,
    "CALL_RTPESTAB": CallEventKind.MEDIA_UP,
    "CALL_CLOSED": CallEventKind.CLOSED,
}
# How baresip 1.0 says who closed a call (`param` of CALL_CLOSED): the side that hung up reads "by user".
CLOSED_BY_PEER = "Connection reset by peer"
CLOSED_BY_USER = "Connection reset by user"
MAX_ID = 128  # baresip's call ids are 16 hex digits; a longer one is no id of its


class MessageError(SoftphoneError):
    """A frame from the softphone that is not one of its messages."""


@dataclass(frozen=True)
class Answer:
    """The softphone's answer to the command sent with `token`."""

    token: str | None
    ok: bool
    data: str


def _refuse(constant: str) -> Any:
    raise MessageError(f"a frame holds {constant}, which is not JSON")


def _text(message: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = message.get(key, "")
    if (required and key not in message) or not isinstance(value, str):
        raise MessageError(f"a frame's {key!r} is not text: {str(value)[:40]!r}")
    return value


def parse(frame: bytes, *, hung_up_here: frozenset[str] = frozenset()) -> Answer | CallEvent | None:
    """The message in `frame`. `hung_up_here`: the calls this side asked to hang up, for a CLOSED's `ended_by`."""
    try:
        message = json.loads(frame.decode("utf-8"), parse_constant=_refuse)
    except MessageError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise MessageError(f"a frame is not JSON: {type(error).__name__}") from None
    if not isinstance(message, dict):
        raise MessageError(f"a frame is a JSON {type(message).__name__}, not an object")
    if message.get("response") is True:
        ok = message.get("ok")
        if not isinstance(ok, bool):
            raise MessageError("an answer without a true or false 'ok'")
        token = message.get("token")
        if token is not None and not isinstance(token, str):
            raise MessageError("an answer's token is not text")
        return Answer(token=token, ok=ok, data=_text(message, "data"))
    if message.get("event") is True:
        kind = EVENT_KINDS.get(_text(message, "type", required=True))
        # baresip 1.0.0 files CALL_RTPESTAB under the class "other", the rest of a call's events under "call".
        if kind is None or message.get("class") not in ("call", "other"):
            return None
        call_id = _text(message, "id", required=True)
        if not call_id or len(call_id) > MAX_ID or not call_id.isprintable():
            raise MessageError(f"a call event's id is no call id: {call_id[:40]!r}")
        peer, peer_name = _text(message, "peeruri"), _text(message, "peerdisplayname")
        if kind is not CallEventKind.CLOSED:
            return CallEvent(kind=kind, call_id=call_id, peer=peer, peer_name=peer_name)
        reason = _text(message, "param")
        return CallEvent(
            kind=kind,
            call_id=call_id,
            peer=peer,
            peer_name=peer_name,
            ended_by=ended_by(call_id, reason, hung_up_here),
            reason=reason,
        )
    raise MessageError("a frame that is neither an answer nor an event")


def ended_by(call_id: str, reason: str, hung_up_here: frozenset[str]) -> EndedBy:
    if call_id in hung_up_here or reason == CLOSED_BY_USER:
        return EndedBy.LOCAL
    if reason == CLOSED_BY_PEER:
        return EndedBy.REMOTE
    return EndedBy.FAILURE
