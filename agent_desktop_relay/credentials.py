"""Each desk's credential for its own worker's stream: an HMAC-SHA256 of the worker's SID keyed with the relay's
secret (`RELAY_SECRET`), hex. The relay keeps no list of tokens: it derives the one a worker's stream expects,
and `agent-desktop-twilio-relay token WK…` prints it for the operator to put in that desk's `relay_token`.
A token read from one desk opens that worker's stream and no other's; a new secret revokes every token.
A supervisor's token (`token --supervisor WK…`, another purpose) also reads the lines of any call it names (the
calls it monitors); a desk's own token reads the lines of the calls its worker holds or is offered."""

from __future__ import annotations

import hashlib
import hmac

PURPOSE = b"agent-desktop relay reader v1\n"  # so the secret's HMAC of a SID means this and nothing else


SUPERVISING = b"agent-desktop relay supervisor v1\n"


def reader_token(secret: str, worker_sid: str, *, supervisor: bool = False) -> str:
    purpose = SUPERVISING if supervisor else PURPOSE
    return hmac.new(secret.encode(), purpose + worker_sid.encode(), hashlib.sha256).hexdigest()


def reads(secret: str, worker_sid: str, presented: str) -> bool:
    """The token opens the worker's stream: its desk's, or its supervisor's token."""
    return any(
        hmac.compare_digest(reader_token(secret, worker_sid, supervisor=boss).encode(), presented.encode())
        for boss in (False, True)
    )


def supervises(secret: str, worker_sid: str, presented: str) -> bool:
    return hmac.compare_digest(reader_token(secret, worker_sid, supervisor=True).encode(), presented.encode())
