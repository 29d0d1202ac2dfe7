"""Twilio SIDs for the engine's ids, both ways: two letters and 32 hex digits.

Contacts and offers are numbered by the engine (`c-000042`, `o-000007`): their SIDs carry the number, so
any of them maps back without a table. Agents, queues and activities are few and fixed: a SID is made from a
hash of the id and remembered."""

from __future__ import annotations

import hashlib
import re

_NUMBERED = {"WT": "c", "WR": "o", "CH": "c", "IM": "m"}  # a chat's Conversation is its contact's, a message its item
_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")


class Sids:
    def __init__(self, salt: str) -> None:
        self._salt = salt
        self._back: dict[str, str] = {}

    def of(self, prefix: str, key: str) -> str:
        if prefix in _NUMBERED:
            number = int(key.split("-", 1)[1])
            return f"{prefix}{number:032x}"
        sid = prefix + hashlib.sha256(f"{self._salt}:{prefix}:{key}".encode()).hexdigest()[:32]
        self._back[sid] = key
        return sid

    def key(self, prefix: str, sid: str) -> str | None:
        """The engine's id of a SID, or None for one this mock never gave out."""
        if not _SID.match(sid) or not sid.startswith(prefix):
            return None
        if prefix in _NUMBERED:
            return f"{_NUMBERED[prefix]}-{int(sid[2:], 16):06d}"
        return self._back.get(sid)
